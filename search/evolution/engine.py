"""AutoNumerics-Zero-style evolution of straight-line approximation programs (multi-objective: error vs cost).

**Programs** are expression-core DAGs over ``x`` and fittable constants with ``+ - * /`` (and ``fma`` with
``fma=True``).  **Objectives**: the maximum relative error on the interval (float64 mode; the real-number error of
the program with its float64 constants) or the maximum error in ULPs of the float32-evaluated program against the
correctly rounded float32 value (float32 mode), and the cost under the chosen model (``ops``, ``fma`` or
``cycles``; see :mod:`search.evolution.listing`).

**Search**: NSGA-II (non-dominated sorting, crowding distance, binary tournaments) per island, with a Pareto archive
(the best program at every cost).  Offspring come from one or two mutations (insert a vertex, delete a vertex,
rewire an edge, change an operation), each retried until the program's functional hash
(:func:`search.expr.functional_hash`, probes inside the interval, constants included) changes.  Every offspring's
constants are fitted for minimax relative error (:func:`search.evolution.fit.fit_minimax`: least squares, then
sequential LP on a 256-point Chebyshev grid); fits are cached by program structure.

**Islands** are Dask tasks (one per island and round).  ``followup`` runs on the client as each island finishes and
starts the island's next round from its own front plus migrants from the other islands' latest fronts.

**Front re-check**: every returned program is refitted on a 1024-point grid and measured on a finer 10,000-point
Chebyshev grid (double-double program evaluation against mpmath at 30 digits): that is its ``max_rel_error``.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import asdict, dataclass, field, fields

import numpy as np

from search.base import Candidate, Task, task_key
from search.evolution.baselines import Baseline, all_baselines, best_baseline
from search.evolution.fit import fit_minimax
from search.evolution.listing import (
    Listing, costs, eval_dd, eval_float, inline_expression, latex_align, to_c, to_python,
)
from search.evolution.programs import X, canonical, deserialize, encode_x, serialize, substitute, to_listing
from search.evolution.seeds import seed_programs
from search.evolution.targets import check_target, library_kernel, parse_interval, reference, resolve_target
from search.expr.hashing import functional_hash
from search.expr.terms import make, param, subterms

__all__ = ["SearchConfig", "Individual", "ApproximationEngine", "run_island", "finalize", "measure_listing",
           "pareto_front"]

TRAIN_POINTS = 256
FINAL_POINTS = 1024
VALIDATION_POINTS = 10_000
_BINARY = ("add", "sub", "mul", "div")


@dataclass(frozen=True)
class SearchConfig:
    """Everything that defines a search (JSON-serialisable; stored with the run)."""

    target: str
    interval: tuple
    max_ops: int = 10
    dtype: str = "float64"
    fma: bool = False
    cost: str = "ops"
    islands: int = 2
    rounds: int = 3
    population: int = 40
    offspring: int = 20
    generations: int = 10_000
    time_limit: float = 60.0
    seed_families: bool = True
    max_squarings: int = 4
    migrants: int = 4

    def __post_init__(self):
        resolve_target(self.target)
        object.__setattr__(self, "interval", tuple(parse_interval(self.interval)))
        if self.dtype not in ("float64", "float32"):
            raise ValueError(f"dtype must be float64 or float32, got {self.dtype!r}")
        if self.cost not in ("ops", "cycles"):
            raise ValueError(f"cost must be 'ops' or 'cycles', got {self.cost!r}")
        if not (isinstance(self.max_ops, int) and 1 <= self.max_ops <= 100):
            raise ValueError(f"max_ops must be an integer in 1..100, got {self.max_ops!r}")
        for name in ("islands", "rounds", "population", "offspring", "generations"):
            v = getattr(self, name)
            if not (isinstance(v, int) and v >= 1):
                raise ValueError(f"{name} must be a positive integer, got {v!r}")
        if not (self.time_limit > 0 and math.isfinite(self.time_limit)):
            raise ValueError(f"time_limit must be a positive number of seconds, got {self.time_limit!r}")

    @property
    def model(self) -> str:
        """The cost model of the search objective."""
        return "cycles" if self.cost == "cycles" else ("fma" if self.fma else "ops")

    @property
    def cap_model(self) -> str:
        """The model ``max_ops`` bounds: fma-contracted counts with ``fma``, plain operations otherwise."""
        return "fma" if self.fma else "ops"

    def ops_allowed(self) -> tuple:
        return _BINARY + (("fma",) if self.fma else ())


@dataclass
class Individual:
    expr: object
    params: np.ndarray
    err: float  # objective: max relative error (float64) or max ULPs (float32) on the training grid
    cost: int
    ops: dict
    fhash: int
    family: str = ""
    rank: int = 0
    crowd: float = 0.0


class _Context:
    """Per-process state of one configuration: grids with their references, caches."""

    def __init__(self, cfg: SearchConfig):
        self.cfg = cfg
        self.target = resolve_target(cfg.target)
        self.a, self.b = cfg.interval
        self.train = reference(self.target, cfg.interval, n=TRAIN_POINTS, dtype=cfg.dtype)
        self.ops = cfg.ops_allowed()

    def cost_of(self, lst: Listing) -> dict:
        return costs(lst, self.cfg.dtype)


_CONTEXTS: dict = {}


def _context(cfg: SearchConfig) -> _Context:
    key = tuple(sorted(asdict(cfg).items()))
    ctx = _CONTEXTS.get(key)
    if ctx is None:
        if len(_CONTEXTS) > 8:
            _CONTEXTS.clear()
        ctx = _CONTEXTS[key] = _Context(cfg)
    return ctx


# ------------------------------------------------------------------------------------------ scoring


def _ulp_objective(lst: Listing, ref) -> float:
    lst32 = _round_listing(lst, np.float32)
    y = eval_float(lst32, ref.x.astype(np.float32), np.float32)
    u = ref.ulp_error(y)
    return float(np.max(u)) if np.all(np.isfinite(u)) else float("inf")


def _round_listing(lst: Listing, dtype) -> Listing:
    def rnd(a):
        return ("k", float(dtype(a[1]))) if a[0] == "k" else a

    return Listing(tuple((op, tuple(rnd(a) for a in args)) for op, args in lst.instrs), rnd(lst.out))


#: Significant digits the functional hash keeps.  The core's default (9) is right for exact identities, but good
#: approximants of one target agree to 9 digits and would all collide: 14 digits separates programs whose values
#: differ by more than ~1e-14 relative, and float round-off (~1e-16) rarely straddles a rounding boundary.
HASH_DIGITS = 14


def _fhash(expr, params, ctx) -> int:
    return functional_hash(encode_x(expr), ["x"], domain=(ctx.a, ctx.b), params=params, digits=HASH_DIGITS)


def score(expr, params, ctx: _Context, family: str = "", *, cache: dict | None = None, ls_nfev: int = 30,
          lp_iters: int = 4):
    """Fit the constants of ``expr`` and return an :class:`Individual`, or ``None`` if it is over the cost cap,
    uses a disallowed operation, or is non-finite on the grid for every constant set tried.  ``cache`` maps program
    structures (hash-consed terms) to their fitted individual, so a structure met again is not refitted."""
    cache = {} if cache is None else cache
    expr, params = canonical(expr, params)
    try:
        lst = to_listing(expr, params)
    except ValueError:
        return None
    if any(op not in ctx.ops for op, _ in lst.instrs):
        return None
    c = ctx.cost_of(lst)
    if c[ctx.cfg.cap_model] > ctx.cfg.max_ops:
        return None
    if expr in cache:
        return cache[expr]
    ref = ctx.train
    res = fit_minimax(expr, params, ref.x, ref.hi, ref.lo, ls_nfev=ls_nfev, lp_iters=lp_iters)
    if not math.isfinite(res.max_rel_error):
        cache[expr] = None
        return None
    p = res.params
    lst = to_listing(expr, p)
    err = _ulp_objective(lst, ref) if ctx.cfg.dtype == "float32" else res.max_rel_error
    if not math.isfinite(err):
        cache[expr] = None
        return None
    ind = Individual(expr, p, err, c[ctx.cfg.model], c, _fhash(expr, p, ctx), family)
    cache[expr] = ind
    return ind


# ----------------------------------------------------------------------------------------- mutation


def _contains(nodes, u) -> dict:
    has = {}
    for t in nodes:
        has[id(t)] = t is u or any(has[id(c)] for c in t.args)
    return has


def _mutate_once(expr, params, rng, ops_allowed):
    nodes = subterms(expr)
    inner = [t for t in nodes if t.args]
    newp = [float(v) for v in params]

    def new_param(v):
        newp.append(float(v))
        return param(len(newp) - 1)

    kinds = ["insert", "delete", "rewire", "change"] if inner else ["insert"]
    weights = np.array([0.35, 0.2, 0.25, 0.2][: len(kinds)])
    kind = kinds[rng.choice(len(kinds), p=weights / weights.sum())]
    binary = [o for o in ops_allowed if o != "fma"]
    if kind == "insert":
        u = expr if rng.random() < 0.3 else nodes[rng.integers(len(nodes))]
        op = ops_allowed[rng.integers(len(ops_allowed))]
        has = _contains(nodes, u)
        r = rng.random()
        if r < 0.2:
            w = X
        elif r < 0.55:
            w = new_param(rng.normal(0, 0.1) if op in ("add", "sub") else 1.0 + rng.normal(0, 0.1))
        elif r < 0.72:
            w = u  # u*u, u+u, u/u ...: the way to powers and squarings
        else:
            pool = [t for t in nodes if not has[id(t)]] or [X]
            w = pool[rng.integers(len(pool))]
        if op == "fma":
            v = make("fma", u, w, new_param(rng.normal(0, 0.1)))
        elif op in ("sub", "div") and rng.random() < 0.5:
            v = make(op, w, u)
        else:
            v = make(op, u, w)
        return substitute(expr, {u: v}), newp, kind
    u = inner[rng.integers(len(inner))]
    if kind == "delete":
        child = u.args[rng.integers(len(u.args))]
        return substitute(expr, {u: child}), newp, kind
    if kind == "rewire":
        has = _contains(nodes, u)
        slot = int(rng.integers(len(u.args)))
        r = rng.random()
        if r < 0.25:
            w = X
        elif r < 0.5:
            w = new_param(rng.normal(0, 1))
        else:
            pool = [t for t in nodes if not has[id(t)] and t is not u.args[slot]] or [X]
            w = pool[rng.integers(len(pool))]
        args = list(u.args)
        args[slot] = w
        return substitute(expr, {u: make(u.op, *args)}), newp, kind
    # change the operation
    if u.op == "fma":
        a, b, c = u.args
        choice = rng.integers(3)
        v = make("mul", a, b) if choice == 0 else (make("add", a, c) if choice == 1 else make("add", make("mul", a, b), c))
    else:
        alts = [o for o in binary if o != u.op] + (["fma"] if "fma" in ops_allowed else [])
        op = alts[rng.integers(len(alts))]
        v = make("fma", u.args[0], u.args[1], new_param(rng.normal(0, 0.1))) if op == "fma" else make(op, *u.args)
    return substitute(expr, {u: v}), newp, kind


def mutate(ind: Individual, rng, ctx: _Context, max_tries: int = 30):
    """One or two mutations, each retried until the functional hash changes; ``None`` after ``max_tries``."""
    n_mut = 1 if rng.random() < 0.7 else 2
    expr, params = ind.expr, ind.params
    h = ind.fhash
    for _ in range(n_mut):
        for _ in range(max_tries):
            e2, p2, _kind = _mutate_once(expr, params, rng, ctx.ops)
            e2, p2 = canonical(e2, p2)
            try:
                c = ctx.cost_of(to_listing(e2, p2))
            except ValueError:
                continue
            if c[ctx.cfg.cap_model] > ctx.cfg.max_ops:
                continue
            h2 = _fhash(e2, p2, ctx)
            if h2 != h:
                expr, params, h = e2, p2, h2
                break
        else:
            return None
    return expr, params


# ------------------------------------------------------------------------------------------- NSGA-II


def _dominates(p: Individual, q: Individual) -> bool:
    return p.cost <= q.cost and p.err <= q.err and (p.cost < q.cost or p.err < q.err)


def _sort_fronts(pop: list) -> list[list]:
    n = len(pop)
    dominated = [[] for _ in range(n)]
    count = [0] * n
    fronts: list[list] = [[]]
    for i in range(n):
        for j in range(n):
            if i != j:
                if _dominates(pop[i], pop[j]):
                    dominated[i].append(j)
                elif _dominates(pop[j], pop[i]):
                    count[i] += 1
        if count[i] == 0:
            fronts[0].append(i)
    k = 0
    while fronts[k]:
        nxt = []
        for i in fronts[k]:
            for j in dominated[i]:
                count[j] -= 1
                if count[j] == 0:
                    nxt.append(j)
        k += 1
        fronts.append(nxt)
    return [[pop[i] for i in f] for f in fronts if f]


def _crowding(front: list) -> None:
    for ind in front:
        ind.crowd = 0.0
    if len(front) <= 2:
        for ind in front:
            ind.crowd = math.inf
        return
    for key in (lambda d: float(d.cost), lambda d: math.log10(max(d.err, 1e-300))):
        srt = sorted(front, key=key)
        lo, hi = key(srt[0]), key(srt[-1])
        srt[0].crowd = srt[-1].crowd = math.inf
        if hi == lo:
            continue
        for i in range(1, len(srt) - 1):
            srt[i].crowd += (key(srt[i + 1]) - key(srt[i - 1])) / (hi - lo)


def nsga_select(pop: list, n: int) -> list:
    out = []
    for rank, front in enumerate(_sort_fronts(pop)):
        _crowding(front)
        for ind in front:
            ind.rank = rank
        if len(out) + len(front) <= n:
            out.extend(front)
        else:
            out.extend(sorted(front, key=lambda d: -d.crowd)[: n - len(out)])
            break
    return out


def _tournament(pop, rng) -> Individual:
    a, b = pop[rng.integers(len(pop))], pop[rng.integers(len(pop))]
    return a if (a.rank, -a.crowd) <= (b.rank, -b.crowd) else b


def pareto_front(inds) -> list:
    """Non-dominated individuals (lowest error at each cost, strictly improving with cost), sorted by cost."""
    best: dict = {}
    for d in inds:
        if d.cost not in best or d.err < best[d.cost].err:
            best[d.cost] = d
    out, top = [], math.inf
    for c in sorted(best):
        if best[c].err < top:
            out.append(best[c])
            top = best[c].err
    return out


def _dedupe(pop):
    seen: dict = {}
    for d in pop:
        old = seen.get(d.fhash)
        if old is None or (d.cost, d.err) < (old.cost, old.err):
            seen[d.fhash] = d
    return list(seen.values())


def run_island(cfg: SearchConfig, seed: int, start=(), *, use_seeds: bool = True, time_budget: float | None = None,
               generations: int | None = None) -> tuple[list, dict]:
    """Evolve one island from the seed families (``use_seeds``) and/or ``start`` programs ``[(expr, params)]``.

    Returns the island's Pareto archive (best individual per cost) and statistics."""
    t0 = time.perf_counter()
    c0 = time.process_time()
    ctx = _context(cfg)
    rng = np.random.default_rng(seed)
    budget = cfg.time_limit if time_budget is None else time_budget
    gens = cfg.generations if generations is None else generations
    pop: list = []
    cache: dict = {}  # per island call: results never depend on what ran before in this process
    if use_seeds:
        ref = ctx.train
        for expr, params, fam in seed_programs(ref.x, ref.hi, cfg.interval, max_terms=min(cfg.max_ops, 8),
                                               families=cfg.seed_families, max_squarings=cfg.max_squarings):
            ind = score(expr, params, ctx, fam, cache=cache, ls_nfev=60, lp_iters=8)
            if ind is not None:
                pop.append(ind)
    for expr, params in start:
        ind = score(expr, params, ctx, "migrant", cache=cache, ls_nfev=60, lp_iters=8)
        if ind is not None:
            pop.append(ind)
    n_seeded = len(pop)
    pop = _dedupe(pop)
    archive = pareto_front(pop)
    pop = nsga_select(pop, cfg.population) if pop else pop
    stats = {"seeds": n_seeded, "generations": 0, "evaluated": 0, "hash_retries_failed": 0,
             "cache_hits": 0}
    g = 0
    while pop and g < gens and time.perf_counter() - t0 < budget:
        kids = []
        for _ in range(cfg.offspring):
            parent = _tournament(pop, rng)
            m = mutate(parent, rng, ctx)
            if m is None:
                stats["hash_retries_failed"] += 1
                continue
            expr, params = m
            cached = canonical(expr, params)[0] in cache
            ind = score(expr, params, ctx, f"{parent.family}+mut", cache=cache)
            stats["cache_hits" if cached else "evaluated"] += 1
            if ind is not None:
                kids.append(ind)
            if time.perf_counter() - t0 > budget:
                break
        pop = nsga_select(_dedupe(pop + kids), cfg.population)
        archive = pareto_front(archive + kids)
        g += 1
    stats["generations"] = g
    stats["seconds"] = round(time.perf_counter() - t0, 3)
    stats["cpu_seconds"] = round(time.process_time() - c0, 3)
    return archive, stats


# ---------------------------------------------------------------------------------------- finalisation


def measure_listing(lst: Listing, target, interval, dtype: str = "float64", n: int = VALIDATION_POINTS) -> dict:
    """Re-measure a program on the ``n``-point validation grid: ``max_rel_error`` (float64: real-number error of the
    program with its constants, double-double evaluation; float32: error of the float32-evaluated program) and, in
    float32 mode, ``max_ulp`` against the correctly rounded float32 value."""
    ref = reference(target, interval, n=n, dps=30, dtype=dtype)
    with np.errstate(all="ignore"):
        if dtype == "float32":
            y = eval_float(lst, ref.x.astype(np.float32), np.float32).astype(np.float64)
            rel = np.abs(((y - ref.hi) - ref.lo) / ref.hi)
            ulp = ref.ulp_error(y)
            ok = np.all(np.isfinite(rel))
            return {"max_rel_error": float(rel.max()) if ok else math.inf,
                    "max_ulp": float(ulp.max()) if ok else math.inf}
        hi, lo = eval_dd(lst, ref.x)
        rel = np.abs(((hi - ref.hi) + (lo - ref.lo)) / ref.hi)
    return {"max_rel_error": float(rel.max()) if np.all(np.isfinite(rel)) else math.inf}


def finalize(ind: Individual, cfg: SearchConfig) -> dict:
    """Refit on the 1024-point grid, round constants to the dtype, and re-measure on the validation grid."""
    ref = reference(cfg.target, cfg.interval, n=FINAL_POINTS, dtype=cfg.dtype)
    # already fitted on the 256-point grid: a few LP steps and the exchange settle it on the finer grid
    res = fit_minimax(ind.expr, ind.params, ref.x, ref.hi, ref.lo, ls_nfev=0, lp_iters=8, exchange_iters=10)
    p = res.params if res.max_rel_error <= _train_err_real(ind, ref) else ind.params
    lst = to_listing(ind.expr, p)
    if cfg.dtype == "float32":
        lst = _round_listing(lst, np.float32)
    m = measure_listing(lst, cfg.target, cfg.interval, cfg.dtype)
    return {"listing": lst, "params": p, **m, "ops": costs(lst, cfg.dtype)}


def _train_err_real(ind, ref) -> float:
    from search.evolution.fit import max_rel_error

    return max_rel_error(ind.expr, ind.params, ref.x, ref.hi, ref.lo)


def _baseline_errors32(bls: list, cfg: SearchConfig) -> list:
    out = []
    for bl in bls:
        lst = _round_listing(bl.listing, np.float32)
        m = measure_listing(lst, cfg.target, cfg.interval, "float32")
        out.append(Baseline(bl.name, bl.family, lst, m["max_rel_error"], dict(bl.ops), m["max_ulp"]))
    return out


# ----------------------------------------------------------------------------------------------- engine


@dataclass
class ApproximationEngine:
    """The ``approximate`` engine (see the module docstring).  Build it from a :class:`SearchConfig`'s fields."""

    target: str
    interval: tuple
    max_ops: int = 10
    dtype: str = "float64"
    fma: bool = False
    cost: str = "ops"
    islands: int = 2
    rounds: int = 3
    population: int = 40
    offspring: int = 20
    generations: int = 10_000
    time_limit: float = 60.0
    seed_families: bool = True
    max_squarings: int = 4
    migrants: int = 4
    seed: int = 0
    round_time: float | None = None
    name: str = field(default="approximate", init=False)

    def __post_init__(self):
        # by name, not position: the engine's fields are SearchConfig's plus seed/round_time
        self.config = SearchConfig(**{f.name: getattr(self, f.name) for f in fields(SearchConfig)})
        self.interval = self.config.interval
        self.target_ = resolve_target(self.target)
        check_target(self.target_, *self.interval)
        bls = all_baselines(self.target_, self.interval, max_ops=max(self.max_ops, 2), dtype=self.dtype)
        if self.dtype == "float32":
            bls = _baseline_errors32(bls, self.config)
        self.baselines_ = bls
        self.library_ = _library_meta(self.target_, self.interval, self.dtype)
        self._latest: dict = {}

    # -- contract --------------------------------------------------------------------------------------------
    def _payload(self, island: int, rnd: int, programs: list) -> dict:
        return {"island": island, "round": rnd, "programs": programs, "config": _config_json(self.config)}

    def _seed(self, key: str) -> int:
        return int.from_bytes(hashlib.sha256(f"{self.seed}:{key}".encode()).digest()[:4], "little")

    def tasks(self) -> list[Task]:
        out = []
        for i in range(self.islands):
            payload = self._payload(i, 0, [])
            key = task_key(self.name, payload)
            out.append(Task(key, self.name, payload, self._seed(key)))
        return out

    def _round_budget(self) -> float:
        """Seconds per island per round: ``round_time`` if given, else ``time_limit / rounds`` (islands in parallel)."""
        return self.round_time if self.round_time is not None else self.time_limit / self.rounds

    def run_task(self, task: Task) -> list[Candidate]:
        cfg = self.config
        start = [deserialize(s) for s in task.payload.get("programs", [])]
        archive, stats = run_island(cfg, task.seed, start, use_seeds=task.payload["round"] == 0,
                                    time_budget=self._round_budget())
        return self._candidates(archive, stats, task.payload)

    def followup(self, task: Task, candidates: list) -> list[Task]:
        island, rnd = task.payload["island"], task.payload["round"]
        own = [c.meta["genome"] for c in candidates]
        self._latest[island] = [(c.max_rel_error, c.meta["genome"]) for c in candidates]
        if rnd + 1 >= self.rounds:
            return []
        others = sorted((e, g) for j, lst in self._latest.items() if j != island for e, g in lst)
        rng = np.random.default_rng(self._seed(task.key))
        mig = [g for _, g in others]
        if len(mig) > self.migrants:
            idx = sorted(rng.choice(len(mig), self.migrants, replace=False))
            mig = [mig[i] for i in idx]
        payload = self._payload(island, rnd + 1, own + [g for g in mig if g not in own])
        key = task_key(self.name, payload)
        return [Task(key, self.name, payload, self._seed(key))]

    # -- candidates ------------------------------------------------------------------------------------------
    def _candidates(self, archive: list, stats: dict, payload: dict) -> list[Candidate]:
        cfg = self.config
        done = []
        c0 = time.process_time()
        for ind in archive:
            fin = finalize(ind, cfg)
            done.append((ind, fin))
        stats = {**stats, "finalize_cpu_seconds": round(time.process_time() - c0, 3)}
        # keep the programs that are still non-dominated after the re-check on the validation grid
        key = "max_ulp" if cfg.dtype == "float32" else "max_rel_error"
        best, top = [], math.inf
        for ind, fin in sorted(done, key=lambda t: (t[1]["ops"][cfg.model], t[1][key])):
            if fin[key] < top:
                best.append((ind, fin))
                top = fin[key]
        return [self.candidate(ind, fin, stats, payload) for ind, fin in best]

    def candidate(self, ind: Individual, fin: dict, stats: dict, payload: dict) -> Candidate:
        cfg = self.config
        lst = fin["listing"]
        ops = fin["ops"]
        bl = best_baseline(self.baselines_, ops[cfg.model], cfg.model)
        src = to_python(lst)
        a, b = cfg.interval
        meta = {
            "program": src,
            "c_source": to_c(lst, dtype=cfg.dtype),
            "program_latex": latex_align(lst),
            "ops": ops,
            "cost_model": cfg.model,
            "interval": [a, b],
            "dtype": cfg.dtype,
            "fma": cfg.fma,
            "family": ind.family,
            "train_error": ind.err,
            "island": payload["island"],
            "round": payload["round"],
            "search": stats,
            "genome": serialize(ind.expr, fin["params"]),
            "baseline": _baseline_meta(bl, cfg),
        }
        if cfg.dtype == "float32":
            meta["max_ulp"] = fin["max_ulp"]
        if self.library_ is not None:
            meta["library"] = self.library_
        if bl is not None and fin["max_rel_error"] > 0:
            meta["gain_vs_baseline"] = bl.max_rel_error / fin["max_rel_error"]
        digest = hashlib.sha256(src.encode()).hexdigest()[:16]
        out = "x" if lst.out[0] == "x" else (f"v_{{{lst.out[1]}}}" if lst.out[0] == "v" else repr(lst.out[1]))
        return Candidate(
            engine=self.name,
            target=self.target_.spec,
            kind="approximation",
            lhs=self.target_.lhs,
            rhs=inline_expression(lst),
            # the statement names the program's result; the program itself is meta["program_latex"]
            latex=f"{_lhs_latex(self.target_.lhs)} \\approx {out}",
            complexity=ops[cfg.cap_model],
            max_rel_error=fin["max_rel_error"],
            meta=meta,
            check={"type": "program", "target": self.target_.spec, "interval": [a, b], "dtype": cfg.dtype,
                   "claimed": fin["max_rel_error"]},
            canonical=f"approximate|{self.target_.spec}|{a!r},{b!r}|{cfg.dtype}|{digest}",
        )


def _lhs_latex(lhs: str) -> str:
    try:
        import sympy  # at the boundary only: one call per emitted candidate

        return sympy.latex(sympy.sympify(lhs))
    except Exception:  # noqa: BLE001 - a target SymPy cannot parse is shown verbatim
        return "\\mathrm{" + lhs.replace("_", "\\_") + "}"


def _library_meta(target, interval, dtype) -> dict | None:
    """Our own kernel for the target (``numerics.log_iv``/``log_kv``), measured like a program: its float64 error
    on the validation grid, to put an evolved approximation in context."""
    lib = library_kernel(target)
    if lib is None:
        return None
    name, fn = lib
    ref = reference(target, interval, n=VALIDATION_POINTS, dps=30, dtype=dtype)
    with np.errstate(all="ignore"):
        y = np.asarray(fn(ref.x), dtype=np.float64)
        rel = np.abs(((y - ref.hi) - ref.lo) / ref.hi)
    return {"name": name, "max_rel_error": float(rel.max()) if np.all(np.isfinite(rel)) else math.inf}


def _baseline_meta(bl, cfg) -> dict | None:
    if bl is None:
        return None
    return bl.as_meta()


def _config_json(cfg: SearchConfig) -> dict:
    d = asdict(cfg)
    d["interval"] = list(d["interval"])
    return d
