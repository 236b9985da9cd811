"""Immutable, hash-consed expression terms.

A term is an operator or a leaf with children.  Every term is *interned*: building the same operator over the same
children (and the same leaf payload) returns the very same Python object, so structural equality is identity,
equal subterms are shared and a term is a DAG.  Interning uses a weak-value table, so unused terms are freed.

Leaves
    ``var``   a variable, payload its name (``str``)
    ``int``   an integer constant (``int``)
    ``rat``   a rational constant (``fractions.Fraction`` with denominator > 1)
    ``float`` a floating-point constant (``float``; the bit pattern is the identity, so ``0.0`` and ``-0.0`` differ)
    ``const`` a named constant such as pi or e (payload its name, see :data:`NAMED_CONSTANTS`)
    ``param`` a fittable parameter, payload its index ``i >= 0`` (printed ``c{i}``)

Operators (arity)
    ``add sub mul div pow`` (2), ``powi`` (1, payload the integer exponent), ``neg sqrt exp log sin cos tan tanh
    asin atan abs`` (1) and ``fma`` (3: ``fma(a, b, c) = a*b + c``).

Constructors never simplify: the structure you build is the structure you get (the e-graph engine does rewriting).

A term of at most ``FLAT_MAX_SIZE`` tree nodes also carries its postfix code (``_flat``, see below), built with the
term from its children's, so that encoding, batching and hashing it need no Python walk over its nodes.
Float leaves are interned by bit pattern, so ``0.0`` and ``-0.0`` (and NaN payloads) stay distinct leaves.
"""

from __future__ import annotations

import itertools
import math
import struct
import threading
import weakref
from fractions import Fraction
from numbers import Integral, Rational, Real

__all__ = [
    "Expr", "LEAF_KINDS", "OPERATORS", "ARITY", "NAMED_CONSTANTS", "register_constant",
    "var", "const", "named", "param", "make",
    "add", "sub", "mul", "div", "power", "powi", "neg", "sqrt", "exp", "log", "sin", "cos", "tan", "tanh",
    "asin", "atan", "fabs", "fma", "variables_of", "params_of", "complexity", "subterms",
]

#: Leaf kinds.
LEAF_KINDS = ("var", "int", "rat", "float", "const", "param")

#: Operator name -> arity.
ARITY = {
    "add": 2, "sub": 2, "mul": 2, "div": 2, "pow": 2, "powi": 1, "neg": 1, "sqrt": 1, "exp": 1, "log": 1,
    "sin": 1, "cos": 1, "tan": 1, "tanh": 1, "asin": 1, "atan": 1, "abs": 1, "fma": 3,
}
OPERATORS = tuple(ARITY)

#: Named constants: name -> (float value, SymPy spelling).  Extend with :func:`register_constant`.
NAMED_CONSTANTS: dict[str, tuple[float, str]] = {
    "pi": (math.pi, "pi"),
    "e": (math.e, "E"),
    "euler_gamma": (0.57721566490153286061, "EulerGamma"),
    "catalan": (0.91596559417721901505, "Catalan"),
    "golden_ratio": ((1 + math.sqrt(5)) / 2, "GoldenRatio"),
    "zeta3": (1.2020569031595942854, "zeta(3)"),
}


def register_constant(name: str, value: float, sympy_spelling: str | None = None) -> None:
    """Register a named constant (``value`` its float64 value; ``sympy_spelling`` a SymPy-parsable string,
    default a plain symbol of that name).  Re-registering a name with a different value is a ``ValueError``."""
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"constant name must be an identifier, got {name!r}")
    value = float(value)
    old = NAMED_CONSTANTS.get(name)
    if old is not None and old[0] != value:
        raise ValueError(f"constant {name!r} is already registered with value {old[0]!r}")
    NAMED_CONSTANTS[name] = (value, sympy_spelling or name)


_TABLE: "weakref.WeakValueDictionary[tuple, Expr]" = weakref.WeakValueDictionary()
_DATA = _TABLE.data  # its dict of weak references: a direct lookup saves WeakValueDictionary.get's Python frame

# Opcodes of search.expr.opcodes (kept here as literals to avoid an import cycle; checked in the tests).
_CODES = {
    "var": (1, 0), "int": (2, 0), "rat": (2, 0), "float": (2, 0), "const": (2, 0), "param": (3, 0),
    "add": (6, 0), "sub": (7, 0), "mul": (8, 0), "div": (9, 0), "pow": (10, 0), "powi": (11, 0), "neg": (12, 0),
    "sqrt": (13, 0), "exp": (14, 0), "log": (15, 0), "sin": (16, 0), "cos": (17, 0), "tan": (18, 0),
    "tanh": (19, 0), "asin": (20, 0), "atan": (21, 0), "abs": (22, 0), "fma": (23, 0),
}

_PREC = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4, "powi": 4}


class Expr:
    """An immutable, interned expression term (an operator or a leaf with children).

    Attributes: ``op`` (the kind, see module docs), ``args`` (tuple of child terms), ``value`` (leaf payload or
    ``powi`` exponent, else ``None``), ``size`` (tree node count, shared subterms counted at every use),
    ``depth`` (leaves have depth 1).  Equality is identity (terms are hash-consed); the hash is structural and
    stable within a process.  Arithmetic operators build terms: ``x*y + 2``, ``-x``, ``x**2`` (``powi``),
    ``x**0.5`` / ``x**y`` (``pow``), ``abs(x)``.
    """

    __slots__ = ("op", "args", "value", "size", "depth", "_hash", "_enc", "_code", "_flat", "__weakref__")

    op: str
    args: tuple
    value: object
    size: int
    depth: int

    def __new__(cls, op, args=(), value=None):
        # Children enter the key by id(): a live entry's term holds its children, so their ids cannot be
        # reused meanwhile, and ints hash and compare in C (Expr.__hash__/__eq__ are Python-level calls).
        key = (op, value if op != "float" else _F64(value), *map(id, args))
        ref = _DATA.get(key)
        if ref is not None:
            hit = ref()
            if hit is not None:
                return hit
        self = object.__new__(cls)
        # slot descriptors' __set__ directly: Expr.__setattr__ refuses, and this is cheaper than object.__setattr__
        _set_op(self, op)
        _set_args(self, args)
        _set_value(self, value)
        _set_enc(self, None)  # memo of the last postfix encoding (search.expr.postfix)
        if not args:
            _set_size(self, 1)
            _set_depth(self, 1)
            _set_hash(self, hash((op, key[1])))
            _set_code(self, _CODES[op])
            _set_flat(self, _leaf_flat(op, value))
        else:
            size = 1 + sum(a.size for a in args)
            _set_size(self, size)
            _set_depth(self, 1 + max(a.depth for a in args))
            _set_hash(self, hash((op, key[1], *(a._hash for a in args))))
            # (opcode, arg) for the encoder: operators carry their opcode (and powi its exponent)
            _set_code(self, _CODES[op] if op != "powi" else (_CODES[op][0], value))
            _set_flat(self, _node_flat(op, args, value) if size <= FLAT_MAX_SIZE else None)
        return _TABLE.setdefault(key, self)

    def __setattr__(self, name, value):
        raise AttributeError("Expr is immutable")

    def __hash__(self):
        return self._hash

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __reduce__(self):
        # Unpickling re-interns, so a term shipped to a Dask worker is shared there too.
        return (_rebuild, (self.op, self.args, self.value))

    @property
    def is_leaf(self) -> bool:
        return not self.args

    # arithmetic sugar -------------------------------------------------------------------------------------------
    def __add__(self, o):
        return add(self, o)

    def __radd__(self, o):
        return add(o, self)

    def __sub__(self, o):
        return sub(self, o)

    def __rsub__(self, o):
        return sub(o, self)

    def __mul__(self, o):
        return mul(self, o)

    def __rmul__(self, o):
        return mul(o, self)

    def __truediv__(self, o):
        return div(self, o)

    def __rtruediv__(self, o):
        return div(o, self)

    def __pow__(self, o):
        return power(self, o)

    def __rpow__(self, o):
        return power(o, self)

    def __neg__(self):
        return neg(self)

    def __abs__(self):
        return fabs(self)

    # printing ---------------------------------------------------------------------------------------------------
    def __str__(self):
        return _to_str(self, 0)

    def __repr__(self):
        return f"Expr({_to_str(self, 0)})"


_set_op = Expr.op.__set__
_set_args = Expr.args.__set__
_set_value = Expr.value.__set__
_set_size = Expr.size.__set__
_set_depth = Expr.depth.__set__
_set_hash = Expr._hash.__set__
_set_enc = Expr._enc.__set__
_set_code = Expr._code.__set__
_set_flat = Expr._flat.__set__

# --- flat postfix memo ---------------------------------------------------------------------------------------------
# Every term of at most FLAT_MAX_SIZE tree nodes carries ``_flat = (code, values, leaves)``, built once when the
# term is built (terms are immutable and shared, so a new term pays only for its own node: two bytes
# concatenations):
#   code    bytes of int64 instructions, the tree-expanded postfix program of the term, each ``arg * 32 + opcode``
#           where VAR's arg is a process-wide id of the variable name (``VAR_IDS``), CONST's arg a process-wide
#           serial number of the constant leaf (so equal codes mean the same term), PARAM's arg the parameter
#           index and POWI's arg the exponent;
#   values  bytes of float64, the value of every constant leaf in the order the CONSTs occur in ``code``;
#   leaves  the constant leaf terms in that order (``None`` on a constant leaf itself, standing for ``(self,)``:
#           a leaf holding itself would be a reference cycle).
# ``search.expr.postfix.encode`` and ``search.expr.hashing.functional_hash`` turn it into a program with one
# compiled call (``_kernel.flat_encode`` / ``_kernel.flat_hash``) instead of a Python walk over the nodes.
# Larger terms (and DAGs whose tree expansion is large) have ``_flat = None`` and take the Python encoder.

#: Terms with more tree nodes than this carry no flat code (its size grows with the tree, not the DAG).
FLAT_MAX_SIZE = 512
#: variable name -> process-wide id used in flat codes
VAR_IDS: dict[str, int] = {}
_VAR_IDS_LOCK = threading.Lock()
_CONST_SERIAL = itertools.count(1)
_I64 = struct.Struct("<q").pack
_F64 = struct.Struct("<d").pack
_OWN = {op: _I64(code[0]) for op, code in _CODES.items()}


def var_id(name: str) -> int:
    """The process-wide id of a variable name in flat codes (assigned on first use; thread-safe)."""
    vid = VAR_IDS.get(name)
    if vid is None:
        with _VAR_IDS_LOCK:  # two threads must not hand out the same id to two names
            vid = VAR_IDS.setdefault(name, len(VAR_IDS))
    return vid


def _leaf_flat(op, value):
    if op == "var":
        return (_I64(var_id(value) * 32 + 1), b"", ())
    if op == "param":
        return (_I64(value * 32 + 3), b"", ())
    try:
        v = _leaf_float(op, value)
    except (OverflowError, KeyError):  # an int beyond float range: left to the Python encoder (which raises)
        return None
    return (_I64(next(_CONST_SERIAL) * 32 + 2), _F64(v), None)


def _leaf_float(op, value) -> float:
    if op == "int":
        return float(value)
    if op == "rat":
        return value.numerator / value.denominator
    if op == "float":
        return value
    return NAMED_CONSTANTS[value][0]


def _node_flat(op, args, value):
    own = _OWN[op] if op != "powi" else _I64(value * 32 + 11)
    a = args[0]
    fa = a._flat
    if fa is None:
        return None
    la = fa[2]
    if la is None:
        la = (a,)
    if len(args) == 1:
        return (fa[0] + own, fa[1], la)
    b = args[1]
    fb = b._flat
    if fb is None:
        return None
    lb = fb[2]
    if lb is None:
        lb = (b,)
    if len(args) == 2:
        return (fa[0] + fb[0] + own, fa[1] + fb[1], la + lb if lb else la)
    c = args[2]
    fc = c._flat
    if fc is None:
        return None
    lc = fc[2]
    if lc is None:
        lc = (c,)
    return (b"".join((fa[0], fb[0], fc[0], own)), b"".join((fa[1], fb[1], fc[1])), la + lb + lc)


def _to_str(e: Expr, parent_prec: int) -> str:
    op = e.op
    if op == "var" or op == "const":
        return e.value
    if op == "param":
        return f"c{e.value}"
    if op == "int":
        s = str(e.value)
        return f"({s})" if e.value < 0 and parent_prec > 0 else s
    if op == "rat":
        s = f"{e.value.numerator}/{e.value.denominator}"
        return f"({s})" if parent_prec > 0 else s
    if op == "float":
        s = repr(e.value)
        if not math.isfinite(e.value):  # SymPy spellings, so str() stays parsable
            s = "nan" if math.isnan(e.value) else ("oo" if e.value > 0 else "-oo")
        return f"({s})" if (e.value < 0 or "e" in s) and parent_prec > 0 else s
    prec = _PREC.get(op)
    if prec is None:
        inner = ", ".join(_to_str(a, 0) for a in e.args)
        return f"{op}({inner})"
    if op == "neg":
        s = "-" + _to_str(e.args[0], prec)
    elif op == "powi":
        s = f"{_to_str(e.args[0], prec + 1)}**{e.value}" if e.value >= 0 else \
            f"{_to_str(e.args[0], prec + 1)}**({e.value})"
    else:
        sym = {"add": " + ", "sub": " - ", "mul": "*", "div": "/", "pow": "**"}[op]
        a, b = e.args
        if op == "pow":
            s = f"{_to_str(a, prec + 1)}{sym}{_to_str(b, prec)}"
        else:
            # left-associative: the right operand of - and / needs parentheses at equal precedence
            s = f"{_to_str(a, prec)}{sym}{_to_str(b, prec + (op in ('sub', 'div', 'add', 'mul')))}"
    return f"({s})" if prec < parent_prec else s


def _rebuild(op, args, value):
    return Expr(op, tuple(args), value)


# constructors -----------------------------------------------------------------------------------------------------
def _as_expr(x) -> Expr:
    if isinstance(x, Expr):
        return x
    if isinstance(x, (bool,)):
        raise ValueError("booleans are not expression constants")
    if isinstance(x, (Integral, Rational, Real)):
        return const(x)
    raise ValueError(f"cannot convert {type(x).__name__} to an expression term")


def var(name: str) -> Expr:
    """A variable leaf."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"variable name must be a non-empty string, got {name!r}")
    return Expr("var", (), name)


def const(value) -> Expr:
    """A numeric constant leaf: ``int`` -> ``int``, ``Fraction`` -> ``rat`` (or ``int`` if integral),
    ``float`` (or NumPy scalar) -> ``float``."""
    if isinstance(value, bool):
        raise ValueError("booleans are not expression constants")
    if isinstance(value, Integral):
        return Expr("int", (), int(value))
    if isinstance(value, Rational):
        f = Fraction(int(value.numerator), int(value.denominator))
        return Expr("int", (), f.numerator) if f.denominator == 1 else Expr("rat", (), f)
    if isinstance(value, Real):
        return Expr("float", (), float(value))
    raise ValueError(f"not a numeric constant: {value!r}")


def named(name: str) -> Expr:
    """A named-constant leaf (``pi``, ``e``, ``euler_gamma``, ``catalan``, ``golden_ratio``, ``zeta3`` or one
    added with :func:`register_constant`)."""
    if name not in NAMED_CONSTANTS:
        raise ValueError(f"unknown named constant {name!r}; known: {', '.join(sorted(NAMED_CONSTANTS))}")
    return Expr("const", (), name)


def param(index: int) -> Expr:
    """A fittable parameter leaf ``c{index}``; its value is supplied at evaluation time."""
    if isinstance(index, bool) or not isinstance(index, Integral) or index < 0:
        raise ValueError(f"parameter index must be a non-negative int, got {index!r}")
    return Expr("param", (), int(index))


def make(op: str, *children, value=None) -> Expr:
    """Generic constructor: ``make("add", a, b)``, ``make("powi", a, value=3)``, ``make("var", value="x")``.
    Numbers among the children are converted with :func:`const`."""
    if op in LEAF_KINDS:
        if children:
            raise ValueError(f"leaf {op!r} takes no children")
        return {"var": var, "int": const, "rat": const, "float": const, "const": named, "param": param}[op](value)
    arity = ARITY.get(op)
    if arity is None:
        raise ValueError(f"unknown operator {op!r}")
    if len(children) != arity:
        raise ValueError(f"operator {op!r} takes {arity} children, got {len(children)}")
    kids = children
    for c in children:
        if type(c) is not Expr:
            kids = tuple(_as_expr(c) for c in children)
            break
    if op == "powi":
        if isinstance(value, bool) or not isinstance(value, Integral):
            raise ValueError(f"powi needs an integer exponent, got {value!r}")
        if not -(2**31) < int(value) < 2**31:
            raise ValueError(f"powi exponent {value} does not fit in int32")
        return Expr("powi", kids, int(value))
    if value is not None:
        raise ValueError(f"operator {op!r} takes no value")
    return Expr(op, kids)


def add(a, b) -> Expr:
    return make("add", a, b)


def sub(a, b) -> Expr:
    return make("sub", a, b)


def mul(a, b) -> Expr:
    return make("mul", a, b)


def div(a, b) -> Expr:
    return make("div", a, b)


def power(a, b) -> Expr:
    """``a**b``: an ``int`` exponent (Python int) gives ``powi``; anything else gives the real power ``pow``."""
    if isinstance(b, Integral) and not isinstance(b, bool):
        return make("powi", a, value=int(b))
    return make("pow", a, b)


def powi(a, n: int) -> Expr:
    return make("powi", a, value=n)


def neg(a) -> Expr:
    return make("neg", a)


def sqrt(a) -> Expr:
    return make("sqrt", a)


def exp(a) -> Expr:
    return make("exp", a)


def log(a) -> Expr:
    return make("log", a)


def sin(a) -> Expr:
    return make("sin", a)


def cos(a) -> Expr:
    return make("cos", a)


def tan(a) -> Expr:
    return make("tan", a)


def tanh(a) -> Expr:
    return make("tanh", a)


def asin(a) -> Expr:
    return make("asin", a)


def atan(a) -> Expr:
    return make("atan", a)


def fabs(a) -> Expr:
    return make("abs", a)


def fma(a, b, c) -> Expr:
    """``a*b + c`` as one operation (one vertex of a straight-line program; evaluated as ``a*b + c``)."""
    return make("fma", a, b, c)


# queries ----------------------------------------------------------------------------------------------------------
def subterms(e: Expr) -> list[Expr]:
    """All distinct subterms of ``e`` in post-order (children before parents), each once."""
    seen: set[int] = set()
    out: list[Expr] = []
    stack = [(e, False)]
    while stack:
        t, done = stack.pop()
        if done:
            out.append(t)
            continue
        if id(t) in seen:
            continue
        seen.add(id(t))
        stack.append((t, True))
        for c in reversed(t.args):
            if id(c) not in seen:
                stack.append((c, False))
    return out


def variables_of(e: Expr) -> list[str]:
    """Sorted names of the variables in ``e``."""
    return sorted({t.value for t in subterms(e) if t.op == "var"})


def params_of(e: Expr) -> list[int]:
    """Sorted indices of the fittable parameters in ``e``."""
    return sorted({t.value for t in subterms(e) if t.op == "param"})


def complexity(e: Expr, kind: str = "nodes") -> int:
    """Size of ``e``: ``"nodes"`` (tree node count, shared subterms counted at every use: the conjecture
    record's ``complexity``) or ``"dag"`` (distinct subterms: the cost of a straight-line program)."""
    if kind == "nodes":
        return e.size
    if kind == "dag":
        return len(subterms(e))
    raise ValueError(f"complexity kind must be 'nodes' or 'dag', got {kind!r}")
