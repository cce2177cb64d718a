"""The ``carbon-footprint`` command line: a thin shell over the public API.

    carbon-footprint calculate FILE [--json] [--collect] [--tables ID ...] [--method NAME]
                                    [--gwp AR5] [--on YYYY-MM-DD]
    carbon-footprint validate FILE [--json] [--locale zh-CN] [--tables ID ...] [--method NAME]
                                   [--gwp AR5] [--on YYYY-MM-DD]
    carbon-footprint serve [--host 127.0.0.1] [--port 8000]     (needs the [web] extra)
    carbon-footprint tables [--json]
    carbon-footprint tables show ID [--json]
    carbon-footprint tables diff A B [--all] [--decimals 5]
    carbon-footprint event FILE [--json] [--html OUT] [--collect] [--method NAME]
                                [--on YYYY-MM-DD] [--compare PLAN_FILE]
    carbon-footprint schema [activity|request|response] [--dialect 2020-12|draft-07]
                            [--locale zh-CN] [--type TYPE]
    carbon-footprint --version

FILE is a JSON or YAML list of activities (``-`` for standard input), or a mapping with an
``activities`` list and optionally an ``offset`` policy. An event FILE is an event mapping
(docs/events.md), optionally with ``claims`` (lines the guests neutralized themselves).
Input is read with the library's strict rules: at most :data:`MAX_INPUT_BYTES` bytes
whatever the file is, UTF-8, JSON without duplicate keys, YAML with the strict safe loader
(no aliases, no ``NO`` -> false, no octal or sexagesimal numbers).

Exit status (documented in docs/security.md):

====  ==================================================================================
0     success
1     an input, table or policy is invalid (the message names it), or ``--collect`` found
      invalid inputs
2     usage error (unknown command or option, bad option value)
3     input or output failed (file unreadable or too large, output closed or full)
4     internal error (a bug: please report it; ``CARBON_FOOTPRINT_DEBUG=1`` shows the trace)
130   interrupted
====  ==================================================================================

Every error is one line on standard error: ``carbon-footprint: error: ...``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import traceback
from datetime import date
from importlib.machinery import ExtensionFileLoader
from typing import Any, NoReturn

from ._text import clip, no_duplicate_keys
from ._version import __version__
from ._yaml import load_yaml_bytes
from .errors import CarbonFootprintError, TableError

MAX_INPUT_BYTES = 50 * 1024 * 1024
EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_IO, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130


class InputOutputError(Exception):
    """Reading the input or writing the output failed (exit 3)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        _say(f"carbon-footprint: error: {message} (see carbon-footprint --help)")
        raise SystemExit(EXIT_USAGE)


def _say(text: str) -> None:
    try:
        if sys.stderr is not None:
            sys.stderr.write(clip(text, 2_000) + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


def read_input(name: str) -> Any:
    """Parse FILE (or ``-``): JSON first, then strict YAML; bounded, UTF-8, no duplicates."""
    try:
        if name == "-":
            if sys.stdin is None:
                raise InputOutputError("standard input is closed")
            raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(name, "rb") as fh:
                raw = fh.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise InputOutputError(f"{clip(name, 200)}: cannot read ({exc.strerror or exc})"
                               ) from None
    if len(raw) > MAX_INPUT_BYTES:
        raise InputOutputError(f"{clip(name, 200)}: input larger than {MAX_INPUT_BYTES} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CarbonFootprintError(f"{clip(name, 200)}: not UTF-8 text (byte {exc.start})"
                                   ) from None
    stripped = text.lstrip()
    if stripped[:1] in ("[", "{"):
        try:
            return json.loads(text, object_pairs_hook=no_duplicate_keys)
        except RecursionError:
            raise CarbonFootprintError(f"{clip(name, 200)}: JSON nested too deeply") from None
        except ValueError as exc:
            json_error = str(exc)
        else:  # pragma: no cover
            json_error = ""
        if stripped[:1] == "[" or '"' in stripped[:200]:
            raise CarbonFootprintError(f"{clip(name, 200)}: invalid JSON: "
                                       f"{clip(json_error, 200)}")
    try:
        return load_yaml_bytes(raw, str(name))
    except TableError as exc:
        raise CarbonFootprintError(f"{clip(name, 200)}: neither JSON nor valid YAML: "
                                   f"{exc.reason}") from None


def _write(text: str, json_bytes: bool = False) -> None:
    out = sys.stdout
    if out is None:
        raise InputOutputError("standard output is closed")
    try:
        if json_bytes and hasattr(out, "buffer"):
            out.flush()
            out.buffer.write(text.encode("utf-8"))
            out.buffer.flush()
        else:
            out.write(text)
            out.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        raise InputOutputError(f"cannot write output ({getattr(exc, 'strerror', None) or exc})"
                               ) from None


def _on(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {clip(text, 40)!r}"
                                         ) from None


def _cmd_calculate(args: argparse.Namespace) -> int:
    from ._api import calculate

    data = read_input(args.file)
    offset = None
    if isinstance(data, dict) and "activities" in data:
        offset = data.get("offset")
        data = data["activities"]
    if not isinstance(data, list):
        raise CarbonFootprintError(
            f"{clip(args.file, 200)}: expected a list of activities (or a mapping with "
            f"'activities'); got {type(data).__name__}")
    fp = calculate(data, tables=args.tables or None, offset=offset, method=args.method,
                   gwp=args.gwp, on=args.on, errors="collect" if args.collect else "raise")
    if args.normalized:
        _write(fp.normalized_json() + "\n", json_bytes=True)
    elif args.json:
        _write(fp.model_dump_json(indent=2) + "\n", json_bytes=True)
    else:
        _write(fp.summary() + "\n")
    return EXIT_INVALID if fp.rejected else EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from ._validate import validate

    data = read_input(args.file)
    if isinstance(data, dict) and "activities" in data:
        data = data["activities"]
    if not isinstance(data, list):
        raise CarbonFootprintError(
            f"{clip(args.file, 200)}: expected a list of activities (or a mapping with "
            f"'activities'); got {type(data).__name__}")
    errors = validate(data, tables=args.tables or None, method=args.method, gwp=args.gwp,
                      on=args.on, locale=args.locale)
    if args.json:
        _write(json.dumps({"valid": not errors, "errors": errors}, indent=2,
                          ensure_ascii=False) + "\n", json_bytes=True)
    elif errors:
        _write("".join(f"{e['pointer']}: {e['message']}\n" for e in errors))
    else:
        _write(f"{len(data)} activities: valid\n")
    return EXIT_INVALID if errors else EXIT_OK


def _event_of(path: str, args: argparse.Namespace, errors: str) -> tuple[Any, Any]:
    from .event import calculate_event

    data = read_input(path)
    if not isinstance(data, dict):
        raise CarbonFootprintError(f"{clip(path, 200)}: expected an event mapping (name, "
                                   f"groups, venue...); got {type(data).__name__}")
    claims = data.pop("claims", None)
    ev = calculate_event(data, method=args.method, on=args.on,
                         errors=errors)  # type: ignore[arg-type]
    return ev, claims


def _cmd_event(args: argparse.Namespace) -> int:
    ev, claims = _event_of(args.file, args, "collect" if args.collect else "raise")
    remainder = ev.remainder(claims) if claims is not None else None
    comparison = None
    if args.compare:
        from .event import compare

        plan, _ = _event_of(args.compare, args, "raise")
        comparison = compare(plan, ev)
    if args.html:
        try:
            with open(args.html, "w", encoding="utf-8") as fh:
                fh.write(ev._repr_html_())
        except OSError as exc:
            raise InputOutputError(f"cannot write {clip(args.html, 200)}: "
                                   f"{exc.strerror or exc}") from None
    if args.json:
        out: dict[str, Any] = {"event": ev.model_dump(mode="json")}
        if remainder is not None:
            out["organizer_remainder"] = remainder.model_dump(mode="json")
        if comparison is not None:
            out["plan_vs_actual"] = comparison.model_dump(mode="json")
        _write(json.dumps(out, indent=2, ensure_ascii=False) + "\n", json_bytes=True)
    else:
        text = ev.summary()
        if remainder is not None:
            text += (f"\n\nClaims: guests neutralized {remainder.claimed_tco2e} t; the "
                     f"organizer neutralizes {remainder.remaining_tco2e} t")
        if comparison is not None:
            text += "\n\n" + comparison.summary()
        _write(text + "\n")
    return EXIT_INVALID if ev.rejected else EXIT_OK


def _cmd_tables(args: argparse.Namespace) -> int:
    from .tables import list_tables

    if args.action == "show":
        return _cmd_tables_show(args)
    if args.action == "diff":
        return _cmd_tables_diff(args)
    rows = list_tables()
    if args.json:
        _write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", json_bytes=True)
        return EXIT_OK
    head = f"{'id':<20} {'edition':<8} {'region':<6} {'gwp':<5} {'valid':<23} {'licence':<12} " \
           f"{'factors':>7}  title"
    lines = [head, "-" * len(head)]
    for r in rows:
        valid = f"{r['valid_from']}..{r['valid_to'] or ''}"
        mark = "*" if r["default"] else " "
        flag = "" if r["verified"] else " [UNVERIFIED]"
        lines.append(f"{r['id']:<19}{mark} {r['edition']:<8} {r['region']:<6} "
                     f"{r['gwp'] or '-':<5} {valid:<23} {r['licence'][:12]:<12} "
                     f"{r['factors']:>7}  {r['title']}{flag}")
    lines.append("\n* = in the default set (tables=None)")
    _write("\n".join(lines) + "\n")
    return EXIT_OK


def _cmd_tables_show(args: argparse.Namespace) -> int:
    from .tables import get_table

    if len(args.ids) != 1:
        raise _Usage("usage: carbon-footprint tables show ID")
    t = get_table(args.ids[0])
    m = t.meta
    if args.json:
        _write(m.model_dump_json(indent=2) + "\n", json_bytes=True)
        return EXIT_OK
    out = [f"{m.id}: {m.title}",
           f"  publisher   {m.publisher}",
           f"  edition     {m.edition} (revision {m.revision}), published {m.published}",
           f"  valid       {m.valid_from} .. {m.valid_to or 'open'}",
           f"  region      {m.region}; GWP {m.gwp or 'n/a (CO2 only)'}"
           + (f"; {m.currency} of {m.price_year}" if m.currency else ""),
           f"  source      {m.source.title}",
           f"              {m.source.url}",
           f"              {m.source.file} sha256 {m.source.sha256}",
           f"  licence     {m.licence}",
           f"  attribution {m.attribution}",
           f"  verified    {m.verified}; table sha256 {t.sha256}"]
    out.extend(f"  note        {n}" for n in m.notes)
    out.append(f"\n  {'factor':<44} {'value':>12}  unit")
    for f in m.factors:
        flag = "  (derived)" if f.derived else ""
        out.append(f"  {f.id:<44} {f.value:>12.6g}  {f.unit}{flag}")
    _write("\n".join(out) + "\n")
    return EXIT_OK


def _cmd_tables_diff(args: argparse.Namespace) -> int:
    from .tables import get_table
    from .tables._diff import render_diff

    if len(args.ids) != 2:
        raise _Usage("usage: carbon-footprint tables diff A B")
    a, b = (get_table(i) for i in args.ids)
    _write(render_diff(a, b, changed_only=not args.all, decimals=args.decimals) + "\n")
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from . import activity_schema, request_schema, response_schema

    if args.kind == "request":
        doc = request_schema(args.dialect, args.locale)
    elif args.kind == "response":
        doc = response_schema(args.dialect, args.form)
    else:
        doc = activity_schema(args.dialect, args.locale, type=args.type)
    _write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", json_bytes=True)
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        from .web import serve
    except ImportError as exc:
        raise _Usage(f"serve needs the [web] extra: pip install 'carbon-footprint[web]' "
                     f"({exc.name} is missing)") from None
    _say(f"carbon-footprint: serving on http://{args.host}:{args.port}/ (Ctrl+C stops)")
    serve(args.host, args.port)
    return EXIT_OK


class _Usage(Exception):
    """A usage error found after parsing (exit 2)."""


def build_kind() -> str:
    """``"compiled"`` when the hot-path modules are the opt-in mypyc build (pyproject.toml,
    docs/performance.md), else ``"pure Python"``."""
    from . import _engine

    spec = _engine.__spec__
    compiled = spec is not None and isinstance(spec.loader, ExtensionFileLoader)
    return "compiled" if compiled else "pure Python"


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="carbon-footprint",
                description="Carbon footprint of activities, in tCO2e and credits.")
    p.add_argument("--version", action="version",
                   version=f"carbon-footprint {__version__} ({build_kind()})")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("calculate", help="calculate a JSON or YAML list of activities")
    c.add_argument("file", help="input file, or - for standard input")
    c.add_argument("--json", action="store_true", help="print the full result as JSON")
    c.add_argument("--normalized", action="store_true",
                   help="print the result as JSON in the normalized form (each source of "
                        "lines once; for large batches)")
    c.add_argument("--tables", nargs="+", metavar="ID",
                   help="table ids to use, in priority order (default: the pinned default set)")
    c.add_argument("--method", metavar="NAME", help="method profile (default: china-large-event)")
    c.add_argument("--gwp", choices=["AR4", "AR5", "AR6"], help="express CO2e in this GWP set")
    c.add_argument("--on", type=_on, metavar="YYYY-MM-DD",
                   help="use the editions in force on this date")
    c.add_argument("--collect", action="store_true",
                   help="report invalid inputs as error lines instead of stopping at the first")
    c.set_defaults(fn=_cmd_calculate)
    v = sub.add_parser("validate", help="check a JSON or YAML list of activities without "
                       "calculating: every error of every activity")
    v.add_argument("file", help="input file, or - for standard input")
    v.add_argument("--json", action="store_true", help="print the errors as JSON")
    v.add_argument("--tables", nargs="+", metavar="ID", help="check against these tables")
    v.add_argument("--method", metavar="NAME", help="method profile")
    v.add_argument("--gwp", choices=["AR4", "AR5", "AR6"], help="GWP set")
    v.add_argument("--on", type=_on, metavar="YYYY-MM-DD",
                   help="check against the editions in force on this date")
    v.add_argument("--locale", choices=["en", "zh-CN"], help="language of the messages")
    v.set_defaults(fn=_cmd_validate)
    w = sub.add_parser("serve", help="run the HTTP service and the QR calculator page "
                       "(needs the [web] extra)")
    w.add_argument("--host", default="127.0.0.1", help="address to listen on (default "
                   "127.0.0.1)")
    w.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    w.set_defaults(fn=_cmd_serve)
    t = sub.add_parser("tables", help="list the bundled factor tables; show one; diff two")
    t.add_argument("action", nargs="?", choices=["show", "diff"], help="show ID | diff A B")
    t.add_argument("ids", nargs="*", metavar="ID")
    t.add_argument("--json", action="store_true")
    t.add_argument("--all", action="store_true", help="diff: list unchanged factors too")
    t.add_argument("--decimals", type=int, default=5, choices=range(0, 16), metavar="0-15",
                   help="diff: compare values at this many decimal places (default 5)")
    t.set_defaults(fn=_cmd_tables)
    e = sub.add_parser("event", help="calculate an event file (groups, venue, phases)")
    e.add_argument("file", help="event file (YAML or JSON), or - for standard input")
    e.add_argument("--json", action="store_true", help="print the full result as JSON")
    e.add_argument("--html", metavar="OUT", help="also write the summary as HTML to OUT")
    e.add_argument("--method", metavar="NAME", help="method profile (overrides the file's)")
    e.add_argument("--on", type=_on, metavar="YYYY-MM-DD",
                   help="use the editions in force on this date (overrides the file's date)")
    e.add_argument("--compare", metavar="PLAN_FILE",
                   help="compare with an estimate made before the event (plan vs actual)")
    e.add_argument("--collect", action="store_true",
                   help="report invalid activities as error lines instead of stopping")
    e.set_defaults(fn=_cmd_event)
    s = sub.add_parser("schema", help="print the JSON Schema of an activity (for forms), of a "
                       "request or of a response")
    s.add_argument("kind", nargs="?", choices=["activity", "request", "response"],
                   default="activity")
    s.add_argument("--dialect", choices=["2020-12", "draft-07"], default="2020-12",
                   help="JSON Schema 2020-12 (default), or draft-07 (Ajv's default class, rjsf)")
    s.add_argument("--locale", choices=["en", "zh-CN"], help="titles in this language")
    s.add_argument("--type", metavar="TYPE", help="one activity type's schema alone")
    s.add_argument("--form", choices=["full", "normalized"], default="full",
                   help="response: the full or the normalized form")
    s.set_defaults(fn=_cmd_schema)
    return p


def _quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # a non-UTF-8 locale must not turn Chinese text into a traceback
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        args = build_parser().parse_args(argv)
        return int(args.fn(args))
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    except _Usage as exc:
        _say(f"carbon-footprint: error: {exc}")
        return EXIT_USAGE
    except InputOutputError as exc:
        _say(f"carbon-footprint: error: {exc}")
        return EXIT_IO
    except CarbonFootprintError as exc:
        _say(f"carbon-footprint: error: {exc}")
        return EXIT_INVALID
    except BrokenPipeError:  # e.g. piped into head
        _quiet_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        _say("carbon-footprint: interrupted")
        return EXIT_INTERRUPTED
    except (RecursionError, MemoryError) as exc:
        _say(f"carbon-footprint: error: input too complex ({type(exc).__name__})")
        return EXIT_INVALID
    except Exception as exc:  # a bug: one line, the trace only on request
        _say(f"carbon-footprint: internal error: {type(exc).__name__}: {exc} (please report "
             "it; CARBON_FOOTPRINT_DEBUG=1 shows the trace)")
        if os.environ.get("CARBON_FOOTPRINT_DEBUG"):
            traceback.print_exc()
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


__all__ = ["MAX_INPUT_BYTES", "build_parser", "main", "read_input"]
