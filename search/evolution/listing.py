"""Straight-line code: the emitted form of an approximation program.

A :class:`Listing` is the linear, single-assignment code of a program, in evaluation order:
``v_i = op(operands)`` with ``op`` in ``add sub mul div fma`` and operands ``x``, a float literal, or an earlier
``v_j``.  The search represents programs as expression-core terms (``search.expr``); a listing is what a term
*emits*: it is what is costed, exported (Python, C, LaTeX), measured in double-double and re-parsed by the
validator.  Baselines (Horner polynomials and rationals) are written directly as listings.

Cost models (every result reports all three):

* ``ops``: each + − × ÷ is one operation, an fma counts as two (a multiply and an add);
* ``fma``: an fma is one operation, and every multiply whose only use is as an operand of an add or subtract is
  contracted into an fma (what ``-ffp-contract=fast`` does), so a degree-d Horner polynomial costs d;
* ``cycles``: the sum of per-operation latencies from :data:`CYCLE_TABLE` (fma-contracted, as a compiler would emit).
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass

import mpmath
import numpy as np

__all__ = [
    "Listing",
    "CYCLE_TABLE",
    "COST_MODELS",
    "costs",
    "eval_float",
    "eval_dd",
    "eval_mp",
    "to_python",
    "to_c",
    "latex_lines",
    "latex_program",
    "latex_align",
    "parse_python",
    "check_python_source",
    "inline_expression",
]

#: Latency in cycles of one scalar operation (float64 / float32), typical of current x86-64 cores
#: (Intel Golden Cove, AMD Zen 4: add/mul/fma 3-4 cycles, divide 11-14).
CYCLE_TABLE = {
    "float64": {"add": 4, "sub": 4, "mul": 4, "fma": 4, "div": 13},
    "float32": {"add": 4, "sub": 4, "mul": 4, "fma": 4, "div": 11},
}
COST_MODELS = ("ops", "fma", "cycles")
_ARITY = {"add": 2, "sub": 2, "mul": 2, "div": 2, "fma": 3}
_SYM = {"add": "+", "sub": "-", "mul": "*", "div": "/"}


@dataclass(frozen=True)
class Listing:
    """``instrs[i] = (op, (operand, ...))``; an operand is ``("x",)``, ``("k", value)`` or ``("v", j)`` with j < i.
    ``out`` is the operand returned."""

    instrs: tuple
    out: tuple

    def __post_init__(self):
        for i, (op, args) in enumerate(self.instrs):
            if op not in _ARITY or len(args) != _ARITY[op]:
                raise ValueError(f"bad instruction {i}: {op}{args}")
            for a in args:
                _check_operand(a, i)
        _check_operand(self.out, len(self.instrs))

    @property
    def n_instr(self) -> int:
        return len(self.instrs)

    def constants(self) -> list[float]:
        return [a[1] for _, args in self.instrs for a in args if a[0] == "k"] + (
            [self.out[1]] if self.out[0] == "k" else [])


def _check_operand(a, i):
    if a[0] == "x" and len(a) == 1:
        return
    if a[0] == "k" and len(a) == 2 and isinstance(a[1], float):
        return
    if a[0] == "v" and len(a) == 2 and 0 <= a[1] < i:
        return
    raise ValueError(f"bad operand {a!r} at instruction {i}")


# ----------------------------------------------------------------------------------------------------- costs


def _uses(lst: Listing) -> list[int]:
    n = [0] * lst.n_instr
    for _, args in lst.instrs:
        for a in args:
            if a[0] == "v":
                n[a[1]] += 1
    if lst.out[0] == "v":
        n[lst.out[1]] += 1
    return n


def _contracted_counts(lst: Listing) -> dict[str, int]:
    """Operation counts after contracting single-use multiplies into the add/sub that consumes them."""
    uses = _uses(lst)
    fused = set()
    for op, args in lst.instrs:
        if op in ("add", "sub"):
            for a in args:
                if a[0] == "v" and lst.instrs[a[1]][0] == "mul" and uses[a[1]] == 1 and a[1] not in fused:
                    fused.add(a[1])
                    break
    counts = {"add": 0, "sub": 0, "mul": 0, "div": 0, "fma": 0}
    consumed = set()
    for i, (op, args) in enumerate(lst.instrs):
        if i in fused:
            continue
        if op in ("add", "sub") and any(a[0] == "v" and a[1] in fused and a[1] not in consumed for a in args):
            for a in args:
                if a[0] == "v" and a[1] in fused and a[1] not in consumed:
                    consumed.add(a[1])
                    break
            counts["fma"] += 1
        else:
            counts[op] += 1
    return counts


def costs(lst: Listing, dtype: str = "float64") -> dict[str, int]:
    """The program's cost under every model: ``{"ops": .., "fma": .., "cycles": ..}``."""
    raw = {"add": 0, "sub": 0, "mul": 0, "div": 0, "fma": 0}
    for op, _ in lst.instrs:
        raw[op] += 1
    ops = raw["add"] + raw["sub"] + raw["mul"] + raw["div"] + 2 * raw["fma"]
    c = _contracted_counts(lst)
    table = CYCLE_TABLE["float32" if dtype == "float32" else "float64"]
    return {"ops": ops, "fma": sum(c.values()), "cycles": sum(table[k] * v for k, v in c.items())}


# ----------------------------------------------------------------------------------------------- evaluation


def eval_float(lst: Listing, x, dtype=np.float64) -> np.ndarray:
    """Evaluate in ``dtype`` arithmetic (every operation rounded to ``dtype``; fma rounded once via float64 for
    float32, and as mul-then-add in float64)."""
    dt = np.dtype(dtype)
    xv = np.asarray(x, dtype=dt)
    vals = []

    def get(a):
        if a[0] == "x":
            return xv
        if a[0] == "k":
            return dt.type(a[1])
        return vals[a[1]]

    with np.errstate(all="ignore"):
        for op, args in lst.instrs:
            u = [get(a) for a in args]
            if op == "add":
                r = u[0] + u[1]
            elif op == "sub":
                r = u[0] - u[1]
            elif op == "mul":
                r = u[0] * u[1]
            elif op == "div":
                r = u[0] / u[1]
            elif dt == np.float32:  # fma: exact product and sum in float64, one rounding to float32
                r = (np.float64(1) * u[0] * u[1] + u[2]).astype(np.float32)
            else:
                r = u[0] * u[1] + u[2]
            vals.append(np.asarray(r, dtype=dt) * np.ones_like(xv))
        out = get(lst.out)
    return np.asarray(out, dtype=dt) * np.ones_like(xv)


# Double-double arithmetic (error-free transforms): ~32 significant digits, vectorised, for measuring a program's
# *real-number* error (its float constants taken exactly) far below float64 rounding.
_SPLIT = 134217729.0  # 2^27 + 1


def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(a):
    c = _SPLIT * a
    hi = c - (c - a)
    return hi, a - hi


def _two_prod(a, b):
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _norm(s, e):
    h = s + e
    return h, e - (h - s)


def _dd_add(x, y):
    s, e = _two_sum(x[0], y[0])
    t, f = _two_sum(x[1], y[1])
    e = e + t
    s, e = _norm(s, e)
    return _norm(s, e + f)


def _dd_mul(x, y):
    p, e = _two_prod(x[0], y[0])
    e = e + (x[0] * y[1] + x[1] * y[0])
    return _norm(p, e)


def _dd_div(x, y):
    q1 = x[0] / y[0]
    r = _dd_add(x, _dd_neg(_dd_mul((q1, np.zeros_like(q1)), y)))
    q2 = r[0] / y[0]
    r = _dd_add(r, _dd_neg(_dd_mul((q2, np.zeros_like(q2)), y)))
    q3 = r[0] / y[0]
    q = _norm(q1, q2)
    return _dd_add(q, (q3, np.zeros_like(q3)))


def _dd_neg(x):
    return (-x[0], -x[1])


def eval_dd(lst: Listing, x) -> tuple[np.ndarray, np.ndarray]:
    """Evaluate the program in double-double arithmetic at float64 points ``x``: returns ``(hi, lo)``."""
    xv = np.asarray(x, dtype=np.float64)
    zero = np.zeros_like(xv)
    vals = []

    def get(a):
        if a[0] == "x":
            return (xv, zero)
        if a[0] == "k":
            return (np.full_like(xv, a[1]), zero)
        return vals[a[1]]

    with np.errstate(all="ignore"):
        for op, args in lst.instrs:
            u = [get(a) for a in args]
            if op == "add":
                r = _dd_add(u[0], u[1])
            elif op == "sub":
                r = _dd_add(u[0], _dd_neg(u[1]))
            elif op == "mul":
                r = _dd_mul(u[0], u[1])
            elif op == "div":
                r = _dd_div(u[0], u[1])
            else:
                r = _dd_add(_dd_mul(u[0], u[1]), u[2])
            vals.append(r)
        return get(lst.out)


def eval_mp(lst: Listing, x) -> list:
    """Evaluate exactly at the caller's mpmath precision (constants taken as the exact binary values)."""
    out = []
    consts = {}
    for xv in x:
        xm = mpmath.mpf(xv)
        vals = []

        def get(a):
            if a[0] == "x":
                return xm
            if a[0] == "k":
                v = consts.get(a[1])
                if v is None:
                    v = consts[a[1]] = mpmath.mpf(a[1])
                return v
            return vals[a[1]]

        for op, args in lst.instrs:
            u = [get(a) for a in args]
            if op == "add":
                r = u[0] + u[1]
            elif op == "sub":
                r = u[0] - u[1]
            elif op == "mul":
                r = u[0] * u[1]
            elif op == "div":
                r = u[0] / u[1] if u[1] != 0 else mpmath.mpf("nan")
            else:
                r = u[0] * u[1] + u[2]
            vals.append(r)
        out.append(get(lst.out))
    return out


# --------------------------------------------------------------------------------------------------- export


def _lit(v: float) -> str:
    r = repr(float(v))
    return r if r not in ("inf", "-inf", "nan") else f"float('{r}')"


def _py_operand(a, names):
    if a[0] == "x":
        return "x"
    if a[0] == "k":
        v = a[1]
        return _lit(v) if v >= 0 else f"({_lit(v)})"
    return names[a[1]]


def to_python(lst: Listing, name: str = "approx") -> str:
    """A standalone ``def approx(x):`` of assignments (+ − × ÷ on names and float literals) and a return.
    An fma is written as ``a * b + c``."""
    names = [f"v{i}" for i in range(lst.n_instr)]
    lines = [f"def {name}(x):"]
    for i, (op, args) in enumerate(lst.instrs):
        o = [_py_operand(a, names) for a in args]
        expr = f"{o[0]} * {o[1]} + {o[2]}" if op == "fma" else f"{o[0]} {_SYM[op]} {o[1]}"
        lines.append(f"    {names[i]} = {expr}")
    lines.append(f"    return {_py_operand(lst.out, names)}")
    return "\n".join(lines) + "\n"


def _c_lit(v: float, ctype: str) -> str:
    s = float(v).hex()
    return s + ("f" if ctype == "float" else "")


def to_c(lst: Listing, name: str = "approx", dtype: str = "float64") -> str:
    """C99 source: one ``static inline`` function; constants as exact hexadecimal literals; fma via ``fma``/``fmaf``."""
    ctype = "float" if dtype == "float32" else "double"
    fma = "fmaf" if ctype == "float" else "fma"
    names = [f"v{i}" for i in range(lst.n_instr)]

    def opnd(a):
        if a[0] == "x":
            return "x"
        if a[0] == "k":
            return _c_lit(a[1], ctype)
        return names[a[1]]

    lines = ["#include <math.h>", "", f"static inline {ctype} {name}({ctype} x)", "{"]
    for i, (op, args) in enumerate(lst.instrs):
        o = [opnd(a) for a in args]
        expr = f"{fma}({o[0]}, {o[1]}, {o[2]})" if op == "fma" else f"{o[0]} {_SYM[op]} {o[1]}"
        lines.append(f"    const {ctype} {names[i]} = {expr};")
    lines.append(f"    return {opnd(lst.out)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _tex_num(v: float) -> str:
    s = repr(float(v))
    if "e" in s:
        m, e = s.split("e")
        return f"{m} \\cdot 10^{{{int(e)}}}"
    return s


def latex_lines(lst: Listing) -> list[str]:
    """The program as a sequence of LaTeX equations ``v_i = ...`` followed by ``f(x) \\approx v_n``."""
    def opnd(a, paren=False):
        if a[0] == "x":
            return "x"
        if a[0] == "k":
            s = _tex_num(a[1])
            return f"\\left({s}\\right)" if (paren or "cdot" in s) and a[1] < 0 else s
        return f"v_{{{a[1]}}}"

    out = []
    for i, (op, args) in enumerate(lst.instrs):
        if op == "add":
            rhs = f"{opnd(args[0])} + {opnd(args[1], True)}"
        elif op == "sub":
            rhs = f"{opnd(args[0])} - {opnd(args[1], True)}"
        elif op == "mul":
            rhs = f"{opnd(args[0], True)} \\cdot {opnd(args[1], True)}"
        elif op == "div":
            rhs = f"\\frac{{{opnd(args[0])}}}{{{opnd(args[1])}}}"
        else:
            rhs = f"{opnd(args[0], True)} \\cdot {opnd(args[1], True)} + {opnd(args[2], True)}"
        out.append(f"v_{{{i}}} = {rhs}")
    out.append(f"f(x) \\approx {opnd(lst.out)}")
    return out


def latex_align(lst: Listing) -> str:
    """The equations of :func:`latex_lines` as ``align*`` rows (``v_i &= ...``) joined by ``\\\\``."""
    rows = [ln.replace(" = ", " &= ", 1) if " = " in ln else ln.replace(" \\approx ", " &\\approx ", 1)
            for ln in latex_lines(lst)]
    return " \\\\\n".join(rows)


def latex_program(meta: dict, environment: str | None = None) -> str:
    """LaTeX for an approximation record: the program in ``meta["program"]`` as alignment rows ``v_i &= ...``
    joined by ``\\\\`` (ready for an ``align*`` body, which is how ``discovery/latex.py`` uses
    ``meta["program_latex"]``); ``environment="aligned"`` wraps them in ``\\begin{aligned}...``."""
    body = latex_align(parse_python(meta["program"]))
    if environment:
        return f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"
    return body


# ------------------------------------------------------------------------------------------ parse (validator)


def check_python_source(src: str) -> ast.FunctionDef:
    """Enforce the allowed-construct rule: one ``def NAME(x):`` whose body is assignments to plain names of
    expressions built from ``+ - * /`` (and unary minus on literals) over names and float literals, then one
    ``return``.  No calls, attributes, subscripts, imports or control flow.  Returns the function node."""
    try:
        mod = ast.parse(src)
    except SyntaxError as exc:
        raise ValueError(f"program is not valid Python: {exc.msg}") from None
    if len(mod.body) != 1 or not isinstance(mod.body[0], ast.FunctionDef):
        raise ValueError("program must be exactly one function definition")
    fn = mod.body[0]
    a = fn.args
    if (len(a.args) != 1 or a.args[0].arg != "x" or a.vararg or a.kwarg or a.kwonlyargs or a.defaults
            or a.posonlyargs or fn.decorator_list or fn.returns):
        raise ValueError("program must be `def NAME(x):` with the single argument x")
    body = fn.body
    if not body or not isinstance(body[-1], ast.Return) or body[-1].value is None:
        raise ValueError("program must end with `return <expression>`")
    defined = {"x"}
    for st in body[:-1]:
        if not (isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name)):
            raise ValueError(f"line {st.lineno}: only `name = expression` assignments are allowed")
        if st.targets[0].id == "x":
            raise ValueError(f"line {st.lineno}: x must not be reassigned")
        _check_expr(st.value, defined)
        defined.add(st.targets[0].id)
    _check_expr(body[-1].value, defined)
    return fn


def _check_expr(node, defined):
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
        _check_expr(node.left, defined)
        _check_expr(node.right, defined)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        _check_expr(node.operand, defined)
    elif isinstance(node, ast.Constant):
        if type(node.value) not in (float, int) or not math.isfinite(node.value):
            raise ValueError(f"line {node.lineno}: only finite float literals are allowed, got {node.value!r}")
    elif isinstance(node, ast.Name):
        if node.id not in defined:
            raise ValueError(f"line {node.lineno}: name {node.id!r} is used before it is assigned")
    else:
        raise ValueError(f"line {node.lineno}: construct {type(node).__name__} is not allowed "
                         "(only + - * / on names and float literals)")


def parse_python(src: str) -> Listing:
    """Parse a program that passes :func:`check_python_source` back into a :class:`Listing` (a `a * b + c` is
    read as a multiply and an add: the real-number value is the same)."""
    fn = check_python_source(src)
    instrs: list = []
    env = {"x": ("x",)}

    def emit(node):
        if isinstance(node, ast.Constant):
            return ("k", float(node.value))
        if isinstance(node, ast.UnaryOp):
            return ("k", -float(node.operand.value))
        if isinstance(node, ast.Name):
            return env[node.id]
        op = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div"}[type(node.op)]
        left, right = emit(node.left), emit(node.right)
        instrs.append((op, (left, right)))
        return ("v", len(instrs) - 1)

    for st in fn.body[:-1]:
        env[st.targets[0].id] = emit(st.value)
    out = emit(fn.body[-1].value)
    return Listing(tuple(instrs), out)


def inline_expression(lst: Listing) -> str:
    """The program as one SymPy-parsable expression in ``x`` (shared vertices are repeated; exact float reprs)."""
    memo: list[str] = []

    def opnd(a):
        if a[0] == "x":
            return "x"
        if a[0] == "k":
            return f"({_lit(a[1])})" if a[1] < 0 else _lit(a[1])
        return memo[a[1]]

    for op, args in lst.instrs:
        o = [opnd(a) for a in args]
        memo.append(f"({o[0]}*{o[1]} + {o[2]})" if op == "fma" else f"({o[0]} {_SYM[op]} {o[1]})")
    s = opnd(lst.out)
    return s[1:-1] if s.startswith("(") and s.endswith(")") and lst.out[0] == "v" else s
