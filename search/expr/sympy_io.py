"""SymPy at the boundary: ``parse``, ``from_sympy`` and ``to_sympy``.  LaTeX goes through SymPy (``to_latex``).

Parameters: symbols named in ``params`` become fittable parameters ``c0, c1, ...`` in that order; with
``params=None`` any symbol called ``c<digits>`` (not listed in ``variables``) is parameter ``<digits>``, which is
how :func:`to_sympy` prints them, so terms round-trip.
"""

from __future__ import annotations

import re
from fractions import Fraction

import sympy as sp

from search.expr.terms import NAMED_CONSTANTS, Expr, const, make, named, param, var

__all__ = ["parse", "from_sympy", "to_sympy", "to_latex"]

_PARAM_RE = re.compile(r"^c(\d+)$")

_FUNCS = {
    sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.tanh: "tanh",
    sp.asin: "asin", sp.atan: "atan", sp.Abs: "abs",
}
# Functions outside the operator set that have an exact rewrite into it.
_REWRITES = {
    sp.sinh: sp.exp, sp.cosh: sp.exp, sp.cot: sp.tan, sp.sec: sp.cos, sp.csc: sp.sin, sp.acos: sp.asin,
    sp.acot: sp.atan,
}


def _named_sympy() -> dict:
    out = {}
    for name, (_, spelling) in NAMED_CONSTANTS.items():
        out[sp.sympify(spelling)] = name
    return out


def from_sympy(expr, variables=None, params=None) -> Expr:
    """Convert a SymPy expression to a term (equal SymPy subexpressions become one shared term).

    ``variables``: allowed variable names (others are a ``ValueError``); default: any symbol.  ``params``: names
    of the fittable parameters in index order (default: symbols ``c0, c1, ...``).  Sums with negative terms
    become ``sub``, products with negative powers become ``div``, ``x**(1/2)`` becomes ``sqrt``.  ``sinh, cosh,
    acos, cot, sec, csc, acot`` are rewritten into the operator set, ``re(a)`` becomes ``a`` (values are real or
    NaN); other functions are a ``ValueError``.
    """
    from search.expr.postfix import as_variables

    try:
        expr = sp.sympify(expr)
    except (sp.SympifyError, TypeError) as exc:
        raise ValueError(f"not a SymPy expression: {expr!r}") from exc
    vset = set(as_variables(variables)) if variables is not None else None
    pindex = None if params is None else {str(p): i for i, p in enumerate(params)}
    consts = _named_sympy()
    memo: dict = {}

    def conv(e) -> Expr:
        hit = memo.get(e)
        if hit is None:
            hit = memo[e] = _conv(e)
        return hit

    def _symbol(name: str) -> Expr:
        if pindex is not None and name in pindex:
            return param(pindex[name])
        if vset is not None and name in vset:
            return var(name)
        if pindex is None:
            m = _PARAM_RE.match(name)
            if m:
                return param(int(m.group(1)))
        if name in NAMED_CONSTANTS and NAMED_CONSTANTS[name][1] == name:
            return named(name)
        if vset is not None:
            raise ValueError(f"unknown symbol {name!r} (variables: {sorted(vset)})")
        return var(name)

    def _conv(e) -> Expr:
        if e in consts:
            return named(consts[e])
        if e.is_Symbol:
            return _symbol(e.name)
        if e.is_Integer:
            return const(int(e))
        if e.is_Rational:
            return const(Fraction(int(e.p), int(e.q)))
        if e.is_Float:
            return const(float(e))
        if e is sp.oo:
            return const(float("inf"))
        if e is sp.S.NegativeInfinity:
            return const(float("-inf"))
        if e is sp.nan or e is sp.zoo or e is sp.I:
            # No real value (0/0, complex infinity, or a constant SymPy evaluated to a non-real, such as
            # sqrt(-1) -> I or log(0) -> zoo): NaN, as the evaluator gives for those rows.
            return const(float("nan"))
        if e.is_number and e.is_extended_real is False:
            return const(float("nan"))
        if e.is_Add:
            pos, negs = [], []
            for a in e.args:
                (negs if a.could_extract_minus_sign() else pos).append(a)
            if pos:
                acc = conv(pos[0])
                for a in pos[1:]:
                    acc = make("add", acc, conv(a))
            else:
                acc = make("neg", conv(-negs[0]))
                negs = negs[1:]
            for a in negs:
                acc = make("sub", acc, conv(-a))
            return acc
        if e.is_Mul:
            coeff = e.as_coeff_Mul()[0]
            if coeff.is_number and coeff.is_extended_negative:
                return make("neg", conv(-e))
            num, den = [], []
            for f in e.args:
                if f.is_Rational and not f.is_Integer:
                    if f.p != 1:
                        num.append(const(int(f.p)))
                    den.append(const(int(f.q)))
                elif f.is_Pow and f.exp.is_number and f.exp.is_extended_negative:
                    den.append(conv(f.base ** (-f.exp)))
                else:
                    num.append(conv(f))
            acc = num[0] if num else const(1)
            for f in num[1:]:
                acc = make("mul", acc, f)
            if den:
                d = den[0]
                for f in den[1:]:
                    d = make("mul", d, f)
                acc = make("div", acc, d)
            return acc
        if e.is_Pow:
            b, x = e.base, e.exp
            if b is sp.E:
                return make("exp", conv(x))
            if x.is_Integer:
                n = int(x)
                if n < 0:
                    return make("div", const(1), conv(b) if n == -1 else make("powi", conv(b), value=-n))
                return make("powi", conv(b), value=n)
            if x == sp.Rational(1, 2):
                return make("sqrt", conv(b))
            if x == sp.Rational(-1, 2):
                return make("div", const(1), make("sqrt", conv(b)))
            if x.is_number and x.is_extended_negative:
                return make("div", const(1), conv(b ** (-x)))
            return make("pow", conv(b), conv(x))
        if isinstance(e, sp.Function):
            f = type(e)
            if f in _FUNCS and len(e.args) == 1:
                return make(_FUNCS[f], conv(e.args[0]))
            if f is sp.re:
                # values are real or NaN, so re() is the identity on everything the evaluator represents
                return conv(e.args[0])
            if f in _REWRITES:
                return conv(e.rewrite(_REWRITES[f]))
            if getattr(f, "__name__", "") == "fma" and len(e.args) == 3:
                return make("fma", *(conv(a) for a in e.args))
            if f is sp.zeta and e.args == (sp.Integer(3),):
                return named("zeta3")
            raise ValueError(f"unsupported SymPy function {f.__name__} in {e}")
        raise ValueError(f"cannot convert {sp.srepr(e)[:80]} to an expression term")

    return conv(expr)


def parse(text: str, variables=None, params=None, evaluate: bool = True) -> Expr:
    """Parse a string (SymPy syntax, ``fma(a, b, c)`` allowed) into a term.  See :func:`from_sympy`.

    ``evaluate=False`` keeps SymPy from reordering or merging terms as it parses.
    """
    from sympy.parsing.sympy_parser import parse_expr, standard_transformations

    if not isinstance(text, str) or not text.strip():
        raise ValueError("parse needs a non-empty string")
    local = {"fma": sp.Function("fma")}
    for v in (variables or ()):
        name = v if isinstance(v, str) else getattr(v, "value", str(v))
        local[name] = sp.Symbol(name)
    for pname in (params or ()):
        local[str(pname)] = sp.Symbol(str(pname))
    try:
        e = parse_expr(text, local_dict=local, transformations=standard_transformations, evaluate=evaluate)
    except Exception as exc:  # SymPy raises many types (SyntaxError, TokenError, TypeError...)
        raise ValueError(f"cannot parse {text!r}: {type(exc).__name__}: {exc}".splitlines()[0]) from None
    return from_sympy(e, variables=variables, params=params)


def to_sympy(expr: Expr, params=None, symbols=None):
    """Convert a term to SymPy.  Parameters print as ``c0, c1, ...`` (or the names or SymPy symbols in ``params``);
    ``symbols`` optionally maps variable names to SymPy symbols (e.g. with assumptions).  ``fma(a,b,c)``
    becomes ``a*b + c``."""
    if not isinstance(expr, Expr):
        raise ValueError(f"to_sympy needs an Expr, got {type(expr).__name__}")
    symbols = dict(symbols or {})
    memo: dict[int, object] = {}
    from search.expr.terms import subterms

    for t in subterms(expr):
        op = t.op
        a = [memo[id(c)] for c in t.args]
        if op == "var":
            r = symbols.get(t.value) or sp.Symbol(t.value)
        elif op == "param":
            pn = params[t.value] if params is not None else f"c{t.value}"
            r = pn if isinstance(pn, sp.Symbol) else sp.Symbol(str(pn))
        elif op == "int":
            r = sp.Integer(t.value)
        elif op == "rat":
            r = sp.Rational(t.value.numerator, t.value.denominator)
        elif op == "float":
            v = t.value
            r = sp.Float(v) if v == v and abs(v) != float("inf") else (sp.nan if v != v else (sp.oo if v > 0 else -sp.oo))
        elif op == "const":
            r = sp.sympify(NAMED_CONSTANTS[t.value][1])
        else:
            r = _sympy_op(op, a, t.value)
        memo[id(t)] = r
    return memo[id(expr)]


def _sympy_op(op, a, value=None):
    # SymPy evaluates numeric operands eagerly, and Float arithmetic can raise (Float(1)/Float(0) is a
    # ZeroDivisionError): such a constant subexpression has no real value, so it becomes NaN.
    try:
        return _sympy_op_raw(op, a, value)
    except (ZeroDivisionError, OverflowError, ValueError):
        return sp.nan


_SP_BINARY = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "div": lambda a, b: a * sp.Pow(b, -1), "pow": lambda a, b: a ** b,
}
_SP_UNARY = {
    "neg": lambda a: -a, "sqrt": sp.sqrt, "exp": sp.exp, "log": sp.log, "sin": sp.sin, "cos": sp.cos,
    "tan": sp.tan, "tanh": sp.tanh, "asin": sp.asin, "atan": sp.atan, "abs": sp.Abs,
}


def _sympy_op_raw(op, a, value):
    if op in _SP_BINARY:
        return _SP_BINARY[op](a[0], a[1])
    if op in _SP_UNARY:
        return _SP_UNARY[op](a[0])
    if op == "powi":
        return a[0] ** sp.Integer(value)
    if op == "fma":
        return a[0] * a[1] + a[2]
    raise ValueError(f"no SymPy form for operator {op!r}")  # pragma: no cover


def to_latex(expr: Expr, params=None) -> str:
    """LaTeX of a term, through SymPy."""
    return sp.latex(to_sympy(expr, params=params))
