"""Minimax fitting of a program's constants for relative error.

For a program ``p(x; c)`` and reference values ``f`` on a grid, minimise ``max_i |p(x_i; c)/f_i - 1|``:

1. **Least-squares start**: Levenberg-Marquardt on the relative residuals (Jacobian from the expression core's
   forward-mode kernel), from the inherited or seeded constants.
2. **Minimax refinement**: sequential linear programming.  At ``c`` the residual is linearised,
   ``r(c + d) ~ r + J d``, and the LP ``min t  s.t. -t <= r + J d <= t, |d_j| <= Delta_j`` is solved with HiGHS on
   the whole grid (a discrete Chebyshev problem).  A step is kept when the true maximum error drops; the trust
   radius ``Delta`` grows after good steps and shrinks after bad ones.  For programs linear in ``c`` (a polynomial)
   one LP is the exact discrete minimax solution; for nonlinear programs it converges linearly.
3. **Remez-style exchange**: Newton's method on ``r(x_i; c) = (-1)^i E`` at ``q + 1`` alternating extrema of the
   error, re-located after every step: quadratic convergence to a levelled (equioscillating, local minimax) error.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares, linprog

from search.evolution.programs import encode_x
from search.expr.evaluate import evaluate, jacobian
from search.expr.terms import Expr

__all__ = ["FitResult", "fit_minimax", "residuals", "max_rel_error", "LP_TIME_LIMIT"]

#: Seconds allowed for one LP solve (a stalled solve counts as a failed step).
LP_TIME_LIMIT = 0.5


@dataclass
class FitResult:
    params: np.ndarray
    max_rel_error: float
    n_lp: int = 0


class _Problem:
    def __init__(self, expr: Expr, x: np.ndarray, hi: np.ndarray, lo: np.ndarray):
        self.prog = encode_x(expr)
        self.X = np.ascontiguousarray(np.asarray(x, dtype=np.float64).reshape(-1, 1))
        self.hi = hi
        self.lo = lo
        self.inv = 1.0 / hi

    def r(self, c):
        y = evaluate(self.prog, self.X, c)
        return ((y - self.hi) - self.lo) * self.inv

    def rj(self, c):
        y, J = jacobian(self.prog, self.X, c)
        return ((y - self.hi) - self.lo) * self.inv, J * self.inv[:, None]


def residuals(expr: Expr, params, x, hi, lo) -> np.ndarray:
    """Signed relative residuals ``p(x; c)/f - 1`` (float64 program evaluation, double-double reference)."""
    return _Problem(expr, x, hi, lo).r(np.asarray(params, dtype=np.float64))


def max_rel_error(expr: Expr, params, x, hi, lo) -> float:
    r = residuals(expr, params, x, hi, lo)
    return float(np.max(np.abs(r))) if np.all(np.isfinite(r)) else float("inf")


def _emax(r):
    return float(np.max(np.abs(r))) if np.all(np.isfinite(r)) else float("inf")


def fit_minimax(expr: Expr, params0, x, hi, lo, *, ls_nfev: int = 60, lp_iters: int = 30,
                exchange_iters: int = 8, rtol: float = 1e-9) -> FitResult:
    """Fit the parameters of ``expr`` for minimax relative error on the grid ``x`` (reference ``hi + lo``).

    Returns the best parameters found and their maximum relative error on the grid (``inf`` if the program is
    non-finite somewhere for every parameter set tried).
    """
    c = np.array(params0, dtype=np.float64).reshape(-1)
    pb = _Problem(expr, x, hi, lo)
    q = c.shape[0]
    if q == 0:
        return FitResult(c, _emax(pb.r(c)))
    best_c, best_e = c.copy(), _emax(pb.r(c))

    # 1. least-squares start (LM); skipped when the start is not finite everywhere
    if np.isfinite(best_e) and ls_nfev > 0:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                res = least_squares(pb.r, c, jac=lambda v: pb.rj(v)[1], method="lm", max_nfev=ls_nfev,
                                    xtol=1e-15, ftol=1e-15, gtol=1e-15)
                e = _emax(pb.r(res.x))
                if e < best_e:
                    best_c, best_e = res.x.copy(), e
            except (ValueError, np.linalg.LinAlgError):
                pass
    if not np.isfinite(best_e):
        return FitResult(best_c, best_e)

    # 2. sequential LP (trust region) for the minimax refinement
    c = best_c.copy()
    r, J = pb.rj(c)
    e = best_e
    scale = np.maximum(np.abs(c), 1e-3 * max(float(np.max(np.abs(c))), 1e-12))
    rho = 1.0
    n = r.shape[0]
    obj = np.zeros(q + 1)
    obj[-1] = 1.0
    A = np.empty((2 * n, q + 1))
    A[:, -1] = -1.0
    n_lp = 0
    stall = 0
    for _ in range(lp_iters):
        if not np.all(np.isfinite(J)):
            break
        # Scale so the LP sees O(1) numbers: HiGHS's feasibility tolerances are absolute (1e-7), far above the
        # errors we fit.  Variables are d_j / scale_j, rows are divided by the current maximum error.
        A[:n, :q] = J * (scale / e)
        A[n:, :q] = -A[:n, :q]
        b = np.concatenate([-r, r]) / e
        bounds = [(-rho, rho)] * q + [(0, None)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # HiGHS can stall on nearly degenerate LPs (seen at errors ~1e-11): bound every solve in time
            sol = linprog(obj, A_ub=A, b_ub=b, bounds=bounds, method="highs", options={"time_limit": LP_TIME_LIMIT})
        n_lp += 1
        if sol.status != 0 or sol.x is None:
            rho *= 0.25
            if rho < 1e-12:
                break
            continue
        d = sol.x[:q] * scale
        pred = float(sol.x[-1]) * e
        c_new = c + d
        with np.errstate(all="ignore"):
            r_new, J_new = pb.rj(c_new)
        e_new = _emax(r_new)
        if e_new < e:
            gain = e - e_new
            if gain > 0.5 * max(e - pred, 0.0):
                rho = min(rho * 4.0, 1e3)
            stall = stall + 1 if gain < rtol * e else 0
            c, r, J, e = c_new, r_new, J_new, e_new
            scale = np.maximum(np.abs(c), 1e-3 * max(float(np.max(np.abs(c))), 1e-12))
            if stall >= 2 or e - pred <= rtol * e:
                break
        else:
            rho *= 0.25
            if rho < 1e-10:
                break
    if e < best_e:
        best_c, best_e = c, e
    # 3. Remez-style exchange (Newton on the levelled-error equations) for the last digits
    if exchange_iters > 0:
        c2, e2 = _exchange(pb, best_c, best_e, exchange_iters)
        if e2 < best_e:
            best_c, best_e = c2, e2
    return FitResult(best_c, best_e, n_lp)


def _alternating_extrema(r: np.ndarray, k: int):
    """Indices of ``k`` consecutive alternating extrema of ``r`` (largest |r| per run of one sign) holding the
    global maximum (all of them if there are fewer than ``k``... then ``None``)."""
    sign = np.sign(r)
    ext = []
    start = 0
    n = r.shape[0]
    for i in range(1, n + 1):
        if i == n or sign[i] != sign[start]:
            j = start + int(np.argmax(np.abs(r[start:i])))
            ext.append(j)
            start = i
    if len(ext) < k:
        return None if k < (1 << 30) else ext
    while len(ext) > k:
        if abs(r[ext[0]]) < abs(r[ext[-1]]):
            ext.pop(0)
        else:
            ext.pop()
    return ext


def _exchange(pb: _Problem, c: np.ndarray, e: float, iters: int):
    """Remez-style exchange for a nonlinear program with ``q`` constants: on ``q + 1`` alternating extrema
    ``x_i`` solve ``r(x_i; c) = s_i E`` (``s_i = +-1`` alternating) by damped Newton steps, then move the
    reference to the new extrema.  Converges quadratically once the SLP has found the right basin."""
    q = c.shape[0]
    best_c, best_e = c.copy(), e
    with np.errstate(all="ignore"):
        r, J = pb.rj(c)
        for _ in range(iters):
            ext = _alternating_extrema(r, q + 1)
            if ext is None:
                break
            idx = np.array(_alternating_extrema(r, 1 << 30) or ext)  # every alternation: Gauss-Newton
            idx = idx[np.abs(r[idx]) > 0.2 * np.max(np.abs(r))]
            if idx.shape[0] < q + 1:
                idx = np.array(ext)
            sgn = np.sign(r[idx])
            E = float(np.mean(np.abs(r[idx])))
            scale = np.maximum(np.abs(c), 1e-12)
            M = np.empty((idx.shape[0], q + 1))
            M[:, :q] = J[idx] * scale / best_e
            M[:, q] = -sgn
            F = (r[idx] - sgn * E) / best_e
            if not (np.all(np.isfinite(M)) and np.all(np.isfinite(F))):
                break  # LAPACK would complain (DLASCL) and return garbage
            # truncated-SVD least squares: programs often have nearly redundant constants (a shift and a scale
            # that trade off), whose flat direction a plain Newton step would follow far off
            try:
                sol, *_ = np.linalg.lstsq(M, -F, rcond=1e-7)
            except np.linalg.LinAlgError:
                break
            step = np.concatenate([sol[:q] * scale, sol[q:] * best_e])
            if not np.all(np.isfinite(step)):
                break
            lam = 1.0
            improved = False
            for _ in range(6):
                c_new = c + lam * step[:q]
                r_new, J_new = pb.rj(c_new)
                e_new = _emax(r_new)
                if e_new < best_e:
                    improved = True
                    break
                lam *= 0.5
            if not improved:
                break
            gain = best_e - e_new
            c, r, J = c_new, r_new, J_new
            best_c, best_e = c_new.copy(), e_new
            if gain < 1e-6 * best_e:
                break
    return best_c, best_e
