"""Adaptive splines: numerics.AdaptiveSpline against AutoKnots, the best uniform CubicSpline and adaptive Chebyshev.

Run:  python benchmarks/bench_spline.py [--quick]

For each test function (ANCHORS.md §2 and issue 5) and each method it reports the knots (coefficients for
Chebyshev), the evaluations of f, the largest error over a dense grid as a fraction of the tolerance, and the
build time. The tolerance at x is ``rtol |f(x)| + atol + 16 eps (max|f| + |x f'(x)|)`` for every method (the
last term is the floating-point floor, which only matters where f crosses zero).

Methods:
* ours        - ``numerics.AdaptiveSpline.fit``.
* AutoKnots   - a re-implementation written from the description in ANCHORS.md §2 (NumCosmo's algorithm):
                6 uniform knots; each unfinished interval gets its midpoint evaluated and passes only if both the
                point test |f(xm) - s(xm)| <= rel(|f(xm)| + scale) and the integral test
                |Simpson - int s| <= rel(|I| + scale dx) pass; the midpoint always becomes a knot; the spline is
                rebuilt after each sweep; once all pass, intervals wider than mean + 1 sd of the spacings are
                re-opened (once); a knot gap below 100 eps relative is a discontinuity. ``scale = atol / rtol``.
* uniform     - the smallest n for which the not-a-knot ``scipy.interpolate.CubicSpline`` on n uniform knots
                (uniform in log x for the log function) meets the tolerance on the dense grid, by bisection on n.
* Chebyshev   - adaptive Chebyshev interpolation (numpy): nested Chebyshev-Lobatto grids of 2^k + 1 points, stop
                when the coefficient tail is below half the smallest tolerance, then chop (chebfun-style).

Then the evaluation throughput of ``AdaptiveSpline.__call__`` against ``scipy.interpolate.CubicSpline.__call__``
on the same knots, for 2e6 points (random order and sorted).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
from scipy.interpolate import CubicSpline

try:
    from benchmarks._common import machine_line, median_time
except ImportError:  # run as a script: python benchmarks/bench_spline.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks._common import machine_line, median_time

from numerics.spline import AdaptiveSpline, DiscontinuityError, MaxKnotsError

EPS = np.finfo(float).eps


# ------------------------------------------------------------------------------------------- functions
def _gauss(x0, sigma, base):
    return lambda x: base + np.exp(-0.5 * ((x - x0) / sigma) ** 2)


FUNCTIONS = {
    # name: (f, a, b, spacing, atol as a multiple of rtol (AutoKnots' scale))
    "exp": (np.exp, 0.0, 1.0, "linear", 0.0),
    "sum of sines": (lambda x: np.sin(3 * x) + 0.5 * np.sin(7 * x + 1) + 0.25 * np.sin(17 * x),
                     0.0, 2 * np.pi, "linear", 1.0),
    "gauss s=0.01": (_gauss(0.3141, 0.01, 0.1), 0.0, 1.0, "linear", 0.0),
    "gauss s=0.003": (_gauss(0.3711, 0.003, 0.1), 0.0, 1.0, "linear", 0.0),
    "tanh step": (lambda x: np.tanh((x - 0.4) / 0.01), 0.0, 1.0, "linear", 1.0),
    "plateaus+bump": (lambda x: 1.0 + 0.5 * (1.0 + np.tanh((x - 0.5) / 0.01))
                      + 0.5 * np.exp(-0.5 * ((x - 0.5) / 0.02) ** 2), 0.0, 1.0, "linear", 0.0),
    "log [1e-6,1]": (np.log, 1e-6, 1.0, "log", 0.0),
    "damped osc": (lambda x: np.exp(-x) * np.cos(20 * x), 0.0, 5.0, "linear", 1.0),
}


# ------------------------------------------------------------------------------------------- AutoKnots
def autoknots(f, a, b, rel, scale=0.0, spacing="linear", n_init=6, max_knots=10**6):
    """AutoKnots as described in ANCHORS.md §2; returns (knots, values, n_evals)."""
    logsp = spacing == "log"
    to_u = np.log if logsp else (lambda v: v)
    to_x = np.exp if logsp else (lambda v: v)
    u = np.linspace(to_u(a), to_u(b), n_init)
    x = to_x(u)
    x[0], x[-1] = a, b
    y = f(x)
    n_evals = x.size
    todo = np.ones(x.size - 1, bool)
    reopened = False
    while True:
        while todo.any():
            cs = CubicSpline(x, y)
            i = np.nonzero(todo)[0]
            um = 0.5 * (u[i] + u[i + 1])
            xm = to_x(um)
            fm = f(xm)
            n_evals += xm.size
            point_ok = np.abs(fm - cs(xm)) <= rel * (np.abs(fm) + scale)
            x0, x1 = x[i], x[i + 1]
            integ = np.array([cs.integrate(p, q) for p, q in zip(x0, x1)]) if i.size < 64 else \
                _interval_integrals(cs, i)
            if logsp:
                hu = u[i + 1] - u[i]
                simp = hu / 6.0 * (y[i] * x0 + 4.0 * fm * xm + y[i + 1] * x1)
            else:
                simp = (x1 - x0) / 6.0 * (y[i] + 4.0 * fm + y[i + 1])
            int_ok = np.abs(simp - integ) <= rel * (np.abs(integ) + scale * (x1 - x0))
            fail = ~(point_ok & int_ok)
            if np.any(fail & ((x1 - x0) <= 100 * EPS * np.maximum(np.abs(x0), np.abs(x1)))):
                raise DiscontinuityError(float(x0[fail][0]), float(abs(y[i + 1][fail][0] - y[i][fail][0])))
            if x.size + i.size > max_knots:
                raise MaxKnotsError(max_knots, float("nan"), rel, rel * scale, None)
            # every midpoint becomes a knot; children of failed intervals stay open
            child_todo = np.zeros(x.size - 1, bool)
            child_todo[i] = fail
            u = np.concatenate((u, um))
            x = np.concatenate((x, xm))
            y = np.concatenate((y, fm))
            order = np.argsort(u, kind="stable")
            # interval k of the old mesh becomes intervals 2 (split) or 1 (not split)
            split = np.zeros(child_todo.size, bool)
            split[i] = True
            new_todo = np.repeat(child_todo, np.where(split, 2, 1))
            u, x, y = u[order], x[order], y[order]
            todo = new_todo
        if reopened:
            break
        h = np.diff(u)
        todo = h > h.mean() + h.std()
        reopened = True
        if not todo.any():
            break
    return x, y, n_evals


def _interval_integrals(cs, i):
    c = cs.c[:, i]
    h = cs.x[i + 1] - cs.x[i]
    return (((c[0] * 0.25 * h + c[1] / 3.0) * h + c[2] * 0.5) * h + c[3]) * h


# ------------------------------------------------------------------------------------------- uniform
def uniform_min(f, a, b, spacing, ratio_of, n_max=2**22):
    """Smallest n (bisection) with the uniform not-a-knot CubicSpline within tolerance; (n, cs, ratio)."""
    def build(n):
        if spacing == "log":
            x = np.exp(np.linspace(math.log(a), math.log(b), n))
        else:
            x = np.linspace(a, b, n)
        x[0], x[-1] = a, b
        cs = CubicSpline(x, f(x))
        return cs, ratio_of(cs)

    lo, hi = 4, 8
    cs_hi, r_hi = build(hi)
    while r_hi > 1.0:
        lo, hi = hi, 2 * hi
        if hi > n_max:
            return None, None, r_hi
        cs_hi, r_hi = build(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        cs_m, r_m = build(mid)
        if r_m <= 1.0:
            hi, cs_hi, r_hi = mid, cs_m, r_m
        else:
            lo = mid
    return hi, cs_hi, r_hi


# ------------------------------------------------------------------------------------------- Chebyshev
def chebyshev_adaptive(f, a, b, rtol, atol, spacing, n_max=2**14 + 1):
    """Adaptive Chebyshev interpolant; returns (coefficients, n_evals, converged, map) or raises nothing."""
    logsp = spacing == "log"
    ua, ub = (math.log(a), math.log(b)) if logsp else (a, b)
    k = 4
    vals = None
    while True:
        n = 2**k + 1
        t = np.cos(np.pi * np.arange(n) / (n - 1))  # Chebyshev-Lobatto points, 1 .. -1
        u = 0.5 * (ua + ub) + 0.5 * (ub - ua) * t
        x = np.exp(u) if logsp else u
        if vals is None:
            vals = f(x)
        else:  # nested grid: reuse the old values at even indices
            new = np.empty(n)
            new[0::2] = vals
            new[1::2] = f(x[1::2])
            vals = new
        # coefficients by a DCT-I through the FFT
        ext = np.concatenate((vals, vals[-2:0:-1]))
        c = np.real(np.fft.fft(ext))[:n] / (n - 1)
        c[0] *= 0.5
        c[-1] *= 0.5
        fmax = np.max(np.abs(vals))
        tol = 0.5 * np.min(rtol * np.abs(vals) + atol + 16 * EPS * fmax)
        tail = np.cumsum(np.abs(c[::-1]))[::-1]  # tail[m] = sum_{j >= m} |c_j|
        ok = np.nonzero(tail <= tol)[0]
        if ok.size and ok[0] < n - n // 8:
            m = int(ok[0])
            return c[:max(m, 1)], n, True, (ua, ub, logsp)
        if n >= n_max:
            return c, n, False, (ua, ub, logsp)
        k += 1


def chebyshev_eval(coef, cmap, x):
    ua, ub, logsp = cmap
    u = np.log(x) if logsp else x
    t = (2.0 * u - (ua + ub)) / (ub - ua)
    return np.polynomial.chebyshev.chebval(t, coef)


# ------------------------------------------------------------------------------------------- harness
def dense_grid(a, b, spacing, n):
    x = np.exp(np.linspace(math.log(a), math.log(b), n)) if spacing == "log" else np.linspace(a, b, n)
    x[0], x[-1] = a, b
    return x


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="reduced version (< ~2 min)")
    ap.add_argument("--rtol", type=float, default=1e-8)
    args = ap.parse_args(argv)
    quick = args.quick
    rtol = args.rtol
    n_dense = 2**18 + 1 if quick else 2**20 + 1
    n_cheb_dense = 2**15 + 1 if quick else 2**17 + 1
    repeat = 3 if quick else 5

    print(machine_line())
    print(f"rtol = {rtol:g}; tolerance rtol|f| + atol + 16 eps (max|f| + |x f'|); dense grid {n_dense} points "
          f"({n_cheb_dense} for Chebyshev); times are medians of {repeat}")
    hdr = (f"{'function':15s} | {'method':10s} | {'knots':>7s} | {'f-evals':>8s} | {'max err/tol':>11s} | "
           f"{'build ms':>8s} | {'knots vs AutoKnots':>18s}")
    print(hdr)
    print("-" * len(hdr))
    summary = []
    for name, (f, a, b, spacing, atol_rel) in FUNCTIONS.items():
        atol = atol_rel * rtol
        xd = dense_grid(a, b, spacing, n_dense)
        fd = f(xd)
        fmax = float(np.max(np.abs(fd)))
        dfd = np.gradient(fd, xd)
        told = rtol * np.abs(fd) + atol + 16 * EPS * (fmax + np.abs(xd * dfd))
        sub = np.linspace(0, n_dense - 1, n_cheb_dense).astype(int)

        def ratio_of(fn, idx=None):
            if idx is None:
                return float(np.max(np.abs(fn(xd) - fd) / told))
            return float(np.max(np.abs(fn(xd[idx]) - fd[idx]) / told[idx]))

        rows = []
        # ours
        s = AdaptiveSpline.fit(f, a, b, rtol=rtol, atol=atol, spacing=spacing)
        t_ours = median_time(lambda: AdaptiveSpline.fit(f, a, b, rtol=rtol, atol=atol, spacing=spacing), repeat)
        r_ours = ratio_of(s)
        rows.append(("ours", s.n_knots, s.n_evals, r_ours, t_ours))
        # AutoKnots
        try:
            xk, yk, ne = autoknots(f, a, b, rtol, atol / rtol if rtol else 0.0, spacing)
            t_ak = median_time(lambda: autoknots(f, a, b, rtol, atol / rtol if rtol else 0.0, spacing), repeat)
            r_ak = ratio_of(CubicSpline(xk, yk))
            rows.append(("AutoKnots", xk.size, ne, r_ak, t_ak))
            n_ak = xk.size
            ak_met = r_ak <= 1.0
        except (DiscontinuityError, MaxKnotsError) as exc:
            rows.append(("AutoKnots", -1, -1, float("nan"), float("nan")))
            print(f"  AutoKnots failed on {name}: {exc}")
            n_ak = None
            ak_met = False
        # AutoKnots with a starting grid as dense as our probes (64 strata -> 65 knots)
        try:
            xk2, yk2, ne2 = autoknots(f, a, b, rtol, atol / rtol if rtol else 0.0, spacing, n_init=65)
            t_ak2 = median_time(lambda: autoknots(f, a, b, rtol, atol / rtol if rtol else 0.0, spacing, n_init=65),
                                repeat)
            r_ak2 = ratio_of(CubicSpline(xk2, yk2))
            rows.append(("AK n0=65", xk2.size, ne2, r_ak2, t_ak2))
            n_ak2 = xk2.size if r_ak2 <= 1.0 else None
        except (DiscontinuityError, MaxKnotsError) as exc:
            rows.append(("AK n0=65", -1, -1, float("nan"), float("nan")))
            print(f"  AutoKnots (n0=65) failed on {name}: {exc}")
            n_ak2 = None
        # uniform
        n_u, cs_u, r_u = uniform_min(f, a, b, spacing, ratio_of)
        if n_u is None:
            rows.append(("uniform", -1, -1, r_u, float("nan")))
        else:
            xu = cs_u.x
            t_u = median_time(lambda: CubicSpline(xu, f(xu)), repeat)
            rows.append(("uniform", n_u, n_u, r_u, t_u))
        # Chebyshev
        t0 = time.perf_counter()
        coef, ne_c, conv, cmap = chebyshev_adaptive(f, a, b, rtol, atol, spacing)
        t_c = time.perf_counter() - t0
        r_c = ratio_of(lambda x: chebyshev_eval(coef, cmap, x), sub) if conv else float("nan")
        rows.append(("Chebyshev" if conv else "Cheb (n/c)", coef.size, ne_c, r_c, t_c))

        for meth, nk, ne, r, t in rows:
            vs = f"{nk / n_ak:.2f}x" if (n_ak and nk > 0) else "-"
            nk_s = str(nk) if nk > 0 else "fail"
            ne_s = str(ne) if ne > 0 else "-"
            print(f"{name:15s} | {meth:10s} | {nk_s:>7s} | {ne_s:>8s} | {r:11.3g} | {t * 1e3:8.1f} | {vs:>18s}")
        summary.append((name, r_ours <= 1.0, ak_met, n_ak is None or s.n_knots <= n_ak, r_ours,
                        s.n_knots / n_ak if n_ak else float("nan"), r_ak if n_ak else float("nan"),
                        s.n_knots / n_ak2 if n_ak2 else float("nan")))

    print()
    print("targets: tolerance met on every function (max err/tol <= 1); knots <= AutoKnots "
          "(where AutoKnots meets its tolerance)")
    for name, met, ak_met, fewer, r, q, rak, q2 in summary:
        if ak_met:
            kn = f"knots {q:.2f}x AutoKnots ({'ok' if fewer else 'MORE'})"
        else:
            kn = f"AutoKnots misses its tolerance ({rak:.3g}x); knots {q2:.2f}x AutoKnots n0=65, which meets it"
        print(f"  {name:15s} tolerance {'met' if met else 'MISSED'} ({r:.3g}); {kn}")
    print(f"  all met: {all(x[1] for x in summary)}; "
          f"<= AutoKnots wherever it meets the tolerance: {all(x[3] for x in summary if x[2])}")

    # ----------------------------------------------------------------------------------- throughput
    print()
    n_pts = 2_000_000
    print(f"evaluation throughput on {n_pts:.0e} points (median of {repeat + 2}), same knots for both")
    print(f"{'spline':28s} | {'order':7s} | {'ours ms':>8s} | {'scipy ms':>8s} | {'ours Mpts/s':>11s} | "
          f"{'speed-up':>8s}")
    rng = np.random.default_rng(1)
    for name in ("gauss s=0.003", "damped osc", "log [1e-6,1]"):
        f, a, b, spacing, atol_rel = FUNCTIONS[name]
        s = AdaptiveSpline.fit(f, a, b, rtol=rtol, atol=atol_rel * rtol, spacing=spacing)
        cs = CubicSpline(s.knots, s.values)
        if spacing == "log":
            xr = np.exp(rng.uniform(math.log(a), math.log(b), n_pts))
        else:
            xr = rng.uniform(a, b, n_pts)
        assert np.max(np.abs(s(xr) - cs(xr))) <= 1e-12 * max(1.0, float(np.max(np.abs(s.values))))
        for label, xx in (("random", xr), ("sorted", np.sort(xr))):
            t1 = median_time(lambda: s(xx), repeat + 2)
            t2 = median_time(lambda: cs(xx), repeat + 2)
            print(f"{name + f' ({s.n_knots} knots)':28s} | {label:7s} | {t1 * 1e3:8.1f} | {t2 * 1e3:8.1f} | "
                  f"{n_pts / t1 / 1e6:11.1f} | {t2 / t1:7.2f}x")
    print("target: >= 2x faster than scipy.interpolate.CubicSpline.__call__")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
