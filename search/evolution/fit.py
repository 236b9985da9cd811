"""Minimax fitting of a program's constants for relative error.

For a program ``p(x; c)`` and reference values ``f`` on a grid, minimise ``max_i |p(x_i; c)/f_i - 1|``:

1. **Least-squares start**: Levenberg-Marquardt on the relative residuals (Jacobian from the expression core's
   forward-mode kernel), from the inherited or seeded constants.
2. **Minimax refinement**: sequential linear programming.  At ``c`` the residual is linearised,
   ``r(c + d) ~ r + J d``, and the LP ``min t  s.t. -t <= r + J d <= t, |d_j| <= Delta_j`` is solved with HiGHS on
   the whole grid (a discrete Chebyshev problem).  A step is kept when the true maximum error drops; the trust
   radius ``Delta`` grows after good steps and shrinks after bad ones.  For programs linear in ``c`` (a polynomial)
   one LP is the exact discrete minimax solution; for nonlinear programs this converges to a point where the error
   equioscillates (a local minimax).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares, linprog

from search.evolution.programs import encode_x
from search.expr.evaluate import evaluate, jacobian
from search.expr.terms import Expr

__all__ = ["FitResult", "fit_minimax", "residuals", "max_rel_error"]


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
                rtol: float = 1e-9) -> FitResult:
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
            sol = linprog(obj, A_ub=A, b_ub=b, bounds=bounds, method="highs")
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
    return FitResult(best_c, best_e, n_lp)
