"""Seed programs: generic structural families, initialised by linear least squares, fitted later.

Evolution from a single vertex can in principle reach every program, but the structures that beat minimax
polynomials at equal cost (powers of short approximants, rationals, rationals that share their even and odd
parts) are many mutations away.  Each island therefore starts from these *families*, with constants initialised by
weighted linear least squares on ``g = f^(1/2^k)`` (any target, nothing target-specific), then fitted by
:func:`search.evolution.fit.fit_minimax` on ``f`` itself:

* ``poly``: Horner polynomial in x, ``(p(x))^(2^k)``;
* ``even`` / ``odd``: ``p(x^2)`` and ``x p(x^2)``;
* ``rational``: ``P(x) / Q(x)`` with monic Q, ``(P/Q)^(2^k)``;
* ``split``: ``s (E(y^2) + y O(y^2)) / (E(y^2) - y O(y^2))`` with ``y = x - c`` (a rational whose numerator and
  denominator share their even and odd parts: ``[2n+1/2n+1]`` for about half the cost; exact in form for
  ``e^{ay}``), and ``split^(2^k)``; ``split0``: the same about the origin (``y = x``, no shift and, when squared,
  no scale: ``(R(x))^(2^k)``);
* ``minimal``: ``c0 + c1 x``, the from-scratch start.

Squaring ``k`` times needs ``f > 0`` on the interval.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.polynomial import Polynomial

from search.evolution.programs import X, canonical
from search.expr.terms import make, param

__all__ = ["seed_programs", "horner_expr"]


class _Params:
    def __init__(self):
        self.vals: list[float] = []

    def new(self, v: float):
        self.vals.append(float(v))
        return param(len(self.vals) - 1)


def horner_expr(u, coeffs, ps: _Params, monic: bool = False):
    """Horner form of ``sum coeffs[j] u^j`` (``monic``: leading coefficient 1, omitted)."""
    c = list(coeffs)
    if monic:
        if len(c) == 1:
            return None
        acc = make("add", u, ps.new(c[-2]))
        rest = c[:-2]
    else:
        acc = ps.new(c[-1])
        if len(c) == 1:
            return acc
        acc = make("add", make("mul", acc, u), ps.new(c[-2]))
        rest = c[:-2]
    for cj in reversed(rest):
        acc = make("add", make("mul", acc, u), ps.new(cj))
    return acc


def _lsq_poly(u, g, w, deg):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Polynomial.fit(u, g, deg, w=w).convert().coef


def _lsq_rational(s, g, m, n):
    """Linearised LS for ``N(s) - g D(s) = 0`` with ``D(0) = 1``, weighted by 1/|g|; coefficients in s."""
    cols = [s**j for j in range(m + 1)] + [-g * s**j for j in range(1, n + 1)]
    A = np.stack(cols, axis=1) / np.abs(g)[:, None]
    b = g / np.abs(g)
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(b))):
        raise np.linalg.LinAlgError("non-finite least-squares system")
    coef, *_ = np.linalg.lstsq(A, b, rcond=None)
    return coef[: m + 1], np.concatenate([[1.0], coef[m + 1:]])


def _compose(coef_s, alpha, beta):
    """Coefficients in x of ``sum c_j s^j`` with ``s = alpha x + beta``."""
    return Polynomial(coef_s)(Polynomial([beta, alpha])).coef


def _pad(c, n):
    c = np.asarray(c, dtype=np.float64)
    return np.concatenate([c, np.zeros(max(0, n - c.shape[0]))])[:n] if c.shape[0] < n else c[:n]


def _square(e, k):
    for _ in range(k):
        e = make("mul", e, e)
    return e


def _split_seed(x, g, center, m, a, b):
    """Even/odd parts ``E``, ``O`` (in ``t = y^2``, E monic) and scale ``s0`` of a split rational fitted to ``g``
    with ``y = x - center``, from a linearised least-squares ``[m/m]`` rational in ``y / w``."""
    w = max(abs(a - center), abs(b - center)) or 1.0
    sv = (x - center) / w
    try:
        pn, qd = _lsq_rational(sv, g, m, m)
    except np.linalg.LinAlgError:
        return None
    s0 = pn[0]
    if s0 == 0 or not np.isfinite(s0):
        return None
    ne, no = pn[0::2], pn[1::2]
    de, do = qd[0::2], qd[1::2]
    ln = max(len(ne), len(de))
    E = (_pad(ne, ln) / s0 + _pad(de, ln)) / 2
    O = (_pad(no, len(no)) / s0 - _pad(do, len(no))) / 2
    # back from y / w to y: E_j (t / w^2)^j and y O_j (t / w^2)^j / w
    E = E / w ** (2 * np.arange(len(E)))
    O = O / w ** (2 * np.arange(len(O)) + 1)
    while len(E) > 1 and abs(E[-1]) < 1e-14 * np.max(np.abs(E)):
        E = E[:-1]
    lead = E[-1]
    if lead == 0 or not np.isfinite(lead):
        return None
    return E / lead, O / lead, s0


def seed_programs(x, f, interval, max_terms: int, families: bool = True, max_squarings: int = 4) -> list[tuple]:
    """``(expr, params, family)`` seeds for target values ``f`` on grid ``x``; ``max_terms`` bounds the degrees."""
    a, b = interval
    mid, half = 0.5 * (a + b), 0.5 * (b - a)
    s = (x - mid) / half
    out = []
    ps = _Params()
    out.append((make("add", make("mul", ps.new(0.0), X), ps.new(float(np.median(f)))), np.array(ps.vals), "minimal"))
    if not families:
        return [(*canonical(e, p), fam) for e, p, fam in out]
    positive = bool(np.all(f > 0))
    kmax = max_squarings if positive else 0
    for k in range(0, kmax + 1):
        g = np.abs(f) ** (1.0 / 2**k) * (np.sign(f) if k == 0 else 1.0)
        w = 1.0 / np.abs(g)
        # polynomials in x
        for d in range(1, max_terms + 1):
            ps = _Params()
            c = _lsq_poly(x, g, w, d)
            out.append((_square(horner_expr(X, _pad(c, d + 1), ps), k), np.array(ps.vals), f"poly{d}^{2**k}"))
        # even / odd in x^2 (only without squaring: their point is symmetry about 0)
        if k == 0:
            u = x * x
            for d in range(1, max_terms + 1):
                ps = _Params()
                t = make("mul", X, X)
                c = _lsq_poly(u, g, w, d)
                out.append((horner_expr(t, _pad(c, d + 1), ps), np.array(ps.vals), f"even{2 * d}"))
                nz = x != 0
                if np.count_nonzero(nz) > d + 2:
                    ps = _Params()
                    c = _lsq_poly(u[nz], g[nz] / x[nz], np.abs(x[nz]) / np.abs(g[nz]), d)
                    out.append((make("mul", X, horner_expr(t, _pad(c, d + 1), ps)), np.array(ps.vals),
                                f"odd{2 * d + 1}"))
        # rationals P/Q in x, Q monic
        for m in range(0, max_terms):
            for n in range(1, max_terms):
                # near-diagonal rationals only (the best of a given cost), and at most two squarings
                if m + n > max_terms or abs(m - n) > 1 or k > 2:
                    continue
                try:
                    pn, qd = _lsq_rational(s, g, m, n)
                except np.linalg.LinAlgError:
                    continue
                px, qx = _compose(pn, 1 / half, -mid / half), _compose(qd, 1 / half, -mid / half)
                px, qx = _pad(px, m + 1), _pad(qx, n + 1)
                if not np.isfinite(qx).all() or abs(qx[-1]) < 1e-300:
                    continue
                px, qx = px / qx[-1], qx / qx[-1]
                ps = _Params()
                num = horner_expr(X, px, ps)
                den = horner_expr(X, qx, ps, monic=True)
                out.append((_square(make("div", num, den), k), np.array(ps.vals), f"rational{m}/{n}^{2**k}"))
        # split rationals s (E + yO)/(E - yO): about the midpoint (y = x - mid) and about the origin (y = x,
        # one operation cheaper; with squarings this is the classic e^x = (R(x/2^k))^(2^k) shape)
        for m in range(1, max_terms, 2):
            for center in (mid, 0.0):
                if center == 0.0 and mid == 0.0 and k == 0:
                    continue  # same as the midpoint variant
                seed = _split_seed(x, g, center, m, a, b)
                if seed is None:
                    continue
                E, O, s0 = seed
                ps = _Params()
                y = make("add", X, ps.new(-center)) if center != 0.0 else X
                t = make("mul", y, y)
                Ee = horner_expr(t, E, ps, monic=True) if len(E) > 1 else ps.new(1.0)
                A = make("mul", y, horner_expr(t, O, ps))
                r = make("div", make("add", Ee, A), make("sub", Ee, A))
                if center != 0.0 or k == 0:
                    r = make("mul", ps.new(s0), r)
                tag = "split" if center != 0.0 else "split0"
                out.append((_square(r, k), np.array(ps.vals), f"{tag}{m}^{2**k}"))
    return [(*canonical(e, p), fam) for e, p, fam in out]
