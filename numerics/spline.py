"""Adaptive cubic splines to a requested tolerance, with Numba evaluation.

``AdaptiveSpline.fit(f, a, b, rtol=1e-8, atol=0.0)`` samples a vectorized ``f`` until a not-a-knot
cubic spline ``s`` satisfies ``|s(x) - f(x)| <= rtol*|f(x)| + atol`` on ``[a, b]``, using as few knots as
it can. The refinement follows AutoKnots (NumCosmo): the point test at the midpoint of each interval,
``|f(x_m) - s(x_m)|``, and the integral test, ``|Simpson(x_0, x_m, x_1) - int s|``, drive bisection, and no
evaluation of ``f`` is thrown away. Three things differ, each aimed at a known failure of AutoKnots.

1. **Every sample is a certificate of the spline that is returned.**  AutoKnots tests an interval once,
   against the spline of that sweep, then adds the midpoint as a knot and never looks at the interval
   again. A cubic spline is global: refining a neighbour (a steep flank next to a plateau, say) changes
   the spline in intervals that were accepted long ago, and nothing re-checks them. That is why
   AutoKnots can return a spline that misses its own tolerance (7.8e-8 at rel 1e-8 on a sigma = 0.01
   Gaussian). Here every evaluation of ``f`` that is not a knot is kept as a check point, and *every*
   check (all point tests and all integral tests) is re-run against the new spline after every sweep.
   The fit stops only when a whole sweep passes with no knot added, so each reported sample is checked
   against the very spline returned. Re-checking costs no evaluations, only O(n log n) arithmetic.
   A midpoint whose tests pass is therefore not turned into a knot: it is more useful as an
   independent check (and it lets the spline stop at half the knots AutoKnots ends with, because
   AutoKnots' final knots are the ones of a spline that already passed plus all the tested midpoints).
   Evaluations are reused either as knots (a failed check becomes the new knot) or as standing checks.
   Checks must pass with a safety factor (``safety=0.5`` of the tolerance) because they sample the
   error curve at a few points per interval; with the dense-grid tests this keeps the measured error
   below the tolerance everywhere.

2. **Features narrower than the initial grid: a stratified probe design.**  Bisection only looks where
   a test failed, so a feature that falls between the tested midpoints of the starting grid is never
   seen at all (AutoKnots misses such a bump entirely, 33% error). No black-box sampler can promise to
   find a feature of width ``w`` without sampling at spacing ~``w`` somewhere; what one can do is make
   the promise explicit and cheap. Besides the ``n_init`` starting knots we evaluate ``n_probe`` probes,
   one in each of ``n_probe`` equal strata of ``[a, b]`` (of the log coordinate for ``spacing="log"``),
   at a golden-ratio jittered offset inside its stratum so that probes never line up with the dyadic
   midpoints that bisection produces. Any interval of length ``2 (b - a) / n_probe`` contains a whole
   stratum, hence a probe; so **any feature whose region of intolerable deviation is wider than
   ``2 (b - a) / n_probe`` is found deterministically**, wherever it sits. This is stronger than it
   looks, because the width that matters is the width at the *tolerance*, not at half maximum: a Gaussian
   of height A and width sigma deviates by more than ``tol`` over ``2 sigma sqrt(2 ln(A/tol))``, i.e. 12
   sigma at A/tol = 1e8. With the default ``n_probe = 64`` on [0, 1], a sigma = 0.003 bump is caught at
   any tolerance below ~1e-4 of its height. Probes are ordinary checks: the ones that fail become knots
   (and bisection takes over around them); the others stay as certificates. Their cost is ``n_probe``
   evaluations, once; raise ``n_probe`` (or pass ``min_feature``) for narrower features.

3. **A correct stopping rule on plateaus.**  AutoKnots re-opens, after convergence, every interval wider
   than mean + 1 sd of the spacings: a heuristic that adds knots on plateaus that did not need them and
   still proves nothing. The two rules above replace it: an interval on a plateau is accepted only if
   its checks (its midpoint, any probes in it, its integral test) pass against the final spline, which
   includes the ringing that sharp neighbours induce. The second plateau failure is arithmetic: with
   ``atol = 0`` a plateau at (or a crossing of) zero asks for ``|s - f| <= 0``, which no floating-point
   spline achieves, so bisection never stops and ends in a false "discontinuity". We add the rounding
   floor ``16 eps (max|f| + |x f'(x)|)`` to every tolerance (the rounding in the spline coefficients
   plus the conditioning of evaluating f at a floating-point x), so such plateaus stop as soon as the
   spline is exact to rounding. :meth:`AdaptiveSpline.tolerance` returns the tolerance so defined.

Two more rules make the midpoint checks stand for the whole interval:

* **Zeros of f become knots.**  With a relative tolerance, ``rtol |f|`` vanishes where f crosses zero,
  so an interval holding a zero of f can only meet it if the zero is a knot. An interval whose knots
  (or a knot and a check) differ in sign, where ``atol`` does not already cover the crossing, is split at
  the root of the spline there; the secant-like iteration pins the zero to rounding in a few sweeps.
  Likewise an interval in which the spline dips towards zero without a sign change (a double zero, or two
  zeros in one interval) is split at the spline's extremum, and an interval whose tolerance falls steeply
  towards one end (a zero at a knot, or just outside [a, b]) gets an extra check at the quarter point on
  that side. Next to a zero that is a knot, the checks continue geometrically (4^-k of the interval,
  one more per sweep, down to 100 eps), because at a zero of even multiplicity ``|s - f|`` falls only
  linearly towards the knot while ``rtol |f|`` falls quadratically.
* **2:1 mesh balance.**  Next to a much finer neighbour a spline's error curve in an interval is
  lopsided and peaks well off its midpoint (seen: 2.7x the midpoint error), so neighbouring intervals
  may differ in width (in the spacing coordinate) by at most a factor 2.

Limits: the checks sample the error curve, so the guarantee is for f smooth between samples. A kink
(a jump in f') that falls inside an interval is resolved, not reported, but its error peaks at the kink
wherever that sits in the interval: measured up to 1.7x the tolerance. Features whose intolerable part
is narrower than ``2 (b - a) / n_probe`` can be missed, as stated above.

Errors: ``ValueError`` for ``a >= b``, bad tolerances and non-finite values of ``f``;
:class:`DiscontinuityError` (a ``ValueError``) when a failing interval shrinks below ``100 eps`` relative
to its abscissa, with the location and the jump; :class:`MaxKnotsError` (a ``ValueError``) when meeting
the tolerance would need more than ``max_knots`` knots, with the tolerance actually reached and the
partial spline.

``SplineTable`` tabulates a two-argument kernel ``f(v, x)`` over ``x`` for a set of ``v``, each with its
own knots, and evaluates mixed ``(v, x)`` batches in one Numba kernel.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from numerics.spline_kernels import antiderivative_kernel, eval_kernel, table_eval_kernel

__all__ = ["AdaptiveSpline", "SplineTable", "SplineError", "DiscontinuityError", "MaxKnotsError"]

_EPS = np.finfo(float).eps
_FLOOR = 16.0  # rounding floor, in units of eps * max|f|
_GOLDEN = 0.6180339887498949
_BUCKETS = 4  # lookup buckets per interval (Numba evaluation)
_BALANCE = 2.0 * (1.0 + 1e-9)  # largest width ratio of neighbouring intervals
_SPACINGS = ("linear", "log")


class SplineError(ValueError):
    """Base class of the fitting failures of :class:`AdaptiveSpline` (a ``ValueError``)."""


class DiscontinuityError(SplineError):
    """``f`` looks discontinuous: an interval that keeps failing shrank to ~100 eps relative."""

    def __init__(self, location: float, jump: float, lo: float | None = None, hi: float | None = None):
        self.location = float(location)
        self.jump = float(jump)
        self.interval = (float(location if lo is None else lo), float(location if hi is None else hi))
        super().__init__(f"f appears discontinuous near x = {self.location:.12g} (knot gap collapsed to "
                         f"[{self.interval[0]!r}, {self.interval[1]!r}]; jump of about {self.jump:.3g} across it)")


class MaxKnotsError(SplineError):
    """The tolerance needs more than ``max_knots`` knots; ``reached`` is the error actually reached."""

    def __init__(self, max_knots: int, ratio: float, rtol: float, atol: float, spline: "AdaptiveSpline"):
        self.max_knots = int(max_knots)
        self.ratio = float(ratio)
        self.reached_rtol = rtol * self.ratio
        self.reached_atol = atol * self.ratio
        self.spline = spline
        super().__init__(
            f"max_knots={self.max_knots} reached before the tolerance: the checks stand at "
            f"{self.ratio:.3g} x the requested tolerance (rtol={self.reached_rtol:.3g}, "
            f"atol={self.reached_atol:.3g} reached)")


# --------------------------------------------------------------------------------------------- helpers
def _not_a_knot_coefficients(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Local Horner coefficients (n-1, 4) of the not-a-knot cubic spline through (x, y)."""
    from scipy.interpolate import CubicSpline

    n = x.size
    if n == 2:
        coef = np.zeros((1, 4))
        coef[0, 2] = (y[1] - y[0]) / (x[1] - x[0])
        coef[0, 3] = y[0]
        return coef
    return np.ascontiguousarray(CubicSpline(x, y, bc_type="not-a-knot").c.T)


def _poly_eval(coef: np.ndarray, knots: np.ndarray, idx: np.ndarray, x: np.ndarray) -> np.ndarray:
    t = x - knots[idx]
    c = coef[idx]
    return ((c[:, 0] * t + c[:, 1]) * t + c[:, 2]) * t + c[:, 3]


def _interval_integrals(coef: np.ndarray, h: np.ndarray) -> np.ndarray:
    return (((coef[:, 0] * 0.25 * h + coef[:, 1] / 3.0) * h + coef[:, 2] * 0.5) * h + coef[:, 3]) * h


def _floor(fscale: float, coef: np.ndarray, knots: np.ndarray, idx: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Rounding floor added to the tolerance: 16 eps (max|f| + |x f'(x)|), the size of the rounding in
    the spline's coefficients plus the conditioning of evaluating f at a floating-point x."""
    t = x - knots[idx]
    c = coef[idx]
    d = (3.0 * c[:, 0] * t + 2.0 * c[:, 1]) * t + c[:, 2]
    return _FLOOR * _EPS * (fscale + np.abs(x * d))


def _spline_roots(coef: np.ndarray, knots: np.ndarray, values: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """The root of the spline in each interval idx (whose end values differ in sign), by bisection."""
    lo = np.zeros(idx.size)
    hi = knots[idx + 1] - knots[idx]
    c = coef[idx]
    s_lo = np.sign(values[idx])
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        pm = ((c[:, 0] * mid + c[:, 1]) * mid + c[:, 2]) * mid + c[:, 3]
        same = np.sign(pm) == s_lo
        lo = np.where(same, mid, lo)
        hi = np.where(same, hi, mid)
    return knots[idx] + 0.5 * (lo + hi)


def _geometric_checks(U, Pu, zero0, zero1, depth: int = 24):
    """For intervals with a zero of f at their left (zero0) or right (zero1) knot: the first of the points at
    4^-k (k = 2 .. depth) of the interval from that knot that is not yet sampled (none once 100 eps close)."""
    out = []
    frac = 4.0 ** -np.arange(2, depth + 1)
    for mask, sign in ((zero0, 1.0), (zero1, -1.0)):
        idx = np.nonzero(mask)[0]
        if idx.size == 0:
            continue
        base = U[idx] if sign > 0 else U[idx + 1]
        h = U[idx + 1] - U[idx]
        pts = base[:, None] + sign * h[:, None] * frac[None, :]
        ok = np.abs(pts - base[:, None]) > 100.0 * _EPS * np.maximum(np.abs(base[:, None]), 1e-300)
        if Pu.size:
            pos = np.minimum(np.searchsorted(Pu, pts), Pu.size - 1)
            have = Pu[pos] == pts
        else:
            have = np.zeros(pts.shape, bool)
        missing = ok & ~have
        first = np.argmax(missing, axis=1)
        rows = np.nonzero(missing[np.arange(idx.size), first])[0]
        out.append(pts[rows, first[rows]])
    return np.concatenate(out) if out else np.empty(0)


def _spline_extrema(coef: np.ndarray, knots: np.ndarray):
    """Per interval: an interior critical point of the cubic (the one with the smaller |s|), and whether it
    lies well inside the interval (2% from either end)."""
    c0, c1, c2 = 3.0 * coef[:, 0], 2.0 * coef[:, 1], coef[:, 2]
    h = np.diff(knots)
    disc = c1 * c1 - 4.0 * c0 * c2
    sq = np.sqrt(np.maximum(disc, 0.0))
    q = -0.5 * (c1 + np.where(c1 >= 0, sq, -sq))
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(c0 != 0, q / c0, np.nan)
        t2 = np.where(q != 0, c2 / q, np.nan)
    best_t = np.full(h.size, np.nan)
    best_v = np.full(h.size, np.inf)
    for t in (t1, t2):
        ok = (disc >= 0) & np.isfinite(t) & (t > 0.02 * h) & (t < 0.98 * h)
        tt = np.where(ok, t, 0.0)
        v = np.where(ok, np.abs(((coef[:, 0] * tt + coef[:, 1]) * tt + coef[:, 2]) * tt + coef[:, 3]), np.inf)
        better = v < best_v
        best_t = np.where(better, tt, best_t)
        best_v = np.where(better, v, best_v)
    ok = np.isfinite(best_v)
    return knots[:-1] + np.where(ok, best_t, 0.5 * h), ok


def _call_f(f: Callable, x: np.ndarray) -> np.ndarray:
    y = f(x)
    y = np.asarray(y)
    if np.iscomplexobj(y):
        raise ValueError("f returned complex values; AdaptiveSpline needs real f")
    y = np.asarray(y, dtype=float)
    if y.shape != x.shape:
        try:
            y = np.broadcast_to(y, x.shape).copy()
        except ValueError:
            raise ValueError(f"f returned shape {y.shape} for input of shape {x.shape}; f must be vectorized") from None
    bad = ~np.isfinite(y)
    if bad.any():
        k = int(np.argmax(bad))
        raise ValueError(f"f returned a non-finite value ({y[k]!r}) at x = {x[k]!r}")
    return y


def _check_interval(a, b, spacing):
    try:
        a = float(a)
        b = float(b)
    except (TypeError, ValueError):
        raise ValueError("a and b must be real numbers") from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise ValueError(f"a and b must be finite, got a={a!r}, b={b!r}")
    if not a < b:
        raise ValueError(f"need a < b, got a={a!r}, b={b!r}")
    if spacing not in _SPACINGS:
        raise ValueError(f"spacing must be 'linear' or 'log', got {spacing!r}")
    if spacing == "log" and not a > 0:
        raise ValueError(f"spacing='log' needs 0 < a, got a={a!r}")
    return a, b


def _build_lut(knots: np.ndarray, logmap: bool):
    """Bucket table for the Numba interval search (see :mod:`numerics.spline_kernels`)."""
    n = knots.size
    nb = max(1, _BUCKETS * (n - 1))
    g = _lookup_coords(knots, logmap)  # the same arithmetic as the kernels
    u0, u1 = float(g[0]), float(g[-1])
    inv_w = nb / (u1 - u0)
    gk = (g - u0) * inv_w
    lut = np.searchsorted(gk, np.arange(nb + 1), side="right") - 1
    lut = np.clip(lut, 0, n - 2).astype(np.int32 if n < 2**31 else np.int64)
    lut[-1] = n - 2
    return lut, u0, inv_w


def _lookup_coords(x: np.ndarray, logmap: bool) -> np.ndarray:
    if not logmap:
        return x.astype(float)
    return np.ascontiguousarray(x, dtype=float).view(np.int64).astype(float)


# --------------------------------------------------------------------------------------------- spline
class AdaptiveSpline:
    """A cubic spline on ``knots`` (not-a-knot ends), evaluated by Numba kernels.

    Build one to a tolerance with :meth:`fit`, or directly from knots and values with the constructor.

    Attributes: ``knots``, ``values``, ``coef`` ((n-1, 4) local Horner coefficients), ``spacing``,
    ``rtol``, ``atol``, ``n_evals`` (points at which f was evaluated), ``error_estimate`` (the largest
    ``|f - s| / (rtol|f| + atol + floor)`` over every check point and integral test, for the returned
    spline), ``check_x``/``check_f`` (the non-knot samples that certify it) and ``n_sweeps``.
    Calling ``s(x)`` gives NaN outside ``[a, b]``.
    """

    def __init__(self, knots, values, *, spacing: str = "linear", coef=None, rtol: float = float("nan"),
                 atol: float = float("nan"), n_evals: int = 0, error_estimate: float = float("nan"),
                 check_x=None, check_f=None, n_sweeps: int = 0, fscale: float | None = None):
        knots = np.ascontiguousarray(knots, dtype=float)
        values = np.ascontiguousarray(values, dtype=float)
        if knots.ndim != 1 or knots.shape != values.shape or knots.size < 2:
            raise ValueError("knots and values must be 1-d arrays of the same length >= 2")
        if not (np.all(np.isfinite(knots)) and np.all(np.isfinite(values))):
            raise ValueError("knots and values must be finite")
        if not np.all(np.diff(knots) > 0):
            raise ValueError("knots must be strictly increasing")
        if spacing not in _SPACINGS:
            raise ValueError(f"spacing must be 'linear' or 'log', got {spacing!r}")
        if spacing == "log" and not knots[0] > 0:
            raise ValueError("spacing='log' needs positive knots")
        self.knots = knots
        self.values = values
        self.spacing = spacing
        self.coef = (_not_a_knot_coefficients(knots, values) if coef is None
                     else np.ascontiguousarray(coef, dtype=float))
        if self.coef.shape != (knots.size - 1, 4):
            raise ValueError("coef must have shape (len(knots) - 1, 4)")
        self.rtol = float(rtol)
        self.atol = float(atol)
        self.n_evals = int(n_evals)
        self.error_estimate = float(error_estimate)
        self.check_x = np.empty(0) if check_x is None else np.ascontiguousarray(check_x, dtype=float)
        self.check_f = np.empty(0) if check_f is None else np.ascontiguousarray(check_f, dtype=float)
        self.n_sweeps = int(n_sweeps)
        self.fscale = float(np.max(np.abs(values)) if fscale is None else fscale)
        self._lut, self._u0, self._inv_w = _build_lut(knots, spacing == "log")
        h = np.diff(knots)
        self._cum = np.concatenate(([0.0], np.cumsum(_interval_integrals(self.coef, h))))

    # ----------------------------------------------------------------------------------------- fit
    @classmethod
    def fit(cls, f: Callable, a: float, b: float, rtol: float = 1e-8, atol: float = 0.0,
            max_knots: int = 10**6, spacing: str = "linear", *, n_init: int = 7, n_probe: int = 64,
            min_feature: float | None = None, safety: float = 0.5) -> "AdaptiveSpline":
        """Sample the vectorized ``f`` on ``[a, b]`` until ``|s - f| <= rtol |f| + atol`` (see the module doc).

        ``spacing="log"`` bisects in log x (needs ``a > 0``); the spline itself is always in x.
        ``n_probe`` stratified probes (or ``min_feature``: probes so that any deviation wider than it is
        sampled, ``n_probe = ceil(2 (b - a) / min_feature)`` in the spacing coordinate) guard against
        features narrower than the ``n_init`` starting knots. ``safety`` is the fraction of the tolerance
        that every check must meet.
        """
        a, b = _check_interval(a, b, spacing)
        try:
            rtol = float(rtol)
            atol = float(atol)
        except (TypeError, ValueError):
            raise ValueError("rtol and atol must be real numbers") from None
        if not (math.isfinite(rtol) and math.isfinite(atol)) or rtol < 0 or atol < 0:
            raise ValueError(f"rtol and atol must be finite and >= 0, got rtol={rtol!r}, atol={atol!r}")
        if rtol == 0 and atol == 0:
            raise ValueError("rtol and atol cannot both be 0")
        if rtol >= 1:
            raise ValueError(f"rtol must be < 1, got {rtol!r}")
        if not callable(f):
            raise ValueError("f must be a callable")
        max_knots = int(max_knots)
        n_init = int(n_init)
        if n_init < 3:
            raise ValueError(f"n_init must be >= 3, got {n_init}")
        if max_knots < n_init:
            raise ValueError(f"max_knots must be >= n_init = {n_init}, got {max_knots}")
        if not 0 < safety <= 1:
            raise ValueError(f"safety must be in (0, 1], got {safety!r}")
        logsp = spacing == "log"
        ua, ub = (math.log(a), math.log(b)) if logsp else (a, b)
        if min_feature is not None:
            min_feature = float(min_feature)
            if not min_feature > 0:
                raise ValueError(f"min_feature must be > 0, got {min_feature!r}")
            n_probe = int(math.ceil(2.0 * (ub - ua) / min_feature))
        n_probe = int(n_probe)
        if n_probe < 0:
            raise ValueError(f"n_probe must be >= 0, got {n_probe}")

        def to_x(u):
            return np.exp(u) if logsp else u

        # starting knots and the stratified, golden-ratio-jittered probes
        U = np.linspace(ua, ub, n_init)
        X = to_x(U)
        X[0], X[-1] = a, b
        k = np.arange(n_probe)
        theta = 0.1 + 0.8 * ((k + 1) * _GOLDEN % 1.0)
        Pu = ua + (k + theta) * ((ub - ua) / max(n_probe, 1))
        Pu = np.unique(Pu[(Pu > ua) & (Pu < ub)])
        Pu = Pu[~np.isin(Pu, U)]
        Px = to_x(Pu)
        Yall = _call_f(f, np.concatenate((X, Px)))
        n_evals = X.size + Px.size
        Y, Pf = Yall[:X.size], Yall[X.size:]
        fscale = float(np.max(np.abs(Yall)))

        sweeps = 0
        while True:
            sweeps += 1
            n = X.size
            coef = _not_a_knot_coefficients(X, Y)
            # every interval needs its midpoint sampled (for the point and integral tests)
            Mu = 0.5 * (U[:-1] + U[1:])
            # where the tolerance falls steeply towards one end of an interval (|f| -> 0 there: a zero of f
            # that is a knot, or lies just outside [a, b]) one midpoint does not represent the error curve
            # against the tolerance curve: such intervals also get a check at the quarter point on that side
            tau = rtol * np.abs(Y) + atol
            low0 = tau[:-1] < 0.25 * tau[1:]
            low1 = tau[1:] < 0.25 * tau[:-1]
            Qu = np.concatenate((0.75 * U[:-1][low0] + 0.25 * U[1:][low0], 0.25 * U[:-1][low1] + 0.75 * U[1:][low1]))
            # at a zero of f that is a knot (tolerance ~ 0 at that end) a zero of even multiplicity makes the
            # error/tolerance ratio grow towards the knot, so the checks continue geometrically: one more at
            # 4^-k of the interval per sweep (k = 2, 3, ...) until 100 eps from the knot, each reused as usual
            zero0 = tau[:-1] < 1e-3 * tau[1:]
            zero1 = tau[1:] < 1e-3 * tau[:-1]
            Gu = _geometric_checks(U, Pu, zero0, zero1)
            want = np.concatenate((Mu, Qu, Gu))
            pos = np.searchsorted(Pu, want)
            have = (pos < Pu.size) & (Pu[np.minimum(pos, max(Pu.size - 1, 0))] == want) if Pu.size else \
                np.zeros(want.size, bool)
            if not have.all():
                nu = np.unique(want[~have])
                nx = to_x(nu)
                nf = _call_f(f, nx)
                n_evals += nu.size
                fscale = max(fscale, float(np.max(np.abs(nf))))
                Pu = np.concatenate((Pu, nu))
                Px = np.concatenate((Px, nx))
                Pf = np.concatenate((Pf, nf))
                order = np.argsort(Pu, kind="stable")
                Pu, Px, Pf = Pu[order], Px[order], Pf[order]
            # point tests on every check point, against the current spline
            ip = np.clip(np.searchsorted(X, Px, side="right") - 1, 0, n - 2)
            sp = _poly_eval(coef, X, ip, Px)
            ratio_p = np.abs(Pf - sp) / (rtol * np.abs(Pf) + atol + _floor(fscale, coef, X, ip, Px))
            # integral tests: Simpson over (x0, xm, x1) in the spacing coordinate vs the exact integral of s
            mi = np.searchsorted(Pu, Mu)
            fm = Pf[mi]
            hx = np.diff(X)
            if logsp:
                hu = np.diff(U)
                xm = Px[mi]
                simp = hu / 6.0 * (Y[:-1] * X[:-1] + 4.0 * fm * xm + Y[1:] * X[1:])
                simp_abs = hu / 6.0 * (np.abs(Y[:-1]) * X[:-1] + 4.0 * np.abs(fm) * xm + np.abs(Y[1:]) * X[1:])
            else:
                simp = hx / 6.0 * (Y[:-1] + 4.0 * fm + Y[1:])
                simp_abs = hx / 6.0 * (np.abs(Y[:-1]) + 4.0 * np.abs(fm) + np.abs(Y[1:]))
            floor_m = _floor(fscale, coef, X, np.arange(n - 1), Px[mi])
            ratio_i = np.abs(simp - _interval_integrals(coef, hx)) / (rtol * simp_abs + (atol + floor_m) * hx)
            # an interval fails if its integral test or any check point in it fails
            worst = np.full(n - 1, -1.0)
            np.maximum.at(worst, ip, ratio_p)
            # with a relative tolerance a zero of f inside an interval cannot be met to rtol unless it is a knot
            # (|f| -> 0 there): a sign change between two knots, or between a knot and a check point, marks the
            # interval for refinement -- at the spline's root in the first case -- unless atol covers it.
            floor_k = _floor(fscale, coef, X, np.minimum(np.arange(n), n - 2), X)
            big_k = np.abs(Y) > atol + floor_k
            rel_matters = atol + np.maximum(floor_k[:-1], floor_k[1:]) < \
                0.5 * rtol * np.maximum(np.abs(Y[:-1]), np.abs(Y[1:]))
            knot_sc = (Y[:-1] * Y[1:] < 0) & big_k[:-1] & big_k[1:] & rel_matters
            big_p = np.abs(Pf) > atol + _floor(fscale, coef, X, ip, Px)
            check_sc = big_p & rel_matters[ip] & ~knot_sc[ip] & (
                ((Pf * Y[ip] < 0) & big_k[ip]) | ((Pf * Y[ip + 1] < 0) & big_k[ip + 1]))
            if check_sc.any():
                ratio_split = np.where(check_sc, np.inf, ratio_p)
                np.maximum.at(worst, ip, ratio_split)
            else:
                ratio_split = ratio_p
            # 2:1 mesh balance: the midpoint check stands for the whole interval only if the mesh is locally
            # quasi-uniform; next to a much finer neighbour the error curve is lopsided and peaks off-centre.
            hu = np.diff(U)
            lopsided = np.zeros(n - 1, bool)
            lopsided[1:] |= hu[1:] > _BALANCE * hu[:-1]
            lopsided[:-1] |= hu[:-1] > _BALANCE * hu[1:]
            # a dip of |f| towards zero inside an interval (a double zero, or two zeros in one interval) is just
            # as invisible to the checks: split such intervals at the spline's extremum, which pins the dip
            ext_x, ext_ok = _spline_extrema(coef, X)
            s_ext = np.abs(_poly_eval(coef, X, np.arange(n - 1), ext_x))
            tau_k = rtol * np.abs(Y) + atol + floor_k
            dip = ext_ok & ~knot_sc & (rtol * s_ext + atol + floor_m < 0.5 * np.minimum(tau_k[:-1], tau_k[1:])) & \
                (s_ext > atol + floor_m)
            bad = (ratio_i > safety) | (worst > safety) | knot_sc | lopsided | dip
            estimate = float(max(ratio_p.max(initial=0.0), ratio_i.max(initial=0.0)))
            if not bad.any():
                if Gu.size == 0:
                    break
                continue  # geometric checks still being laid down next to zeros of f
            bad_idx = np.nonzero(bad)[0]
            # knot gap collapse -> discontinuity
            x0, x1 = X[bad_idx], X[bad_idx + 1]
            tiny = (x1 - x0) <= 100.0 * _EPS * np.maximum(np.maximum(np.abs(x0), np.abs(x1)), 1e-300)
            if tiny.any():
                cand = bad_idx[tiny]
                j = cand[np.argmax(np.abs(Y[cand + 1] - Y[cand]))]  # the collapsed interval with the jump
                raise DiscontinuityError(0.5 * (X[j] + X[j + 1]), abs(Y[j + 1] - Y[j]), X[j], X[j + 1])
            # split point: the midpoint if it or the integral test fails, else the worst failing check
            mid_fail = (ratio_i[bad_idx] > safety) | (ratio_p[mi[bad_idx]] > safety)
            fail_pts = np.nonzero(ratio_split > safety)[0]
            fail_pts = fail_pts[np.lexsort((-ratio_split[fail_pts], ip[fail_pts]))]
            first = fail_pts[np.unique(ip[fail_pts], return_index=True)[1]]
            worst_pt = np.full(n - 1, -1, dtype=np.int64)
            worst_pt[ip[first]] = first
            wp = worst_pt[bad_idx]
            # a failing check far off-centre is not made a knot yet: splitting at 0.1 of an interval would start
            # a cascade of 2:1 balance splits; bisect instead, and the check is re-tested in its child
            theta = (Pu[np.maximum(wp, 0)] - U[bad_idx]) / (U[bad_idx + 1] - U[bad_idx])
            central = (theta >= 0.25) & (theta <= 0.75)
            new_pts = np.where(mid_fail | (wp < 0) | ~central, mi[bad_idx], wp)
            # an interval across a sign change of f is split at the spline's root (the zero of f becomes a
            # knot, found to rounding in a few secant-like sweeps)
            sc = knot_sc[bad_idx]
            root_x = np.empty(0)
            if sc.any():
                ri = bad_idx[sc]
                r = _spline_roots(coef, X, Y, ri)
                inside = (r > X[ri] + 0.02 * hx[ri]) & (r < X[ri + 1] - 0.02 * hx[ri])
                if logsp:
                    inside &= r > 0
                root_x = r[inside]
                sc_idx = np.nonzero(sc)[0][inside]
                keep_b = np.ones(bad_idx.size, bool)
                keep_b[sc_idx] = False
                new_pts = new_pts[keep_b]
                bad_rest = bad_idx[keep_b]
            else:
                bad_rest = bad_idx
            dp = dip[bad_rest]
            if dp.any():
                root_x = np.concatenate((root_x, ext_x[bad_rest[dp]]))
                new_pts = new_pts[~dp]
            new_pts = np.unique(new_pts)
            if n + new_pts.size + root_x.size > max_knots:
                partial = cls(X, Y, spacing=spacing, coef=coef, rtol=rtol, atol=atol, n_evals=n_evals,
                              error_estimate=estimate, check_x=Px, check_f=Pf, n_sweeps=sweeps, fscale=fscale)
                raise MaxKnotsError(max_knots, estimate, rtol, atol, partial)
            keep = np.ones(Pu.size, bool)
            keep[new_pts] = False
            U = np.concatenate((U, Pu[new_pts]))
            X = np.concatenate((X, Px[new_pts]))
            Y = np.concatenate((Y, Pf[new_pts]))
            order = np.argsort(U, kind="stable")
            U, X, Y = U[order], X[order], Y[order]
            Pu, Px, Pf = Pu[keep], Px[keep], Pf[keep]
            if root_x.size:
                ry = _call_f(f, root_x)
                n_evals += root_x.size
                U = np.concatenate((U, np.log(root_x) if logsp else root_x))
                X = np.concatenate((X, root_x))
                Y = np.concatenate((Y, ry))
                order = np.argsort(U, kind="stable")
                U, X, Y = U[order], X[order], Y[order]

        return cls(X, Y, spacing=spacing, coef=coef, rtol=rtol, atol=atol, n_evals=n_evals,
                   error_estimate=estimate, check_x=Px, check_f=Pf, n_sweeps=sweeps, fscale=fscale)

    # ----------------------------------------------------------------------------------------- use
    @property
    def a(self) -> float:
        return float(self.knots[0])

    @property
    def b(self) -> float:
        return float(self.knots[-1])

    @property
    def n_knots(self) -> int:
        return int(self.knots.size)

    def _run(self, x, order: int):
        x = np.asarray(x, dtype=float)
        flat = np.ascontiguousarray(x.reshape(-1))
        out = np.empty_like(flat)
        eval_kernel(flat, flat.view(np.int64), self.knots, self.coef, self._lut, self._u0, self._inv_w,
                    self.spacing == "log", order, out)
        return out.reshape(x.shape) if x.ndim else float(out[0])

    def __call__(self, x):
        """s(x), vectorized (NaN outside [a, b])."""
        return self._run(x, 0)

    def derivative(self, x, order: int = 1):
        """The ``order``-th derivative (1, 2 or 3) of the spline at x, exact for the piecewise cubic."""
        if order not in (1, 2, 3) or isinstance(order, bool):
            raise ValueError(f"order must be 1, 2 or 3, got {order!r}")
        return self._run(x, int(order))

    def antiderivative(self, x):
        """The integral of s from a to x (vectorized)."""
        x = np.asarray(x, dtype=float)
        flat = np.ascontiguousarray(x.reshape(-1))
        out = np.empty_like(flat)
        antiderivative_kernel(flat, flat.view(np.int64), self.knots, self.coef, self._cum, self._lut, self._u0,
                              self._inv_w, self.spacing == "log", out)
        return out.reshape(x.shape) if x.ndim else float(out[0])

    def integral(self, lo: float, hi: float) -> float:
        """The exact integral of the spline from lo to hi (both within [a, b]; lo > hi flips the sign)."""
        lo = float(lo)
        hi = float(hi)
        for v in (lo, hi):
            if not (self.knots[0] <= v <= self.knots[-1]):
                raise ValueError(f"integration limit {v!r} outside the spline's range [{self.a!r}, {self.b!r}]")
        F = self.antiderivative(np.array([lo, hi]))
        return float(F[1] - F[0])

    def tolerance(self, x, fx):
        """The tolerance the fit guarantees at x where f(x) = fx: ``rtol|fx| + atol + 16 eps (fscale + |x s'(x)|)``.

        ``fscale`` is the largest |f| sampled; the last term is the rounding floor (see the module doc).
        """
        x = np.asarray(x, dtype=float)
        d = self.derivative(x, 1)
        return self.rtol * np.abs(fx) + self.atol + _FLOOR * _EPS * (self.fscale + np.abs(x * d))

    def __repr__(self) -> str:
        return (f"AdaptiveSpline([{self.a:.6g}, {self.b:.6g}], knots={self.n_knots}, n_evals={self.n_evals}, "
                f"rtol={self.rtol:.3g}, atol={self.atol:.3g}, error_estimate={self.error_estimate:.3g}, "
                f"spacing={self.spacing!r})")

    # ----------------------------------------------------------------------------------------- I/O
    def _arrays(self) -> dict:
        return {"knots": self.knots, "values": self.values, "coef": self.coef,
                "check_x": self.check_x, "check_f": self.check_f, "spacing": np.array(self.spacing),
                "meta": np.array([self.rtol, self.atol, self.n_evals, self.error_estimate, self.n_sweeps,
                                  self.fscale])}

    @classmethod
    def _from_arrays(cls, d) -> "AdaptiveSpline":
        rtol, atol, n_evals, est, sweeps, fscale = (float(v) for v in d["meta"])
        return cls(d["knots"], d["values"], spacing=str(d["spacing"]), coef=d["coef"], rtol=rtol, atol=atol,
                   n_evals=int(n_evals), error_estimate=est, check_x=d["check_x"], check_f=d["check_f"],
                   n_sweeps=int(sweeps), fscale=fscale)

    def save(self, path) -> None:
        """Write the spline to an ``.npz`` file (no pickle inside)."""
        np.savez(path, **self._arrays())

    @classmethod
    def load(cls, path) -> "AdaptiveSpline":
        """Read a spline written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as d:
            return cls._from_arrays(d)


# --------------------------------------------------------------------------------------------- table
class SplineTable:
    """One :class:`AdaptiveSpline` in x per tabulated parameter v of a kernel ``f(v, x)``.

    ``SplineTable.fit(f, params, a, b, **fit_kwargs)`` calls ``f(v, x)`` with a scalar ``v`` and an array
    ``x``; each v gets its own knots. ``table(v, x)`` evaluates: ``v`` a scalar from ``params`` with any
    ``x``, or ``v`` an array (broadcast against ``x``) of tabulated values, all in one Numba kernel.
    ``table[i]`` is the spline of ``params[i]``.
    """

    def __init__(self, params, splines):
        params = np.asarray(params, dtype=float).reshape(-1)
        splines = list(splines)
        if params.size == 0 or params.size != len(splines):
            raise ValueError("params and splines must be non-empty and of the same length")
        if np.unique(params).size != params.size:
            raise ValueError("params must be distinct")
        spacing = {s.spacing for s in splines}
        if len(spacing) != 1:
            raise ValueError("all splines of a table must share one spacing")
        self.params = params
        self.splines = splines
        self.spacing = spacing.pop()
        self._order = np.argsort(params)
        self._pack()

    def _pack(self):
        s = self.splines
        self._offsets = np.concatenate(([0], np.cumsum([sp.knots.size for sp in s]))).astype(np.int64)
        self._knots = np.concatenate([sp.knots for sp in s])
        self._coef = np.ascontiguousarray(np.concatenate([sp.coef for sp in s]))
        self._luts = np.concatenate([sp._lut for sp in s])
        self._lut_offsets = np.concatenate(([0], np.cumsum([sp._lut.size for sp in s]))).astype(np.int64)
        self._u0s = np.array([sp._u0 for sp in s])
        self._inv_ws = np.array([sp._inv_w for sp in s])
        self._psorted = np.ascontiguousarray(self.params[self._order])
        self._porder = np.ascontiguousarray(self._order, dtype=np.int64)

    @classmethod
    def fit(cls, f: Callable, params, a: float, b: float, **fit_kwargs) -> "SplineTable":
        params = np.asarray(params, dtype=float).reshape(-1)
        if params.size == 0:
            raise ValueError("params must be non-empty")
        if not np.all(np.isfinite(params)):
            raise ValueError("params must be finite")
        splines = [AdaptiveSpline.fit(lambda x, v=float(v): f(v, x), a, b, **fit_kwargs) for v in params]
        return cls(params, splines)

    @property
    def n_evals(self) -> int:
        return int(sum(s.n_evals for s in self.splines))

    @property
    def n_knots(self) -> np.ndarray:
        return np.array([s.n_knots for s in self.splines])

    def __len__(self) -> int:
        return len(self.splines)

    def __getitem__(self, i: int) -> AdaptiveSpline:
        return self.splines[i]

    def index(self, v) -> np.ndarray:
        """Indices of the tabulated parameters equal to v (ValueError for a v not in the table)."""
        v = np.asarray(v, dtype=float)
        if v.ndim == 0:
            hit = np.nonzero(self.params == v)[0]
            if hit.size == 0:
                raise ValueError(f"v = {float(v)!r} is not a tabulated parameter")
            return hit[0]
        sp = self.params[self._order]
        pos = np.clip(np.searchsorted(sp, v), 0, sp.size - 1)
        ok = sp[pos] == v
        if not np.all(ok):
            missing = v[~ok] if v.ndim else v
            raise ValueError(f"v = {np.ravel(missing)[0]!r} is not a tabulated parameter")
        return self._order[pos]

    def __call__(self, v, x):
        if np.ndim(v) == 0:  # one tabulated v: that spline's own kernel
            return self.splines[int(self.index(v))](x)
        v, x = np.broadcast_arrays(np.asarray(v, dtype=float), np.asarray(x, dtype=float))
        vflat = np.ascontiguousarray(v.reshape(-1))
        flat = np.ascontiguousarray(x.reshape(-1))
        out = np.empty_like(flat)
        bad = table_eval_kernel(vflat, self._psorted, self._porder, flat, flat.view(np.int64), self._offsets,
                                self._knots, self._coef, self._luts, self._lut_offsets, self._u0s, self._inv_ws,
                                self.spacing == "log", out)
        if bad >= 0:
            raise ValueError(f"v = {vflat[bad]!r} is not a tabulated parameter")
        return out.reshape(x.shape) if x.ndim else float(out[0])

    def save(self, path) -> None:
        """Write the table to an ``.npz`` file (no pickle inside)."""
        arrays = {"params": self.params}
        for i, s in enumerate(self.splines):
            for k, v in s._arrays().items():
                arrays[f"s{i}_{k}"] = v
        np.savez(path, **arrays)

    @classmethod
    def load(cls, path) -> "SplineTable":
        with np.load(path, allow_pickle=False) as d:
            params = d["params"]
            splines = [AdaptiveSpline._from_arrays({k: d[f"s{i}_{k}"] for k in
                                                    ("knots", "values", "coef", "check_x", "check_f",
                                                     "spacing", "meta")}) for i in range(params.size)]
        return cls(params, splines)
