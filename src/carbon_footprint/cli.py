"""The ``carbon-footprint`` command line: a thin shell over the public API.

    carbon-footprint calculate FILE [--json] [--factors ID ...] [--collect]
    carbon-footprint tables [--json]
    carbon-footprint tables show ID [--json]
    carbon-footprint tables diff A B [--all] [--decimals 5]
    carbon-footprint schema

FILE is a JSON or YAML list of activities (``-`` for standard input), or a mapping with an
``activities`` list and optionally an ``offset`` policy. Exit status: 0 on success, 1 when an input
or table is invalid (the message names it), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from . import __version__, activity_schema, calculate, tables
from .errors import CarbonFootprintError

MAX_INPUT_BYTES = 50 * 1024 * 1024


def _read_input(name: str) -> Any:
    if name == "-":
        raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        try:
            raw = Path(name).read_bytes()
        except OSError as exc:
            raise CarbonFootprintError(f"{name}: cannot read ({exc.strerror})") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise CarbonFootprintError(f"{name}: input larger than {MAX_INPUT_BYTES} bytes")
    text = raw.decode("utf-8-sig", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CarbonFootprintError(f"{name}: neither JSON nor YAML ({exc})") from None


def _cmd_calculate(args: argparse.Namespace) -> int:
    data = _read_input(args.file)
    offset = None
    if isinstance(data, dict) and "activities" in data:
        offset = data.get("offset")
        data = data["activities"]
    if not isinstance(data, list):
        raise CarbonFootprintError(
            f"{args.file}: expected a list of activities (or a mapping with 'activities'); got "
            f"{type(data).__name__}")
    fp = calculate(data, factors=args.factors or None, offset=offset,
                   errors="collect" if args.collect else "raise")
    if args.json:
        sys.stdout.write(fp.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(fp.summary() + "\n")
    return 1 if fp.rejected else 0


def _cmd_tables(args: argparse.Namespace) -> int:
    if args.action == "show":
        return _cmd_tables_show(args)
    if args.action == "diff":
        return _cmd_tables_diff(args)
    if args.action is not None:
        raise CarbonFootprintError(f"unknown tables action {args.action!r}: use show or diff")
    rows = tables()
    if args.json:
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return 0
    head = f"{'id':<20} {'edition':<8} {'region':<6} {'gwp':<5} {'valid':<23} {'licence':<12} " \
           f"{'factors':>7}  title"
    print(head)
    print("-" * len(head))
    for r in rows:
        valid = f"{r['valid_from']}..{r['valid_to'] or ''}"
        mark = "*" if r["default"] else " "
        flag = "" if r["verified"] else " [UNVERIFIED]"
        print(f"{r['id']:<19}{mark} {r['edition']:<8} {r['region']:<6} {r['gwp'] or '-':<5} "
              f"{valid:<23} {r['licence'][:12]:<12} {r['factors']:>7}  {r['title']}{flag}")
    print("\n* = in the default set (factors=None)")
    return 0


def _cmd_tables_show(args: argparse.Namespace) -> int:
    from .tables import get_table

    if len(args.ids) != 1:
        raise CarbonFootprintError("usage: carbon-footprint tables show ID")
    t = get_table(args.ids[0])
    m = t.meta
    if args.json:
        sys.stdout.write(m.model_dump_json(indent=2) + "\n")
        return 0
    print(f"{m.id}: {m.title}")
    print(f"  publisher   {m.publisher}")
    print(f"  edition     {m.edition} (revision {m.revision}), published {m.published}")
    print(f"  valid       {m.valid_from} .. {m.valid_to or 'open'}")
    print(f"  region      {m.region}; GWP {m.gwp or 'n/a (CO2 only)'}"
          + (f"; {m.currency} of {m.price_year}" if m.currency else ""))
    print(f"  source      {m.source.title}")
    print(f"              {m.source.url}")
    print(f"              {m.source.file} sha256 {m.source.sha256}")
    print(f"  licence     {m.licence}")
    print(f"  attribution {m.attribution}")
    print(f"  verified    {m.verified}; table sha256 {t.sha256}")
    for n in m.notes:
        print(f"  note        {n}")
    print(f"\n  {'factor':<44} {'value':>12}  unit")
    for f in m.factors:
        flag = "  (derived)" if f.derived else ""
        print(f"  {f.id:<44} {f.value:>12.6g}  {f.unit}{flag}")
    return 0


def _cmd_tables_diff(args: argparse.Namespace) -> int:
    from ._diff import render_diff
    from .tables import get_table

    if len(args.ids) != 2:
        raise CarbonFootprintError("usage: carbon-footprint tables diff A B")
    a, b = (get_table(i) for i in args.ids)
    print(render_diff(a, b, changed_only=not args.all, decimals=args.decimals))
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(activity_schema(), indent=2, ensure_ascii=False) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="carbon-footprint",
                                description="Carbon footprint of activities, in tCO2e and credits.")
    p.add_argument("--version", action="version", version=f"carbon-footprint {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("calculate", help="calculate a JSON or YAML list of activities")
    c.add_argument("file", help="input file, or - for standard input")
    c.add_argument("--json", action="store_true", help="print the full result as JSON")
    c.add_argument("--factors", nargs="+", metavar="ID",
                   help="table ids to use, in priority order (default: the pinned default set)")
    c.add_argument("--collect", action="store_true",
                   help="report invalid inputs as error lines instead of stopping at the first")
    c.set_defaults(fn=_cmd_calculate)
    t = sub.add_parser("tables", help="list the bundled factor tables; show one; diff two")
    t.add_argument("action", nargs="?", choices=["show", "diff"], help="show ID | diff A B")
    t.add_argument("ids", nargs="*", metavar="ID")
    t.add_argument("--json", action="store_true")
    t.add_argument("--all", action="store_true", help="diff: list unchanged factors too")
    t.add_argument("--decimals", type=int, default=5,
                   help="diff: compare values at this many decimal places (default 5)")
    t.set_defaults(fn=_cmd_tables)
    s = sub.add_parser("schema", help="print the JSON Schema of the activity vocabulary")
    s.set_defaults(fn=_cmd_schema)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.fn(args))
    except CarbonFootprintError as exc:
        print(f"carbon-footprint: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
