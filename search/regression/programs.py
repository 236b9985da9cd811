"""Bridge between the search's prefix token lists and the shared expression core (:mod:`search.expr`).

The search walks a token grammar (:mod:`search.regression.grammar`); every finished token list is turned into a
core term (:class:`search.expr.Expr`) with ``C`` tokens as fittable parameters ``c0, c1, ...`` (in prefix order),
encoded once into the core's postfix program, and from then on evaluated (values, parameter Jacobians, functional
hashes) by the core's single cached Numba stack machine.  No second evaluator exists here.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from search import expr as E

__all__ = ["to_expr", "program", "term_values", "term_jacobian", "const_expr", "var_names", "clear_cache",
           "TermBatch"]

_UNARY = {"sin": E.sin, "cos": E.cos, "exp": E.exp, "log": E.log, "sqrt": E.sqrt, "tanh": E.tanh, "neg": E.neg,
          "abs": E.fabs}
_BINARY = {"+": E.add, "-": E.sub, "*": E.mul, "/": E.div}

# token tuple -> Program (per grammar signature); bounded so long searches do not grow without limit
_PROGRAMS: dict = {}
_MAX_CACHE = 200_000


def var_names(n: int) -> tuple[str, ...]:
    """Internal variable names of the core programs (``x0, x1, ...``); user names are applied at output."""
    return tuple(f"x{i}" for i in range(n))


def const_expr(c):
    """A core leaf for a fitted or snapped constant: ``Fraction`` -> int/rat, ``(name, q)`` -> q*name, float."""
    if isinstance(c, tuple):
        name, q = c
        nm = E.named("pi" if name == "pi" else "e")
        return nm if q == 1 else E.mul(E.const(Fraction(q)), nm)
    if isinstance(c, Fraction):
        return E.const(c)
    return E.const(float(c))


def to_expr(g, tokens, theta=None, offset: int = 0):
    """Core term of a prefix token list; ``theta`` (optional) gives the ``C`` values, else they are parameters
    ``c{offset}, c{offset+1}, ...`` in prefix order."""
    pos = 0
    ci = offset

    def rec():
        nonlocal pos, ci
        t = tokens[pos]
        pos += 1
        a = int(g.arity[t])
        if a == 0:
            if t < g.n_vars:
                return E.var(f"x{t}")
            j = ci
            ci += 1
            return E.param(j) if theta is None else const_expr(theta[j - offset])
        name = g.tokens[t]
        if a == 1:
            return _UNARY[name](rec())
        u = rec()
        v = rec()
        return _BINARY[name](u, v)

    out = rec()
    if pos != len(tokens):
        raise ValueError("token list has trailing tokens")
    return out


def program(g, tokens, offset: int = 0):
    """The core postfix program of a token list (parameters unbound, numbered from ``offset``), cached."""
    key = (g.n_vars, g.tokens, tuple(tokens), offset)
    p = _PROGRAMS.get(key)
    if p is None:
        if len(_PROGRAMS) > _MAX_CACHE:
            _PROGRAMS.clear()
        p = E.encode(to_expr(g, tokens, offset=offset), var_names(g.n_vars))
        _PROGRAMS[key] = p
    return p


def clear_cache() -> None:
    _PROGRAMS.clear()


def term_values(g, terms, X, thetas) -> np.ndarray:
    """Values (m, n) of m token lists on X (n, k) with their parameter vectors, in one core batch call."""
    if not terms:
        return np.zeros((0, X.shape[0]))
    progs = [program(g, t) for t in terms]
    params = [np.asarray(th, dtype=np.float64) for th in thetas]
    return E.evaluate_batch(progs, X, params=params)


def term_jacobian(g, tokens, X, theta):
    """Values (n,) and Jacobian (n, k) of one token list w.r.t. its ``C`` parameters (core forward mode)."""
    return E.jacobian(program(g, tokens), X, np.asarray(theta, dtype=np.float64))


class TermBatch:
    """The terms of one candidate as one packed core batch sharing a single parameter vector.

    Term ``i`` reads parameters ``offsets[i] .. offsets[i+1]-1`` of the shared vector, so values and the full
    Jacobian of every term come from one kernel call each.
    """

    __slots__ = ("batch", "k", "m")

    def __init__(self, g, terms):
        progs = []
        off = 0
        C = g.const_token
        for t in terms:
            progs.append(program(g, t, off))
            off += sum(1 for v in t if v == C)
        self.k = off
        self.m = len(terms)
        self.batch = E.pack(progs)

    def _params(self, theta):
        P = np.empty((self.m, max(self.k, 1)))
        P[:] = theta[None, :] if self.k else 0.0
        return P

    def values(self, X, theta) -> np.ndarray:
        return E.evaluate_batch(self.batch, X, params=self._params(theta))

    def jacobian(self, X, theta):
        """Values (m, n) and Jacobians (m, n, k)."""
        return E.jacobian_batch(self.batch, X, self._params(theta))
