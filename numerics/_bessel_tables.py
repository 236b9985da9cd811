"""Constant tables for the log-Bessel kernels, built exactly at import (rational arithmetic and mpmath).

* Debye polynomials (DLMF 10.41.10-12): $u_k(t) = t^k p_k(t^2)$ and
  $v_k(t) - u_k(t) = -t^k (1 - t^2) g_k(t^2)$ with
  $g_k(y) = (k - 1/2) p_{k-1}(y) + 2 y p_{k-1}'(y)$.  Coefficients are exact rationals rounded once to double.
* ``DEBYE_VMIN[K]``: the smallest order for which $K$ Debye terms leave a truncation error below ``1e-17``
  (from $\\max_{t\\in[0,1]}|u_{K+1}(t)|$, measured at 60 digits and stored in ``_DEBYE_MAX``).
* A 256-entry table of $\\log c_j$ (as double-double) for the double-double logarithm.
* Taylor coefficients of $1/\\Gamma(1+\\mu)$ for Temme's series.

Numba freezes these arrays into the cached machine code of ``numerics/_bessel_core.py``; after changing
anything here, touch that file so that the cache is rebuilt.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np

N_DEBYE = 16  # highest Debye term kept
DEBYE_KS = 6  # the batch loops' split of the Debye sums (see debye_block_source)

# max_{t in [0,1]} |u_k(t)| for k = 1..20, evaluated at 60 digits on a 1001-point grid (rounded up).
_DEBYE_MAX = [0.0834, 0.0327, 0.0164, 0.0202, 0.0208, 0.0404, 0.0654, 0.171, 0.382, 1.24, 3.56, 13.8,
              48.2, 218.0, 899.0, 4630.0, 22020.0, 127600.0, 687100.0, 4.42e6]


def _debye_polys(n: int):
    """Return lists p_k(y) and g_k(y) (k = 0..n) of Fraction coefficients, lowest power first."""

    def deriv(p):
        return [i * p[i] for i in range(1, len(p))] or [Fraction(0)]

    def mul(p, q):
        r = [Fraction(0)] * (len(p) + len(q) - 1)
        for i, a in enumerate(p):
            if a:
                for j, b in enumerate(q):
                    r[i + j] += a * b
        return r

    def add(p, q):
        m = max(len(p), len(q))
        return [(p[i] if i < len(p) else 0) + (q[i] if i < len(q) else 0) for i in range(m)]

    u = [[Fraction(1)]]  # u_k(t) in powers of t
    for k in range(n):
        a = mul([Fraction(0), Fraction(0), Fraction(1, 2), Fraction(0), Fraction(-1, 2)], deriv(u[k]))
        b = mul([Fraction(1), Fraction(0), Fraction(-5)], u[k])
        b = [Fraction(0)] + [c / (8 * (i + 1)) for i, c in enumerate(b)]
        u.append(add(a, b))
    p = []
    for k, c in enumerate(u):
        c = c + [Fraction(0)] * (3 * k + 1 - len(c))
        p.append([c[k + 2 * i] for i in range(k + 1)])
    g = [[Fraction(0)]]
    for k in range(1, n + 1):
        q = p[k - 1]
        g.append([Fraction(2 * k - 1, 2) * q[i] + 2 * i * q[i] for i in range(len(q))])
    return p, g


def _flatten(polys):
    off = np.zeros(len(polys) + 1, dtype=np.int64)
    flat = []
    for k, c in enumerate(polys):
        off[k] = len(flat)
        flat.extend(float(x) for x in c)
    off[len(polys)] = len(flat)
    return np.array(flat, dtype=np.float64), off


_p, _g = _debye_polys(N_DEBYE + 1)
DEBYE_P, DEBYE_P_OFF = _flatten(_p[: N_DEBYE + 1])
DEBYE_G, DEBYE_G_OFF = _flatten(_g[: N_DEBYE + 1])


# DEBYE_VMIN[K]: K terms suffice for every t once v >= DEBYE_VMIN[K] (index 0 unused); the kernels refine
# this per bin of t with DEBYE_VMIN_T below.
DEBYE_VMIN = np.array([np.inf] + [(_DEBYE_MAX[k] / 1e-17) ** (1.0 / (k + 1)) for k in range(1, N_DEBYE + 1)])

T_BINS = 16


def _bin_max(c, k):
    """1.5 x max |t^k p(t^2)| over each of T_BINS bins of t in [0, 1] (float Horner; only a bound is needed)."""
    out = np.empty(T_BINS)
    for b in range(T_BINS):
        t = np.linspace(b / T_BINS, (b + 1) / T_BINS, 257)
        y = t * t
        acc = np.zeros_like(y)
        for a in reversed(c):
            acc = acc * y + float(a)
        out[b] = 1.5 * float(np.abs(acc * t**k).max())
    return out


def _vmin_table(polys):
    # VMIN[b, K]: K terms suffice for every t in bin b once v >= VMIN[b, K] (next term below 1e-17)
    tab = np.full((T_BINS, N_DEBYE + 1), np.inf)
    for K in range(1, N_DEBYE + 1):
        m = _bin_max(polys[K + 1], K + 1)
        tab[:, K] = (np.maximum(m, 1e-300) / 1e-17) ** (1.0 / (K + 1))
    return tab


# The terms are u_k(t)/v^k = (t/v)^k p_k(t^2); bounding them per bin of t lets x >> v (small t) use few terms.
DEBYE_VMIN_T = _vmin_table(_p)
DEBYE_VMIN_TG = _vmin_table(_g)


# DEBYE_NT1[tb * NT1_NV + vb]: the Debye term count for t in bin tb and v in the quarter octave vb, i.e.
# v = m 2^e with m in [1/2, 1), vb = 4 (e - 5) + floor(8 m) - 4, clamped to [0, NT1_NV - 1] (v >= 20: e >= 5): the
# count DEBYE_VMIN_T gives at the bin's smallest v (or 20), so at least the count of every v in it; one table
# load per point where the binary search over DEBYE_VMIN_T took four dependent ones.  From 2^27 = 1.3e8 on every
# bin needs one term (DEBYE_VMIN_T[:, 1] < 7.1e7).
NT1_NV = 92


def _nt1_table():
    out = np.empty(T_BINS * NT1_NV, dtype=np.int64)
    for tb in range(T_BINS):
        for vb in range(NT1_NV):
            e, q = 5 + vb // 4, vb % 4
            v = max(20.0, (0.5 + q / 8.0) * 2.0**e)
            out[tb * NT1_NV + vb] = 1 + min(15, int(np.sum(v < DEBYE_VMIN_T[tb, 1:])))
    return out


DEBYE_NT1 = _nt1_table()

# double-double log table: c_j = 1/2 + (j + 1/2)/512, j = 0..255
LOGTAB_C = np.array([0.5 + (j + 0.5) / 512 for j in range(256)])
LOGTAB_INV = 1.0 / LOGTAB_C  # rounded reciprocals: the kernel corrects with an exact residual
with mpmath.workdps(50):
    _lc = [mpmath.log(mpmath.mpf(c)) for c in LOGTAB_C]
    LOGTAB_HI = np.array([float(x) for x in _lc])
    LOGTAB_LO = np.array([float(x - mpmath.mpf(float(x))) for x in _lc])
    _ln2 = mpmath.log(2)
    LN2_HI = float(mpmath.mpf(int(_ln2 * 2**40)) / 2**40)  # 40 bits: e * LN2_HI is exact
    LN2_LO = float(_ln2 - mpmath.mpf(LN2_HI))
    _l2pi = mpmath.log(2 * mpmath.pi)
    LOG2PI_HI = float(_l2pi)
    LOG2PI_LO = float(_l2pi - mpmath.mpf(LOG2PI_HI))
    # 1/Gamma(1+mu) = sum_k RGAMMA1[k] mu^k = exp(-log Gamma(1+mu)), with
    # -log Gamma(1+mu) = gamma mu - sum_{k>=2} (-1)^k zeta(k) mu^k / k   (exponentiated as a power series)
    _a = [mpmath.mpf(0), +mpmath.euler] + [-((-1) ** k) * mpmath.zeta(k) / k for k in range(2, 29)]
    _b = [mpmath.mpf(1)]
    for _n in range(1, 29):
        _b.append(sum(_k * _a[_k] * _b[_n - _k] for _k in range(1, _n + 1)) / _n)
    RGAMMA1 = np.array([float(c) for c in _b])


def _horner_fma_src(coeffs, var: str) -> str:
    """Horner form with one fused multiply-add per step: ``fma(var, fma(var, c2, c1), c0)`` (exact literals).

    Numba does not contract ``a * b + c`` (no fast-math), so the plain form costs a multiply and an add per
    coefficient; with fused steps the long Debye polynomials cost half (and each step rounds once)."""
    s = repr(float(coeffs[-1]))
    for a in reversed(coeffs[:-1]):
        s = f"_fmaf({var}, {s}, {float(a)!r})"
    return s


def debye_block_source() -> str:
    """Source of the straight-line Debye sums pasted into ``_bessel_core.py`` (between the GENERATED markers).

    Loops over table offsets with variable trip counts defeat LLVM's unrolling once they are inlined into
    the large ufunc bodies (measured: 2.5x slower there than alone); the unrolled form evaluates the same
    Horner recurrences on the same rounded coefficients, so results are bit-identical to the table loops.
    ``tests/numerics/test_bessel_speed_paths.py`` checks that the pasted block equals this output.
    """
    out = []
    for name, polys, what in [("_debye_u", DEBYE_P, DEBYE_P_OFF), ("_debye_g", DEBYE_G, DEBYE_G_OFF)]:
        tab, off = polys, what
        out.append("@_jit")
        out.append(f"def {name}(y, w, nterms):")
        out.append("    wk = w")
        out.append(f"    S = wk * {_horner_fma_src(tab[off[1]:off[2]], 'y')}")
        for k in range(2, N_DEBYE + 1):
            out.append(f"    if nterms < {k}:")
            out.append("        return S")
            out.append("    wk *= w")
            out.append(f"    S = _fmaf(wk, {_horner_fma_src(tab[off[k]:off[k + 1]], 'y')}, S)")
        out.append("    return S")
        out.append("")
        out.append("")
    # The same sums for a whole list of points, each with its own number of terms nt[i] <= K (straight-line,
    # branch-free: LLVM vectorises it): beyond k = nt[i] the power wk is set to zero (a select), so each later
    # term adds an exact zero and the sum is that of stopping at nt[i]: the same operations in the same order as
    # _debye_u(y, w, nt[i]), bit-identical.  (Selecting the sum itself, S = S + term if k <= nt[i] else S, left
    # every loop of 7 or more terms scalar: LLVM's vectoriser gave up on the chain of selects; 2.4-2.7x slower.)
    # The batch kernels run the loop of the largest count in their list, with no sorting of the points.
    tab, off = DEBYE_P, DEBYE_P_OFF

    def loop(head, k0, k1, resume, tail):
        # a loop over the points adding the terms k0..k1 (k0 = 1: from scratch; else from U, WK), masked by nt[i]
        out.extend(["@_jit", head, "    for i in range(n):", "        t = dt[i]", "        y = t * t",
                    "        w = sign * dr[i]", "        c = nt[i]"])
        if resume:
            out.extend(["        wk = WK[i]", "        S = U[i]"])
        else:
            out.extend(["        wk = w", f"        S = wk * {_horner_fma_src(tab[off[1]:off[2]], 'y')}"])
        for k in range(k0, k1 + 1):
            out.append(f"        wk = wk * w if c >= {k} else 0.0")
            out.append(f"        S = _fmaf(wk, {_horner_fma_src(tab[off[k]:off[k + 1]], 'y')}, S)")
        out.extend(["        U[i] = S"] + tail + ["", ""])

    for K in range(1, N_DEBYE + 1):
        loop(f"def _debye_um_loop{K}(dr, dt, sign, nt, U, n):", 2, K, False, [])
    # Split sums for lists whose counts differ widely (v from 20 up in one list: up to 16 terms for some points,
    # 3 for others): the first DEBYE_KS terms for every point (the power w^KS kept in WK), then the later terms
    # for the points that need them, compacted (_debye_um_tailK continues the same recurrence: bit-identical).
    loop("def _debye_um_head(dr, dt, sign, nt, U, WK, n):", 2, DEBYE_KS, False, ["        WK[i] = wk"])
    for K in range(DEBYE_KS + 1, N_DEBYE + 1):
        loop(f"def _debye_um_tail{K}(dr, dt, sign, nt, U, WK, n):", DEBYE_KS + 1, K, True, [])

    def dispatch(head, doc, name, k0, args):
        out.extend(["@_jit", head, f'    """{doc}"""'])
        for K in range(k0, N_DEBYE + 1):
            out.append(f"    {'if' if K == k0 else 'elif'} K <= {K}:")
            out.append(f"        {name}{K}({args})")
        out.extend(["", ""])

    dispatch("def _debye_um_tail(dr, dt, sign, nt, U, WK, n, K):",
             f"The terms {DEBYE_KS + 1}..nt[i] <= K of the sums _debye_um_head began (U, WK: its sums and powers).",
             "_debye_um_tail", DEBYE_KS + 1, "dr, dt, sign, nt, U, WK, n")
    dispatch("def _debye_um(dr, dt, sign, nt, U, n, K):",
             "U[i] = _debye_u(t^2, sign r, nt[i]) for i < n (t = dt[i] = v/s, r = dr[i] = 1/s), all nt[i] <= K.",
             "_debye_um_loop", 1, "dr, dt, sign, nt, U, n")
    return "\n".join(out).rstrip("\n") + "\n"
