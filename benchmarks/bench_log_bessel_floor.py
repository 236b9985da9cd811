"""How far the log-Bessel speed-up can go with these algorithms: the CPU cells of bench_log_bessel.py timed three ways.

    python benchmarks/bench_log_bessel_floor.py [--quick]

For each cell that runs Debye's expansion (v >= 20) or Hankel's (v < 20, x past its threshold):

* ``ufunc``: the public ufunc (numerics.log_iv / log_kv), as in bench_log_bessel.py;
* ``passes``: only that expansion's vectorised passes on contiguous rows of the cell's points, 512 at a time: no
  sorting by region, no copies, no double-double fallback for the points whose error bound fails (their plain
  results are kept: this is a lower bound on the work, not a usable kernel);
* ``floor`` (Debye cells): one loop per point of the fast path's own set-up and result (``_debye_fast_a``: a
  square root and one division; ``_debye_fast_b``: the two logarithms, v log q and the rest, and the error bound)
  around a three-term sum (the cells need 3-16 terms): the arithmetic no evaluation of the expansion can skip.

The speed-up each would give against SciPy's log(ive) + x / log(kve) - x on the same points, and the median over
the 14 cells of bench_log_bessel.py if these cells ran at their ``passes`` or ``floor`` time (the other cells at
their ufunc time), are printed: the paper's 35x median is the target of issue 4.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import warnings

import numpy as np
from numba import njit

try:
    from benchmarks._common import machine_line
    from benchmarks.bench_log_bessel import REGIONS, cpu_median_time, scipy_log_iv, scipy_log_kv
except ImportError:  # run as a script
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from benchmarks._common import machine_line
    from benchmarks.bench_log_bessel import REGIONS, cpu_median_time, scipy_log_iv, scipy_log_kv

from numerics import _bessel_core as C  # noqa: E402
from numerics import bessel  # noqa: E402

CH = 512


@njit(cache=False, nogil=True)
def _passes(hankel, kind, v, x, out):
    # the expansion's passes on the cell's rows, CH points at a time (Debye: set-up, sums, result and gate)
    n = v.size
    W = np.empty((20, CH + 24))
    I = np.empty((10, CH + 24), dtype=np.int64)
    ok = np.empty(CH + 24, dtype=np.bool_)
    for c0 in range(0, n, CH):
        m = min(CH, n - c0)
        dv = v[c0:c0 + m]
        dx = x[c0:c0 + m]
        if hankel:
            C._hankel_run(kind, False, dv, dx, m, W, ok, I[4], out[c0:c0 + m])
            continue
        C._debye_pass1(dv, dx, m, False, W[2], W[3], W[5], W[8], ok)
        C._debye_masked_u(dv, W[5], W[8], m, 1.0 if kind == 0 else -1.0, ok, W[6], I[1], W, I)
        C._debye_pass2(kind, dv, dx, m, False, W[2], W[3], W[8], W[6], ok, out[c0:c0 + m])


def _debye_passes(kind, v, x, out):
    _passes(False, kind, v, x, out)


def _hankel_passes(kind, v, x, out):
    _passes(True, kind, v, x, out)


@njit(cache=False, nogil=True, error_model="numpy")
def _debye_floor(kind, v, x, out):
    # the fast path's own set-up and result (_debye_fast_a, _debye_fast_b) around a three-term sum, per point
    sign = 1.0 if kind == 0 else -1.0
    for j in range(v.size):
        q, t, rs, s, ok = C._debye_fast_a(v[j], x[j], True)
        U = C._debye_u(t * t, sign * rs, 3)
        out[j] = C._debye_fast_b(kind, v[j], s, q, rs, U, 0.0)[0]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="50k points per cell, 5 repeats")
    a = ap.parse_args(argv)
    n, repeat = (50_000, 5) if a.quick else (200_000, 11)
    print(machine_line())
    rng = np.random.default_rng(0)  # the cells of bench_log_bessel.py: same generator, same order
    rows = []
    for name, fv, fx in REGIONS:
        v = fv(rng, n)
        x = fx(rng, n, v)
        for kind, label, ours, theirs in [(0, "log_iv", bessel.log_iv, scipy_log_iv),
                                          (1, "log_kv", bessel.log_kv, scipy_log_kv)]:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                fin = np.isfinite(theirs(v, x))
            vf, xf = v[fin], x[fin]
            if vf.size < n // 4:
                vf, xf = np.tile(vf, -(-(n // 4) // max(vf.size, 1))), np.tile(xf, -(-(n // 4) // max(vf.size, 1)))
            deb = (vf >= C.V_DEBYE) & (xf > 0) & (xf < C.HUGE_ARG)
            hk = (vf < C.V_DEBYE) & (xf >= C.hankel_threshold_py(vf))
            if deb.mean() > 0.95:
                sel, passes, floor, what = deb, _debye_passes, _debye_floor, "Debye"
            elif hk.mean() > 0.95:
                sel, passes, floor, what = hk, _hankel_passes, None, "Hankel"
            else:
                sel, passes, floor, what = None, None, None, "-"
            if sel is not None:
                vf, xf = vf[sel].copy(), xf[sel].copy()
            with np.errstate(all="ignore"):
                t_s = cpu_median_time(lambda: theirs(vf, xf), repeat) / vf.size * 1e9
            out = np.empty_like(vf)
            t_o = cpu_median_time(lambda: ours(vf, xf, out=out), repeat) / vf.size * 1e9
            t_p = t_f = math.nan
            if passes is not None:
                passes(kind, vf, xf, out)
                t_p = cpu_median_time(lambda: passes(kind, vf, xf, out), repeat) / vf.size * 1e9
            if floor is not None:
                floor(kind, vf, xf, out)
                t_f = cpu_median_time(lambda: floor(kind, vf, xf, out), repeat) / vf.size * 1e9
            rows.append((name, label, what, t_s, t_o, t_p, t_f))
    print("\nns per point (median thread CPU time); speed-up = SciPy / that time")
    print("| region | function | expansion | SciPy ns | ufunc ns | passes ns | floor ns | ufunc | passes | floor |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, label, what, t_s, t_o, t_p, t_f in rows:
        def r(t):
            return "-" if math.isnan(t) else f"{t_s / t:.1f}x"

        def f(t):
            return "-" if math.isnan(t) else f"{t:.1f}"
        print(f"| {name} | {label} | {what} | {t_s:.1f} | {t_o:.1f} | {f(t_p)} | {f(t_f)} | {r(t_o)} | {r(t_p)} "
              f"| {r(t_f)} |")
    med_o = statistics.median(t_s / t_o for *_, t_s, t_o, t_p, t_f in rows)
    med_p = statistics.median(t_s / (t_o if math.isnan(t_p) else t_p) for *_, t_s, t_o, t_p, t_f in rows)
    med_f = statistics.median(t_s / next(t for t in (t_f, t_p, t_o) if not math.isnan(t))
                              for *_, t_s, t_o, t_p, t_f in rows)
    print(f"\nmedian over the 14 cells: ufuncs {med_o:.1f}x; with the expansion cells at their passes' time "
          f"{med_p:.1f}x; at the floor (Hankel cells at their passes) {med_f:.1f}x; target 35x")


if __name__ == "__main__":
    main()
