"""Random expressions of a given size: for population initialisation, benchmarks and property tests."""

from __future__ import annotations

import numpy as np

from search.expr.postfix import as_variables
from search.expr.terms import ARITY, Expr, const, make, param, var

__all__ = ["random_expr", "DEFAULT_OP_WEIGHTS"]

#: Default relative frequencies of operators in :func:`random_expr`.
DEFAULT_OP_WEIGHTS = {
    "add": 4.0, "sub": 3.0, "mul": 4.0, "div": 2.0, "pow": 0.5, "powi": 1.0, "neg": 0.5, "sqrt": 1.0,
    "exp": 1.0, "log": 1.0, "sin": 1.0, "cos": 1.0, "tan": 0.3, "tanh": 0.5, "asin": 0.3, "atan": 0.5,
    "abs": 0.3, "fma": 0.5,
}


def random_expr(rng: np.random.Generator, size: int, variables, *, op_weights=None, p_const: float = 0.3,
                n_params: int = 0, int_range=(1, 5), powi_range=(2, 4)) -> Expr:
    """A random term with ``size`` tree nodes over ``variables`` (exactly, whenever the allowed arities permit).

    Leaves are variables, or with probability ``p_const`` a constant (a small int, a rational or a float in
    [-3, 3] each a third of the time, or with ``n_params > 0`` a parameter ``c0..c{n_params-1}``).
    Operators are drawn with ``op_weights`` (default :data:`DEFAULT_OP_WEIGHTS`) among those that fit the
    remaining node budget.  Deterministic given ``rng``.
    """
    if size < 1:
        raise ValueError(f"size must be >= 1, got {size}")
    variables = as_variables(variables)
    if not variables:
        raise ValueError("random_expr needs at least one variable")
    weights = dict(DEFAULT_OP_WEIGHTS if op_weights is None else op_weights)
    for op in weights:
        if op not in ARITY:
            raise ValueError(f"unknown operator {op!r} in op_weights")
    ops = [o for o in weights if weights[o] > 0]
    w = np.array([weights[o] for o in ops], dtype=float)
    arity = np.array([ARITY[o] for o in ops])
    if not ops:
        raise ValueError("op_weights selects no operator")

    def leaf() -> Expr:
        if rng.random() < p_const:
            if n_params and rng.random() < 0.5:
                return param(int(rng.integers(n_params)))
            kind = rng.integers(3)
            if kind == 0:
                return const(int(rng.integers(int_range[0], int_range[1] + 1)))
            if kind == 1:
                from fractions import Fraction

                return const(Fraction(int(rng.integers(1, 10)), int(rng.integers(2, 10))))
            return const(float(np.round(rng.uniform(-3, 3), 3)))
        return var(variables[int(rng.integers(len(variables)))])

    def build(n: int) -> Expr:
        if n == 1:
            return leaf()
        ok = arity <= n - 1
        # an operator of arity a needs at least a children of size >= 1, i.e. n - 1 >= a
        if not ok.any():
            return leaf()
        ww = np.where(ok, w, 0.0)
        if ww.sum() == 0.0:
            return leaf()
        op = ops[int(rng.choice(len(ops), p=ww / ww.sum()))]
        a = ARITY[op]
        rest = n - 1
        if a == 1:
            sizes = [rest]
        else:
            # random composition of `rest` into `a` positive parts
            cuts = np.sort(rng.choice(np.arange(1, rest), size=a - 1, replace=False)) if rest > a else \
                np.arange(1, a)
            sizes = np.diff(np.concatenate(([0], cuts, [rest]))).tolist()
        kids = [build(int(s)) for s in sizes]
        if op == "powi":
            return make("powi", kids[0], value=int(rng.integers(powi_range[0], powi_range[1] + 1)))
        return make(op, *kids)

    # Unary-only budgets cannot always hit `size` exactly when only binary ops are allowed; retry the split.
    for _ in range(100):
        e = build(size)
        if e.size == size:
            return e
    return e
