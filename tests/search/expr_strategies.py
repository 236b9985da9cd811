"""Hypothesis strategies for random expression terms (shared by the search.expr tests)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from search.expr import const, make, param, var

VARS = ("x", "y")
BINARY = ("add", "sub", "mul", "div")
UNARY = ("neg", "sqrt", "exp", "log", "sin", "cos", "tan", "tanh", "asin", "atan", "abs")


def leaves(variables=VARS, params: int = 0):
    opts = [
        st.sampled_from(variables).map(var),
        st.integers(1, 6).map(const),
        st.tuples(st.integers(-7, 7).filter(bool), st.integers(2, 7)).map(lambda t: const(Fraction(*t))),
        st.floats(-3, 3, allow_nan=False, width=32).map(lambda v: const(round(float(v), 4))),
    ]
    if params:
        opts.append(st.integers(0, params - 1).map(param))
    return st.one_of(*opts)


def exprs(variables=VARS, params: int = 0, max_leaves: int = 12, unary=UNARY, pow_ok: bool = True):
    """Random terms over ``variables`` with up to ``max_leaves`` leaves (shrinks towards small terms)."""

    def extend(children):
        options = [
            st.tuples(st.sampled_from(BINARY), children, children).map(lambda t: make(t[0], t[1], t[2])),
            st.tuples(st.sampled_from(unary), children).map(lambda t: make(t[0], t[1])),
            st.tuples(children, st.integers(-3, 4)).map(lambda t: make("powi", t[0], value=t[1])),
            st.tuples(children, children, children).map(lambda t: make("fma", *t)),
        ]
        if pow_ok:
            options.append(st.tuples(children, children).map(lambda t: make("pow", t[0], t[1])))
        return st.one_of(*options)

    return st.recursive(leaves(variables, params), extend, max_leaves=max_leaves)


def has_nonreal_constant(s) -> bool:
    """Whether a SymPy expression contains a constant with no real value (zoo, nan, I, asin(2), ...)."""
    import sympy as sp

    return any(a.is_number and a.is_extended_real is False for a in sp.preorder_traversal(s)) or s.has(sp.nan)
