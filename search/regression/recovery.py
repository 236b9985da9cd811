"""The SRBench exact-recovery criterion (``sr_benchmarks.json``, "recovery_criterion").

A model counts as an exact (symbolic) recovery of the truth when, after SRBench's rounding of every float in it
(a float of magnitude below 1e-4 becomes 0, any other is rounded to 3 decimal places, as in SRBench's
``round_floats``), ``model - truth`` simplifies to 0 or a constant, or ``model / truth`` simplifies to a nonzero
constant.  A model that is 0 or NaN never counts.  Symbols carry no assumptions (so ``(x**2)**(1/4)`` is not
``sqrt(x)``, even on a positive box).  SymPy is used here only, at the boundary (benchmarks, tests).
"""

from __future__ import annotations

__all__ = ["round_floats", "exact_recovery"]


def round_floats(expr, digits: int = 3, zero_below: float = 1e-4):
    """SRBench's rounding step: floats below ``zero_below`` in magnitude become 0, the others are rounded to
    ``digits`` decimal places."""
    import sympy as sp

    rep = {}
    for f in expr.atoms(sp.Float):
        v = float(f)
        rep[f] = sp.Integer(0) if abs(v) < zero_below else sp.Float(round(v, digits))
    return expr.xreplace(rep)


def _is_const(e) -> bool:
    import sympy as sp

    e = sp.simplify(e)
    return bool(e.is_number) and e.is_finite is not False and e != sp.nan


def _numerically_not_constant(m, t, n: int = 9) -> bool:
    """True when neither ``m - t`` nor ``m / t`` is constant at a few points of (0.3, 1.7)^k, so that the symbolic
    check cannot succeed and is skipped (SymPy's simplify of a wrong model against a rational truth can take
    minutes).  A symbolic identity also holds at these positive reals, where log, sqrt and real powers are
    analytic, so this never rejects a model the symbolic check would accept; points where either side is not
    finite leave the decision to SymPy."""
    import numpy as np
    import sympy as sp

    syms = sorted(m.free_symbols | t.free_symbols, key=str)
    try:
        fm = sp.lambdify(syms, m, "numpy")
        ft = sp.lambdify(syms, t, "numpy")
        rng = np.random.default_rng(12345)
        P = rng.uniform(0.3, 1.7, size=(len(syms), n))
        with np.errstate(all="ignore"):
            vm = np.asarray(fm(*P), dtype=float) * np.ones(n)
            vt = np.asarray(ft(*P), dtype=float) * np.ones(n)
    except Exception:  # anything NumPy cannot evaluate: let SymPy decide
        return False
    if not (np.all(np.isfinite(vm)) and np.all(np.isfinite(vt))):
        return False
    scale = max(1.0, float(np.max(np.abs(vm))), float(np.max(np.abs(vt))))
    d = vm - vt
    if np.max(np.abs(d - d[0])) <= 1e-6 * scale:
        return False
    if np.all(np.abs(vt) > 1e-12 * scale):
        q = vm / vt
        if np.max(np.abs(q - q[0])) <= 1e-6 * max(1.0, abs(float(q[0]))):
            return False
    return True


def _pow_as_exp(e):
    """``a**b`` with a non-integer exponent written as ``exp(b*log(a))`` (its principal-branch definition)."""
    import sympy as sp

    return e.replace(lambda a: a.is_Pow and not a.exp.is_Integer and a.base != sp.E,
                     lambda a: sp.exp(a.exp * sp.log(a.base)))


class _JudgeTimeout(Exception):
    pass


def exact_recovery(model, truth, symbols=None, positive: bool = False, timeout: float | None = None) -> bool:
    """SRBench symbolic-solution check of ``model`` (SymPy or string) against ``truth`` (SymPy or string).

    Strings are parsed with ``symbols`` (name -> Symbol) as the local namespace, so column names such as
    ``gamma`` or ``E`` stay plain symbols.  ``positive=True`` is a weaker, domain-aware variant (not SRBench's):
    every variable is declared positive before simplification, so identities that hold only for positive
    arguments count, e.g. ``log(x**2 + x) = log(x) + log(x + 1)`` or ``(x**2)**(1/4) = sqrt(x)``; use it only
    when the data's box is positive.

    ``timeout`` (seconds, main thread on POSIX only) bounds the SymPy work: SymPy's simplify of some numerically
    equivalent-looking models (e.g. trigonometric rational functions of two variables) runs for tens of minutes;
    a check that runs out of time is not a recovery.
    """
    import signal
    import threading

    if timeout is None or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return _exact_recovery(model, truth, symbols, positive)

    def _alarm(signum, frame):
        raise _JudgeTimeout

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, float(timeout))
    try:
        return _exact_recovery(model, truth, symbols, positive)
    except _JudgeTimeout:
        return False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _exact_recovery(model, truth, symbols, positive) -> bool:
    import sympy as sp

    local = dict(symbols or {})
    if isinstance(model, str):
        model = sp.parse_expr(model, local_dict=dict(local))
    if isinstance(truth, str):
        truth = sp.parse_expr(truth, local_dict=dict(local))
    if model is None or model == 0 or model.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return False
    if positive:
        model, truth = sp.sympify(model), sp.sympify(truth)
        rep = {v: sp.Symbol(v.name, positive=True) for v in model.free_symbols | truth.free_symbols}
        model, truth = model.xreplace(rep), truth.xreplace(rep)
    m = round_floats(sp.sympify(model))
    # float coefficients such as 0.5 or 1.0 become exact so that cancellation is symbolic
    m = sp.nsimplify(m, rational=True)
    t = sp.nsimplify(sp.sympify(truth), rational=True)
    if m == 0:
        return False
    if _numerically_not_constant(m, t):
        return False
    try:
        # second attempt with powers written as exponentials: x**y is exp(y*log(x)) by definition (principal
        # branch), which SymPy's simplify does not always see.  Only non-integer powers are rewritten: rewriting
        # sin/cos as exponentials too made simplify's polynomial gcd of e.g. sin(x*(x + c))*cos(x) - 2 over
        # sin(x**2)*cos(x) - 2 grow past 10 GB of memory.
        for mm, tt in ((m, t), (_pow_as_exp(m), _pow_as_exp(t))):
            if _is_const(mm - tt):
                return True
            q = sp.simplify(mm / tt)
            if bool(q.is_number) and q != 0 and q.is_finite is not False and q != sp.nan:
                return True
        return False
    except (TypeError, ValueError, ZeroDivisionError):
        return False
