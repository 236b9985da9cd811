"""Evaluate e-graph terms and rule patterns with mpmath over the reals (for soundness checks).

``eval_mp(t, env)`` returns an ``mpf`` or ``None`` where the term is undefined in the reals (division by zero, log of
a non-positive number, a negative base to a non-integer power, a complex intermediate, an overflow).
"""

from __future__ import annotations

import mpmath

__all__ = ["eval_mp", "UNARY_MP"]

UNARY_MP = {
    "neg": lambda a: -a,
    "sqrt": lambda a: mpmath.sqrt(a) if a >= 0 else None,
    "exp": mpmath.exp,
    "log": lambda a: mpmath.log(a) if a > 0 else None,
    "sin": mpmath.sin,
    "cos": mpmath.cos,
    "tan": lambda a: mpmath.tan(a) if mpmath.cos(a) != 0 else None,
    "tanh": mpmath.tanh,
    "sinh": mpmath.sinh,
    "cosh": mpmath.cosh,
    "asin": lambda a: mpmath.asin(a) if -1 <= a <= 1 else None,
    "acos": lambda a: mpmath.acos(a) if -1 <= a <= 1 else None,
    "atan": mpmath.atan,
    "asinh": mpmath.asinh,
    "acosh": lambda a: mpmath.acosh(a) if a >= 1 else None,
    "atanh": lambda a: mpmath.atanh(a) if -1 < a < 1 else None,
    "abs": abs,
    "log1p": lambda a: mpmath.log1p(a) if a > -1 else None,
    "expm1": mpmath.expm1,
}


# Values beyond about 10**4000 count as overflow (undefined): astronomically large arguments of exp or powers
# would otherwise ask gmpy2 for numbers with gigabytes of digits.
_BIG = 1e4


def _pow(a, b):
    if a == 0:
        return mpmath.mpf(1) if b == 0 else (mpmath.mpf(0) if b > 0 else None)
    if a < 0 and b != mpmath.floor(b):
        return None
    if abs(b) * abs(mpmath.log(abs(a))) > _BIG:
        return None
    return mpmath.power(a, b)


def eval_mp(t: tuple, env: dict):
    """Value of a term or pattern at ``env`` (variable name -> mpf), or None if undefined over the reals."""
    op = t[0]
    if op == "#":
        return mpmath.mpf(t[1].numerator) / t[1].denominator
    if op == "?" or op == "$":
        return env[t[1]]
    if op == "f":
        return mpmath.mpf(t[1])
    if op == "K":
        return {"pi": mpmath.pi, "e": mpmath.e}[t[1]] + 0
    args = []
    for k in t[1:]:
        v = eval_mp(k, env)
        if v is None:
            return None
        args.append(v)
    try:
        if op == "+":
            r = args[0] + args[1]
        elif op == "-":
            r = args[0] - args[1]
        elif op == "*":
            r = args[0] * args[1]
        elif op == "/":
            r = None if args[1] == 0 else args[0] / args[1]
        elif op == "^":
            r = _pow(args[0], args[1])
        elif op in UNARY_MP:
            if op in ("exp", "sinh", "cosh", "expm1") and abs(args[0]) > _BIG:
                return None
            if op in ("sin", "cos", "tan") and abs(args[0]) > 1e30:
                return None
            r = UNARY_MP[op](args[0])
        else:
            raise ValueError(f"no mpmath evaluation for operator {op!r}")
    except (ZeroDivisionError, OverflowError, ValueError) as exc:
        if "no mpmath evaluation" in str(exc):
            raise
        return None
    if r is None or isinstance(r, mpmath.mpc) or not mpmath.isfinite(r):
        return None
    return r
