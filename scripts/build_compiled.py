"""Build the opt-in compiled wheel (pyproject.toml's mypyc hook) from a clean copy of the source,
in a bare virtual environment, and unpack it into a directory to put first on ``PYTHONPATH``:
the compiled build of this tree, beside whatever is installed, for the tests and the benchmarks.

* A copy: the hook compiles in place, next to the sources it is given, and sets pyproject.toml
  aside while it runs; building from a copy keeps the ``.so`` files out of this tree (where an
  editable install would load them instead of the edited ``.py`` files).
* A bare environment: mypy, inside pip's build environment, also sees the packages of the
  interpreter that runs pip; a bare one builds as ``pip install .`` does on a fresh machine.

``DEST`` must be new, empty, or a directory this script wrote before (it is replaced), and
outside this tree.

Usage: python scripts/build_compiled.py DEST   (needs a C compiler, the Python headers and
the package index for the build's own requirements: hatch-mypyc, mypy)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import venv
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: what the build reads (pyproject.toml names the readme; mypy.ini holds mypy's settings)
SOURCES = ("src", "factors", "pyproject.toml", "mypy.ini", "README.md")
#: written into DEST: a directory holding it may be replaced by a later run
MARKER = ".carbon-footprint-compiled-build"


def _check_dest(dest: Path) -> None:
    if dest == REPO or REPO in dest.parents:
        raise SystemExit(f"{dest}: inside the source tree; give a directory outside it")
    if dest.exists() and any(dest.iterdir()) and not (dest / MARKER).exists():
        raise SystemExit(f"{dest}: not empty and not an earlier build; give a new directory")


def build(dest: Path) -> Path:
    """Build the compiled wheel and unpack it into ``dest``; return ``dest``."""
    dest = dest.resolve()
    _check_dest(dest)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source"
        source.mkdir()
        for name in SOURCES:
            if (REPO / name).is_dir():
                shutil.copytree(REPO / name, source / name,
                                ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"))
            else:
                shutil.copy(REPO / name, source / name)
        env_dir = Path(tmp) / "venv"
        venv.create(env_dir, with_pip=True)
        python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
        env = {**os.environ, "HATCH_BUILD_HOOK_ENABLE_MYPYC": "true"}
        env.pop("PYTHONPATH", None)
        proc = subprocess.run([str(python), "-m", "pip", "wheel", "--no-deps", "--quiet",
                               "--disable-pip-version-check", "-w", str(Path(tmp) / "dist"),
                               str(source)], capture_output=True, text=True, env=env)
        if proc.returncode:
            raise SystemExit("the compiled build failed:\n" + (proc.stdout + proc.stderr)[-4000:])
        wheel = next((Path(tmp) / "dist").glob("carbon_footprint-*.whl"))
        shutil.rmtree(dest, ignore_errors=True)
        zipfile.ZipFile(wheel).extractall(dest)
        (dest / MARKER).write_text(wheel.name + "\n", encoding="utf-8")
    return dest


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(build(Path(sys.argv[1])))


if __name__ == "__main__":
    main()
