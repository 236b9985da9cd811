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


# ----- GENERATED by numerics._bessel_tables.debye_block_source(): do not edit by hand -----
@_jit
def _debye_u(y, w, nterms):
    wk = w
    S = wk * (0.125 + y * -0.20833333333333334)
    if nterms < 2:
        return S
    wk *= w
    S += wk * (0.0703125 + y * (-0.4010416666666667 + y * 0.3342013888888889))
    if nterms < 3:
        return S
    wk *= w
    S += wk * (0.0732421875 + y * (-0.8912109375 + y * (1.8464626736111112 + y * -1.0258125964506173)))
    if nterms < 4:
        return S
    wk *= w
    S += wk * (0.112152099609375 + y * (-2.3640869140625 + y * (8.78912353515625 + y * (-11.207002616222994 + y * 4.669584423426247))))
    if nterms < 5:
        return S
    wk *= w
    S += wk * (0.22710800170898438 + y * (-7.368794359479632 + y * (42.53499874538846 + y * (-91.81824154324002 + y * (84.63621767460073 + y * -28.212072558200244)))))
    if nterms < 6:
        return S
    wk *= w
    S += wk * (0.5725014209747314 + y * (-26.491430486951554 + y * (218.1905117442116 + y * (-699.5796273761325 + y * (1059.9904525279999 + y * (-765.2524681411817 + y * 212.57013003921713))))))
    if nterms < 7:
        return S
    wk *= w
    S += wk * (1.7277275025844574 + y * (-108.09091978839466 + y * (1200.9029132163525 + y * (-5305.646978613403 + y * (11655.393336864534 + y * (-13586.550006434138 + y * (8061.722181737309 + y * -1919.457662318407)))))))
    if nterms < 8:
        return S
    wk *= w
    S += wk * (6.074042001273483 + y * (-493.915304773088 + y * (7109.514302489364 + y * (-41192.65496889755 + y * (122200.46498301746 + y * (-203400.17728041555 + y * (192547.00123253153 + y * (-96980.59838863752 + y * 20204.29133096615))))))))
    if nterms < 9:
        return S
    wk *= w
    S += wk * (24.380529699556064 + y * (-2499.8304818112097 + y * (45218.76898136273 + y * (-331645.1724845636 + y * (1268365.2733216248 + y * (-2813563.226586534 + y * (3763271.297656404 + y * (-2998015.9185381066 + y * (1311763.6146629772 + y * -242919.18790055133)))))))))
    if nterms < 10:
        return S
    wk *= w
    S += wk * (110.01714026924674 + y * (-13886.08975371704 + y * (308186.4046126624 + y * (-2785618.1280864547 + y * (13288767.166421818 + y * (-37567176.66076335 + y * (66344512.27472903 + y * (-74105148.21153265 + y * (50952602.49266464 + y * (-19706819.118432228 + y * 3284469.853072038))))))))))
    if nterms < 11:
        return S
    wk *= w
    S += wk * (551.3358961220206 + y * (-84005.43360302408 + y * (2243768.1779224495 + y * (-24474062.72573873 + y * (142062907.7975331 + y * (-495889784.2750303 + y * (1106842816.8230145 + y * (-1621080552.1083372 + y * (1553596899.57058 + y * (-939462359.6815784 + y * (325573074.18576574 + y * -49329253.66450996)))))))))))
    if nterms < 12:
        return S
    wk *= w
    S += wk * (3038.090510922384 + y * (-549842.3275722887 + y * (17395107.553978164 + y * (-225105661.88941526 + y * (1559279864.8792574 + y * (-6563293792.619285 + y * (17954213731.1556 + y * (-33026599749.800724 + y * (41280185579.753975 + y * (-34632043388.158775 + y * (18688207509.295826 + y * (-5866481492.051847 + y * 814789096.1183121))))))))))))
    if nterms < 13:
        return S
    wk *= w
    S += wk * (18257.755474293175 + y * (-3871833.442572613 + y * (143157876.71888897 + y * (-2167164983.223795 + y * (17634730606.83497 + y * (-87867072178.02327 + y * (287900649906.1506 + y * (-645364869245.3765 + y * (1008158106865.3821 + y * (-1098375156081.2233 + y * (819218669548.5773 + y * (-399096175224.4665 + y * (114498237732.0258 + y * -14679261247.695616)))))))))))))
    if nterms < 14:
        return S
    wk *= w
    S += wk * (118838.42625678325 + y * (-29188388.122220814 + y * (1247009293.5127103 + y * (-21822927757.529224 + y * (205914503232.41 + y * (-1196552880196.1816 + y * (4612725780849.132 + y * (-12320491305598.287 + y * (23348364044581.84 + y * (-31667088584785.16 + y * (30565125519935.32 + y * (-20516899410934.438 + y * (9109341185239.898 + y * (-2406297900028.504 + y * 286464035717.679))))))))))))))
    if nterms < 15:
        return S
    wk *= w
    S += wk * (832859.3040162893 + y * (-234557963.52225152 + y * (11465754899.448236 + y * (-229619372968.24646 + y * (2485000928034.0854 + y * (-16634824724892.48 + y * (74373122908679.14 + y * (-232604831188939.94 + y * (523054882578444.6 + y * (-857461032982895.0 + y * (1026955196082762.5 + y * (-889496939881026.5 + y * (542739664987659.75 + y * (-221349638702525.2 + y * (54177510755106.05 + y * -6019723417234.006)))))))))))))))
    if nterms < 16:
        return S
    wk *= w
    S += wk * (6252951.493434797 + y * (-2001646928.1917763 + y * (110997405139.17902 + y * (-2521558474912.8545 + y * (31007436472896.46 + y * (-236652530451649.25 + y * (1212675804250347.5 + y * (-4379325838364015.5 + y * (1.1486706978449752e+16 + y * (-2.2268225133911144e+16 + y * (3.213827526858624e+16 + y * (-3.4447226006485144e+16 + y * (2.705471130619708e+16 + y * (-1.5129826322457682e+16 + y * (5705782159023671.0 + y * (-1301012723549699.5 + y * 135522158703093.69))))))))))))))))
    return S


@_jit
def _debye_g(y, w, nterms):
    wk = w
    S = wk * 0.5
    if nterms < 2:
        return S
    wk *= w
    S += wk * (0.1875 + y * -0.7291666666666666)
    if nterms < 3:
        return S
    wk *= w
    S += wk * (0.17578125 + y * (-1.8046875 + y * 2.1723090277777777))
    if nterms < 4:
        return S
    wk *= w
    S += wk * (0.25634765625 + y * (-4.90166015625 + y * (13.848470052083334 + y * -9.745219666280864)))
    if nterms < 5:
        return S
    wk *= w
    S += wk * (0.5046844482421875 + y * (-15.36656494140625 + y * (74.70755004882812 + y * (-117.67352747034144 + y * 58.36980529282809))))
    if nterms < 6:
        return S
    wk *= w
    S += wk * (1.249094009399414 + y * (-55.26595769609724 + y * (404.0824880811903 + y * (-1055.9097777472603 + y * (1142.5889386071099 + y * -437.2871246521038)))))
    if nterms < 7:
        return S
    wk *= w
    S += wk * (3.7212592363357544 + y * (-225.17715913908822 + y * (2291.0003733142216 + y * (-8744.745342201657 + y * (15369.861561655998 + y * (-12626.665724329498 + y * 3932.547405725517))))))
    if nterms < 8:
        return S
    wk *= w
    S += wk * (12.95795626938343 + y * (-1026.8637379897493 + y * (13810.383501988053 + y * (-71626.23421128094 + y * (180658.59672140027 + y * (-237764.6251125974 + y * (157203.58254387754 + y * -41268.33973984575)))))))
    if nterms < 9:
        return S
    wk *= w
    S += wk * (51.629357010824606 + y * (-5186.110700117424 + y * (88868.92878111705 + y * (-597293.4970490145 + y * (2016307.6722197882 + y * (-3762903.2796876873 + y * (3947213.5252668965 + y * (-2182063.463744344 + y * 495005.13760867063))))))))
    if nterms < 10:
        return S
    wk *= w
    S += wk * (231.6150321457826 + y * (-28748.05054082891 + y * (610453.3812483968 + y * (-5140500.173510736 + y * (22196392.283128433 + y * (-54864482.918437414 + y * (80910332.89961268 + y * (-70453374.08564551 + y * (33449972.17390592 + y * -6680277.667265162)))))))))
    if nterms < 11:
        return S
    wk *= w
    S += wk * (1155.1799728270908 + y * (-173576.121921463 + y * (4468702.866883605 + y * (-45962699.1134265 + y * (245842192.57880363 + y * (-770127121.5456487 + y * (1492751526.1814032 + y * (-1815576131.1825502 + y * (1350243966.055613 + y * (-561644344.8753184 + y * 100176330.51869716))))))))))
    if nterms < 12:
        return S
    wk *= w
    S += wk * (6340.362805403237 + y * (-1134073.3536408253 + y * (34778406.757797964 + y * (-428296097.7004278 + y * (2770226702.051895 + y * (-10661630361.91315 + y * (26010806195.34084 + y * (-41337554078.762596 + y * (42723914738.19095 + y * (-27714139610.606564 + y * (10255551836.851622 + y * -1652529997.7610838)))))))))))
    if nterms < 13:
        return S
    wk *= w
    S += wk * (37976.1313865298 + y * (-7972713.749798186 + y * (287019274.6406397 + y * (-4164454744.9541826 + y * (31965237230.02478 + y * (-147674110333.9339 + y * (439878236413.3122 + y * (-875204893369.7191 + y * (1176485289022.9883 + y * (-1056277323338.8428 + y * (607366744052.1143 + y * (-202393611475.78873 + y * 29739802008.318394))))))))))))
    if nterms < 14:
        return S
    wk *= w
    S += wk * (246479.69890295787 + y * (-60013418.35987549 + y * (2505262842.5805573 + y * (-42259717172.864006 + y * (379146708046.95184 + y * (-2064876196183.5466 + y * (7341466572606.84 + y * (-17747533904247.855 + y * (29740664152528.773 + y * (-34598817416558.535 + y * (27443825429877.34 + y * (-14167914220468.56 + y * (4293683914950.968 + y * -579830819283.9768)))))))))))))
    if nterms < 15:
        return S
    wk *= w
    S += wk * (1723157.1807233572 + y * (-481608404.0166434 + y * (23069671929.98514 + y * (-447370019029.34906 + y * (4633076322729.226 + y * (-29315545564806.45 + y * (122237233192502.0 + y * (-351134002209551.2 + y * (712125103359746.1 + y * (-1029180379005517.6 + y * (1054496830437768.5 + y * (-748866828499107.0 + y * (350709635631736.1 + y * (-97455064951154.4 + y * 12174721518001.36))))))))))))))
    if nterms < 16:
        return S
    wk *= w
    S += wk * (12909319.212252485 + y * (-4104764361.639402 + y * (223582220539.24063 + y * (-4936816518817.299 + y * (58397521808801.01 + y * (-424188030484758.25 + y * (2045260879988676.5 + y * (-6861842520073728.0 + y * (1.6476228801221006e+16 + y * (-2.8724944604926984e+16 + y * (3.645690946093807e+16 + y * (-3.3356135245538492e+16 + y * (2.143821676701256e+16 + y * (-9186010006154796.0 + y * (2356721717847113.0 + y * -273897415484147.25)))))))))))))))
    return S
# ----- END GENERATED -----


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
    U = _debye_u(y, w, nterms)
    G = _debye_g(y, w, nterms) if want_g else 0.0
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


# Plain-double fast path.  With u = 2^-53, s = sqrt(v^2 + x^2) carries <= 2u s, q = x/(v+s) <= 4u relative,
# so L = log q <= 4u + u|L| absolute and m = s + v L <= u (2s + 4v + 2v|L| + |m|) absolute; the scaling shift
# and log s add u (shift + |log s|) (log1p(U) is O(1/v): negligible).  Where that bound stays below
# DEBYE_FAST_G u max(1, |result|) (no cancellation: x << v away from the zero of eta, x >> v unscaled, large |log|)
# the double result is kept; elsewhere (turning region, scaled x >> v, |result| small against its pieces) the
# double-double evaluation below recomputes it.
DEBYE_FAST_G = 6.0
DEBYE_FAST_ZLO = 0.06  # inside the band where the bound fails for every v >= 20 (measured)
DEBYE_FAST_ZHI = 2.0


@_jit
def _debye_fast(v, x, shift, sign):
    """(result part without log1p(U) and the +-0.5 log terms, log s, s, ok) in plain double."""
    # For large v the bound below fails for 0.05 < x/v < 2.15 (0.055 < x/v scaled): skip the attempt there
    z = x / v
    if z > DEBYE_FAST_ZLO and (shift > 0.0 or z < DEBYE_FAST_ZHI):
        return 0.0, 0.0, 0.0, False
    s = math.sqrt(v * v + x * x)
    q = x / (v + s)
    if not (q > 1e-290) or v >= HUGE_ARG or x >= HUGE_ARG:
        return 0.0, 0.0, s, False
    L = math.log(q)
    m = s + v * L
    ls = math.log(s)
    return m, ls, s, True


@_jit
def debye_log_iv(v, x, scaled):
    shift = x if scaled else 0.0
    m, ls, s, ok = _debye_fast(v, x, shift, 1.0)
    bound = 2.0 * s + 4.0 * v + 2.0 * (s - m) + abs(m) + shift + abs(ls)
    # |result - (m - shift)| <= |log s| + 1, so this skips hopeless cases before the sums
    if ok and bound <= DEBYE_FAST_G * (max(1.0, abs(m - shift)) + abs(ls) + 1.0):
        U, G = _debye_sums(v, v / s, 1.0, 0, False)
        r = (m - shift) + (math.log1p(U) - 0.5 * (LOG2PI_HI + ls))
        if bound <= DEBYE_FAST_G * max(1.0, abs(r)):
            return r
    mh, ml, s, logs = _debye_main(v, x, shift)
    t = v / s
    U, G = _debye_sums(v, t, 1.0, 0, False)
    rest = -0.5 * (LOG2PI_HI + logs) + math.log1p(U) + (ml - 0.5 * LOG2PI_LO)
    return mh + rest


@_jit
def debye_log_kv(v, x, scaled):
    shift = x if scaled else 0.0
    m, ls, s, ok = _debye_fast(v, x, shift, -1.0)
    bound = 2.0 * s + 4.0 * v + 2.0 * (s - m) + abs(m) + shift + abs(ls)
    # |result - (m - shift)| <= |log s| + 1, so this skips hopeless cases before the sums
    if ok and bound <= DEBYE_FAST_G * (max(1.0, abs(m - shift)) + abs(ls) + 1.0):
        U, G = _debye_sums(v, v / s, -1.0, 0, False)
        r = (shift - m) + (math.log1p(U) + 0.5 * (LOG_PI_2 - ls))
        if bound <= DEBYE_FAST_G * max(1.0, abs(r)):
            return r
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
        # the reciprocal does not depend on the running term: the division leaves the dependency chain
        term *= y * (1.0 / (k * (v + k)))
        S += term
        if term < 1e-17 * S and k > 0.5 * x:
            break
        k += 1.0
    lS = math.log(S)
    # Plain double first: a = v log(x/2) carries <= 1.5 u |a| + u v, log Gamma(1+v) from the plain product of
    # n <= 20 exact factors <= u (n + 2 + |log P|); kept where the total bound (with margin) is below
    # PS_FAST_G u max(1, |result|), i.e. without cancellation between v log(x/2) and log Gamma (tiny x, most
    # of the log-uniform plane); the double-double evaluation below otherwise.
    a = v * ((math.log(x) - LN2_HI) - LN2_LO)
    n = math.floor(v + 0.5)
    f = v - n
    p1 = 1.0
    p2 = 1.0
    j = 1.0
    while j < n:
        p1 *= f + j
        p2 *= f + (j + 1.0)
        j += 2.0
    if j <= n:
        p1 *= f + j
    lP = math.log(p1 * p2)
    lg = lP - _log_rgamma1(f)
    r = (a - lg) + lS
    bound = 2.0 * abs(a) + 2.0 * v + n + 2.0 + abs(lP) + abs(lg) + 2.0 * abs(lS) + abs(r)
    if bound <= PS_FAST_G * max(1.0, abs(r)):
        return r
    # v log(x/2) in double-double
    lh, ll = dd_log(x, 0.0)
    lh, ll = dd_add(lh, ll, -LN2_HI, -LN2_LO)
    mh, ml = dd_mul_d(lh, ll, v)
    gh, gl = dd_lgamma1p(v)
    mh, ml = dd_add(mh, ml, -gh, -gl)
    return mh + (ml + lS)


PS_FAST_G = 6.0


@_jit
def _log_rgamma1(f):
    # log(1/Gamma(1+f)) for |f| <= 1/2: log1p of f (O(f^2) + f E(f^2)), odd / even coefficients split
    # (two short Horner chains)
    f2 = f * f
    nc = RGAMMA1.shape[0]
    o = 0.0
    e = 0.0
    for i in range(nc - 1, 0, -1):
        if i % 2 == 1:
            o = o * f2 + RGAMMA1[i]
        else:
            e = e * f2 + RGAMMA1[i]
    return math.log1p(f * (o + f * e))


@_jit
def dd_lgamma1p(v):
    """log Gamma(1 + v) as a double-double for 0 <= v < ~25:  Gamma(1+v) = Gamma(1+f) prod_{j=1}^n (f+j).

    Every factor f + j (j <= n, |f| <= 1/2) is exact: a multiple of ulp(v) not above v.  The product is formed
    in plain double along two independent chains (latency, not flops, is the cost here); each rounding error
    e = p a - fl(p a) is exact by FMA and enters as the relative correction e / fl(p a) added to the logarithm
    (the neglected second-order terms are below 20 u^2).
    """
    n = math.floor(v + 0.5)
    f = v - n
    p1 = 1.0
    p2 = 1.0
    c = 0.0
    j = 1.0
    while j < n:
        q1, e1 = two_prod(p1, f + j)
        q2, e2 = two_prod(p2, f + (j + 1.0))
        c += e1 / q1 + e2 / q2
        p1 = q1
        p2 = q2
        j += 2.0
    if j <= n:
        q1, e1 = two_prod(p1, f + j)
        c += e1 / q1
        p1 = q1
    ph, pl = two_prod(p1, p2)
    lh, ll = dd_log(ph, pl)
    # log Gamma(1+f) = -log(1/Gamma(1+f)), |f| <= 1/2: series value ~1, log1p of a small correction
    return fast_two_sum(lh, (ll + c) - _log_rgamma1(f))


@_jit
def hankel_sum(v, x, sign, tol):
    """sum_k sign^k a_k(v)/x^k (asymptotic); stops at the smallest term or below tol relative to the sum."""
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
        if a < tol * abs(S):
            break
        prev = a
    return S


@_jit
def hankel_log_iv(v, x, scaled):
    # log I = x - 1/2 log(2 pi x) + log(sum (-1)^k a_k / x^k)
    # unscaled, |log I| >= 0.9 x (x >= 25): a relative truncation of 9e-18 x in S is 1e-17 of the result
    S = hankel_sum(v, x, -1.0, 1e-17 if scaled else 9e-18 * x)
    base = 0.0 if scaled else x
    return base - 0.5 * (LOG2PI_HI + math.log(x)) + math.log(S)


@_jit
def hankel_log_kv(v, x, scaled):
    S = hankel_sum(v, x, 1.0, 1e-17 if scaled else 9e-18 * x)  # |log K| >= 0.9 x likewise
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
    # sinh, cosh and exp of sig from one exponential (expm1 where sinh would cancel)
    if abs(sig) < 1.0:
        em = math.expm1(sig)
        e = 1.0 + em  # (x/2)^(-mu)
        ie = 1.0 / e
        if abs(sig) < 1e-8:
            shs = 1.0 + sig * sig / 6.0
        else:
            shs = 0.5 * (em + em * ie) / sig  # em and em / (1 + em) have one sign: no cancellation
    else:
        e = math.exp(sig)  # |sig| <= 0.5 log(2 / 5e-324) < 373: no overflow
        ie = 1.0 / e
        shs = 0.5 * (e - ie) / sig  # cancellation at most coth(1) = 1.31
    ch = 0.5 * (e + ie)
    pim = PI * mu
    if abs(pim) < 1e-8:
        fact = 1.0 + pim * pim / 6.0
    else:
        fact = pim / math.sin(pim)
    g1, g2 = _gam12(mu)
    # 1/Gamma(1 +- mu) = E(mu^2) -+ mu O(mu^2) from the same even / odd parts (g2 = E, g1 = -O): one
    # evaluation of the 29-term series instead of three
    rp = g2 - mu * g1  # 1/Gamma(1+mu)
    rm = g2 + mu * g1  # 1/Gamma(1-mu)
    ff = fact * (g1 * ch + g2 * lx * shs)
    p = 0.5 * e / rp  # 1/2 (x/2)^-mu Gamma(1+mu)
    q = 0.5 * ie / rm  # 1/2 (x/2)^mu Gamma(1-mu)
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
        c = c * (-a * (1.0 / i))
        qnew = (q1 - b * q2) * (1.0 / a)
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
    if x >= 1e-150 and n > 0.0:
        # division-free form of the same recurrence: A_0 = 1, A_1 = R_0, A_{j+1} = 2(mu+j) A_j + x^2 A_{j-1}
        # (A_j = x^j K_{mu+j}/K_mu, all terms positive; R_j = A_{j+1}/A_j).  A_n <= max(2^20 20!, x^20) and
        # A_n >= R_0 >= ~1e-150: no overflow or underflow; one division at the end instead of one per step
        a0 = 1.0
        a1 = R
        j = 1.0
        while j < n:
            a2 = 2.0 * (mu + j) * a1 + x2 * a0
            a0 = a1
            a1 = a2
            j += 1.0
        prod = a1
        R = 2.0 * (mu + n) + x2 * (a0 / a1)
    else:
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
        r = hankel_sum(v + 1.0, x, 1.0, 1e-17) / hankel_sum(v, x, 1.0, 1e-17)
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
