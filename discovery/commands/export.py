"""``discover export``: write conjectures as LaTeX, JSON lines or CSV."""

NAME = "export"
HELP = "export conjectures as a LaTeX document, JSON lines or CSV"
DESCRIPTION = HELP


def add_arguments(p) -> None:
    p.add_argument("--format", choices=("latex", "json", "csv"), default="latex", help="output format (default latex)")
    p.add_argument("-o", "--output", default=None, help="output file (default: stdout)")
    p.add_argument("--run", default=None, help="only conjectures found by this run")
    p.add_argument("--engine", default=None, help="only this engine's conjectures")
    p.add_argument("--validated-only", action="store_true", help="only validated conjectures")
    p.add_argument("--title", default="Conjectures from discovery-workbench", help="LaTeX document title")


def render(records: list[dict], fmt: str, title: str = "Conjectures") -> str:
    import csv
    import io
    import json

    from discovery.latex import document
    from discovery.output import record_json

    if fmt == "latex":
        return document(records, title=title)
    if fmt == "json":
        return "".join(json.dumps(record_json(r), default=str) + "\n" for r in records)
    buf = io.StringIO()
    writer = csv.writer(buf)
    fields = list(record_json(records[0]).keys()) if records else []
    writer.writerow(fields or ["id"])
    for r in records:
        row = record_json(r)
        row["meta"] = json.dumps(row["meta"], default=str)
        writer.writerow([row[k] for k in fields])
    return buf.getvalue()


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename, so a crash never leaves half a file."""
    import os
    import tempfile
    from pathlib import Path

    from discovery.errors import UserError

    target = Path(path)
    if not target.parent.exists():
        raise UserError(f"output directory does not exist: {target.parent}")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def run(args, ctx) -> int:
    import sys

    store = ctx.open_existing_store()
    records = store.query(run_id=args.run, engine=args.engine, validated_only=args.validated_only)
    text = render(records, args.format, args.title)
    if args.output:
        write_atomic(args.output, text)
        ctx.log(f"wrote {len(records)} conjectures to {args.output}")
    else:
        sys.stdout.write(text)
    return 0
