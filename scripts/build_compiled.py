"""Build the opt-in compiled wheel (pyproject.toml's mypyc hook) from a clean copy of the source
and unpack it into a directory to put first on ``PYTHONPATH``: the compiled build of this tree,
beside whatever is installed, for the tests and the benchmarks to compare.

The hook compiles in place, next to the sources it is given; building from a copy keeps the
``.so`` files out of this tree (where an editable install would load them instead of the
edited ``.py`` files).

Usage: python scripts/build_compiled.py DEST   (needs a C compiler, the Python headers and
the package index for the build's own requirements: hatch-mypyc, mypy)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: what the build reads (pyproject.toml names the readme; mypy.ini holds mypy's settings)
SOURCES = ("src", "factors", "pyproject.toml", "mypy.ini", "README.md")


def build(dest: Path) -> Path:
    """Build the compiled wheel and unpack it into ``dest`` (emptied first); return ``dest``."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source"
        for name in SOURCES:
            if (REPO / name).is_dir():
                shutil.copytree(REPO / name, source / name,
                                ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"))
            else:
                source.mkdir(exist_ok=True)
                shutil.copy(REPO / name, source / name)
        env = {**os.environ, "HATCH_BUILD_HOOK_ENABLE_MYPYC": "true"}
        proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                               "-w", str(Path(tmp) / "dist"), str(source)],
                              capture_output=True, text=True, env=env)
        if proc.returncode:
            raise SystemExit("the compiled build failed:\n" + (proc.stdout + proc.stderr)[-4000:])
        wheel = next((Path(tmp) / "dist").glob("carbon_footprint-*.whl"))
        shutil.rmtree(dest, ignore_errors=True)
        zipfile.ZipFile(wheel).extractall(dest)
    return dest


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(build(Path(sys.argv[1]).resolve()))


if __name__ == "__main__":
    main()
