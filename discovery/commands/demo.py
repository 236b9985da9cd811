"""``discover demo``: a small real search with every engine, then ``discoveries.tex`` and a summary table."""

NAME = "demo"
HELP = "run a small real search with every engine, write discoveries.tex, print a summary"
DESCRIPTION = (
    "The main job on embedded defaults: each engine's demo step runs on one shared embedded Dask LocalCluster "
    "(or in-process with --no-cluster); results are validated and stored, exported to LaTeX, and summarised."
)


def add_arguments(p) -> None:
    p.add_argument("--output", "-o", default="discoveries.tex", help="LaTeX file to write (default discoveries.tex)")
    p.add_argument("--only", default=None, help="comma list of demo steps to run (default: all)")


def demo_steps() -> list:
    import importlib
    import pkgutil

    import discovery.demos as pkg

    steps = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if not info.name.startswith("_"):
            mod = importlib.import_module(f"discovery.demos.{info.name}")
            steps.append((getattr(mod, "ORDER", 100), info.name, mod))
    return [(name, mod) for _, name, mod in sorted(steps, key=lambda s: (s[0], s[1]))]


def run(args, ctx) -> int:
    import time

    from discovery.commands.export import render, write_atomic
    from discovery.errors import UserError
    from discovery.runner import connect

    steps = demo_steps()
    if args.only:
        wanted = [s.strip() for s in args.only.split(",") if s.strip()]
        unknown = sorted(set(wanted) - {name for name, _ in steps})
        if unknown:
            raise UserError(f"unknown demo step(s) {', '.join(unknown)}; available: {', '.join(n for n, _ in steps)}")
        steps = [(n, m) for n, m in steps if n in wanted]
    cluster = None
    if not args.no_cluster:
        ctx.log("starting an embedded Dask LocalCluster ...")
        ctx.client, cluster = connect(ctx.options)
    summary, all_records = [], []
    try:
        for name, mod in steps:
            ctx.log(f"\n== {getattr(mod, 'TITLE', name)}")
            t0 = time.monotonic()
            records = mod.run(ctx) or []
            elapsed = time.monotonic() - t0
            all_records.extend(records)
            ctx.emit(records)
            summary.append((name, len(records), sum(1 for r in records if r.get("validated")), elapsed))
    finally:
        if ctx.client is not None:
            ctx.client.close()
            ctx.client = None
        if cluster is not None:
            cluster.close()
    seen, unique = set(), []
    for r in all_records:
        if r["id"] not in seen:
            seen.add(r["id"])
            unique.append(r)
    write_atomic(args.output, render(unique, "latex", "discover demo: conjectures"))
    print("\nsummary")
    print(f"{'step':<14} {'conjectures':>11} {'validated':>9} {'seconds':>8}")
    for name, n, nv, el in summary:
        print(f"{name:<14} {n:>11} {nv:>9} {el:>8.1f}")
    print(f"wrote {args.output} ({len(unique)} conjectures); store: {args.store}")
    return 0
