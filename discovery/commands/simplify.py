"""``discover simplify EXPR``: simplify an expression by equality saturation (e-graphs) and cost-driven extraction."""

NAME = "simplify"
HELP = "simplify an expression with an e-graph (equality saturation, cost-driven extraction)"
DESCRIPTION = (
    "Rewrite EXPR (SymPy syntax) with sound rule sets (arithmetic, powers, exp/log, trigonometric and hyperbolic "
    "identities) by equality saturation, then extract the cheapest equivalent form under the cost model: 'ops' "
    "(operation count) or 'cycles' (Symbolics.jl's CPU-cycles table). Prints one conjecture of kind "
    "simplification (lhs the input, rhs the result), validated at random points with mpmath; meta holds the costs "
    "and the saturation report. Unknown functions are kept as opaque symbols."
)
ENGINES = ("simplify",)


def add_arguments(p) -> None:
    p.add_argument("expr", metavar="EXPR", help="expression in SymPy syntax, e.g. 'sin(x)**2 + cos(x)**2'")
    p.add_argument("--cost", choices=("ops", "cycles", "precision", "nodes"), default="ops",
                   help="cost model: ops (default), cycles (Symbolics CPU cycles), precision, nodes")
    p.add_argument("--assume", choices=("real", "positive"), default="real",
                   help="domain of the variables (default real); 'positive' enables log/power rules")
    p.add_argument("--rules", default="all", help="rule sets: all, or a comma list of arith,powers,explog,trig,"
                   "hyperbolic,precision (default all)")
    p.add_argument("--iterations", type=int, default=30, help="iteration limit (default 30)")
    p.add_argument("--nodes", type=int, default=10_000, help="e-node limit (default 10000)")
    p.add_argument("--time-limit", type=float, default=5.0, metavar="S", help="saturation time limit (default 5 s)")
    p.add_argument("--ilp", action="store_true", help="exact DAG extraction by ILP (scipy.optimize.milp)")


def prepare(args) -> dict:
    """Check the inputs and return the run parameters (JSON); bad input raises ``UserError``."""
    from discovery.errors import UserError

    if not args.expr.strip():
        raise UserError("EXPR is empty")
    if args.iterations < 0:
        raise UserError(f"--iterations must be non-negative, got {args.iterations}")
    if args.nodes < 1:
        raise UserError(f"--nodes must be positive, got {args.nodes}")
    if not args.time_limit > 0:
        raise UserError(f"--time-limit must be positive, got {args.time_limit}")
    return {"expr": args.expr.strip(), "cost": args.cost, "assume": None if args.assume == "real" else args.assume,
            "rules": args.rules, "limits": {"iterations": args.iterations, "nodes": args.nodes,
                                            "time": args.time_limit},
            "extract": "ilp" if args.ilp else "greedy"}


def build_engine(engine_name: str, params: dict):
    from discovery.errors import UserError
    from search.egraph.engine import SimplifyEngine

    try:
        return SimplifyEngine(params["expr"], cost=params["cost"], assume=params["assume"], rules=params["rules"],
                              limits=params["limits"], extract=params["extract"])
    except ValueError as exc:
        raise UserError(str(exc).splitlines()[0]) from None


def run(args, ctx) -> int:
    params = prepare(args)
    engine = build_engine("simplify", params)
    result = ctx.run(engine, params, target=params["expr"])
    ctx.emit(result.records)
    for r in result.records:
        m = r.get("meta") or {}
        rep = m.get("report") or {}
        ctx.log(f"run {result.run_id}: {m.get('cost_model')} cost {m.get('cost_before')} -> {m.get('cost_after')}, "
                f"{rep.get('iterations')} iterations, {rep.get('nodes')} e-nodes, {rep.get('time', 0):.3f} s, "
                f"stopped: {rep.get('stop_reason')}")
    return 0
