"""The registry of named constants (``data/constants.json``) and evaluation of expressions in them.

Each constant has a SymPy form (or none: then it is an opaque symbol such as ``khinchin``), a LaTeX form and an mpmath
expression evaluated at any precision.  Expressions typed by users (``(pi**2 - 4*log2)/5``, ``8*catalan/pi``,
``tan(1)``) are parsed with SymPy, with the registry names bound, and evaluated with mpmath.
"""

from __future__ import annotations

import difflib
import functools
import json
from dataclasses import dataclass
from pathlib import Path

import mpmath

from discovery.errors import UserError

__all__ = [
    "Constant",
    "registry_path",
    "names",
    "get",
    "mp_value",
    "sympy_locals",
    "parse",
    "evaluate",
    "to_mpmath",
    "close_matches",
]


def registry_path() -> Path:
    """The registry file: ``data/constants.json`` at the project root (or its installed copy)."""
    import sys

    source = Path(__file__).resolve().parent.parent / "data" / "constants.json"
    if source.exists():
        return source
    return Path(sys.prefix) / "share" / "discovery-workbench" / "data" / "constants.json"


@dataclass(frozen=True)
class Constant:
    """A named constant: its SymPy form (``None`` for an opaque symbol), LaTeX, and mpmath expression."""

    name: str
    sympy: str | None
    latex: str
    mpmath: str
    description: str


@functools.cache
def _registry() -> dict[str, Constant]:
    raw = json.loads(registry_path().read_text())
    return {
        name: Constant(name, entry["sympy"], entry["latex"], entry["mpmath"], entry.get("description", ""))
        for name, entry in raw.items()
        if not name.startswith("_")
    }


def names() -> list[str]:
    """All registry names, sorted."""
    return sorted(_registry())


def close_matches(name: str) -> list[str]:
    return difflib.get_close_matches(name, names(), n=4, cutoff=0.5)


def _unknown(name: str) -> UserError:
    near = close_matches(name)
    hint = f"; did you mean {', '.join(near)}?" if near else f"; known constants: {', '.join(names())}"
    return UserError(f"unknown constant {name!r}{hint}")


def get(name: str) -> Constant:
    """The registry entry for ``name``; an unknown name raises ``UserError`` listing the close matches."""
    try:
        return _registry()[name]
    except KeyError:
        raise _unknown(name) from None


_MP_NAMESPACE = {k: getattr(mpmath, k) for k in dir(mpmath) if not k.startswith("_")}


@functools.lru_cache(maxsize=512)
def mp_value(name: str, dps: int) -> mpmath.mpf:
    """The constant ``name`` evaluated with mpmath at ``dps`` decimal digits (cached)."""
    const = get(name)
    with mpmath.workdps(dps + 5):
        value = eval(const.mpmath, {"__builtins__": {}}, dict(_MP_NAMESPACE))  # noqa: S307 - our own registry file
        value = mpmath.mpf(value)
    with mpmath.workdps(dps):
        return +value


@functools.cache
def sympy_locals() -> dict:
    """Names bound when parsing user expressions: every registry name to its SymPy form (or an opaque symbol)."""
    import sympy

    table = {}
    for name, const in _registry().items():
        table[name] = sympy.Symbol(name, positive=True) if const.sympy is None else sympy.sympify(const.sympy)
    return table


def _opaque_symbols() -> dict:
    return {name: sym for name, sym in sympy_locals().items() if get(name).sympy is None}


def parse(text: str, allowed_symbols: tuple[str, ...] = ()):
    """Parse an expression in the named constants into SymPy; unknown names raise ``UserError``."""
    import sympy
    from sympy.parsing.sympy_parser import parse_expr, standard_transformations

    if not isinstance(text, str) or not text.strip():
        raise UserError("empty expression")
    local = dict(sympy_locals())
    for s in allowed_symbols:
        local[s] = sympy.Symbol(s)
    try:
        expr = parse_expr(text, local_dict=local, transformations=standard_transformations, evaluate=True)
    except Exception as exc:  # SymPy raises many types for bad syntax
        raise UserError(f"cannot parse expression {text!r}: {type(exc).__name__}") from None
    if not isinstance(expr, sympy.Basic):
        raise UserError(f"cannot parse expression {text!r}")
    opaque = set(_opaque_symbols().values())
    for sym in expr.free_symbols:
        if sym not in opaque and sym.name not in allowed_symbols:
            raise _unknown(sym.name)
    for fn in expr.atoms(sympy.Function):
        if isinstance(fn, sympy.core.function.AppliedUndef):
            raise UserError(f"unknown function {type(fn).__name__!r} in {text!r}")
    return expr


def to_mpmath(expr, dps: int, values: dict | None = None) -> mpmath.mpf:
    """Evaluate a SymPy expression with mpmath at ``dps`` digits; opaque constants get their registry values."""
    import sympy

    if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise UserError(f"expression {expr} is not finite")
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    try:
        fn = sympy.lambdify(symbols, expr, modules="mpmath")
    except Exception as exc:  # an expression SymPy cannot turn into mpmath code
        raise UserError(f"cannot evaluate {expr}: {type(exc).__name__}") from None
    with mpmath.workdps(dps):
        args = []
        for s in symbols:
            if values and s.name in values:
                args.append(values[s.name])
            else:
                args.append(mp_value(s.name, dps))
        try:
            result = fn(*args)
        except (ZeroDivisionError, ValueError, TypeError, OverflowError) as exc:
            raise UserError(f"cannot evaluate {expr}: {exc}") from None
        result = mpmath.mpmathify(result)
        if isinstance(result, mpmath.mpc):
            if abs(result.imag) > mpmath.mpf(10) ** (-dps + 5) * max(1, abs(result.real)):
                raise UserError(f"expression {expr} is not real")
            result = result.real
        return +mpmath.mpf(result)


def evaluate(expr, dps: int) -> mpmath.mpf:
    """Evaluate an expression (a string in the named constants, or SymPy) at ``dps`` digits."""
    if isinstance(expr, str):
        text = expr
        try:
            return to_mpmath(parse(text), dps)
        except UserError as exc:
            msg = str(exc)
            raise UserError(msg if text in msg else f"{text!r}: {msg}") from None
    return to_mpmath(expr, dps)
