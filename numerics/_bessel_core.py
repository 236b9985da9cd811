"""Scalar kernels for log I_v(x), log K_v(x) and friends (float64), shared by the CPU and GPU ufuncs.

This file is compiled twice from the same source: here with ``numba.njit`` (CPU), and by
``numerics.cuda`` with ``numba.cuda.jit(device=True)`` (it re-executes this source with ``_BACKEND = "cuda"``).
So: only scalar float arithmetic, ``math`` functions and global constant arrays; no NumPy calls.

Regimes (v >= 0, 0 < x < inf; thresholds chosen by measurement against Arb, see tests/numerics):

* ``v >= V_DEBYE`` (20): the uniform (Debye) expansion for every x, with
  $\\log I = s + v\\log\\frac{x}{v+s} - \\tfrac12\\log(2\\pi s) + \\log(1 + \\sum_k u_k(t)/v^k)$,
  $s = \\sqrt{v^2+x^2}$, $t = v/s$ (and the mirror image for K).  The large term
  $s + v\\log(x/(v+s))$ is formed in double-double arithmetic: it cancels to O(1) near the zero of
  $\\eta(z)$ while each piece is O(v).  The number of terms K comes from ``DEBYE_VMIN``.
* ``v < 20``, I: the power series (all terms positive) for ``x < X_H(v)``, the Hankel expansion beyond.
* ``v < 20``, K: $v = n + \\mu$, $|\\mu| \\le 1/2$; Temme's series (x <= 2) or Steed's continued fraction CF2
  (2 < x < X_H) give $K_\\mu$ and $K_{\\mu+1}/K_\\mu$, then the (stable) forward recurrence in ratio form;
  Hankel (all terms positive) for ``x >= X_H(v)``.
* ``log_iv_ratio`` = $\\log(I_{v+1}/I_v)$ with relative accuracy also when it is tiny (x << v) or when the
  ratio is close to 1 (x >> v): Debye derivative polynomials $g_k$ for v >= 20, Hankel differences or the
  Gauss continued fraction (modified Lentz) below.
"""

import math

import numpy as np  # noqa: F401  (kept for numba typing of global arrays)

try:  # the CUDA module injects _BACKEND before executing this source
    _BACKEND  # noqa: B018
except NameError:
    _BACKEND = "cpu"

from numerics._bessel_tables import (
    DEBYE_G,
    DEBYE_G_OFF,
    DEBYE_P,
    DEBYE_P_OFF,
    DEBYE_VMIN_T,
    DEBYE_VMIN_TG,
    LN2_HI,
    LN2_LO,
    LOG2PI_HI,
    LOG2PI_LO,
    LOGTAB_C,
    LOGTAB_HI,
    LOGTAB_INV,
    LOGTAB_LO,
    N_DEBYE,
    RGAMMA1,
)

from numba import float64 as _f64  # explicit cast: Numba's float() keeps float32 as float32

if _BACKEND == "cpu":
    from numba import njit

    def _jit(f):
        return njit(cache=True, nogil=True, error_model="numpy")(f)
else:  # pragma: no cover - GPU only
    from numba import cuda

    def _jit(f):
        return cuda.jit(device=True)(f)


V_DEBYE = 20.0
EPS = 1.1102230246251565e-16
HUGE_ARG = 1e150  # above this the double-double path is skipped (no Dekker split overflow)
PI = math.pi
LOG_PI_2 = 0.4515827052894548  # log(pi/2)
EULER = 0.5772156649015329

# ---------------------------------------------------------------------------------------------
# double-double primitives
# ---------------------------------------------------------------------------------------------

if _BACKEND == "cpu":
    from llvmlite import ir as _ir
    from numba.core import cgutils as _cgutils
    from numba.core import types as _types
    from numba.core.extending import intrinsic as _intrinsic

    @_intrinsic
    def _fma(typingctx, a, b, c):
        # llvm.fma: one hardware instruction where the CPU has FMA (Numba compiles for the host CPU), else the
        # correctly rounded libm fma.  Python's math has no fma before 3.13 and Numba exposes none.
        sig = _types.float64(_types.float64, _types.float64, _types.float64)

        def codegen(context, builder, signature, args):
            d = _ir.DoubleType()
            fn = _cgutils.get_or_insert_function(builder.module, _ir.FunctionType(d, [d, d, d]), "llvm.fma.f64")
            return builder.call(fn, args)

        return sig, codegen

    @_jit
    def two_prod(a, b):
        # exact product: a b = p + e
        p = a * b
        return p, _fma(a, b, -p)

else:  # pragma: no cover - GPU only

    @_jit
    def two_prod(a, b):
        p = a * b
        return p, cuda.fma(a, b, -p)


@_jit
def two_sum(a, b):
    s = a + b
    bb = s - a
    e = (a - (s - bb)) + (b - bb)
    return s, e


@_jit
def fast_two_sum(a, b):
    s = a + b
    e = b - (s - a)
    return s, e


@_jit
def dd_add(ah, al, bh, bl):
    s, e = two_sum(ah, bh)
    e += al + bl
    return fast_two_sum(s, e)


@_jit
def dd_mul_d(ah, al, b):
    p, e = two_prod(ah, b)
    e += al * b
    return fast_two_sum(p, e)


@_jit
def dd_sqrt(ah, al):
    q = math.sqrt(ah)
    p, e = two_prod(q, q)
    c = ((ah - p) - e + al) / (2.0 * q)
    return fast_two_sum(q, c)


@_jit
def dd_log(ah, al):
    """log(ah + al) as a double-double, for ah > 0 finite (absolute error ~1e-32 * max(1, |log|))."""
    m, e = math.frexp(ah)  # ah = m 2^e, m in [0.5, 1)
    bl = (al / ah) * m  # al 2^-e (only a correction: one rounding is harmless)
    j = int((m - 0.5) * 512.0)
    if j > 255:
        j = 255
    c = LOGTAB_C[j]
    ic = LOGTAB_INV[j]
    d = m - c  # exact (Sterbenz)
    dh, dl = two_sum(d, bl)
    # delta = (dh + dl) / c as a double-double, without a division: q ~ dh/c, residual dh - q c exact
    qh = dh * ic
    p, pe = two_prod(qh, c)
    ql = ((dh - p) - pe + dl) * ic
    qh, ql = fast_two_sum(qh, ql)
    # log1p(delta) = delta - delta^2/2 + delta^3 (1/3 - delta/4 + ...),  |delta| <= 2^-9
    s2, s2e = two_prod(qh, qh)
    y = qh
    tail = y * y * y * (1.0 / 3.0 - y * (0.25 - y * (0.2 - y * (1.0 / 6.0 - y * (1.0 / 7.0 - y * 0.125)))))
    lo = ql - 0.5 * s2e - qh * ql + tail + LOGTAB_LO[j] + e * LN2_LO
    h, l1 = two_sum(e * LN2_HI, LOGTAB_HI[j])
    h, l2 = two_sum(h, qh)
    h, l3 = two_sum(h, -0.5 * s2)
    return fast_two_sum(h, l1 + l2 + l3 + lo)


# ---------------------------------------------------------------------------------------------
# Debye (uniform) expansion, v >= 20
# ---------------------------------------------------------------------------------------------


@_jit
def _debye_sums(v, t, sign, nterms_unused, want_g):
    """U = sum_{k>=1} (sign t/v)^k p_k(t^2);  G = sum_k (sign t/v)^k g_k(t^2).

    The number of terms follows from v and bounds of |u_k|, |t^k g_k| over the bin of t (DEBYE_VMIN_T).
    """
    y = t * t
    tb = int(t * 16.0)
    if tb > 15:
        tb = 15
    nterms = 1
    if want_g:
        while nterms < N_DEBYE and v < DEBYE_VMIN_TG[tb, nterms]:
            nterms += 1
    else:
        while nterms < N_DEBYE and v < DEBYE_VMIN_T[tb, nterms]:
            nterms += 1
    w = sign * t / v
    wk = 1.0
    U = 0.0
    G = 0.0
    for k in range(1, nterms + 1):
        wk *= w
        a = DEBYE_P_OFF[k]
        b = DEBYE_P_OFF[k + 1] - 1
        acc = DEBYE_P[b]
        for i in range(b - 1, a - 1, -1):
            acc = acc * y + DEBYE_P[i]
        U += wk * acc
        if want_g:
            a = DEBYE_G_OFF[k]
            b = DEBYE_G_OFF[k + 1] - 1
            acc = DEBYE_G[b]
            for i in range(b - 1, a - 1, -1):
                acc = acc * y + DEBYE_G[i]
            G += wk * acc
    return U, G


@_jit
def _debye_main(v, x, shift):
    """(hi, lo) of  s + v log(x / (v + s)) - shift  in double-double, s = sqrt(v^2 + x^2); also s."""
    if v < HUGE_ARG and x < HUGE_ARG:
        a, ae = two_prod(v, v)
        b, be = two_prod(x, x)
        sh, sl = dd_add(a, ae, b, be)
        sh, sl = dd_sqrt(sh, sl)
        wh, wl = dd_add(v, 0.0, sh, sl)
        qh = x / wh
        if qh > 1e-290:
            # q = x / (v + s) as a double-double, then one logarithm
            p, pe = two_prod(qh, wh)
            ql = ((x - p) - pe - qh * wl) / wh
            lh, ll = dd_log(qh, ql)
        else:  # q would underflow: two logarithms
            l1h, l1l = dd_log(x, 0.0)
            l2h, l2l = dd_log(wh, wl)
            lh, ll = dd_add(l1h, l1l, -l2h, -l2l)
        mh, ml = dd_mul_d(lh, ll, v)
        mh, ml = dd_add(mh, ml, sh, sl)
        mh, ml = dd_add(mh, ml, -shift, 0.0)
        return mh, ml, sh, math.log(sh) + sl / sh
    # huge arguments: plain double arithmetic with scaling (no overflow; s itself may overflow)
    if x > v:
        q = v / x
        r = math.sqrt(1.0 + q * q)
        # v + s = x (q + r), so log(x/(v+s)) = -asinh(q) and s + v log(x/(v+s)) = x (r - q asinh(q))
        val = x * (r - q * math.asinh(q)) - shift
        logs = math.log(x) + 0.5 * math.log1p(q * q)
        s = x * r
    else:
        q = x / v
        r = math.sqrt(1.0 + q * q)
        # log(x/(v+s)) = log(q) - log1p(r), with log(q) = log(x) - log(v) (q may underflow)
        val = v * (r + (math.log(x) - math.log(v)) - math.log1p(r)) - shift
        logs = math.log(v) + 0.5 * math.log1p(q * q)
        s = v * r
    return val, 0.0, s, logs


@_jit
def debye_log_iv(v, x, scaled):
    mh, ml, s, logs = _debye_main(v, x, x if scaled else 0.0)
    t = v / s
    U, G = _debye_sums(v, t, 1.0, 0, False)
    rest = -0.5 * (LOG2PI_HI + logs) + math.log1p(U) + (ml - 0.5 * LOG2PI_LO)
    return mh + rest


@_jit
def debye_log_kv(v, x, scaled):
    mh, ml, s, logs = _debye_main(v, x, x if scaled else 0.0)  # -(main - x) = log K + x
    t = v / s
    U, G = _debye_sums(v, t, -1.0, 0, False)
    # log K = -(s + v log(x/(v+s))) + 1/2 log(pi / (2 s)) + log(U)
    rest = 0.5 * (LOG_PI_2 - logs) + math.log1p(U) - ml
    return -mh + rest


# ---------------------------------------------------------------------------------------------
# small order (v < 20): power series, Hankel, Temme, Steed CF2
# ---------------------------------------------------------------------------------------------


HANKEL_X0 = 25.0
HANKEL_A = 0.55
HANKEL_B = 6.0


def hankel_threshold_py(v):
    return max(HANKEL_X0, HANKEL_A * v * v + HANKEL_B * v)


@_jit
def hankel_threshold(v):
    # x beyond which Hankel's expansion is used for v < 20 (measured: terms first shrink, little cancellation)
    return max(HANKEL_X0, HANKEL_A * v * v + HANKEL_B * v)


@_jit
def ps_log_iv(v, x, scaled):
    """log I_v(x) (minus x if scaled) from the power series; accurate for all x but costs ~x/2 terms."""
    y = 0.25 * x * x
    term = math.exp(-x) if scaled else 1.0
    S = term
    k = 1.0
    while True:
        term *= y / (k * (v + k))
        S += term
        if term < 1e-17 * S and k > 0.5 * x:
            break
        k += 1.0
    # v log(x/2) in double-double
    lh, ll = dd_log(x, 0.0)
    lh, ll = dd_add(lh, ll, -LN2_HI, -LN2_LO)
    mh, ml = dd_mul_d(lh, ll, v)
    gh, gl = dd_lgamma1p(v)
    mh, ml = dd_add(mh, ml, -gh, -gl)
    return mh + (ml + math.log(S))


@_jit
def dd_lgamma1p(v):
    """log Gamma(1 + v) as a double-double for 0 <= v < ~25:  Gamma(1+v) = Gamma(1+f) prod_{j=1}^n (f+j)."""
    n = math.floor(v + 0.5)
    f = v - n
    ph = 1.0
    pl = 0.0
    j = 1.0
    while j <= n:
        # (f + j) is exact for the |f| <= 1/2, j <= 25 used here up to one rounding; keep it as a double-double
        ah, al = two_sum(f, j)
        p, e = two_prod(ph, ah)
        e += pl * ah + ph * al
        ph, pl = fast_two_sum(p, e)
        j += 1.0
    lh, ll = dd_log(ph, pl)
    # log Gamma(1+f) = -log(1/Gamma(1+f)), |f| <= 1/2: series value ~1, log1p of a small correction
    rg = 0.0
    for i in range(RGAMMA1.shape[0] - 1, 0, -1):
        rg = rg * f + RGAMMA1[i]
    rg *= f  # 1/Gamma(1+f) - 1
    return fast_two_sum(lh, ll - math.log1p(rg))


@_jit
def hankel_sum(v, x, sign):
    """sum_k sign^k a_k(v)/x^k (asymptotic); stops at the smallest term."""
    mu4 = 4.0 * v * v
    term = 1.0
    S = 1.0
    prev = 1e300
    for k in range(1, 80):
        f = (mu4 - (2.0 * k - 1.0) * (2.0 * k - 1.0)) / (8.0 * k * x)
        term *= sign * f
        a = abs(term)
        if a > prev:
            break
        S += term
        if a < 1e-17 * abs(S):
            break
        prev = a
    return S


@_jit
def hankel_log_iv(v, x, scaled):
    # log I = x - 1/2 log(2 pi x) + log(sum (-1)^k a_k / x^k)
    S = hankel_sum(v, x, -1.0)
    base = 0.0 if scaled else x
    return base - 0.5 * (LOG2PI_HI + math.log(x)) + math.log(S)


@_jit
def hankel_log_kv(v, x, scaled):
    S = hankel_sum(v, x, 1.0)
    base = 0.0 if scaled else -x
    return base + 0.5 * (LOG_PI_2 - math.log(x)) + math.log(S)


@_jit
def _rgamma1(mu):
    # 1/Gamma(1+mu), |mu| <= 1/2
    acc = 0.0
    for i in range(RGAMMA1.shape[0] - 1, -1, -1):
        acc = acc * mu + RGAMMA1[i]
    return acc


@_jit
def _gam12(mu):
    # Gamma1 = (1/Gamma(1-mu) - 1/Gamma(1+mu)) / (2 mu) = -sum_{k odd} c_k mu^(k-1)
    # Gamma2 = (1/Gamma(1-mu) + 1/Gamma(1+mu)) / 2 = sum_{k even} c_k mu^k
    m2 = mu * mu
    g1 = 0.0
    g2 = 0.0
    n = RGAMMA1.shape[0]
    top = n - 1
    for i in range(top, -1, -1):
        if i % 2 == 1:
            g1 = g1 * m2 + RGAMMA1[i]
        else:
            g2 = g2 * m2 + RGAMMA1[i]
    return -g1, g2


@_jit
def temme_kmu(mu, x):
    """(log K_mu(x), x K_{mu+1}(x)/K_mu(x)) for |mu| <= 1/2, 0 < x <= 2 (Temme's series)."""
    x2 = 0.5 * x
    lx = LN2_HI - math.log(x) + LN2_LO  # log(2/x); x/2 may underflow

    sig = mu * lx
    if abs(sig) < 1e-8:
        shs = 1.0 + sig * sig / 6.0
    else:
        shs = math.sinh(sig) / sig
    ch = math.cosh(sig)
    pim = PI * mu
    if abs(pim) < 1e-8:
        fact = 1.0 + pim * pim / 6.0
    else:
        fact = pim / math.sin(pim)
    g1, g2 = _gam12(mu)
    rp = _rgamma1(mu)  # 1/Gamma(1+mu)
    rm = _rgamma1(-mu)  # 1/Gamma(1-mu)
    ff = fact * (g1 * ch + g2 * lx * shs)
    e = math.exp(sig)  # (x/2)^(-mu)
    p = 0.5 * e / rp  # 1/2 (x/2)^-mu Gamma(1+mu)
    q = 0.5 / (e * rm)  # 1/2 (x/2)^mu Gamma(1-mu)
    c = 1.0
    d = x2 * x2
    s = ff
    s1 = p
    k = 1.0
    while k < 500.0:
        ff = (k * ff + p + q) / (k * k - mu * mu)
        c *= d / k
        p /= k - mu
        q /= k + mu
        de = c * ff
        s += de
        s1 += c * (p - k * ff)
        if abs(de) < 1e-17 * abs(s):
            break
        k += 1.0
    # K_mu = s, K_{mu+1} = s1 * 2/x
    return math.log(s), 2.0 * s1 / s


@_jit
def steed_kmu(mu, x, scaled):
    """(log K_mu(x), K_{mu+1}(x)/K_mu(x)) for |mu| <= 1/2, x > 2 (Steed / Temme CF2)."""
    b = 2.0 * (1.0 + x)
    d = 1.0 / b
    h = d
    delh = d
    q1 = 0.0
    q2 = 1.0
    a1 = 0.25 - mu * mu
    q = a1
    c = a1
    a = -a1
    s = 1.0 + q * delh
    i = 2.0
    while i < 10000.0:
        a -= 2.0 * (i - 1.0)
        c = -a * c / i
        qnew = (q1 - b * q2) / a
        q1 = q2
        q2 = qnew
        q += c * qnew
        b += 2.0
        d = 1.0 / (b + a * d)
        delh = (b * d - 1.0) * delh
        h += delh
        dels = q * delh
        s += dels
        if abs(dels) < 1e-17 * abs(s):
            break
        i += 1.0
    h = a1 * h
    # returned without the -x (the caller adds it last: it is exact and usually the largest part)
    logk = 0.5 * (LOG_PI_2 - math.log(x)) - math.log(s)
    return logk, (mu + x + 0.5 - h) / x


@_jit
def small_log_kv(v, x, scaled, want_ratio):
    """(log K_v(x), x K_{v+1}(x)/K_v(x)) for 0 <= v < 20."""
    n = math.floor(v + 0.5)
    mu = v - n
    base = 0.0
    if x <= 2.0:
        lk, R = temme_kmu(mu, x)
        if scaled:
            lk += x
    else:
        lk, r = steed_kmu(mu, x, scaled)
        R = r * x
        if not scaled:
            base = -x
    # forward recurrence in ratio form, scaled by x so that nothing overflows for tiny x:
    # R_j = x K_{mu+j+1}/K_{mu+j} = 2(mu+j) + x^2 / R_{j-1}   (all terms positive for j >= 1: stable)
    x2 = x * x
    prod = 1.0
    j = 1.0
    while j <= n:
        prod *= R
        R = 2.0 * (mu + j) + x2 / R
        j += 1.0
    if n > 0.0:
        if x < 1.0:
            lk += math.log(prod) - n * math.log(x)
        else:
            base += math.log(prod / x ** n) if x < 1e15 else math.log(prod) - n * math.log(x)
    return base + lk, R  # R = x K_{v+1}/K_v


@_jit
def _is_int(v):
    # math.floor returns an int64 in Numba: only call it where that cannot overflow
    if abs(v) >= 4503599627370496.0:  # 2^52: every double this large is an integer
        return True
    return v == math.floor(v)


# ---------------------------------------------------------------------------------------------
# public scalar kernels (v >= 0, x > 0 finite, already checked by the wrappers)
# ---------------------------------------------------------------------------------------------


@_jit
def core_log_iv(v, x, scaled):
    if v >= V_DEBYE:
        return debye_log_iv(v, x, scaled)
    if x >= hankel_threshold(v):
        return hankel_log_iv(v, x, scaled)
    return ps_log_iv(v, x, scaled)


@_jit
def core_log_kv(v, x, scaled):
    if v >= V_DEBYE:
        return debye_log_kv(v, x, scaled)
    if x >= hankel_threshold(v):
        return hankel_log_kv(v, x, scaled)
    return small_log_kv(v, x, scaled, False)[0]


@_jit
def log_iv_scalar(v, x, scaled):
    if v != v or x != x:
        return math.nan
    if v < 0.0:
        if _is_int(v):
            v = -v
        else:
            return math.nan
    if x < 0.0:
        return math.nan
    if x == 0.0:
        if v == 0.0:
            return 0.0
        return -math.inf
    if math.isinf(x):
        if math.isinf(v):
            return math.nan
        return -math.inf if scaled else math.inf
    if math.isinf(v):
        return -math.inf
    return core_log_iv(v, x, scaled)


@_jit
def log_kv_scalar(v, x, scaled):
    if v != v or x != x:
        return math.nan
    v = abs(v)
    if x < 0.0:
        return math.nan
    if x == 0.0:
        return math.inf
    if math.isinf(x):
        if math.isinf(v):
            return math.nan
        return -math.inf
    if math.isinf(v):
        return math.inf
    return core_log_kv(v, x, scaled)


# ---------------------------------------------------------------------------------------------
# ratio I_{v+1}/I_v and derivatives
# ---------------------------------------------------------------------------------------------


@_jit
def _ratio_parts(v, x):
    """(rho, 1 - rho) for rho = I_{v+1}(x)/I_v(x), each with small relative error."""
    if v >= V_DEBYE:
        if v > HUGE_ARG or x > HUGE_ARG:
            if x > v:
                q = v / x
                s = x * math.sqrt(1.0 + q * q)
            else:
                q = x / v
                s = v * math.sqrt(1.0 + q * q)
        else:
            s = math.sqrt(v * v + x * x)
        t = v / s
        U, G = _debye_sums(v, t, 1.0, 0, True)
        Uf = 1.0 + U
        g = G / (s * Uf)
        rho = x * (1.0 / (s + v) - g)
        # 1 - rho = (v + v^2/(s+x))/(s+v) + x G/(s U)
        omr = (v + v * (v / (s + x))) / (s + v) + x * g
        return rho, omr
    if x >= hankel_threshold(v):
        # rho = S(v+1)/S(v), S(mu) = sum (-1)^k p_k(mu); d_k = p_k(v+1) - p_k(v)
        mu4 = 4.0 * v * v
        nu4 = 4.0 * (v + 1.0) * (v + 1.0)
        p0 = 1.0
        d = 0.0
        S0 = 1.0
        D = 0.0
        sg = 1.0
        prev = 1e300
        for k in range(1, 80):
            kk = 2.0 * k - 1.0
            f0 = (mu4 - kk * kk) / (8.0 * k * x)
            f1 = (nu4 - kk * kk) / (8.0 * k * x)
            df = (2.0 * v + 1.0) / (2.0 * k * x)
            d = f1 * d + df * p0
            p0 = f0 * p0
            sg = -sg
            a = abs(p0) + abs(d)
            if a > prev:
                break
            S0 += sg * p0
            D += sg * d
            if a < 1e-17 * abs(S0) and abs(d) < 1e-17 * abs(D):
                break
            prev = a
        omr = -D / S0
        return 1.0 - omr, omr
    # power series of both functions (all terms positive): rho = x/(2(v+1)) * S(v+1)/S(v)
    y = 0.25 * x * x
    term = 1.0
    S0 = 1.0
    S1 = 1.0
    k = 1.0
    while True:
        term *= y / (k * (v + k))
        S0 += term
        S1 += term * ((v + 1.0) / (v + 1.0 + k))
        if term < 1e-17 * S1 and k > 0.5 * x:
            break
        k += 1.0
    rho = (x / (2.0 * (v + 1.0))) * (S1 / S0)
    return rho, 1.0 - rho


@_jit
def _log_ratio_pos(v, x):
    if x == 0.0:
        return -math.inf
    if math.isinf(x):
        return 0.0
    if math.isinf(v):
        return -math.inf
    rho, omr = _ratio_parts(v, x)
    if rho < 0.5:
        return math.log(rho)
    return math.log1p(-omr)


@_jit
def log_iv_ratio_scalar(v, x):
    if v != v or x != x or x < 0.0:
        return math.nan
    if v < 0.0:
        if not _is_int(v) or v > -1.0:
            return math.nan
        # I_{v+1}/I_v = I_{n-1}/I_n with n = -v
        return -_log_ratio_pos(-v - 1.0, x)
    return _log_ratio_pos(v, x)


@_jit
def dlog_iv_scalar(v, x):
    """d/dx log I_v(x) = I_{v+1}/I_v + v/x."""
    if v != v or x != x or x < 0.0:
        return math.nan
    if v < 0.0:
        if not _is_int(v):
            return math.nan
        v = -v
    if x == 0.0:
        return math.inf if v > 0.0 else 0.0
    if math.isinf(x):
        return 1.0
    rho, omr = _ratio_parts(v, x)
    return rho + v / x


@_jit
def dlog_kv_scalar(v, x):
    """d/dx log K_v(x) = v/x - K_{v+1}/K_v  (< 0)."""
    if v != v or x != x or x < 0.0:
        return math.nan
    v = abs(v)
    if x == 0.0:
        return -math.inf
    if math.isinf(x):
        return -1.0
    if v >= V_DEBYE:
        if v > HUGE_ARG or x > HUGE_ARG:
            if x > v:
                q = v / x
                s = x * math.sqrt(1.0 + q * q)
            else:
                q = x / v
                s = v * math.sqrt(1.0 + q * q)
        else:
            s = math.sqrt(v * v + x * x)
        t = v / s
        U, G = _debye_sums(v, t, -1.0, 0, True)
        # K'/K = -(s/x) (1 - (1-t^2) G/U) = -s/x + (x/s) G/U
        return -s / x + (x / s) * (G / (1.0 + U))
    if x >= hankel_threshold(v):
        # K_{v+1}/K_v from two Hankel sums (all terms positive for the orders used here)
        r = hankel_sum(v + 1.0, x, 1.0) / hankel_sum(v, x, 1.0)
        return v / x - r
    R = small_log_kv(v, x, False, True)[1]
    return (v - R) / x


# ---------------------------------------------------------------------------------------------
# CPU ufuncs.  They live in this file (not in bessel.py) on purpose: Numba's cache is invalidated only when
# the file that defines a function changes, and these ufuncs inline every kernel above.
# Signatures: float32 first, so that NumPy's loop search picks it for float32 input (float64 input cannot
# be cast to float32 safely and falls through to the float64 loop).
# ---------------------------------------------------------------------------------------------

if _BACKEND == "cpu":
    from numba import vectorize

    _SIGS = ["float32(float32, float32)", "float64(float64, float64)"]

    def _make(target):
        def deco(f):
            return vectorize(_SIGS, target=target, cache=True)(f)

        return deco

    @_make("cpu")
    def log_iv(v, x):
        """log I_v(x)."""
        return log_iv_scalar(_f64(v), _f64(x), False)

    @_make("cpu")
    def log_ive(v, x):
        """log I_v(x) - x."""
        return log_iv_scalar(_f64(v), _f64(x), True)

    @_make("cpu")
    def log_kv(v, x):
        """log K_v(x)."""
        return log_kv_scalar(_f64(v), _f64(x), False)

    @_make("cpu")
    def log_kve(v, x):
        """log K_v(x) + x."""
        return log_kv_scalar(_f64(v), _f64(x), True)

    @_make("cpu")
    def log_iv_ratio(v, x):
        """log(I_{v+1}(x) / I_v(x))."""
        return log_iv_ratio_scalar(_f64(v), _f64(x))

    @_make("cpu")
    def dlog_iv(v, x):
        """d/dx log I_v(x)."""
        return dlog_iv_scalar(_f64(v), _f64(x))

    @_make("cpu")
    def dlog_kv(v, x):
        """d/dx log K_v(x)."""
        return dlog_kv_scalar(_f64(v), _f64(x))

    def _build_parallel():
        """The target="parallel" twins, built on first use (numerics.bessel_parallel) and cached on disk."""
        @_make("parallel")
        def log_iv_parallel(v, x):
            """log I_v(x) (target="parallel")."""
            return log_iv_scalar(_f64(v), _f64(x), False)

        @_make("parallel")
        def log_ive_parallel(v, x):
            """log I_v(x) - x (target="parallel")."""
            return log_iv_scalar(_f64(v), _f64(x), True)

        @_make("parallel")
        def log_kv_parallel(v, x):
            """log K_v(x) (target="parallel")."""
            return log_kv_scalar(_f64(v), _f64(x), False)

        @_make("parallel")
        def log_kve_parallel(v, x):
            """log K_v(x) + x (target="parallel")."""
            return log_kv_scalar(_f64(v), _f64(x), True)

        @_make("parallel")
        def log_iv_ratio_parallel(v, x):
            """log(I_{v+1}(x) / I_v(x)) (target="parallel")."""
            return log_iv_ratio_scalar(_f64(v), _f64(x))

        @_make("parallel")
        def dlog_iv_parallel(v, x):
            """d/dx log I_v(x) (target="parallel")."""
            return dlog_iv_scalar(_f64(v), _f64(x))

        @_make("parallel")
        def dlog_kv_parallel(v, x):
            """d/dx log K_v(x) (target="parallel")."""
            return dlog_kv_scalar(_f64(v), _f64(x))
        return {
            "log_iv": log_iv_parallel, "log_ive": log_ive_parallel, "log_kv": log_kv_parallel,
            "log_kve": log_kve_parallel, "log_iv_ratio": log_iv_ratio_parallel, "dlog_iv": dlog_iv_parallel,
            "dlog_kv": dlog_kv_parallel,
        }
