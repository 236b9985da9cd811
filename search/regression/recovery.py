"""The SRBench exact-recovery criterion (``sr_benchmarks.json``, "recovery_criterion").

A model counts as an exact (symbolic) recovery of the truth when, after rounding every float in it to 3
significant digits, ``model - truth`` simplifies to 0 or a constant, or ``model / truth`` simplifies to a nonzero
constant.  A model that is 0 or NaN never counts.  SymPy is used here only, at the boundary (benchmarks, tests).
"""

from __future__ import annotations

__all__ = ["round_floats", "exact_recovery"]


def round_floats(expr, digits: int = 3):
    """Round every float in a SymPy expression to ``digits`` significant digits (SRBench's rounding step)."""
    import sympy as sp

    rep = {}
    for f in expr.atoms(sp.Float):
        v = float(f)
        rep[f] = sp.Float(float(f"{v:.{digits}g}")) if v != 0 else sp.Integer(0)
    return expr.xreplace(rep)


def _is_const(e) -> bool:
    import sympy as sp

    e = sp.simplify(e)
    return bool(e.is_number) and e.is_finite is not False and e != sp.nan


def exact_recovery(model, truth, symbols=None) -> bool:
    """SRBench symbolic-solution check of ``model`` (SymPy or string) against ``truth`` (SymPy or string).

    Strings are parsed with ``symbols`` (name -> Symbol) as the local namespace, so column names such as
    ``gamma`` or ``E`` stay plain symbols.
    """
    import sympy as sp

    local = dict(symbols or {})
    if isinstance(model, str):
        model = sp.parse_expr(model, local_dict=dict(local))
    if isinstance(truth, str):
        truth = sp.parse_expr(truth, local_dict=dict(local))
    if model is None or model == 0 or model.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return False
    m = round_floats(sp.sympify(model))
    # float coefficients such as 0.5 or 1.0 become exact so that cancellation is symbolic
    m = sp.nsimplify(m, rational=True)
    t = sp.nsimplify(sp.sympify(truth), rational=True)
    if m == 0:
        return False
    try:
        # second attempt with powers written as exponentials: x**y is exp(y*log(x)) by definition (principal
        # branch), which SymPy's simplify does not always see
        for mm, tt in ((m, t), (m.rewrite(sp.exp), t.rewrite(sp.exp))):
            if _is_const(mm - tt):
                return True
            q = sp.simplify(mm / tt)
            if bool(q.is_number) and q != 0 and q.is_finite is not False and q != sp.nan:
                return True
        return False
    except (TypeError, ValueError, ZeroDivisionError):
        return False
