"""``discover regress DATA.csv --target COLUMN``: find formulas behind data (symbolic regression by MCTS)."""

NAME = "regress"
HELP = "symbolic regression: find a formula for one CSV column in terms of the others (RSRM-style MCTS)"
DESCRIPTION = (
    "Search for formulas TARGET = f(other columns) by Monte-Carlo tree search with double Q-learning, form "
    "discovery and GP refinement; constants are fitted and snapped to simple rationals, pi or e. Runs "
    "--searches independent searches (Dask tasks, or in-process with --no-cluster) and a second round seeded with "
    "their merged hall of fame; each finished task's Pareto front is stored at once (a killed run keeps it). "
    "Prints the overall Pareto front as kind=model conjectures, best model first, each re-evaluated on the data "
    "with mpmath (max_rel_error)."
)
ENGINES = ("regress",)


def add_arguments(p) -> None:
    p.add_argument("data", metavar="DATA.csv", help="CSV file with a header row; every column numeric")
    p.add_argument("--target", required=True, metavar="COLUMN", help="the column to explain")
    p.add_argument("--features", default=None, metavar="COLS",
                   help="comma list of columns to use as variables (default: all other columns)")
    p.add_argument("--operators", default="+,-,*,/,sin,cos,exp,log", metavar="OPS",
                   help="comma list from + - * / sin cos exp log sqrt tanh neg abs (default +,-,*,/,sin,cos,exp,log)")
    p.add_argument("--time-limit", type=float, default=30.0, metavar="S",
                   help="wall-clock limit per search task in seconds (default 30)")
    p.add_argument("--max-complexity", type=int, default=30, metavar="K",
                   help="largest node count of a reported model (default 30)")
    p.add_argument("--max-evals", type=int, default=20000, metavar="N",
                   help="candidate evaluations per search task: the deterministic budget (default 20000)")
    p.add_argument("--searches", type=int, default=2, metavar="N", help="independent searches (default 2)")
    p.add_argument("--rounds", type=int, choices=(1, 2), default=2,
                   help="2 (default) adds a round seeded with the shared hall of fame")
    p.add_argument("--noise", type=float, default=None, metavar="SIGMA",
                   help="noise level of the target: stop early when the RMSE reaches it")
    p.add_argument("--no-constants", action="store_true", help="no fitted constants inside expressions")


def _ops(text: str) -> list:
    return [o for o in text.replace(",", " ").split() if o]


def prepare(args) -> dict:
    """Check the inputs; return the run parameters (JSON).  Bad input raises ``UserError``."""
    import hashlib
    import os

    from discovery.errors import UserError

    path = os.path.abspath(args.data)
    if not os.path.isfile(path):
        raise UserError(f"no such data file: {args.data}")
    with open(path, "rb") as fh:
        sha = hashlib.sha256(fh.read()).hexdigest()
    if not args.time_limit > 0:
        raise UserError(f"--time-limit must be positive, got {args.time_limit}")
    if args.max_complexity < 1:
        raise UserError(f"--max-complexity must be at least 1, got {args.max_complexity}")
    if args.max_evals < 1:
        raise UserError(f"--max-evals must be at least 1, got {args.max_evals}")
    if args.searches < 1:
        raise UserError(f"--searches must be at least 1, got {args.searches}")
    if args.noise is not None and not args.noise >= 0:
        raise UserError(f"--noise must be non-negative, got {args.noise}")
    feats = None if args.features is None else [c.strip() for c in args.features.split(",") if c.strip()]
    return {"data": path, "sha256": sha, "target": args.target, "features": feats, "operators": _ops(args.operators),
            "time_limit": args.time_limit, "max_complexity": args.max_complexity, "max_evals": args.max_evals,
            "searches": args.searches, "rounds": args.rounds, "noise": args.noise,
            "constants": not args.no_constants}


def read_csv(path: str, target: str, features=None, sha: str | None = None):
    """(X, y, feature names) from a CSV with a header; every bad cell or name is a one-line ``UserError``."""
    import numpy as np

    from discovery.errors import UserError
    from discovery.validators.model import load_columns, _read

    try:
        header, body = _read(path, sha)
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from None
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if len(set(header)) != len(header):
        raise UserError(f"{path}: duplicate column names in the header")
    if target not in header:
        raise UserError(f"--target {target!r} is not a column of {path} (columns: {', '.join(header)})")
    feats = [h for h in header if h != target] if features is None else list(features)
    for f in feats:
        if f not in header:
            raise UserError(f"--features: {f!r} is not a column of {path}")
        if f == target:
            raise UserError(f"--features: the target {target!r} cannot also be a variable")
        if not f.isidentifier():
            raise UserError(f"column name {f!r} is not an identifier (use letters, digits and underscores)")
    if not feats:
        raise UserError(f"{path} has no columns besides the target")
    if any(len(r) != len(header) for r in body):
        bad = next(i for i, r in enumerate(body) if len(r) != len(header))
        raise UserError(f"{path}: row {bad + 2} has {len(body[bad])} fields, the header has {len(header)}")
    cols = load_columns(path, feats + [target], sha)
    try:
        arr = np.asarray([[float(v) for v in c] for c in cols], dtype=np.float64)
    except ValueError as exc:
        raise UserError(f"{path}: non-numeric value ({str(exc).split(': ', 1)[-1]})") from None
    return arr[:-1].T.copy(), arr[-1].copy(), feats


def build_engine(engine_name: str, params: dict):
    from discovery.errors import UserError
    from search.regression import RegressionEngine, SearchConfig

    X, y, names = read_csv(params["data"], params["target"], params.get("features"), params.get("sha256"))
    try:
        cfg = SearchConfig(operators=tuple(params["operators"]), constants=params["constants"],
                           max_evals=params["max_evals"], time_limit=params["time_limit"], noise=params["noise"],
                           max_complexity=params["max_complexity"])
        check = {"type": "model", "path": params["data"], "sha256": params["sha256"], "target": params["target"],
                 "variables": names}
        return RegressionEngine(X, y, names=names, target=params["target"], config=cfg,
                                n_searches=params["searches"], rounds=params["rounds"], check=check)
    except ValueError as exc:
        raise UserError(str(exc).splitlines()[0]) from None


def front_best_first(records: list) -> list:
    """The overall Pareto front of stored model records, best model first (rule: search.regression.models)."""
    import math

    best = {}
    for r in records:
        if r.get("kind") != "model" or r.get("complexity") is None:
            continue
        loss = (r.get("meta") or {}).get("loss")
        if loss is None or not math.isfinite(loss):
            continue
        b = best.get(r["complexity"])
        if b is None or loss < b[0] or (loss == b[0] and r["rhs"] < b[1]["rhs"]):
            best[r["complexity"]] = (loss, r)
    if not best:
        return []
    floor = max([(r.get("meta") or {}).get("loss_floor") or 0.0 for _, r in best.values()] + [1e-300])
    front = []
    for cx in sorted(best):
        loss, r = best[cx]
        if not front or max(loss, floor) < max(front[-1][0], floor):
            front.append((loss, r))
    scores = [0.0] + [-(math.log(max(front[i][0], floor)) - math.log(max(front[i - 1][0], floor)))
                      / (front[i][1]["complexity"] - front[i - 1][1]["complexity"]) for i in range(1, len(front))]
    lmin = min(max(loss, floor) for loss, _ in front)
    ok = [i for i, (loss, _) in enumerate(front) if max(loss, floor) <= 1.5 * lmin]
    b = max(ok, key=lambda i: (scores[i], -i))
    order = [b] + [i for i in range(len(front)) if i != b]
    return [front[i][1] for i in order]


def run(args, ctx) -> int:
    params = prepare(args)
    engine = build_engine("regress", params)
    result = ctx.run(engine, params, target=f"{params['target']} ({params['data']})")
    front = front_best_first(result.records)
    ctx.emit(front)
    if front:
        b = front[0]
        ctx.log(f"run {result.run_id}: {len(front)} models on the Pareto front; best: {b['lhs']} = {b['rhs']} "
                f"(complexity {b['complexity']}, max_rel_error {b['max_rel_error']:.3g})")
    return 0
