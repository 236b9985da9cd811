"""Symbolic regression benchmark: exact recovery on Nguyen, Nguyen-with-constants, R and Livermore, vs gplearn.

For every problem and seed: draw the training points (20 uniform per variable in the box, or the 20-point grid
for R1-R3), run this project's ``SymbolicRegressor`` and gplearn 0.4.3 with the same budget, and apply the
SRBench exact-recovery criterion (``search.regression.recovery.exact_recovery``: after rounding floats to 3
digits, model - truth or model / truth simplifies to a constant in SymPy, so symbolically equivalent forms count)
to the returned model; the accuracy criterion (test R^2 > 0.999 on a fresh draw) is reported too.  Per problem:
recovery rate over the seeds and the median time to recover (recovered runs only).  A problem counts as
*recovered* when more than half of its seeds recover it (strict majority; "at least once" is not used).

Budget: each run is one process on one core, and the budget is that process's CPU time (``time_clock="cpu"``
for ours, a ``time.process_time`` loop for gplearn), which a loaded shared machine does not distort; one search
on one core for B CPU-seconds is a stricter budget than "B s wall on 2 cores".  Wall time is printed as well.
gplearn (population 1000) runs generation by generation (``warm_start``) until it recovers the formula or the
budget is spent, so both sides stop on the same rule.  ``--jobs N`` runs N such processes side by side.

Problem definitions: ``/work/shared/reference/sr_benchmarks.json`` (= ``data/reference/sr_benchmarks.json``;
copied below).  That file gives the Nguyen-c formulas without boxes: each Nguyen-c box follows the Nguyen
problem it modifies.  Livermore is not in that file: its formulas, boxes and point counts here are the
published ones of Petersen et al. (2021, DSR; arXiv:1912.04871), Livermore-1..22 (U[a,b,n]: n uniform points).

    python benchmarks/bench_regress.py --jobs 2 --out /tmp/regress.jsonl     # full: all suites, 5 seeds, 60 CPU-s
    python benchmarks/bench_regress.py --quick    # make bench: 4 problems, 2 seeds, 20 CPU-s, both sides
    python benchmarks/bench_regress.py --suite nguyen --seeds 5 --side ours
    python benchmarks/bench_regress.py --report /tmp/a.jsonl /tmp/b.jsonl    # tables from saved runs
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_v, "1")  # one core per run: the CPU-time budget is then the work done

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._common import machine_line  # noqa: E402

NGUYEN_OPS = ("+", "-", "*", "/", "sin", "cos", "exp", "log")

# (name, truth in x, y, box per variable, point layout)
NGUYEN = [
    ("Nguyen-1", "x**3 + x**2 + x", [(-1, 1)]),
    ("Nguyen-2", "x**4 + x**3 + x**2 + x", [(-1, 1)]),
    ("Nguyen-3", "x**5 + x**4 + x**3 + x**2 + x", [(-1, 1)]),
    ("Nguyen-4", "x**6 + x**5 + x**4 + x**3 + x**2 + x", [(-1, 1)]),
    ("Nguyen-5", "sin(x**2)*cos(x) - 1", [(-1, 1)]),
    ("Nguyen-6", "sin(x) + sin(x + x**2)", [(-1, 1)]),
    ("Nguyen-7", "log(x + 1) + log(x**2 + 1)", [(0, 2)]),
    ("Nguyen-8", "sqrt(x)", [(0, 4)]),
    ("Nguyen-9", "sin(x) + sin(y**2)", [(0, 1), (0, 1)]),
    ("Nguyen-10", "2*sin(x)*cos(y)", [(0, 1), (0, 1)]),
    ("Nguyen-11", "x**y", [(0, 1), (0, 1)]),
    ("Nguyen-12", "x**4 - x**3 + y**2/2 - y", [(0, 1), (0, 1)]),
]
NGUYEN_C = [
    ("Nguyen-1c", "3.39*x**3 + 2.12*x**2 + 1.78*x", [(-1, 1)]),
    ("Nguyen-5c", "sin(x**2)*cos(x) - 0.75", [(-1, 1)]),
    ("Nguyen-9c", "sin(1.5*x)*cos(0.5*y)", [(0, 1), (0, 1)]),
    ("Nguyen-11c", "2.7*x**y", [(0, 1), (0, 1)]),
    ("Nguyen-8c", "sqrt(1.23*x)", [(0, 4)]),
    ("Nguyen-8c'", "x**0.426", [(0, 4)]),
    ("Nguyen-10c", "2*sin(1.3*x)*cos(y)", [(0, 1), (0, 1)]),
    ("Nguyen-7c", "log(x + 1.4) + log(x**2 + 1.3)", [(0, 2)]),
]
R = [
    ("R1", "(x + 1)**3/(x**2 - x + 1)", [(-1, 1)]),
    ("R2", "(x**5 - 3*x**3 + 1)/(x**2 + 1)", [(-1, 1)]),
    ("R3", "(x**6 + x**5)/(x**4 + x**3 + x**2 + x + 1)", [(-1, 1)]),
]
# Petersen et al. 2021 (DSR), Livermore set; NOT in sr_benchmarks.json (see the module docstring)
LIVERMORE = [
    ("Livermore-1", "1/3 + x + sin(x**2)", [(-10, 10)], 1000),
    ("Livermore-2", "sin(x**2)*cos(x) - 2", [(-1, 1)]),
    ("Livermore-3", "sin(x**3)*cos(x**2) - 1", [(-1, 1)]),
    ("Livermore-4", "log(x + 1) + log(x**2 + 1) + log(x)", [(0, 2)]),
    ("Livermore-5", "x**4 - x**3 + x**2 - y", [(0, 1), (0, 1)]),
    ("Livermore-6", "4*x**4 + 3*x**3 + 2*x**2 + x", [(-1, 1)]),
    ("Livermore-7", "sinh(x)", [(-1, 1)]),
    ("Livermore-8", "cosh(x)", [(-1, 1)]),
    ("Livermore-9", "x**9 + x**8 + x**7 + x**6 + x**5 + x**4 + x**3 + x**2 + x", [(-1, 1)]),
    ("Livermore-10", "6*sin(x)*cos(y)", [(0, 1), (0, 1)]),
    ("Livermore-11", "x**2*y**2/(x + y)", [(-1, 1), (-1, 1)], 50),
    ("Livermore-12", "x**5/y**3", [(-1, 1), (-1, 1)], 50),
    ("Livermore-13", "x**(1/3)", [(0, 4)]),
    ("Livermore-14", "x**3 + x**2 + x + sin(x) + sin(x**2)", [(-1, 1)]),
    ("Livermore-15", "x**(1/5)", [(0, 4)]),
    ("Livermore-16", "x**(2/5)", [(0, 4)]),
    ("Livermore-17", "4*sin(x)*cos(y)", [(0, 1), (0, 1)]),
    ("Livermore-18", "sin(x**2)*cos(x) - 5", [(-1, 1)]),
    ("Livermore-19", "x**5 + x**4 + x**2 + x", [(-1, 1)]),
    ("Livermore-20", "exp(-x**2)", [(-1, 1)]),
    ("Livermore-21", "x**8 + x**7 + x**6 + x**5 + x**4 + x**3 + x**2 + x", [(-1, 1)]),
    ("Livermore-22", "exp(-0.5*x**2)", [(-1, 1)]),
]
SUITES = {"nguyen": NGUYEN, "nguyen_c": NGUYEN_C, "r": R, "livermore": LIVERMORE}
PUBLISHED = {"nguyen": ("Nguyen", 100, 50), "nguyen_c": ("Nguyen_c", 100, 9), "r": ("R", 69, 0),
             "livermore": ("Livermore", 98, 51)}
QUICK = [("nguyen", "Nguyen-1"), ("nguyen", "Nguyen-5"), ("nguyen", "Nguyen-10"), ("nguyen_c", "Nguyen-8c")]


def sample(truth: str, box, seed: int, grid: bool = False, n: int = 20):
    import sympy as sp

    names = ["x", "y"][: len(box)]
    syms = [sp.Symbol(v) for v in names]
    f = sp.lambdify(syms, sp.sympify(truth), "numpy")
    rng = np.random.default_rng(seed)
    if grid:
        X = np.linspace(box[0][0], box[0][1], n).reshape(-1, 1)
    else:
        X = np.column_stack([rng.uniform(a, b, n) for a, b in box])
    with np.errstate(all="ignore"):
        y = np.asarray(f(*[X[:, i] for i in range(X.shape[1])]), dtype=float) * np.ones(len(X))
    return X, y, syms


def r2(pred, y) -> float:
    ss = float(np.sum((y - np.mean(y)) ** 2)) or 1.0
    with np.errstate(all="ignore"):
        v = 1.0 - float(np.sum((pred - y) ** 2)) / ss
    return v if np.isfinite(v) else -np.inf


# SymPy's simplify inside the recovery check can run for tens of minutes on some wrong-but-close models (a
# two-variable trigonometric rational function on Livermore-12); a check that needs longer is not a recovery
JUDGE_TIMEOUT = 120.0


def run_ours(X, y, syms, truth, budget, seed, max_complexity=30):
    """One single-process search with ``budget`` seconds of process CPU time; returns (ok, cpu s, wall s, model)."""
    from search.regression import SymbolicRegressor
    from search.regression.recovery import exact_recovery

    names = [str(s) for s in syms]
    t0, c0 = time.perf_counter(), time.process_time()
    m = SymbolicRegressor(operators=NGUYEN_OPS, time_limit=budget, max_evals=10**7, n_searches=1, rounds=1,
                          variable_names=names, random_state=seed, time_clock="cpu",
                          max_complexity=max_complexity).fit(X, y)
    dt, ct = time.perf_counter() - t0, time.process_time() - c0
    # SRBench: the returned (best) model is judged
    ok = exact_recovery(m.sympy(), truth, {str(s): s for s in syms}, timeout=JUDGE_TIMEOUT)
    return ok, ct, dt, m


def _gp_functions():
    from gplearn.functions import make_function

    def pexp(a):
        with np.errstate(all="ignore"):
            return np.where(a < 50, np.exp(np.minimum(a, 50)), 0.0)

    return ("add", "sub", "mul", "div", "sin", "cos", make_function(function=pexp, name="exp", arity=1), "log")


def gplearn_sympy(program, syms):
    import sympy as sp

    loc = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
           "div": lambda a, b: a / b, "sin": sp.sin, "cos": sp.cos, "exp": sp.exp, "log": lambda a: sp.log(sp.Abs(a)),
           "sqrt": lambda a: sp.sqrt(sp.Abs(a)), "neg": lambda a: -a}
    for i, s in enumerate(syms):
        loc[f"X{i}"] = s
    return sp.sympify(eval(str(program), {"__builtins__": {}}, loc))  # noqa: S307 - gplearn's own program text


def run_gplearn(X, y, syms, truth, budget, seed):
    """gplearn generation by generation until it recovers or ``budget`` s of process CPU time are spent."""
    from gplearn.genetic import SymbolicRegressor as GP

    from search.regression.recovery import exact_recovery

    gp = GP(population_size=1000, generations=1, function_set=_gp_functions(), random_state=seed, warm_start=True,
            stopping_criteria=1e-10, parsimony_coefficient=0.001, n_jobs=1, const_range=(-1.0, 1.0))
    t0, c0 = time.perf_counter(), time.process_time()
    ok = False
    gen = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        while time.process_time() - c0 < budget:
            gen += 1
            gp.set_params(generations=gen)
            gp.fit(X, y)
            try:
                expr = gplearn_sympy(gp._program, syms)
                ok = exact_recovery(expr, truth, {str(s): s for s in syms}, timeout=JUDGE_TIMEOUT)
            except Exception:  # a program SymPy cannot handle is simply not a recovery
                ok = False
            if ok or gp.run_details_["best_fitness"][-1] <= 1e-10:
                break
    return ok, time.process_time() - c0, time.perf_counter() - t0, gp


def run_job(job):
    """One (suite, problem, seed, side) run in this process; returns a JSON-able record."""
    suite, name, seed, side, budget = job[:5]
    maxc = job[5] if len(job) > 5 else 30
    _, truth, box, n = _problem(suite, name)
    X, y, syms = sample(truth, box, seed, grid=(suite == "r"), n=n)
    rec = {"suite": suite, "problem": name, "seed": seed, "side": side, "budget": budget}
    if side == "ours":
        ok, ct, dt, m = run_ours(X, y, syms, truth, budget, seed, maxc)
        Xt, yt, _ = sample(truth, box, 10_000 + seed, grid=False, n=200)
        rec.update(ok=bool(ok), cpu=ct, wall=dt, acc=bool(r2(m.predict(Xt), yt) > 0.999), model=str(m.sympy()),
                   stop=",".join(map(str, getattr(m, "stop_reasons_", []))), max_complexity=maxc)
    else:
        ok, ct, dt, gp = run_gplearn(X, y, syms, truth, budget, seed)
        rec.update(ok=bool(ok), cpu=ct, wall=dt, model=str(gp._program))
    return rec


def _problem(suite, name):
    for p in SUITES[suite]:
        if p[0] == name:
            return p[0], p[1], p[2], (p[3] if len(p) > 3 else 20)
    raise ValueError(f"unknown problem {name!r} in suite {suite!r}")


def rejudge(records):
    """Re-apply the current recovery criterion to the stored models (records from older runs stay comparable)."""
    import sympy as sp

    from search.regression.recovery import exact_recovery

    for r in records:
        _, truth, box, _ = _problem(r["suite"], r["problem"])
        syms = {v: sp.Symbol(v) for v in ["x", "y"][: len(box)]}
        pos = all(a >= 0 for a, _ in box)
        try:
            model = r["model"] if r["side"] == "ours" else gplearn_sympy(r["model"], list(syms.values()))
            r["ok"] = bool(exact_recovery(model, truth, syms, timeout=JUDGE_TIMEOUT))
            # the weaker, domain-aware variant: variables declared positive on positive boxes (not SRBench's)
            r["ok_box"] = r["ok"] or (pos and bool(exact_recovery(model, truth, syms, positive=True, timeout=JUDGE_TIMEOUT)))
        except Exception:  # a model SymPy cannot handle is not a recovery
            r["ok"] = r["ok_box"] = False
    return records


def _med(v):
    return f"{statistics.median(v):.1f}s" if v else "-"


def report(records, probs, seeds, budget, sides):
    """The per-problem table and the per-suite summary, from run records."""
    by = {}
    for r in records:
        by.setdefault((r["problem"], r["side"]), {})[r["seed"]] = r
    print(f"budget {budget:g} s of process CPU time per run and side (one process, one core), seeds 0..{seeds - 1}; "
          f"SRBench exact recovery of the returned best model; t_med = median CPU time of the recovered runs "
          f"(wall in brackets); a problem counts as recovered when more than half of its seeds recover it")
    print(f"{'problem':14s} {'ours':>6s} {'t_med (wall)':>15s} {'R2>.999 [box]':>13s}   {'gplearn':>7s} "
          f"{'t_med (wall)':>15s}   best model (ours, seed 0)")
    totals = {}
    for suite, name in probs:
        cols = {}
        for side in ("ours", "gplearn"):
            rs = [by.get((name, side), {}).get(s) for s in range(seeds)]
            rs = [r for r in rs if r is not None]
            cols[side] = rs
        ro, rg = cols["ours"], cols["gplearn"]
        tot = totals.setdefault(suite, {"n": 0, "ours": [0, 0, 0, 0], "gplearn": [0, 0, 0, 0]})
        tot["n"] += 1
        for side, rs in (("ours", ro), ("gplearn", rg)):
            if len(rs) == seeds:
                k = sum(r["ok"] for r in rs)
                t = tot[side]
                t[0] += k
                t[1] += seeds
                t[2] += 1 if 2 * k > seeds else 0
                t[3] += 1
        def cell(rs, side):
            if side not in sides or not rs:
                return f"{'-':>6s} {'-':>15s}"
            k = sum(r["ok"] for r in rs)
            c = [r["cpu"] for r in rs if r["ok"]]
            w = [r["wall"] for r in rs if r["ok"]]
            t = f"{_med(c)} ({_med(w)})" if c else "-"
            part = "" if len(rs) == seeds else "*"
            return f"{k}/{len(rs)}{part:1s}".rjust(6) + f" {t:>15s}"
        acc = f"{sum(r['acc'] for r in ro)}/{len(ro)}" if ro else "-"
        if ro and "ok_box" in ro[0]:
            acc += f" {sum(r['ok_box'] for r in ro)}/{len(ro)}"
        s0 = next((r["model"] for r in ro if r["seed"] == 0), "")
        print(f"{name:14s} {cell(ro, 'ours')} {acc:>13s}   {cell(rg, 'gplearn')}   {s0[:70]}", flush=True)
    print()
    print(f"{'suite':10s} {'ours runs':>10s} {'ours problems':>14s} {'gplearn runs':>13s} {'gplearn problems':>17s} "
          f"{'RSRM paper %':>13s} {'GP paper %':>11s}")
    for suite, tot in totals.items():
        label, rsrm, gp = PUBLISHED[suite]
        def summ(t):
            if not t[1]:
                return "-", "-"
            return f"{100 * t[0] / t[1]:.0f}%", f"{t[2]}/{t[3]}" + ("" if t[3] == tot["n"] else f" of {tot['n']}")
        o1, o2 = summ(tot["ours"]) if "ours" in sides else ("-", "-")
        g1, g2 = summ(tot["gplearn"]) if "gplearn" in sides else ("-", "-")
        print(f"{label:10s} {o1:>10s} {o2:>14s} {g1:>13s} {g2:>17s} {rsrm:13d} {gp:11d}")
    print("('*' after a count: fewer seeds finished than asked; such problems are left out of the suite counts)")
    print("([box]: runs whose model is equivalent to the truth with the variables declared positive, on positive "
          "boxes only; a weaker, domain-aware criterion than SRBench's, shown for information, not counted)")
    gb = [r for r in records if r["side"] == "gplearn" and r.get("ok_box") and not r["ok"]]
    if gb:
        print(f"gplearn runs recovered only under [box]: {len(gb)}")
    ours = [r for r in records if r["side"] == "ours" and "stop" in r and any(r["problem"] == p for _, p in probs)]
    if ours:
        rep = sum(1 for r in ours if "time" not in r["stop"].split(","))
        okr = [r for r in ours if r["ok"]]
        print(f"ours, reproducible from the seed (ended on the exact fit, the grace period or max_evals, not on the "
              f"time limit): {rep}/{len(ours)} runs, {sum(1 for r in okr if 'time' not in r['stop'])}/{len(okr)} "
              f"of the recovered ones")
    print("anchor: RSRM reference code on this machine: Nguyen-1 67 s/run, Nguyen-5 264 s/run (sr_benchmarks.json)")


def main(argv=None) -> int:
    import json
    import os

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="reduced version (make bench)")
    ap.add_argument("--suite", default="nguyen,nguyen_c,r,livermore", help="comma list of suites")
    ap.add_argument("--problems", default=None, help="comma list of problem names (default: all in the suites)")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--budget", type=float, default=60.0, help="CPU seconds per run, each side")
    ap.add_argument("--side", default="ours,gplearn", help="ours, gplearn or both (comma list)")
    ap.add_argument("--no-gplearn", action="store_true", help="same as --side ours")
    ap.add_argument("--max-complexity", type=int, default=30, help="our max_complexity (the estimator's default: 30)")
    ap.add_argument("--jobs", type=int, default=1, help="runs in parallel (separate processes; budgets are CPU time)")
    ap.add_argument("--out", default=None, help="append one JSON record per run to this file; runs already in it "
                                                "are not repeated (resume)")
    ap.add_argument("--report", nargs="*", default=None, metavar="FILE",
                    help="print the tables from these record files (no runs)")
    a = ap.parse_args(argv)
    sides = ("ours",) if a.no_gplearn else tuple(x for x in ("ours", "gplearn") if x in a.side.split(","))
    if a.quick:
        probs = list(QUICK)
        seeds, budget = 2, 20.0
    else:
        wanted = None if a.problems is None else set(a.problems.split(","))
        probs = [(s, p[0]) for s in a.suite.split(",") for p in SUITES[s] if wanted is None or p[0] in wanted]
        seeds, budget = a.seeds, a.budget
    print(machine_line())
    print(f"20 training points (Livermore-1: 1000, Livermore-11/12: 50; R1-R3: the 20-point grid), operators "
          f"{' '.join(NGUYEN_OPS)} (+ fitted constants)")
    if a.report is not None:
        records = []
        for f in a.report:
            with open(f) as fh:
                records += [json.loads(line) for line in fh if line.strip()]
        records = [r for r in records if r["budget"] == budget and r["side"] in sides
                   and (r["side"] != "ours" or r.get("max_complexity", 30) == a.max_complexity)]
        print("(recovery re-judged from the stored models with the current criterion)")
        rejudge(records)
        report(records, probs, seeds, budget, sides)
        return 0
    records = []
    if a.out and os.path.exists(a.out):
        with open(a.out) as fh:
            records = [json.loads(line) for line in fh if line.strip()]
    done = {(r["problem"], r["seed"], r["side"], r["budget"], r.get("max_complexity", 30)) for r in records}
    # problem by problem, each side's seeds together, so that an interrupted run leaves whole rows
    mc = a.max_complexity
    jobs = [(suite, name, seed, side, budget, mc) for suite, name in probs for side in sides for seed in range(seeds)
            if (name, seed, side, budget, mc if side == "ours" else 30) not in done]
    fh = open(a.out, "a") if a.out else None
    if a.jobs > 1:
        import multiprocessing as mp

        pool = mp.get_context("spawn").Pool(a.jobs, maxtasksperchild=20)
        it = pool.imap_unordered(run_job, jobs)
    else:
        pool = None
        it = map(run_job, jobs)
    for rec in it:
        records.append(rec)
        if fh:
            fh.write(json.dumps(rec) + "\n")
            fh.flush()
        print(f"  {rec['side']:8s} {rec['problem']:14s} seed {rec['seed']}: {'ok ' if rec['ok'] else 'miss'} "
              f"cpu {rec['cpu']:.1f}s wall {rec['wall']:.1f}s  {rec['model'][:60]}", flush=True)
    if pool is not None:
        pool.close()
        pool.join()
    if fh:
        fh.close()
    print()
    report([r for r in records if r["budget"] == budget and (r["side"] != "ours" or r.get("max_complexity", 30) == mc)],
           probs, seeds, budget, sides)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
