"""Classical approximations, written here (not imported), each emitted as a Horner-form :class:`Listing` in ``x``.

* :func:`remez` - the minimax polynomial for *relative* error: the discrete Remez exchange on a 4001-point Chebyshev
  grid, solved in mpmath at 40 digits in the scaled variable ``t in [-1, 1]``; the error equioscillates at
  ``degree + 2`` points at convergence.
* :func:`chebyshev` - interpolation at the ``degree + 1`` Chebyshev points of the first kind.
* :func:`taylor` - the Taylor polynomial about the midpoint of the interval.
* :func:`pade` - the ``[m/n]`` Padé approximant about the midpoint.

Every coefficient set is converted to monomials in ``x`` in mpmath and rounded to float64 once.  A polynomial of
degree ``d`` costs ``2d`` plain operations (``d`` fma); an ``[m/n]`` rational costs ``2m + 2n`` (the denominator is
normalised to a monic leading term, which saves one multiply, and one divide is added).

Errors are the *real-number* maximum relative error of the rounded-coefficient program, measured in double-double
against the 30-digit mpmath reference on a 10,000-point Chebyshev grid (:func:`measure`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import mpmath
import numpy as np

from search.evolution.listing import Listing, costs, eval_dd
from search.evolution.targets import parse_interval, reference, resolve_target

__all__ = [
    "Baseline",
    "remez",
    "remez_coefficients",
    "chebyshev",
    "taylor",
    "pade",
    "horner_listing",
    "rational_listing",
    "measure",
    "all_baselines",
    "best_baseline",
]

VALIDATION_POINTS = 10_000


@dataclass
class Baseline:
    """One classical approximation: its ``name`` (``"minimax deg 5"``), listing, costs and measured error."""

    name: str
    family: str
    listing: Listing
    max_rel_error: float
    ops: dict = field(default_factory=dict)
    max_ulp: float | None = None

    def as_meta(self) -> dict:
        d = {"name": self.name, "family": self.family, "max_rel_error": self.max_rel_error, "ops": dict(self.ops)}
        if self.max_ulp is not None:
            d["max_ulp"] = self.max_ulp
        return d


# ----------------------------------------------------------------------------------------------- listings


def horner_listing(coeffs) -> Listing:
    """``c0 + c1 x + ... + cd x^d`` in Horner form: ``d`` multiplies and ``d`` adds (zero leading terms dropped)."""
    c = [float(v) for v in coeffs]
    while len(c) > 1 and c[-1] == 0.0:
        c.pop()
    instrs: list = []
    if len(c) == 1:
        return Listing((), ("k", c[0]))
    acc = ("k", c[-1])
    for ck in reversed(c[:-1]):
        instrs.append(("mul", (acc, ("x",))))
        instrs.append(("add", (("v", len(instrs) - 1), ("k", ck))))
        acc = ("v", len(instrs) - 1)
    return Listing(tuple(instrs), acc)


def _monic_horner(q, instrs: list):
    """Append Horner code for ``x^n + q_{n-1} x^{n-1} + ... + q_0`` (``q`` without its leading 1); returns operand."""
    n = len(q)
    if n == 0:
        return ("k", 1.0)
    instrs.append(("add", (("x",), ("k", float(q[-1])))))
    acc = ("v", len(instrs) - 1)
    for qk in reversed(q[:-1]):
        instrs.append(("mul", (acc, ("x",))))
        instrs.append(("add", (("v", len(instrs) - 1), ("k", float(qk)))))
        acc = ("v", len(instrs) - 1)
    return acc


def rational_listing(p, q_monic) -> Listing:
    """``P(x) / Q(x)`` with ``Q`` monic (``q_monic`` holds its lower coefficients), both in Horner form."""
    num = horner_listing(p)
    instrs = list(num.instrs)
    pout = num.out
    qout = _monic_horner(list(q_monic), instrs)
    instrs.append(("div", (pout, qout)))
    return Listing(tuple(instrs), ("v", len(instrs) - 1))


def _to_x(coeffs_t, alpha, beta):
    """Coefficients of ``sum c_j t^j`` with ``t = alpha x + beta``, as monomials in x (mpmath arithmetic)."""
    n = len(coeffs_t)
    out = [mpmath.mpf(0)] * n
    for j, cj in enumerate(coeffs_t):
        # (alpha x + beta)^j = sum_k C(j,k) alpha^k x^k beta^(j-k)
        for k in range(j + 1):
            out[k] += cj * mpmath.binomial(j, k) * alpha**k * beta ** (j - k)
    return out


# ------------------------------------------------------------------------------------------- measurement


def measure(listing: Listing, target, interval, n: int = VALIDATION_POINTS) -> float:
    """Maximum real-number relative error of ``listing`` on an ``n``-point Chebyshev grid (double-double program
    evaluation against the 30-digit mpmath reference).  NaN or inf anywhere gives ``inf``."""
    ref = reference(target, interval, n=n, dps=30)
    hi, lo = eval_dd(listing, ref.x)
    with np.errstate(all="ignore"):
        err = np.abs(((hi - ref.hi) + (lo - ref.lo)) / ref.hi)
    if not np.all(np.isfinite(err)):
        return float("inf")
    return float(err.max())


def _make(name, family, listing, target, interval, dtype="float64") -> Baseline:
    return Baseline(name, family, listing, measure(listing, target, interval), costs(listing, dtype))


# ----------------------------------------------------------------------------------------------- Remez


@functools.lru_cache(maxsize=256)
def remez_coefficients(spec: str, a: float, b: float, degree: int, grid: int = 4001, dps: int = 40,
                       maxiter: int = 40) -> tuple[tuple[float, ...], float]:
    """Minimax-relative-error polynomial coefficients (monomials in x, float64) and the levelled error ``|E|``.

    The discrete Remez exchange: solve ``p(t_i) - f_i = (-1)^i E f_i`` at ``degree + 2`` reference points, then move
    the reference to the alternating extrema of ``p/f - 1`` on the grid, until the extrema are level to 1e-10.
    """
    target = resolve_target(spec)
    n = degree
    with mpmath.workdps(dps):
        k = np.arange(grid)
        ts = [mpmath.mpf(-1)] + [-mpmath.cos(mpmath.pi * int(i) / (grid - 1)) for i in k[1:-1]] + [mpmath.mpf(1)]
        half, mid = (mpmath.mpf(b) - mpmath.mpf(a)) / 2, (mpmath.mpf(a) + mpmath.mpf(b)) / 2
        xs = [mid + half * t for t in ts]
        fx = [target.mp(x) for x in xs]
        if any(v == 0 for v in fx):
            keep = [i for i, v in enumerate(fx) if v != 0]
            ts, xs, fx = [ts[i] for i in keep], [xs[i] for i in keep], [fx[i] for i in keep]
        m = len(ts)
        # initial reference: grid points nearest the Chebyshev extrema of degree n+1
        ref = sorted({int(np.argmin([abs(float(t) + np.cos(np.pi * j / (n + 1))) for t in ts]))
                      for j in range(n + 2)})
        if len(ref) < n + 2:
            raise ValueError(f"grid too coarse for a degree-{degree} Remez")
        coeffs = None
        E = mpmath.mpf(0)
        for _ in range(maxiter):
            A = mpmath.matrix(n + 2, n + 2)
            rhs = mpmath.matrix(n + 2, 1)
            for r, i in enumerate(ref):
                for j in range(n + 1):
                    A[r, j] = ts[i] ** j
                A[r, n + 1] = -((-1) ** r) * fx[i]
                rhs[r] = fx[i]
            sol = mpmath.lu_solve(A, rhs)
            coeffs = [sol[j] for j in range(n + 1)]
            E = sol[n + 1]
            err = [mpmath.polyval(coeffs[::-1], t) / f - 1 for t, f in zip(ts, fx)]
            # alternating extrema: the largest |err| in each maximal run of one sign
            ext = []
            start = 0
            for i in range(1, m + 1):
                if i == m or (err[i] > 0) != (err[start] > 0):
                    j = max(range(start, i), key=lambda q: abs(err[q]))
                    ext.append(j)
                    start = i
            if len(ext) < n + 2:
                break
            while len(ext) > n + 2:  # keep the n+2 consecutive extrema holding the global maximum
                if abs(err[ext[0]]) < abs(err[ext[-1]]):
                    ext.pop(0)
                else:
                    ext.pop()
            emax = max(abs(err[i]) for i in range(m))
            emin = min(abs(err[i]) for i in ext)
            ref = ext
            if emax - emin <= 1e-10 * emax:
                break
        cx = _to_x(coeffs, 1 / half, -mid / half)
        return tuple(float(c) for c in cx), float(abs(E))


def remez(target, interval, degree: int, dtype: str = "float64") -> Baseline:
    """The minimax polynomial (relative error) of ``degree`` as a Horner :class:`Baseline`."""
    t = resolve_target(target) if isinstance(target, str) else target
    a, b = parse_interval(interval)
    coeffs, _ = remez_coefficients(t.spec, a, b, int(degree))
    return _make(f"minimax deg {degree}", "minimax", horner_listing(coeffs), t, (a, b), dtype)


# ------------------------------------------------------------------------------------ Chebyshev, Taylor, Padé


def chebyshev(target, interval, degree: int, dtype: str = "float64") -> Baseline:
    """Interpolation at the Chebyshev points of the first kind, in Horner form."""
    t = resolve_target(target) if isinstance(target, str) else target
    a, b = parse_interval(interval)
    n = int(degree)
    with mpmath.workdps(40):
        half, mid = (mpmath.mpf(b) - mpmath.mpf(a)) / 2, (mpmath.mpf(a) + mpmath.mpf(b)) / 2
        nodes = [mpmath.cos(mpmath.pi * (2 * k + 1) / (2 * (n + 1))) for k in range(n + 1)]
        A = mpmath.matrix([[tk**j for j in range(n + 1)] for tk in nodes])
        y = mpmath.matrix([t.mp(mid + half * tk) for tk in nodes])
        ct = mpmath.lu_solve(A, y)
        cx = [float(c) for c in _to_x([ct[j] for j in range(n + 1)], 1 / half, -mid / half)]
    return _make(f"Chebyshev deg {n}", "chebyshev", horner_listing(cx), t, (a, b), dtype)


def _taylor_coeffs(t, c, order):
    return mpmath.taylor(t.mp, c, order)


def taylor(target, interval, degree: int, dtype: str = "float64") -> Baseline:
    """The Taylor polynomial about the interval's midpoint, in Horner form (in x)."""
    t = resolve_target(target) if isinstance(target, str) else target
    a, b = parse_interval(interval)
    with mpmath.workdps(40):
        mid = (mpmath.mpf(a) + mpmath.mpf(b)) / 2
        cy = _taylor_coeffs(t, mid, int(degree))
        cx = [float(c) for c in _to_x(cy, mpmath.mpf(1), -mid)]
    return _make(f"Taylor deg {degree}", "taylor", horner_listing(cx), t, (a, b), dtype)


def pade(target, interval, m: int, n: int, dtype: str = "float64") -> Baseline:
    """The ``[m/n]`` Padé approximant about the midpoint, numerator and monic denominator in Horner form."""
    t = resolve_target(target) if isinstance(target, str) else target
    a, b = parse_interval(interval)
    with mpmath.workdps(40):
        mid = (mpmath.mpf(a) + mpmath.mpf(b)) / 2
        cy = _taylor_coeffs(t, mid, int(m) + int(n))
        p, q = mpmath.pade(cy, int(m), int(n))
        px = _to_x(p, mpmath.mpf(1), -mid)
        qx = _to_x(q, mpmath.mpf(1), -mid)
        lead = qx[-1]
        if abs(lead) < mpmath.mpf(10) ** -30:
            raise ValueError(f"Padé [{m}/{n}] of {t.spec} is degenerate")
        px = [float(c / lead) for c in px]
        qx = [float(c / lead) for c in qx[:-1]]
    return _make(f"Padé [{m}/{n}]", "pade", rational_listing(px, qx), t, (a, b), dtype)


# ------------------------------------------------------------------------------------------ equal-cost choice


@functools.lru_cache(maxsize=32)
def _all_cached(spec: str, a: float, b: float, max_ops: int, dtype: str) -> tuple:
    out = []
    for d in range(0, max_ops // 2 + 1):
        for fn in (remez, chebyshev, taylor):
            try:
                out.append(fn(spec, (a, b), d, dtype))
            except (ValueError, ZeroDivisionError):
                pass
    for m in range(0, max_ops // 2 + 1):
        for n in range(1, max_ops // 2 + 1):
            if 2 * m + 2 * n <= max_ops:
                try:
                    out.append(pade(spec, (a, b), m, n, dtype))
                except (ValueError, ZeroDivisionError):
                    pass
    return tuple(out)


def all_baselines(target, interval, max_ops: int = 12, dtype: str = "float64") -> list[Baseline]:
    """Every baseline (minimax, Chebyshev, Taylor polynomials; Padé ``[m/n]``) with at most ``max_ops`` plain ops."""
    t = resolve_target(target) if isinstance(target, str) else target
    a, b = parse_interval(interval)
    return list(_all_cached(t.spec, a, b, int(max_ops), dtype))


def best_baseline(baselines, cost: int, model: str = "ops") -> Baseline | None:
    """The most accurate baseline whose cost under ``model`` is at most ``cost``."""
    ok = [bl for bl in baselines if bl.ops[model] <= cost and np.isfinite(bl.max_rel_error)]
    return min(ok, key=lambda bl: (bl.max_rel_error, bl.ops[model])) if ok else None
