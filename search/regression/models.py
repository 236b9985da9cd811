r"""Fitted models as formulas: core terms, SymPy, complexity, the Pareto front and the best-model rule.

A :class:`search.regression.fitness.FitResult` is turned into one core term

$$ A(x)\,\Big(c_0 + \sum_i c_i\,t_i(x;\theta_i)\Big) $$

with snapped constants as exact rationals or multiples of $\pi$ and $e$, and from there into SymPy (variables
named as the user's columns, even when a name such as ``gamma``, ``beta``, ``E``, ``I``, ``S`` or ``N`` is also a
SymPy function or constant: symbols are built explicitly, never parsed).  The SymPy form is cleaned up by the
e-graph simplifier (``search.egraph.simplify``, node-count cost, small limits) when it lands a cheaper
equivalent, and the cleaned form is kept only if it evaluates to the same values on the data.

**Best-model rule** (as PySR's ``best``): on the Pareto front of (complexity, loss), with the loss floored at the
rounding level $\mathrm{MSE}_{\min} = (10^{-13}\max|y|)^2$, the *score* of a model is
$-\Delta\log(\mathrm{loss})/\Delta(\mathrm{complexity})$ against the previous front member; the best model is the
highest-scoring one among those whose loss is within a factor 1.5 of the smallest loss.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from search import expr as E
from search.regression import programs
from search.regression.fitness import value_of

__all__ = ["Model", "build_model", "loss_floor", "front_with_scores", "select_best", "max_rel_error", "safe_symbols", "model_text"]


def max_rel_error(pred, y) -> float:
    r"""$\max_i |\hat y_i - y_i| / \max(|y_i|, 10^{-8}\max_j|y_j|)$ (the floor keeps zeros of $y$ harmless)."""
    pred = np.asarray(pred, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    floor = 1e-8 * float(np.max(np.abs(y))) if len(y) else 1.0
    den = np.maximum(np.abs(y), max(floor, 1e-300))
    with np.errstate(all="ignore"):
        err = np.abs(pred - y) / den
    if not np.all(np.isfinite(err)):
        return math.inf
    return float(np.max(err)) if len(err) else 0.0


def safe_symbols(names):
    """SymPy symbols for the user's variable names (plain ``Symbol``, so ``gamma`` is a symbol, not a function)."""
    import sympy as sp

    return {f"x{i}": sp.Symbol(n) for i, n in enumerate(names)}


def model_text(expr) -> str:
    """SymPy text of a model that parses back to the same expression with every variable a plain ``Symbol``.

    ``str()`` prints the constants e, pi and i as ``E``, ``pi`` and ``I``; where a variable (a CSV column) has one of
    those names the text would be ambiguous, so the constant is written ``exp(1)``, ``acos(-1)`` or ``sqrt(-1)``.
    """
    from sympy.printing.str import StrPrinter

    taken = {str(s) for s in getattr(expr, "free_symbols", ())} & {"E", "pi", "I"}
    if not taken:
        return str(expr)

    class _Printer(StrPrinter):
        def _print_Exp1(self, e):
            return "exp(1)" if "E" in taken else "E"

        def _print_Pi(self, e):
            return "acos(-1)" if "pi" in taken else "pi"

        def _print_ImaginaryUnit(self, e):
            return "sqrt(-1)" if "I" in taken else "I"

    return _Printer().doprint(expr)


@dataclass
class Model:
    """A finished model: its core term over ``x0, x1, ...``, SymPy form, complexity, loss and error."""

    expr: object  # search.expr.Expr over x0.. (no free parameters)
    sympy: object
    complexity: int
    loss: float  # mean squared error on the training data
    max_rel_error: float
    tokens: list = field(default_factory=list)  # the structure's token list (for the shared hall of fame)
    score: float = 0.0

    @property
    def equation(self) -> str:
        return model_text(self.sympy)


def _core_term(g, fr):
    terms = []
    for (t, th), c in zip(fr.terms, fr.coefs):
        body = programs.to_expr(g, list(t), theta=list(th))
        cv = c
        if not isinstance(cv, tuple) and value_of(cv) == 1:
            terms.append(body)
        elif not isinstance(cv, tuple) and value_of(cv) == -1:
            terms.append(E.neg(body))
        else:
            terms.append(E.mul(programs.const_expr(_exactish(cv)), body))
    ic = fr.intercept
    out = None
    for t in terms:
        out = t if out is None else E.add(out, t)
    if value_of(ic) != 0 or out is None:
        cexp = programs.const_expr(_exactish(ic))
        out = cexp if out is None else E.add(out, cexp)
    if fr.factor is not None:
        out = E.mul(programs.to_expr(g, list(fr.factor[0]), theta=list(fr.factor[1])), out)
    return out


def _exactish(c):
    if isinstance(c, tuple):
        return c
    from fractions import Fraction

    if isinstance(c, Fraction):
        return c
    return float(c)


def _simplify(sym, names, X, ref):
    """Clean a SymPy model with the e-graph simplifier; keep the result only if it is smaller and equal on X."""
    try:
        from search.egraph import simplify as eg_simplify
    except ImportError:  # the e-graph engine is optional here
        return sym
    try:
        out = eg_simplify(sym, cost="nodes", limits={"iterations": 6, "nodes": 3000, "time": 0.25})
        new = out[0] if isinstance(out, tuple) else getattr(out, "expr", out)
    except Exception:  # a simplifier failure must never lose the model
        return sym
    if new is None or _count(new) >= _count(sym):
        return sym
    return new if _same_values(new, names, X, ref, 1e-9) else sym


def _same_values(expr, names, X, ref, rtol: float) -> bool:
    """True when the SymPy ``expr`` evaluates finitely on ``X`` (through the expression core) to within
    ``rtol * max(1, max|ref|)`` of ``ref``: the check that a rewritten model is still the fitted one."""
    try:
        e = E.from_sympy(expr, variables=list(names))
        vals = E.compile(e, list(names))(X)
    except Exception:  # noqa: BLE001 - a form the core cannot evaluate is simply not taken
        return False
    scale = max(1.0, float(np.max(np.abs(ref)))) if np.size(ref) else 1.0
    with np.errstate(all="ignore"):
        return bool(np.all(np.isfinite(vals)) and np.max(np.abs(vals - ref)) <= rtol * scale)


def _tidy_floats(sym, names, X, ref):
    """Replace float literals left in a SymPy model by the simple values they equal to rounding: 0 for a float
    below 1e-12 in magnitude (a fitted term that vanished, e.g. ``9e-20*log(x)``), and a rational with a
    denominator up to 1000 that agrees to 1e-12 relative (``1.0``, ``0.333333333333333``).  Each replacement is
    kept only if the model still evaluates to the same values on ``X`` (to 1e-11 of the scale of the values), so
    the loss does not suffer; all at once first, then one at a time."""
    import sympy as sp
    from fractions import Fraction

    cands = {}
    for f in sym.atoms(sp.Float):
        v = float(f)
        if not math.isfinite(v):
            continue
        if abs(v) <= 1e-12:
            cands[f] = sp.Integer(0)
            continue
        q = Fraction(v).limit_denominator(1000)
        if q != 0 and abs(float(q) - v) <= 1e-12 * abs(v):
            cands[f] = sp.Rational(q.numerator, q.denominator)
    if not cands:
        return sym

    def same(rep):
        new = sym.xreplace(rep)
        if new.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or new.free_symbols - {sp.Symbol(n) for n in names}:
            return None
        return new if _same_values(new, names, X, ref, 1e-11) else None

    out = same(cands)
    if out is not None:
        return out
    kept = {}
    for f, c in sorted(cands.items(), key=lambda kv: str(kv[0])):
        trial = dict(kept)
        trial[f] = c
        if same(trial) is not None:
            kept = trial
    return sym.xreplace(kept) if kept else sym


def _count(sym) -> int:
    import sympy as sp

    return sum(1 for _ in sp.preorder_traversal(sym))


def build_model(g, fr, X, y, names, *, simplify: bool = True) -> Model | None:
    """Turn a fitted candidate into a :class:`Model` (``None`` if it does not evaluate finitely on X)."""
    core = _core_term(g, fr)
    vnames = programs.var_names(g.n_vars)
    try:
        pred = E.compile(core, vnames)(X)
    except ValueError:
        return None
    if not np.all(np.isfinite(pred)):
        return None
    sym = E.to_sympy(core, symbols=safe_symbols(names))
    if simplify:
        import sympy as sp

        user = [sp.Symbol(n) for n in names]
        sym = _simplify(sym, [str(u) for u in user], X, pred)
        sym = _tidy_floats(sym, [str(u) for u in user], X, pred)
    complexity = _count(sym)
    mse = float(np.mean((pred - y) ** 2))
    from search.regression.search import full_tokens

    toks = full_tokens(g, fr) or list(fr.tokens)
    return Model(core, sym, complexity, mse, max_rel_error(pred, y), [int(t) for t in toks])


def loss_floor(y) -> float:
    r"""The rounding level below which losses are not distinguished: $(10^{-13}\max|y|)^2$."""
    y = np.asarray(y, dtype=np.float64)
    return max((1e-13 * float(np.max(np.abs(y)))) ** 2 if len(y) else 0.0, 1e-300)


def front_with_scores(models: list, y) -> list:
    """The Pareto front (complexity ascending, loss strictly decreasing) with PySR-style scores filled in."""
    best = {}
    for m in models:
        b = best.get(m.complexity)
        if b is None or m.loss < b.loss or (m.loss == b.loss and str(m.sympy) < str(b.sympy)):
            best[m.complexity] = m
    floor = loss_floor(y)
    front = []
    for cx in sorted(best):
        m = best[cx]
        if not front or max(m.loss, floor) < max(front[-1].loss, floor):
            front.append(m)
    prev = None
    for m in front:
        if prev is None:
            m.score = 0.0
        else:
            m.score = -(math.log(max(m.loss, floor)) - math.log(max(prev.loss, floor))) / (m.complexity - prev.complexity)
        prev = m
    return front


def select_best(front: list, y) -> int:
    """Index of the best model on a scored front (see the module docstring for the rule)."""
    if not front:
        raise ValueError("empty Pareto front")
    floor = loss_floor(y)
    lmin = min(max(m.loss, floor) for m in front)
    ok = [i for i, m in enumerate(front) if max(m.loss, floor) <= 1.5 * lmin]
    return max(ok, key=lambda i: (front[i].score, -front[i].complexity))
