"""``discover list``: the conjectures in the store."""

NAME = "list"
HELP = "list stored conjectures (filter by run, engine, kind, validation)"
DESCRIPTION = HELP


def add_arguments(p) -> None:
    p.add_argument("--run", default=None, help="only conjectures found by this run")
    p.add_argument("--engine", default=None, help="only this engine's conjectures")
    p.add_argument("--kind", default=None, choices=("identity", "approximation", "model", "simplification"))
    p.add_argument("--validated-only", action="store_true", help="only validated conjectures")
    p.add_argument("--runs", action="store_true", help="list the runs instead of conjectures")


def run(args, ctx) -> int:
    store = ctx.open_existing_store()
    if args.runs:
        import json

        for r in store.runs():
            if args.json:
                print(json.dumps({k: r[k] for k in ("id", "engine", "target", "status", "started", "ended", "version")}))
            else:
                print(f"{r['id']}  {r['engine']:<11} {r['status']:<11} {r['target']}")
        return 0
    ctx.emit(store.query(run_id=args.run, engine=args.engine, validated_only=args.validated_only, kind=args.kind))
    return 0
