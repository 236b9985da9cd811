"""Terms in and out of the e-graph, through the shared expression core (:mod:`search.expr`).

SymPy -> core ``Expr`` (``search.expr.from_sympy``) -> e-graph term (nested tuples), and back through
``search.expr.to_sympy``.  The core's operator set covers ``+ - * / pow powi neg sqrt exp log sin cos tan tanh asin
atan abs fma``; the e-graph has a few more first-class operators with rules and analyses (``sinh cosh log1p expm1
acos asinh acosh atanh``), and keeps every other function as an **opaque** operator ``fn:NAME`` whose arguments are
still simplified (congruence applies; no rule looks inside).  Objects that are not functions of expressions
(``Derivative``, ``Integral``, ...) become opaque leaves.  These are carried across the core boundary as
placeholder symbols and substituted back on the SymPy side, so the core is used for everything it represents.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp
from sympy.codegen.cfunctions import expm1 as sp_expm1
from sympy.codegen.cfunctions import log1p as sp_log1p

from search.expr import NAMED_CONSTANTS, Expr, const, from_sympy, make, named, to_sympy, var

__all__ = ["Converter", "EXTRA_FUNCS", "SYMPY_LOCALS", "parse_sympy"]

_CORE_FUNCS = (sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.tanh, sp.asin, sp.atan, sp.Abs)

#: First-class e-graph operators outside the core's operator set, with their SymPy classes.
EXTRA_FUNCS = {
    "sinh": sp.sinh, "cosh": sp.cosh, "log1p": sp_log1p, "expm1": sp_expm1, "acos": sp.acos,
    "asinh": sp.asinh, "acosh": sp.acosh, "atanh": sp.atanh,
}
_EXTRA_BY_CLASS = {v: k for k, v in EXTRA_FUNCS.items()}

#: Names a string parser needs so that printed results parse back (``log1p``, ``expm1``).
SYMPY_LOCALS = {"log1p": sp_log1p, "expm1": sp_expm1}

_BIN = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "^"}
_UN = {"neg", "sqrt", "exp", "log", "sin", "cos", "tan", "tanh", "asin", "atan", "abs"}
_BIN_BACK = {v: k for k, v in _BIN.items()}
_PH = "_egph_"


def parse_sympy(text: str):
    """Parse a string with SymPy (``log1p``/``expm1`` known); ``ValueError`` with one line on failure."""
    from sympy.parsing.sympy_parser import parse_expr, standard_transformations

    if not isinstance(text, str) or not text.strip():
        raise ValueError("expected a non-empty expression string")
    try:
        e = parse_expr(text, local_dict=dict(SYMPY_LOCALS), transformations=standard_transformations)
    except Exception as exc:  # SymPy raises many types (SyntaxError, TokenError, TypeError, ...)
        msg = f"cannot parse {text!r}: {type(exc).__name__}: {exc}".splitlines()[0]
        raise ValueError(msg) from None
    if not isinstance(e, sp.Expr):
        raise ValueError(f"not an expression: {text!r} parses to a {type(e).__name__}")
    return e


class Converter:
    """Converts between SymPy and e-graph terms for one simplification, remembering opaque parts."""

    def __init__(self):
        self.funcs: dict[str, object] = {}  # op "fn:NAME" -> SymPy function class
        self.leaves: dict[str, object] = {}  # placeholder name -> SymPy object (opaque leaf)
        self.symbols: dict[str, sp.Symbol] = {}  # variable name -> the user's SymPy symbol
        self._ph: dict[str, tuple] = {}  # placeholder -> (op, [sympy args])
        self._n = 0

    # ------------------------------------------------------------------ SymPy -> term
    def to_term(self, expr) -> tuple:
        if isinstance(expr, Expr):
            return self._from_core(expr)
        if isinstance(expr, str):
            expr = parse_sympy(expr)
        try:
            expr = sp.sympify(expr)
        except (sp.SympifyError, TypeError) as exc:
            raise ValueError(f"not a SymPy expression: {expr!r}") from exc
        if not isinstance(expr, sp.Expr):
            raise ValueError(f"not an expression: {type(expr).__name__}")
        if expr.has(sp.I) or expr.has(sp.zoo) or expr.has(sp.nan):
            raise ValueError(f"only real expressions are supported: {expr}")
        for s in expr.free_symbols:
            self.symbols[s.name] = s
        stripped = self._strip(expr)
        return self._from_core(from_sympy(stripped))

    def _fresh(self) -> str:
        self._n += 1
        return f"{_PH}{self._n}"

    def _strip(self, e):
        """Replace what the core cannot represent by placeholder symbols, bottom-up."""
        if e.is_Float and e._prec > 53:
            # the core stores floats as float64: keep a higher-precision literal whole, as an opaque leaf
            name = self._fresh()
            self.leaves[name] = e
            return sp.Symbol(name)
        if e.is_Atom:
            return e
        if isinstance(e, sp.Function) and (e.func in _CORE_FUNCS) and len(e.args) == 1:
            return e.func(self._strip(e.args[0]))
        if e.is_Add or e.is_Mul or e.is_Pow:
            args = [self._strip(a) for a in e.args]
            return e.func(*args)
        name = self._fresh()
        if isinstance(e, sp.Expr) and all(isinstance(a, sp.Expr) for a in e.args) and e.args:
            if e.func in _EXTRA_BY_CLASS and len(e.args) == 1:
                op = _EXTRA_BY_CLASS[e.func]
            else:
                op = "fn:" + getattr(e.func, "__name__", str(e.func))
                self.funcs[op] = e.func
            self._ph[name] = (op, [self._strip(a) for a in e.args])
        else:
            self.leaves[name] = e
        return sp.Symbol(name)

    def _from_core(self, e: Expr) -> tuple:
        memo: dict = {}

        def rec(t):
            r = memo.get(t)
            if r is not None:
                return r
            op = t.op
            if op == "var":
                name = t.value
                if name in self._ph:
                    fop, args = self._ph[name]
                    r = (fop, *[rec(from_sympy(a)) for a in args])
                else:
                    r = ("$", name)
            elif op == "param":
                r = ("$", f"c{t.value}")
            elif op in ("int", "rat"):
                r = ("#", Fraction(t.value))
            elif op == "float":
                r = ("f", t.value)
            elif op == "const":
                r = ("K", t.value)
            elif op in _BIN:
                r = (_BIN[op], rec(t.args[0]), rec(t.args[1]))
            elif op == "powi":
                r = ("^", rec(t.args[0]), ("#", Fraction(t.value)))
            elif op == "fma":
                r = ("+", ("*", rec(t.args[0]), rec(t.args[1])), rec(t.args[2]))
            elif op in _UN:
                r = (op, rec(t.args[0]))
            else:  # pragma: no cover - a core operator this module does not know yet
                raise ValueError(f"expression core operator {op!r} is not supported by the e-graph")
            memo[t] = r
            return r

        return rec(e)

    # ------------------------------------------------------------------ term -> SymPy
    def to_sympy(self, term: tuple):
        out_ph: dict[str, tuple] = {}
        memo: dict = {}

        def rec(t) -> Expr:
            r = memo.get(t)
            if r is not None:
                return r
            op = t[0]
            if op == "$":
                name = t[1]
                r = var(name)
            elif op == "#":
                r = const(t[1])
            elif op == "f":
                r = const(t[1])
            elif op == "K":
                r = named(t[1]) if t[1] in NAMED_CONSTANTS else var(t[1])
            elif op in _BIN_BACK:
                a, b = rec(t[1]), rec(t[2])
                if op == "^" and t[2][0] == "#" and t[2][1].denominator == 1 and abs(t[2][1]) < 2**31:
                    r = make("powi", a, value=int(t[2][1]))
                else:
                    r = make(_BIN_BACK[op], a, b)
            elif op in _UN:
                r = make(op, rec(t[1]))
            else:
                name = self._fresh()
                out_ph[name] = (op, t[1:])
                r = var(name)
            memo[t] = r
            return r

        core = rec(term)
        symbols = dict(self.symbols)
        result = to_sympy(core, symbols=symbols)
        return self._restore(result, out_ph)

    def _restore(self, result, out_ph):
        subs = {}
        for name, (op, args) in out_ph.items():
            sargs = [self.to_sympy(a) for a in args]
            if op in EXTRA_FUNCS:
                subs[sp.Symbol(name)] = EXTRA_FUNCS[op](*sargs)
            else:
                subs[sp.Symbol(name)] = self.funcs[op](*sargs)
        for name, obj in self.leaves.items():
            subs[sp.Symbol(name)] = obj
        return result.xreplace(subs) if subs else result
