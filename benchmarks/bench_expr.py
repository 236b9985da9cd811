"""The shared expression core (``search.expr``) against its anchors.

1. Batch scoring: 1000 random expressions of 10-40 nodes, 1000 rows each, against ``sympy.lambdify`` including
   lambdify's own set-up (what a search pays per candidate).  Target: >= 30x.  The encode-included paths run on
   brand-new terms (fresh objects every timed run, see :func:`fresh_copies`), as a search meets them.
2. Throughput: one expression on 10**6 rows, against NumPy through lambdify (evaluation only).  Target: within 2x.
3. Functional hashing cost per candidate (target < 20 us), against a plain-Python hasher.
4. Hash quality: miss rate (equivalent rewritings that hash apart) and collision rate (different functions that
   hash together, and 1e-7 perturbations that hash together) for several probe counts and digit counts.

Times are thread CPU time (medians) unless a row says otherwise: the 2-core machine is shared with other jobs,
and wall clock then mostly measures who else was running.

Run: ``python benchmarks/bench_expr.py [--quick]``.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import sympy as sp  # noqa: E402

from benchmarks._common import machine_line, median_time  # noqa: E402
import search.expr as E  # noqa: E402
from search.expr.evaluate import _flat_batch  # noqa: E402
from search.expr._numpy_exec import SIMD_OPS  # noqa: E402

V = ["x", "y"]
SYMS = sp.symbols("x y")


_FRESH = [0]


def fresh_copies(terms):
    """Brand-new terms with the same structure: every variable renamed to a name never used before in this
    process (``x -> x__17``), so every node above a variable is a new object that no encoder or hash has seen.
    Returns ``(copies, variables, seconds of CPU time spent building them)``.  Building is the search's own
    work (a mutation builds its term), uncharged like the SymPy objects handed to lambdify, but reported."""
    _FRESH[0] += 1
    names = {v: f"{v}__{_FRESH[0]}" for v in V}
    memo: dict = {}

    def rebuild(t):
        hit = memo.get(id(t))
        if hit is not None:
            return hit
        if not t.args:
            out = E.var(names[t.value]) if t.op == "var" else t
        else:
            out = E.make(t.op, *[rebuild(c) for c in t.args], value=t.value if t.op == "powi" else None)
        memo[id(t)] = out
        return out

    t0 = time.thread_time()
    copies = [rebuild(t) for t in terms]
    return copies, [names[v] for v in V], time.thread_time() - t0


def cpu_time(fn, clock=time.thread_time) -> float:
    t0 = clock()
    fn()
    return clock() - t0


def median_cpu(fn, repeat: int, clock=time.thread_time) -> float:
    """Median CPU time of ``fn()`` (thread CPU time by default: the 2-core machine is shared, and CPU time is
    what a candidate costs whoever else is running)."""
    return statistics.median(cpu_time(fn, clock) for _ in range(repeat))


def corpus(n: int, seed: int = 0, lo: int = 10, hi: int = 40):
    rng = np.random.default_rng(seed)
    return [E.random_expr(rng, int(rng.integers(lo, hi + 1)), V) for _ in range(n)]


def _lambdify_eval(s, X):
    f = sp.lambdify(SYMS, s, "numpy")
    return np.broadcast_to(np.asarray(f(X[:, 0], X[:, 1]), dtype=float), (X.shape[0],))


# ------------------------------------------------------------------------------------------------ 1. batch
def bench_batch(n_expr: int, n_rows: int, repeat: int, n_chunks: int = 10):
    """Each path runs on the same chunk of terms right after the anchor, chunk after chunk, so that the
    machine's load (2 cores shared with other jobs) hits both alike; the ratio is the median over chunks.
    Times are thread CPU time (wall clock for the parallel path), medians over ``repeat`` runs.
    The encode-included paths run on brand-new terms every repeat (:func:`fresh_copies`): nothing about them
    is cached beforehand except what building a term computes (its flat postfix code)."""
    terms = corpus(n_expr)
    sizes = [t.size for t in terms]
    syms = [E.to_sympy(t) for t in terms]  # SymPy objects built beforehand: not charged to lambdify
    X = np.random.default_rng(1).uniform(0.1, 3.0, (n_rows, 2))
    E.evaluate_batch(terms[:3], X, variables=V)  # warm up (Numba cache load)
    E.compile(terms[0], V)(X)
    E.evaluate_batch(E.pack([E.encode(t, V) for t in terms[:3]]), X, parallel=True)
    chunks = np.array_split(np.arange(n_expr), n_chunks)
    keys = ["t_lam", "t_terms", "t_noshare", "t_progs", "t_batch", "t_par", "t_single"]
    per = {k: [] for k in keys}
    wall = {"t_lam": [], "t_terms": []}
    build = []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _lambdify_eval(syms[0], X)
        for idx in chunks:
            ts = [terms[i] for i in idx]
            ss = [syms[i] for i in idx]

            def run_lambdify():
                for s in ss:
                    try:
                        _lambdify_eval(s, X)
                    except Exception:  # noqa: BLE001 - lambdify cannot print zoo, complex results etc.
                        pass

            progs = [E.encode(t, V) for t in ts]
            batch = E.pack(progs)
            # brand-new terms for every timed run of the encode-included paths
            fresh = [fresh_copies(ts) for _ in range(3 * repeat)]
            build.extend(f[2] / len(ts) for f in fresh)
            new_batches = iter(fresh[:repeat])
            new_singles = iter(fresh[repeat:2 * repeat])
            new_noshare = iter(fresh[2 * repeat:])

            def new_terms():
                copies, names, _ = next(new_batches)
                return cpu_time(lambda: E.evaluate_batch(copies, X, variables=names))

            def new_terms_no_sharing():  # the same, packed without batch-wide sharing of repeated subterms
                copies, names, _ = next(new_noshare)
                return cpu_time(lambda: E.evaluate_batch(_flat_batch(copies, tuple(names), shared=False), X))

            def one_by_one():
                copies, names, _ = next(new_singles)
                return cpu_time(lambda: [E.compile(t, names)(X) for t in copies])

            per["t_lam"].append(median_cpu(run_lambdify, max(1, repeat // 2)))
            per["t_terms"].append(statistics.median(new_terms() for _ in range(repeat)))
            per["t_noshare"].append(statistics.median(new_terms_no_sharing() for _ in range(repeat)))
            per["t_progs"].append(median_cpu(lambda: E.evaluate_batch(progs, X), repeat))
            per["t_batch"].append(median_cpu(lambda: E.evaluate_batch(batch, X), repeat))
            # wall clock: the threads' CPU time includes their spinning, and the point of it is the wall time
            per["t_par"].append(median_time(lambda: E.evaluate_batch(batch, X, parallel=True), repeat=repeat))
            per["t_single"].append(statistics.median(one_by_one() for _ in range(repeat)))
            # wall-clock ratio of the main path, for reference (distorted by the machine's load)
            wall["t_lam"].append(median_time(run_lambdify, repeat=max(1, repeat // 2)))
            wall_new = iter([fresh_copies(ts) for _ in range(repeat)])

            def new_terms_wall():
                copies, names, _ = next(wall_new)
                t0 = time.perf_counter()
                E.evaluate_batch(copies, X, variables=names)
                return time.perf_counter() - t0

            wall["t_terms"].append(statistics.median(new_terms_wall() for _ in range(repeat)))
    lam = np.array(per["t_lam"])
    res = {k: float(np.sum(per[k])) for k in keys}
    res.update({k + "_ratio": float(np.median(lam / np.array(per[k]))) for k in keys})
    res.update({k + "_ratio_min": float(np.min(lam / np.array(per[k]))) for k in keys})
    res["wall_ratio"] = float(np.median(np.array(wall["t_lam"]) / np.array(wall["t_terms"])))
    res["build"] = float(np.median(build))
    # how much batch-wide sharing saves: operator instructions run per chunk, shared vs programs one by one
    def n_ops(b):
        return int(np.sum(b.ops >= 6))  # ADD and up: operators (not NOP, VAR, CONST, PARAM, LOAD, STORE)

    res["ops_shared"] = sum(n_ops(_flat_batch([terms[i] for i in idx], tuple(V), shared=True)) for idx in chunks)
    res["ops_single"] = sum(n_ops(_flat_batch([terms[i] for i in idx], tuple(V), shared=False)) for idx in chunks)
    # agreement with lambdify on the same operations: the interpreter runs from_sympy(s), which has SymPy's
    # structure (to_sympy lets SymPy fold constants, cancel x - x, turn sin(asin(x)) into x, ...); terms whose SymPy
    # form has non-real constants (complex intermediates) are skipped
    agree = tot = 0
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for s in syms[: min(300, n_expr)]:
            if any(a.is_number and a.is_extended_real is False for a in sp.preorder_traversal(s)) or s.has(sp.nan):
                continue
            try:
                ref = _lambdify_eval(s, X)
                got = E.compile(E.from_sympy(s), V)(X)
            except Exception:  # noqa: BLE001 - lambdify cannot print some SymPy forms; im() has no term
                continue
            fin = np.isfinite(ref) & np.isfinite(got)
            ok = np.isclose(got[fin], ref[fin], rtol=1e-8, atol=1e-12).all() and \
                np.array_equal(np.isfinite(ref), np.isfinite(got))
            agree += bool(ok)
            tot += 1
    res.update(n_expr=n_expr, n_rows=n_rows, mean_size=statistics.mean(sizes), agree=agree, tot=tot,
               n_chunks=n_chunks)
    return res


# ------------------------------------------------------------------------------------------------ 2. throughput
THROUGHPUT_EXPRS = [
    "x*y + 3*x - y/2",                                            # cheap arithmetic (memory bound)
    "log(x*y) + sqrt(x)*sin(y) - (x*y)**2/(1 + x)",               # mixed, shared subterm
    "exp(-x**2/2)*cos(3*y) + tanh(x - y)*atan(x*y) + x**3/(1 + y**2)",  # transcendental heavy
]


def bench_throughput(n_rows: int, repeat: int):
    X = np.random.default_rng(2).uniform(0.1, 3.0, (n_rows, 2))
    cols = (np.ascontiguousarray(X[:, 0]), np.ascontiguousarray(X[:, 1]))
    out = []
    for text in THROUGHPUT_EXPRS:
        t = E.parse(text, V)
        s = E.to_sympy(t)
        lam = sp.lambdify(SYMS, s, "numpy")
        f = E.compile(t, V)                      # backend="auto"
        fk = E.compile(t, V, backend="numba")    # the stack machine itself
        fp = E.compile(t, V, parallel=True)      # stack machine, prange over row blocks
        g = f.to_numba()
        p0 = np.empty(0)
        f(X[:10])
        fk(X[:10])
        fp(X[:10])
        g(X[:10], p0)
        auto = "numpy" if (n_rows >= E.NUMPY_FROM_ROWS and not SIMD_OPS.isdisjoint(f.program.ops.tolist())) \
            else "numba"
        t_np = median_cpu(lambda: lam(*cols), repeat)
        t_auto = median_cpu(lambda: f(X), repeat)
        t_kern = median_cpu(lambda: fk(X), repeat)
        t_par = median_time(lambda: fp(X), repeat=repeat)  # wall clock: the point of it is the threads
        t_gen = median_cpu(lambda: g(X, p0), repeat)
        np.testing.assert_allclose(f(X), lam(*cols), rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(fk(X), lam(*cols), rtol=1e-12, atol=1e-13)
        out.append(dict(expr=text, size=t.size, t_np=t_np, t_auto=t_auto, auto=auto, t_kern=t_kern, t_par=t_par,
                        t_gen=t_gen))
    return out


# ------------------------------------------------------------------------------------------------ 3. hashing cost
_PY = {"sqrt": math.sqrt, "exp": math.exp, "log": math.log, "sin": math.sin, "cos": math.cos, "tan": math.tan,
       "tanh": math.tanh, "asin": math.asin, "atan": math.atan, "abs": abs, "neg": lambda a: -a}


def _py_eval(t, env):
    op = t.op
    if op == "var":
        return env[t.value]
    if op in ("int", "float"):
        return float(t.value)
    if op == "rat":
        return t.value.numerator / t.value.denominator
    if op == "const":
        return E.NAMED_CONSTANTS[t.value][0]
    a = [_py_eval(c, env) for c in t.args]
    try:
        if op == "add":
            return a[0] + a[1]
        if op == "sub":
            return a[0] - a[1]
        if op == "mul":
            return a[0] * a[1]
        if op == "div":
            return a[0] / a[1]
        if op == "pow":
            return float(a[0] ** a[1]) if not isinstance(a[0] ** a[1], complex) else math.nan
        if op == "powi":
            return a[0] ** t.value
        if op == "fma":
            return a[0] * a[1] + a[2]
        return _PY[op](a[0])
    except (ValueError, ZeroDivisionError, OverflowError):
        return math.nan


def py_hash(t, points, digits=9):
    """The plain-Python anchor: evaluate the tree at each probe, round with ``float(f'{v:.{d-1}e}')``, hash."""
    vals = []
    for env in points:
        v = _py_eval(t, env)
        vals.append(float(f"{v:.{digits - 1}e}") if math.isfinite(v) else v)
    return hash(tuple(vals))


def bench_hash_cost(n_expr: int, repeat: int):
    """Per-candidate hashing cost (thread CPU time, medians).  'New term' rows hash brand-new terms every
    repeat (:func:`fresh_copies`); building them is reported separately (the search's own work)."""
    terms = corpus(n_expr, seed=3)
    progs = [E.encode(t, V) for t in terms]
    batch = E.pack(progs)
    E.functional_hash(terms[0], V)
    E.functional_hashes(batch, V)
    E.functional_hashes(terms[:2], V)
    pts = E.probe_points(2)
    env = [{"x": float(pts[0, j]), "y": float(pts[1, j])} for j in range(pts.shape[1])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_py = median_cpu(lambda: [py_hash(t, env) for t in terms], repeat) / n_expr
    fresh = [fresh_copies(terms) for _ in range(3 * repeat)]
    t_build = statistics.median(f[2] for f in fresh) / n_expr
    it = iter(fresh)

    def on_new(fn):
        copies, names, _ = next(it)
        return cpu_time(lambda: fn(copies, names))

    def med(fn):
        return statistics.median(on_new(fn) for _ in range(repeat)) / n_expr

    t_expr = med(lambda ts, names: [E.functional_hash(t, names) for t in ts])
    t_list = med(lambda ts, names: E.functional_hashes(ts, names))
    t_enc = med(lambda ts, names: [E.encode(t, names) for t in ts])
    t_memo = median_cpu(lambda: [E.functional_hash(t, V) for t in terms], repeat) / n_expr
    t_prog = median_cpu(lambda: [E.functional_hash(p, V) for p in progs], repeat) / n_expr
    t_batch = median_cpu(lambda: E.functional_hashes(batch, V), repeat) / n_expr
    return dict(t_py=t_py, t_expr=t_expr, t_memo=t_memo, t_prog=t_prog, t_list=t_list, t_batch=t_batch,
                t_enc=t_enc, t_build=t_build)


# ------------------------------------------------------------------------------------------------ 4. hash quality
def _rewrite(e, rng):
    """One exact algebraic rewrite at a random subterm (commute, associate, distribute, sub/div/fma/powi forms)."""
    subs = E.subterms(e)
    target = subs[int(rng.integers(len(subs)))]
    op, a = target.op, target.args
    rules = []
    if op in ("add", "mul"):
        rules.append(lambda: E.make(op, a[1], a[0]))
    if op == "add" and a[0].op == "add":
        rules.append(lambda: a[0].args[0] + (a[0].args[1] + a[1]))
    if op == "mul" and a[1].op == "add":
        rules.append(lambda: a[0] * a[1].args[0] + a[0] * a[1].args[1])
    if op == "sub":
        rules.append(lambda: a[0] + (-a[1]))
    if op == "div":
        rules.append(lambda: a[0] * (E.const(1) / a[1]))
    if op == "fma":
        rules.append(lambda: a[0] * a[1] + a[2])
    if op == "powi" and target.value == 2:
        rules.append(lambda: a[0] * a[0])
    rules.append(lambda: target * 3 / 3)
    new = rules[int(rng.integers(len(rules)))]()
    return _replace(e, target, new)


def _replace(e, old, new):
    if e is old:
        return new
    if not e.args:
        return e
    kids = [_replace(c, old, new) for c in e.args]
    return E.make(e.op, *kids, value=e.value if e.op == "powi" else None)


def _same_function(a_vals, b_vals):
    fa, fb = np.isfinite(a_vals), np.isfinite(b_vals)
    if not np.array_equal(fa, fb) or not np.array_equal(np.isnan(a_vals), np.isnan(b_vals)):
        return False
    both = fa & fb
    return bool(np.all(np.abs(a_vals[both] - b_vals[both]) <= 1e-9 * np.abs(a_vals[both]) + 1e-300)) and \
        bool(np.array_equal(a_vals[~fa], b_vals[~fb], equal_nan=True))


def bench_hash_quality(n_expr: int, configs):
    rng = np.random.default_rng(4)
    terms = corpus(n_expr, seed=5, lo=5, hi=25)
    rewrites = [_rewrite(_rewrite(t, rng), rng) for t in terms]
    perturbed = [t * E.const(1 + 1e-7) for t in terms]
    # validation set: 2000 independent points in the same box, to decide whether two terms are the same function
    Xv = np.random.default_rng(6).uniform(0.25, 4.0, (2000, 2))
    with np.errstate(all="ignore"):
        vals = E.evaluate_batch(terms, Xv, variables=V)
        vals_rw = E.evaluate_batch(rewrites, Xv, variables=V)
    rows = []
    for n_probes, digits in configs:
        h = E.functional_hashes(terms, V, n_probes=n_probes, digits=digits)
        hr = E.functional_hashes(rewrites, V, n_probes=n_probes, digits=digits)
        hp = E.functional_hashes(perturbed, V, n_probes=n_probes, digits=digits)
        # misses: equivalent pairs (checked numerically to 1e-9 on the validation set) hashing apart
        eq = [i for i in range(n_expr) if _same_function(vals[i], vals_rw[i])]
        miss = sum(int(h[i] != hr[i]) for i in eq)
        # perturbation collisions: a 1e-7 relative change that hashes together (among terms finite somewhere)
        live = [i for i in range(n_expr) if np.any(np.isfinite(vals[i]) & (vals[i] != 0))]
        pcoll = sum(int(h[i] == hp[i]) for i in live)
        # of those, how many are blind spots: not finite-and-nonzero at any probe point (the function is only
        # defined, or only nonzero, on a part of the box that no probe hits)
        pv = E.evaluate_batch(terms, E.probe_points(2, None, n_probes).T, variables=V)
        blind = ~np.any(np.isfinite(pv) & (pv != 0), axis=1)
        pcoll_blind = sum(int(h[i] == hp[i] and blind[i]) for i in live)
        # collisions: distinct functions sharing a hash, counted per group of equal hashes
        groups: dict[int, list[int]] = {}
        for i, k in enumerate(h.tolist()):
            groups.setdefault(k, []).append(i)
        coll = coll_blind = 0
        for members in groups.values():
            reps = [members[0]]
            for i in members[1:]:
                if not any(_same_function(vals[i], vals[r]) for r in reps):
                    reps.append(i)
                    coll += 1
                    coll_blind += int(blind[i])
        rows.append(dict(n_probes=n_probes, digits=digits, n_eq=len(eq), miss=miss, n_live=len(live), pcoll=pcoll,
                         pcoll_blind=pcoll_blind, coll=coll, coll_blind=coll_blind, n=n_expr))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="reduced sizes (< 2 min)")
    args = ap.parse_args(argv)
    q = args.quick
    print(machine_line())
    print(f"numpy {np.__version__}, sympy {sp.__version__}")

    n_expr = 300 if q else 1000
    r = bench_batch(n_expr, 1000, repeat=3 if q else 5)
    print(f"\n## 1. {r['n_expr']} random expressions (10-40 nodes, mean {r['mean_size']:.1f}) x {r['n_rows']} rows")
    print(f"(thread CPU time, medians; each path timed right after the anchor on the same chunk, {r['n_chunks']} "
          "chunks; speed-up = median over chunks of anchor time / path time, worst chunk in brackets; "
          "'brand-new terms' are fresh objects every run, see fresh_copies)")
    print("| path | total CPU (s) | per candidate (us) | speed-up vs lambdify |")
    print("|---|---|---|---|")
    for name, key in [("sympy.lambdify (set-up + eval), anchor", "t_lam"),
                      ("search.expr evaluate_batch(brand-new terms) (encode + eval)", "t_terms"),
                      ("  the same without batch-wide sharing of repeated subterms", "t_noshare"),
                      ("search.expr evaluate_batch(programs) (pack + eval)", "t_progs"),
                      ("search.expr evaluate_batch(ProgramBatch)", "t_batch"),
                      ("search.expr evaluate_batch(ProgramBatch, parallel=True) (wall clock)", "t_par"),
                      ("search.expr compile(t)(X) one by one, brand-new terms", "t_single")]:
        t = r[key]
        print(f"| {name} | {t:.4f} | {1e6 * t / r['n_expr']:.1f} | {r[key + '_ratio']:.1f}x "
              f"({r[key + '_ratio_min']:.1f}x) |")
    print(f"batch-wide sharing (chunks of {r['n_expr'] // r['n_chunks']} terms): {r['ops_shared']} operator "
          f"instructions run instead of {r['ops_single']} ({100 * (1 - r['ops_shared'] / r['ops_single']):.0f}% fewer)")
    print(f"wall-clock speed-up of evaluate_batch(brand-new terms), for reference (load-distorted): "
          f"{r['wall_ratio']:.1f}x; building a brand-new term (uncharged): {1e6 * r['build']:.1f} us")
    print(f"agreement with lambdify on SymPy's own form (values to 1e-8, same NaN/inf rows): "
          f"{r['agree']}/{r['tot']} terms")

    n_rows = 200_000 if q else 1_000_000
    rows = bench_throughput(n_rows, repeat=3 if q else 5)
    print(f"\n## 2. One expression on {n_rows:,} rows: rows/s (ratio = NumPy time / ours; >= 0.5 meets 'within 2x'; "
          "thread CPU time, the parallel column wall clock)")
    print("| expression | nodes | NumPy via lambdify (anchor) | compile() default backend | ratio | "
          "Numba stack machine | ratio | stack machine, parallel | ratio | dedicated Numba (to_numba) | ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for d in rows:
        rps = lambda t: f"{n_rows / t / 1e6:.1f} M"  # noqa: E731
        print(f"| `{d['expr']}` | {d['size']} | {rps(d['t_np'])} | {rps(d['t_auto'])} ({d['auto']}) | "
              f"{d['t_np'] / d['t_auto']:.2f} | {rps(d['t_kern'])} | {d['t_np'] / d['t_kern']:.2f} | "
              f"{rps(d['t_par'])} | {d['t_np'] / d['t_par']:.2f} | {rps(d['t_gen'])} | {d['t_np'] / d['t_gen']:.2f} |")

    hc = bench_hash_cost(300 if q else 1000, repeat=3 if q else 5)
    print(f"\n## 3. Functional hashing cost per candidate ({E.N_PROBES} probes, {E.DIGITS} digits; "
          "random 10-40 node terms; thread CPU time, medians)")
    print("| path | us / candidate | vs plain Python anchor |")
    print("|---|---|---|")
    for name, key in [("plain Python tree walk + round + hash (anchor)", "t_py"),
                      ("functional_hash(Expr), brand-new term (map + eval + round + hash)", "t_expr"),
                      ("functional_hash(Expr), term hashed before", "t_memo"),
                      ("functional_hash(Program)", "t_prog"),
                      ("functional_hashes(list of brand-new Expr) (pack + one call)", "t_list"),
                      ("functional_hashes(ProgramBatch)", "t_batch"),
                      ("(encode alone, brand-new term, to a Program)", "t_enc"),
                      ("(building the brand-new term itself: the search's work, not charged)", "t_build")]:
        print(f"| {name} | {1e6 * hc[key]:.2f} | {hc['t_py'] / hc[key]:.1f}x |")

    configs = [(8, 9), (16, 6), (16, 9), (16, 12), (16, 15), (32, 6), (32, 9), (32, 12), (64, 9)]
    hq = bench_hash_quality(2000 if q else 10000, configs)
    print(f"\n## 4. Hash quality over {hq[0]['n']} random 5-25 node terms (default: {E.N_PROBES} probes, "
          f"{E.DIGITS} digits)")
    print("Equivalent pairs: each term against itself after two random exact rewrites (commute, associate,")
    print("distribute, a-b -> a+(-b), a/b -> a*(1/b), fma -> a*b+c, t -> t*3/3), kept when they agree to 1e-9 on")
    print("2000 validation points.  'Blind' = the term is not finite-and-nonzero at any probe point.")
    print("| probes | digits | miss rate (equivalent pairs apart) | 1e-7 perturbations hashing together (blind) | "
          "distinct functions merged (blind) |")
    print("|---|---|---|---|---|")
    for d in hq:
        print(f"| {d['n_probes']} | {d['digits']} | {d['miss']}/{d['n_eq']} = {d['miss'] / max(d['n_eq'], 1):.2e} | "
              f"{d['pcoll']}/{d['n_live']} ({d['pcoll_blind']}) | {d['coll']} in {d['n']} ({d['coll_blind']}) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
