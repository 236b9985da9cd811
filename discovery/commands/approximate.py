"""``discover approximate TARGET --interval A,B``: evolve short arithmetic programs that approximate a function."""

NAME = "approximate"
HELP = "evolve straight-line programs approximating a function (error vs cost Pareto front, AutoNumerics-Zero style)"
DESCRIPTION = (
    "Evolve programs of + - * / (and fma with --fma) over x and fitted constants that approximate TARGET on the "
    "interval, minimising maximum relative error and cost together. TARGET is exp, exp2, log1p, tanh, erf, sin, "
    "cos, log_iv:V, log_kv:V (fixed order V) or an mpmath expression in x such as 'exp(-x)*cos(x)'. Prints the "
    "Pareto front as conjectures, each beside the best classical approximation (minimax, Chebyshev, Taylor, Pade) "
    "of equal cost."
)
ENGINES = ("approximate",)


def add_arguments(p) -> None:
    p.add_argument("target", metavar="TARGET", help="function name or mpmath expression in x")
    p.add_argument("--interval", required=True, metavar="A,B", help="approximation interval, e.g. 0,1")
    p.add_argument("--max-ops", type=int, default=10, help="largest program cost in operations (default 10)")
    p.add_argument("--dtype", choices=("float64", "float32"), default="float64",
                   help="float64: relative error over the reals; float32: evaluated in float32, error in ULPs")
    p.add_argument("--fma", action="store_true", help="allow fma and count an fma as one operation")
    p.add_argument("--cost", choices=("ops", "cycles"), default="ops", help="cost objective (default ops)")
    p.add_argument("--time-limit", type=float, default=60.0, metavar="S", help="wall-clock budget in seconds")
    p.add_argument("--islands", type=int, default=2, help="independent islands (Dask tasks), default 2")
    p.add_argument("--rounds", type=int, default=3, help="migration rounds (default 3)")
    p.add_argument("--population", type=int, default=40, help="NSGA-II population per island (default 40)")
    p.add_argument("--from-scratch", action="store_true",
                   help="start islands from c0 + c1*x only (no seed families)")


def prepare(args) -> dict:
    """Check the inputs and return the run parameters (JSON); bad input raises ``UserError``."""
    from discovery.errors import UserError
    from search.evolution.targets import parse_interval, resolve_target

    try:
        target = resolve_target(args.target).spec
        a, b = parse_interval(args.interval)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if args.max_ops < 1 or args.max_ops > 100:
        raise UserError(f"--max-ops must be between 1 and 100, got {args.max_ops}")
    if not args.time_limit > 0:
        raise UserError(f"--time-limit must be positive, got {args.time_limit}")
    for name in ("islands", "rounds", "population"):
        if getattr(args, name) < 1:
            raise UserError(f"--{name} must be at least 1, got {getattr(args, name)}")
    workers = 1 if args.no_cluster else (args.workers or 2)
    parallel = max(1, min(workers, args.islands))
    return {"target": target, "interval": [a, b], "max_ops": args.max_ops, "dtype": args.dtype, "fma": args.fma,
            "cost": args.cost, "time_limit": args.time_limit, "islands": args.islands, "rounds": args.rounds,
            "population": args.population, "seed_families": not args.from_scratch, "seed": args.seed,
            # islands share the workers: each island round gets its share of the budget
            "round_time": args.time_limit * parallel / (args.islands * args.rounds)}


def build_engine(engine_name: str, params: dict):
    from discovery.errors import UserError
    from search.evolution.engine import ApproximationEngine

    try:
        return ApproximationEngine(
            params["target"], tuple(params["interval"]), max_ops=params["max_ops"], dtype=params["dtype"],
            fma=params["fma"], cost=params["cost"], time_limit=params["time_limit"], islands=params["islands"],
            rounds=params["rounds"], population=params["population"], seed_families=params["seed_families"],
            seed=params["seed"], round_time=params["round_time"])
    except ValueError as exc:
        raise UserError(str(exc)) from None


def final_front(records: list, model: str) -> list:
    """The validated, non-dominated records by (cost under ``model``, error), cheapest first."""
    import math

    def err(r):
        m = r.get("meta") or {}
        return m["max_ulp"] if m.get("dtype") == "float32" and m.get("max_ulp") is not None else r["max_rel_error"]

    pool = [r for r in records if r.get("kind") == "approximation" and r.get("validated")
            and r.get("max_rel_error") is not None] or [r for r in records if r.get("max_rel_error") is not None]
    out, top = [], math.inf
    for r in sorted(pool, key=lambda r: (r["meta"]["ops"][model], err(r))):
        if err(r) < top:
            out.append(r)
            top = err(r)
    return out


def comparison_lines(records: list, model: str) -> list:
    """One line per front program beside its equal-cost baseline."""
    lines = [f"{'cost':>4} {'ops':>4} {'fma':>4} {'cyc':>4} {'max_rel_error':>13}  {'baseline (equal cost)':<22} "
             f"{'its error':>10} {'gain':>9}   (cost model: {model})"]
    for r in records:
        m = r["meta"]
        bl = m.get("baseline") or {}
        gain = m.get("gain_vs_baseline")
        ulp = f" ({m['max_ulp']:.2f} ulp)" if m.get("max_ulp") is not None else ""
        lines.append(f"{m['ops'][model]:>4} {m['ops']['ops']:>4} {m['ops']['fma']:>4} {m['ops']['cycles']:>4} "
                     f"{r['max_rel_error']:>13.3e}  {bl.get('name', '-'):<22} "
                     f"{bl.get('max_rel_error', float('nan')):>10.2e} {(f'{gain:.3g}x' if gain else '-'):>9}{ulp}")
    return lines


def run(args, ctx) -> int:
    params = prepare(args)
    engine = build_engine("approximate", params)
    result = ctx.run(engine, params, target=params["target"])
    model = engine.config.model
    front = final_front(result.records, model)
    ctx.emit(front)
    if not args.json:
        print("\n".join(comparison_lines(front, model)))
    ctx.log(f"run {result.run_id}: front of {len(front)} programs from {len(result.records)} candidates "
            f"({sum(r['validated'] for r in result.records)} validated) in {result.elapsed:.1f} s")
    return 0
