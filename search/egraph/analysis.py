"""The e-class analysis: exact rational constants, a real interval and a sign set per e-class.

Every e-class carries one ``Data`` value, a sound over-approximation of the set of real values its terms take over
the domain of the variables (all reals by default, $(0, \\infty)$ under ``assume="positive"``):

* ``const``: a :class:`fractions.Fraction` when the class is provably that rational constant (constant folding);
* ``lo, hi``: a closed float interval $[lo, hi] \\ni v$, computed with outward rounding (``math.nextafter``);
* ``signs``: a subset of $\\{-, 0, +\\}$ (bit mask), which keeps strictness that closed intervals lose
  ($e^x > 0$ although its interval is $[0, \\infty]$).

Merging two classes intersects their facts (all terms in a class are equal, so each fact holds for all of them).
The sign lattice is finite; intervals may narrow repeatedly along cycles, so the e-graph caps the number of
re-propagations per class (stopping early keeps a wider, still sound interval).

Semantics of partial functions: a term's value is taken where it is defined over the reals; ``log`` of a class
known to be $\\le 0$ everywhere gives no information rather than an empty set, so an undefined input never makes a
guard vacuously true.
"""

from __future__ import annotations

import math
from fractions import Fraction

__all__ = [
    "Data",
    "NEG",
    "ZERO",
    "POS",
    "ALL",
    "TOP",
    "make_leaf",
    "make_node",
    "merge",
    "from_interval",
    "MAX_FOLD_BITS",
]

NEG, ZERO, POS = 1, 2, 4
ALL = NEG | ZERO | POS
INF = math.inf

#: Constant folding refuses results whose numerator or denominator exceeds this many bits.
MAX_FOLD_BITS = 256

# Data is a plain tuple (const, lo, hi, signs) for speed.
Data = tuple
TOP: Data = (None, -INF, INF, ALL)


def _dn(x: float) -> float:
    return math.nextafter(x, -INF) if math.isfinite(x) else x


def _up(x: float) -> float:
    return math.nextafter(x, INF) if math.isfinite(x) else x


def _const_data(c: Fraction) -> Data:
    f = float(c)
    if c > 0:
        s = POS
    elif c < 0:
        s = NEG
    else:
        s = ZERO
    if f == 0 and c != 0:  # underflow
        return (c, -5e-324 if c < 0 else 0.0, 0.0 if c < 0 else 5e-324, s)
    if Fraction(f) == c:
        return (c, f, f, s)
    return (c, _dn(f), _up(f), s)


def _reduce(const, lo: float, hi: float, s: int) -> Data:
    """Tighten intervals and signs against each other."""
    if const is not None:
        return _const_data(const)
    if lo > 0:
        s &= POS
    elif lo >= 0:
        s &= ZERO | POS
    if hi < 0:
        s &= NEG
    elif hi <= 0:
        s &= NEG | ZERO
    if s & ALL == 0 or lo > hi:
        # contradictory facts: the input is undefined everywhere (or a fact was wrong); claim nothing
        return TOP
    if not s & NEG:
        lo = max(lo, 0.0)
    if not s & POS:
        hi = min(hi, 0.0)
    if s == ZERO:
        return _const_data(Fraction(0))
    return (None, lo, hi, s)


def from_interval(lo: float, hi: float, s: int = ALL) -> Data:
    return _reduce(None, lo, hi, s)


def _fold_ok(c: Fraction) -> bool:
    return c.numerator.bit_length() <= MAX_FOLD_BITS and c.denominator.bit_length() <= MAX_FOLD_BITS


def _mulb(a: float, b: float) -> float:
    if a == 0 or b == 0:
        return 0.0
    return a * b


# sign tables: result signs of (sign a) op (sign b) for single-sign inputs
_ADD = {
    (NEG, NEG): NEG, (NEG, ZERO): NEG, (NEG, POS): ALL,
    (ZERO, NEG): NEG, (ZERO, ZERO): ZERO, (ZERO, POS): POS,
    (POS, NEG): ALL, (POS, ZERO): POS, (POS, POS): POS,
}
_MUL = {
    (NEG, NEG): POS, (NEG, ZERO): ZERO, (NEG, POS): NEG,
    (ZERO, NEG): ZERO, (ZERO, ZERO): ZERO, (ZERO, POS): ZERO,
    (POS, NEG): NEG, (POS, ZERO): ZERO, (POS, POS): POS,
}


def _sign_op(table, a: int, b: int) -> int:
    out = 0
    for x in (NEG, ZERO, POS):
        if a & x:
            for y in (NEG, ZERO, POS):
                if b & y:
                    out |= table[(x, y)]
    return out


def _neg_signs(s: int) -> int:
    return (POS if s & NEG else 0) | (s & ZERO) | (NEG if s & POS else 0)


def _mono(f, lo, hi, dom_lo=-INF, dom_hi=INF):
    """Image of an increasing function on [lo, hi] intersected with its domain, outward rounded."""
    lo2, hi2 = max(lo, dom_lo), min(hi, dom_hi)
    if lo2 > hi2:
        return -INF, INF
    try:
        a = f(lo2)
    except (OverflowError, ValueError):
        a = -INF if lo2 == dom_lo or lo2 < 0 else INF
    try:
        b = f(hi2)
    except (OverflowError, ValueError):
        b = INF
    return _dn(a), _up(b)


def _exp(x):
    if x == -INF:
        return 0.0
    if x == INF:
        return INF
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def _log(x):
    if x <= 0:
        return -INF
    if x == INF:
        return INF
    return math.log(x)


def _int_pow_interval(lo, hi, n):
    """[lo, hi]**n for a positive integer n."""
    def p(x):
        try:
            return x ** n if math.isfinite(x) else (INF if (x > 0 or n % 2 == 0) else -INF)
        except OverflowError:
            return INF if (x > 0 or n % 2 == 0) else -INF
    if n % 2 == 1:
        return _dn(p(lo)), _up(p(hi))
    if lo >= 0:
        return _dn(p(lo)), _up(p(hi))
    if hi <= 0:
        return _dn(p(hi)), _up(p(lo))
    return 0.0, _up(max(p(lo), p(hi)))


def _recip(lo, hi, s):
    if lo > 0 or hi < 0 or not (s & ZERO):
        if lo >= 0 or not (s & NEG):  # positive
            a = 1.0 / hi if hi not in (0.0, INF) else (0.0 if hi == INF else INF)
            b = 1.0 / lo if lo not in (0.0,) else INF
            return _dn(a), _up(b)
        if hi <= 0 or not (s & POS):  # negative
            a = 1.0 / hi if hi != 0.0 else -INF
            b = 1.0 / lo if lo != -INF else 0.0
            return _dn(a), _up(b)
    return -INF, INF


def _fold(op: str, cs: list) -> Fraction | None:
    """Exact rational constant folding; None where the result is not a (small) rational."""
    try:
        if op == "+":
            r = cs[0] + cs[1]
        elif op == "-":
            r = cs[0] - cs[1]
        elif op == "*":
            r = cs[0] * cs[1]
        elif op == "neg":
            r = -cs[0]
        elif op == "/":
            if cs[1] == 0:
                return None
            r = cs[0] / cs[1]
        elif op == "abs":
            r = abs(cs[0])
        elif op == "^":
            b, e = cs
            if e.denominator == 1:
                n = e.numerator
                if b == 0 and n <= 0:
                    return None
                if abs(n) * max(b.numerator.bit_length(), b.denominator.bit_length()) > MAX_FOLD_BITS:
                    return None
                r = b ** n
            else:
                if b < 0:
                    return None
                q = e.denominator
                num = _iroot(b.numerator, q)
                den = _iroot(b.denominator, q)
                if num is None or den is None:
                    return None
                return _fold("^", [Fraction(num, den), Fraction(e.numerator)])
        elif op == "sqrt":
            if cs[0] < 0:
                return None
            return _fold("^", [cs[0], Fraction(1, 2)])
        elif op in ("exp", "cos", "cosh") and cs[0] == 0:
            r = Fraction(1)
        elif op in ("sin", "tan", "sinh", "tanh", "atan", "asin", "log1p", "expm1", "asinh", "atanh") and cs[0] == 0:
            r = Fraction(0)
        elif op == "log" and cs[0] == 1:
            r = Fraction(0)
        elif op == "acos" and cs[0] == 1:
            r = Fraction(0)
        else:
            return None
    except (ZeroDivisionError, OverflowError):
        return None
    return r if _fold_ok(r) else None


def _iroot(n: int, q: int) -> int | None:
    """The exact integer q-th root of n >= 0, or None."""
    if n < 0:
        return None
    if n < 2:
        return n
    r = int(round(n ** (1.0 / q))) if n.bit_length() < 1000 else None
    if r is None:
        return None
    for c in (r - 1, r, r + 1):
        if c >= 0 and c ** q == n:
            return c
    return None


def make_leaf(node: tuple, assume_positive: bool, named_values: dict | None = None) -> Data:
    op = node[0]
    if op == "#":
        return _const_data(node[1])
    if op == "$":
        return (None, 0.0, INF, POS) if assume_positive else TOP
    if op in ("f", "K"):
        v = node[1] if op == "f" else (named_values or {}).get(node[1])
        if v is None or v != v:
            return TOP
        # two ulps either side: a float literal or a named constant's float value is within an ulp of the truth
        lo, hi = _dn(_dn(v)), _up(_up(v))
        return _reduce(None, lo, hi, POS if lo > 0 else (NEG if hi < 0 else ALL))
    return TOP


def make_node(op: str, kids: list) -> Data:
    """Analysis of an operator node from its children's data."""
    if kids and all(k[0] is not None for k in kids):
        c = _fold(op, [k[0] for k in kids])
        if c is not None:
            return _const_data(c)
    if op == "+" or op == "-":
        a, b = kids
        if op == "-":
            b = (None, -b[2], -b[1], _neg_signs(b[3]))
        return _reduce(None, _dn(a[1] + b[1]) if a[1] + b[1] == a[1] + b[1] else -INF,
                       _up(a[2] + b[2]) if a[2] + b[2] == a[2] + b[2] else INF,
                       _sign_op(_ADD, a[3], b[3]))
    if op == "neg":
        a = kids[0]
        return _reduce(None, -a[2], -a[1], _neg_signs(a[3]))
    if op == "*":
        a, b = kids
        ps = [_mulb(a[1], b[1]), _mulb(a[1], b[2]), _mulb(a[2], b[1]), _mulb(a[2], b[2])]
        return _reduce(None, _dn(min(ps)), _up(max(ps)), _sign_op(_MUL, a[3], b[3]))
    if op == "/":
        a, b = kids
        rlo, rhi = _recip(b[1], b[2], b[3])
        bs = b[3] & (NEG | POS)  # the divisor is nonzero wherever the quotient is defined
        ps = [_mulb(a[1], rlo), _mulb(a[1], rhi), _mulb(a[2], rlo), _mulb(a[2], rhi)]
        return _reduce(None, _dn(min(ps)), _up(max(ps)), _sign_op(_MUL, a[3], bs or ALL))
    if op == "^":
        a, e = kids
        ec = e[0]
        if ec is not None and ec.denominator == 1:
            n = ec.numerator
            if n == 0:
                return _const_data(Fraction(1))
            lo, hi = _int_pow_interval(a[1], a[2], abs(n))
            if n % 2 == 0:
                s = (POS if a[3] & (NEG | POS) else 0) | (ZERO if a[3] & ZERO else 0)
            else:
                s = a[3]
            if n < 0:
                s &= NEG | POS
                lo, hi = _recip(lo, hi, s or ALL)
            return _reduce(None, lo, hi, s or ALL)
        if ec is not None:
            # non-integer rational power: defined for a >= 0 (a > 0 if negative)
            p = float(ec)
            s = (a[3] & (ZERO | POS)) or (ZERO | POS)
            if ec < 0:
                s &= POS
                s = s or POS
            blo, bhi = max(a[1], 0.0), max(a[2], 0.0)

            def pw(x):
                if x == 0.0:
                    return 0.0 if p > 0 else INF
                if x == INF:
                    return INF if p > 0 else 0.0
                try:
                    return x ** p
                except OverflowError:
                    return INF
            if p > 0:
                lo, hi = _dn(pw(blo)), _up(pw(bhi))
            else:
                lo, hi = _dn(pw(bhi)), _up(pw(blo))
            return _reduce(None, lo, hi, s)
        if a[3] == POS:
            return _reduce(None, 0.0, INF, POS)
        if not a[3] & NEG:
            return _reduce(None, 0.0, INF, ZERO | POS)
        return TOP
    a = kids[0] if kids else TOP
    if op == "exp":
        lo, hi = _mono(_exp, a[1], a[2])
        return _reduce(None, max(lo, 0.0), hi, POS)
    if op == "expm1":
        lo, hi = _mono(lambda x: math.expm1(x) if math.isfinite(x) else (INF if x > 0 else -1.0), a[1], a[2])
        return _reduce(None, max(lo, -1.0), hi, a[3])
    if op == "log":
        if a[2] <= 0:
            return TOP
        lo, hi = _mono(_log, max(a[1], 0.0), a[2])
        s = ALL
        if a[1] >= 1:
            s = ZERO | POS
        return _reduce(None, lo, hi, s)
    if op == "log1p":
        if a[2] <= -1:
            return TOP
        lo, hi = _mono(lambda x: math.log1p(x) if x > -1 else -INF, max(a[1], -1.0), a[2])
        return _reduce(None, lo, hi, a[3])
    if op == "sqrt":
        if a[2] < 0:
            return TOP
        lo, hi = _mono(math.sqrt, max(a[1], 0.0), a[2])
        return _reduce(None, max(lo, 0.0), hi, (a[3] & (ZERO | POS)) or (ZERO | POS))
    if op == "abs":
        if a[1] >= 0:
            lo, hi = a[1], a[2]
        elif a[2] <= 0:
            lo, hi = -a[2], -a[1]
        else:
            lo, hi = 0.0, max(-a[1], a[2])
        return _reduce(None, lo, hi, (POS if a[3] & (NEG | POS) else 0) | (a[3] & ZERO))
    if op in ("sin", "cos"):
        return _reduce(None, -1.0, 1.0, ALL)
    if op == "tanh":
        lo, hi = _mono(math.tanh, a[1], a[2])
        return _reduce(None, max(lo, -1.0), min(hi, 1.0), a[3])
    if op == "atan":
        lo, hi = _mono(math.atan, a[1], a[2])
        return _reduce(None, max(lo, -1.5707963267948968), min(hi, 1.5707963267948968), a[3])
    if op == "sinh" or op == "asinh":
        f = math.sinh if op == "sinh" else math.asinh
        lo, hi = _mono(lambda x: f(x) if math.isfinite(x) else x, a[1], a[2])
        return _reduce(None, lo, hi, a[3])
    if op == "cosh":
        m = 0.0 if a[1] <= 0 <= a[2] else min(abs(a[1]), abs(a[2]))
        try:
            lo = math.cosh(m)
        except OverflowError:
            lo = INF
        return _reduce(None, max(_dn(lo), 1.0), INF, POS)
    return TOP


def merge(a: Data, b: Data) -> Data:
    """Combine two facts about the same class (intersection)."""
    if a == b:
        return a
    if a[0] is not None:
        return a
    if b[0] is not None:
        return b
    lo, hi, s = max(a[1], b[1]), min(a[2], b[2]), a[3] & b[3]
    if lo > hi or not s:
        # an inconsistency can only come from an undefined input; keep the older fact
        return a
    return _reduce(None, lo, hi, s)
