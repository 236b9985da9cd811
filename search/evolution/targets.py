"""Targets for approximation: a function of one real variable, its high-precision reference, and its checks.

A target is named (``exp``, ``exp2``, ``log1p``, ``tanh``, ``erf``, ``sin``, ``cos``, ``log_iv:V``, ``log_kv:V``)
or is any mpmath expression in ``x`` (``exp(-x)*cos(x)``).  Reference values are computed with mpmath at
``dps >= 30`` and kept as a double-double pair (``hi + lo``), so the float64 relative error of a candidate is
measured against the reference to ~1e-32, not against a rounded double.

Relative error needs ``f != 0``: a target that vanishes *inside* the interval is rejected, one that vanishes at an
endpoint has that point dropped from the grids (the approximant must then reproduce the zero to keep its error finite
nearby).  A target with a pole, a complex value or a non-finite value on the interval is rejected.
"""

from __future__ import annotations

import ast
import functools
import math
from dataclasses import dataclass

import mpmath
import numpy as np

__all__ = [
    "NAMED_TARGETS",
    "Target",
    "Reference",
    "resolve_target",
    "parse_interval",
    "reference",
    "chebyshev_grid",
    "check_target",
    "library_kernel",
]

#: name -> (SymPy-style string for the conjecture's lhs, mpmath-expression string in x)
NAMED_TARGETS = {
    "exp": ("exp(x)", "exp(x)"),
    "exp2": ("2**x", "2**x"),
    "log1p": ("log(1 + x)", "log1p(x)"),
    "tanh": ("tanh(x)", "tanh(x)"),
    "erf": ("erf(x)", "erf(x)"),
    "sin": ("sin(x)", "sin(x)"),
    "cos": ("cos(x)", "cos(x)"),
}

# mpmath names an expression target may use (functions and constants); anything else is an "unknown name".
_MP_FUNCS = (
    "exp expm1 log log1p log10 sqrt cbrt sin cos tan sec csc cot sinh cosh tanh sech csch coth asin acos atan "
    "asinh acosh atanh erf erfc gamma loggamma rgamma digamma besseli besselk besselj bessely sinc lambertw "
    "zeta ei e1 li airyai airybi fabs sign power"
).split()
_MP_CONSTS = {"pi": mpmath.pi, "e": mpmath.e, "euler": mpmath.euler, "catalan": mpmath.catalan}
_ALIASES = {"abs": "fabs", "ln": "log", "exp2": None, "lgamma": "loggamma"}


def _mp_namespace() -> dict:
    ns = {name: getattr(mpmath, name) for name in _MP_FUNCS}
    ns["abs"] = mpmath.fabs
    ns["ln"] = mpmath.log
    ns["lgamma"] = mpmath.loggamma
    ns["exp2"] = lambda t: mpmath.power(2, t)
    ns["log_iv"] = lambda v, t: mpmath.log(mpmath.besseli(v, t))
    ns["log_kv"] = lambda v, t: mpmath.log(mpmath.besselk(v, t))
    ns.update(_MP_CONSTS)
    return ns


_ALLOWED_NODES = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.Call, ast.Name, ast.Constant, ast.Load,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd,
)


def _compile_expression(text: str):
    """Compile an mpmath expression in ``x`` after checking every node and name against a whitelist."""
    src = text.replace("^", "**")
    try:
        tree = ast.parse(src, mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"cannot parse target expression {text!r}: {exc.msg}") from None
    ns = _mp_namespace()
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ValueError(f"target expression {text!r} uses a disallowed construct ({type(node).__name__})")
        if isinstance(node, ast.Name) and node.id != "x" and node.id not in ns:
            raise ValueError(f"unknown name {node.id!r} in target expression {text!r}")
        if isinstance(node, ast.Call) and not isinstance(node.func, ast.Name):
            raise ValueError(f"target expression {text!r}: only plain function names may be called")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            raise ValueError(f"target expression {text!r}: only numeric literals are allowed")
    if not any(isinstance(n, ast.Name) and n.id == "x" for n in ast.walk(tree)):
        raise ValueError(f"target expression {text!r} does not depend on x")
    code = compile(tree, "<target>", "eval")

    def f(x):
        return eval(code, {"__builtins__": {}}, {**ns, "x": x})  # noqa: S307 - AST whitelisted above

    return f


@dataclass(frozen=True)
class Target:
    """A real function of ``x`` with an mpmath implementation.

    ``spec`` is the canonical text a user gave (``exp``, ``log_iv:1.5``, ``exp(-x)*cos(x)``); ``lhs`` is the SymPy-style
    statement of the function used in conjecture records.
    """

    spec: str
    lhs: str
    expr: str

    @functools.cached_property
    def _fn(self):
        return _compile_expression(self.expr)

    def mp(self, x):
        """The target at an mpmath number ``x`` (at the caller's working precision)."""
        return self._fn(x)

    def __reduce__(self):  # picklable without the compiled closure
        return (Target, (self.spec, self.lhs, self.expr))


def resolve_target(spec: str) -> Target:
    """Turn a user's target text into a :class:`Target`; raises ``ValueError`` for unknown names or bad syntax."""
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError("empty target: give a name (exp, exp2, log1p, tanh, erf, sin, cos, log_iv:V, log_kv:V) "
                         "or an mpmath expression in x")
    s = spec.strip()
    if s in NAMED_TARGETS:
        lhs, expr = NAMED_TARGETS[s]
        t = Target(s, lhs, expr)
    elif s.split(":")[0] in ("log_iv", "log_kv") and ":" in s:
        name, _, order = s.partition(":")
        try:
            v = float(order)
        except ValueError:
            raise ValueError(f"bad order {order!r} in target {s!r}: expected e.g. {name}:1.5") from None
        if not math.isfinite(v):
            raise ValueError(f"bad order {order!r} in target {s!r}")
        fn = "besseli" if name == "log_iv" else "besselk"
        t = Target(s, f"log({fn}({v!r}, x))", f"log({fn}({v!r}, x))")
    elif s in ("log_iv", "log_kv"):
        raise ValueError(f"target {s!r} needs a fixed order, e.g. {s}:1.5")
    else:
        if s.isidentifier() and s != "x":
            raise ValueError(f"unknown target name {s!r}: expected exp, exp2, log1p, tanh, erf, sin, cos, "
                             "log_iv:V, log_kv:V or an mpmath expression in x")
        t = Target(s, s.replace("^", "**"), s)
    _ = t._fn  # compile now so bad expressions fail here
    return t


def parse_interval(interval) -> tuple[float, float]:
    """``"A,B"`` or a pair -> ``(a, b)`` with ``a < b`` finite; raises ``ValueError`` otherwise."""
    if isinstance(interval, str):
        parts = [p.strip() for p in interval.split(",")]
        if len(parts) != 2:
            raise ValueError(f"bad interval {interval!r}: expected A,B")
        try:
            a, b = (float(mpmath.mpf(p)) if p else float("nan") for p in parts)
        except (ValueError, TypeError):
            raise ValueError(f"bad interval {interval!r}: expected two numbers A,B") from None
    else:
        try:
            a, b = (float(v) for v in interval)
        except (TypeError, ValueError):
            raise ValueError(f"bad interval {interval!r}: expected two numbers (a, b)") from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise ValueError(f"bad interval [{a}, {b}]: endpoints must be finite")
    if not a < b:
        raise ValueError(f"empty interval [{a}, {b}]: need A < B")
    return a, b


def chebyshev_grid(a: float, b: float, n: int) -> np.ndarray:
    """``n`` Chebyshev extremal points on ``[a, b]`` (endpoints included, clustered towards the ends), increasing."""
    k = np.arange(n)
    t = -np.cos(np.pi * k / (n - 1))
    x = 0.5 * (a + b) + 0.5 * (b - a) * t
    x[0], x[-1] = a, b
    return x


@dataclass(frozen=True)
class Reference:
    """Reference values on a grid: ``f(x) = hi + lo`` to ~32 digits, as float64 arrays; ``ref32`` is f rounded
    correctly to float32 (for ULP errors)."""

    x: np.ndarray
    hi: np.ndarray
    lo: np.ndarray
    ref32: np.ndarray

    def rel_error(self, y: np.ndarray) -> np.ndarray:
        """Signed relative error of float64 values ``y`` against the reference (NaN stays NaN)."""
        return ((y - self.hi) - self.lo) / self.hi

    def ulp_error(self, y32: np.ndarray) -> np.ndarray:
        """Error of float32 values in units in the last place of the correctly rounded float32 result."""
        y = np.asarray(y32, dtype=np.float64)
        ulp = np.spacing(np.abs(self.ref32).astype(np.float32)).astype(np.float64)
        return np.abs(y - (self.hi + self.lo)) / ulp


def _mp_values(target: Target, xs: np.ndarray, dps: int) -> list:
    out = []
    with mpmath.workdps(dps):
        for xv in xs:
            try:
                v = target.mp(mpmath.mpf(float(xv)))
            except ZeroDivisionError:
                raise ValueError(f"target {target.spec} has a pole at x = {float(xv)!r}") from None
            except (ValueError, OverflowError) as exc:
                raise ValueError(f"target {target.spec} cannot be evaluated at x = {float(xv)!r} ({exc})") from None
            if isinstance(v, mpmath.mpc):
                if v.imag != 0:
                    raise ValueError(f"target {target.spec} is complex at x = {float(xv)!r}")
                v = v.real
            if not mpmath.isfinite(v):
                raise ValueError(f"target {target.spec} has a pole or is not finite at x = {float(xv)!r}")
            out.append(+v)
    return out


def check_target(target: Target, a: float, b: float, dps: int = 30) -> None:
    """Reject targets with a pole, a complex or non-finite value, or a zero strictly inside ``[a, b]``."""
    n = 257
    xs = np.linspace(a, b, n)
    with mpmath.workdps(dps):
        vals = _mp_values(target, xs, dps)
        mags = [abs(v) for v in vals]
        finite_mags = [float(m) for m in mags]
        scale = max(finite_mags) if max(finite_mags) > 0 else 1.0
        # Sign changes: bisect to tell a zero (|f| shrinks) from an odd pole (|f| grows).
        for i in range(n - 1):
            fa, fb = vals[i], vals[i + 1]
            if fa == 0 or fb == 0 or (fa > 0) == (fb > 0):
                continue
            lo_, hi_ = mpmath.mpf(float(xs[i])), mpmath.mpf(float(xs[i + 1]))
            flo = fa
            for _ in range(50):
                mid = (lo_ + hi_) / 2
                fm = _mp_values(target, np.array([float(mid)]), dps)[0]
                if fm == 0:
                    break
                if (fm > 0) == (flo > 0):
                    lo_, flo = mid, fm
                else:
                    hi_ = mid
            fm_end = max(abs(flo), abs(_mp_values(target, np.array([float(hi_)]), dps)[0]))
            if fm_end > 1e6 * scale:
                raise ValueError(f"target {target.spec} has a pole inside [{a}, {b}] near x = {float(mid):.6g}")
            raise ValueError(f"target {target.spec} has a zero inside [{a}, {b}] near x = {float(mid):.6g}: "
                             "relative error is undefined there")
        # Even-order poles: maximise |f| around its largest sample by ternary search; near a pole it blows up.
        j = int(np.argmax(finite_mags))
        peak = finite_mags[j]
        lo_, hi_ = mpmath.mpf(float(xs[max(j - 1, 0)])), mpmath.mpf(float(xs[min(j + 1, n - 1)]))
        top = peak
        for _ in range(60):
            m1, m2 = lo_ + (hi_ - lo_) / 3, hi_ - (hi_ - lo_) / 3
            f1, f2 = (float(abs(v)) for v in _mp_values(target, np.array([float(m1), float(m2)]), dps))
            top = max(top, f1, f2)
            if f1 < f2:
                lo_ = m1
            else:
                hi_ = m2
            if top > 1e6 * peak:
                raise ValueError(f"target {target.spec} has a pole inside [{a}, {b}] near x = {float(m1):.6g}")
        # Interior exact zeros that the grid hit.
        for i in range(1, n - 1):
            if vals[i] == 0:
                raise ValueError(f"target {target.spec} has a zero inside [{a}, {b}] at x = {xs[i]:.6g}: "
                                 "relative error is undefined there")


@functools.lru_cache(maxsize=64)
def _reference_cached(spec: str, a: float, b: float, n: int, dps: int, kind: str, dtype: str) -> Reference:
    target = resolve_target(spec)
    if kind == "chebyshev":
        xs = chebyshev_grid(a, b, n)
    elif kind == "mixed":  # half Chebyshev, half uniform: a grid unlike either of the search's grids
        xs = np.unique(np.concatenate([chebyshev_grid(a, b, n // 2), np.linspace(a, b, n - n // 2)]))
    else:
        xs = np.linspace(a, b, n)
    if dtype == "float32":  # float32 programs take float32 arguments: the grid must be representable
        xs = np.unique(np.clip(xs.astype(np.float32), np.float32(a), np.float32(b)).astype(np.float64))
        xs = xs[(xs >= a) & (xs <= b)]
    vals = _mp_values(target, xs, dps)
    keep = np.array([v != 0 for v in vals])
    xs = xs[keep]
    vals = [v for v, k in zip(vals, keep) if k]
    hi = np.array([float(v) for v in vals])
    with mpmath.workdps(dps):
        lo = np.array([float(v - mpmath.mpf(h)) for v, h in zip(vals, hi)])
    with mpmath.workprec(24):
        r32 = np.array([float(+v) for v in vals], dtype=np.float64)
    for arr in (xs, hi, lo, r32):
        arr.setflags(write=False)
    return Reference(xs, hi, lo, r32.astype(np.float32))


def reference(target: Target | str, interval, n: int = 1024, dps: int = 30, kind: str = "chebyshev",
              dtype: str = "float64") -> Reference:
    """Reference values of ``target`` on an ``n``-point grid of ``interval`` at ``dps >= 30`` digits (cached).

    ``kind`` is ``"chebyshev"`` (clustered at the ends, where minimax errors peak), ``"uniform"`` or ``"mixed"``;
    ``dtype="float32"`` rounds the grid to float32-representable points.
    """
    spec = target.spec if isinstance(target, Target) else resolve_target(target).spec
    a, b = parse_interval(interval)
    if dps < 30:
        raise ValueError(f"reference precision must be at least 30 digits, got {dps}")
    return _reference_cached(spec, a, b, int(n), int(dps), kind, dtype)


def library_kernel(target: Target | str):
    """The project's own float64 kernel for a target, where ``numerics`` has one: ``log_iv:V`` and ``log_kv:V`` map
    to ``numerics.log_iv(V, x)`` / ``numerics.log_kv(V, x)``.  Returns ``(name, f)`` or ``None``."""
    spec = target.spec if isinstance(target, Target) else resolve_target(target).spec
    name, _, order = spec.partition(":")
    if name not in ("log_iv", "log_kv") or not order:
        return None
    try:
        from numerics import bessel
    except ImportError:  # numerics without the log-Bessel kernels
        return None
    fn = getattr(bessel, name, None)
    if fn is None:
        return None
    v = float(order)
    return f"numerics.{name}({v!r}, x)", (lambda x: fn(v, np.asarray(x, dtype=np.float64)))
