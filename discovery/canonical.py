"""Canonical keys for deduplicating conjectures.

Two candidates with the same key are the same conjecture.  The key combines the kind, the target and canonical
forms of both sides, so re-ordered sums or products (``pi/8 + 1`` and ``1 + pi/8``) collapse.  SymPy's automatic
canonical ordering is the default; where the e-graph engine is available it is used first to bring equivalent
forms together (``canonical_form``).
"""

from __future__ import annotations

import hashlib

__all__ = ["canonical_key", "canonical_form"]


#: E-graph limits for canonicalisation.  Iterations and nodes bind (so keys are deterministic); the time limit is
#: only a safety net.
EGRAPH_LIMITS = {"iterations": 5, "nodes": 1000, "time": 2.0}
#: Sides longer than this skip the e-graph (SymPy's ordering only).
EGRAPH_MAX_CHARS = 400


def _egraph_form(expr):
    """The e-graph's cheapest (operation count) form of a SymPy expression, or None when it does not apply."""
    from search.egraph.simplify import simplify

    out, report = simplify(expr, cost="ops", limits=EGRAPH_LIMITS)
    if report.stop_reason == "time_limit":
        return None  # would depend on the machine's speed: not a stable key
    return out


def canonical_form(text: str) -> str:
    """A canonical string for one side of a conjecture (its text unchanged if SymPy cannot parse it).

    Equivalent forms are first brought together by the e-graph (``search.egraph``: sound rewrites, cheapest form
    by operation count, tight deterministic limits), then printed with SymPy's canonical ordering; any failure
    falls back to SymPy alone.
    """
    import sympy

    try:
        expr = sympy.sympify(text)
    except Exception:  # not SymPy syntax (or names that clash with SymPy functions): keep the text

        return " ".join(text.split())
    if isinstance(expr, sympy.Expr) and not expr.is_Number and len(text) <= EGRAPH_MAX_CHARS:
        try:
            simplified = _egraph_form(expr)
        except Exception:  # unsupported input for the e-graph: SymPy's canonical form is still a valid key
            simplified = None
        if simplified is not None:
            expr = simplified
    return sympy.srepr(expr)


def canonical_key(kind: str, target: str, lhs: str, rhs: str) -> str:
    """The deduplication key: a SHA-256 of the kind, target and canonical forms of both sides."""
    blob = "\x1f".join((kind, target, canonical_form(lhs), canonical_form(rhs)))
    return hashlib.sha256(blob.encode()).hexdigest()
