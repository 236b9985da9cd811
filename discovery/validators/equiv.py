"""Validator for simplifications (``check = {"type": "equiv", "lhs", "rhs", "assume"}``).

Both sides are SymPy expressions in the same variables.  They are evaluated with mpmath at 16 random points of the
domain (magnitudes $10^{-2}$ to $10^{2}$, both signs; positive only under ``assume="positive"``) at
``2*digits + 20`` significant digits, so intermediate cancellation cannot fake or hide agreement.  At each point
where both sides are real and defined, the agreeing digits are $-\\log_{10}(|l-r|/\\max(|l|,|r|))$ (full agreement
when both are below $10^{-(digits+5)}$, i.e. zero at that precision).  The claim is validated when at least 8 points
were usable and the worst point agrees to ``digits``.  ``Verdict.digits`` is that worst agreement.
"""

from __future__ import annotations

import random

import mpmath

from discovery.validate import Verdict

__all__ = ["validate", "check_equivalent", "N_POINTS", "MIN_POINTS"]

N_POINTS = 16
MIN_POINTS = 8


def _parse(text: str):
    from search.egraph.convert import parse_sympy

    return parse_sympy(text)


def _point(rng: random.Random, positive: bool):
    mag = mpmath.mpf(10) ** rng.uniform(-2, 2)
    return mag if positive or rng.random() < 0.5 else -mag


def check_equivalent(lhs: str, rhs: str, digits: int, assume: str | None = None, seed: int = 0) -> Verdict:
    """Do ``lhs`` and ``rhs`` agree to ``digits`` at random points?  (See the module docstring.)"""
    import sympy as sp

    left, right = _parse(lhs), _parse(rhs)
    syms = sorted(left.free_symbols | right.free_symbols, key=lambda s: s.name)
    positive = assume == "positive"
    dps = 2 * digits + 20
    with mpmath.workdps(dps):
        fl = sp.lambdify(syms, left, "mpmath")
        fr = sp.lambdify(syms, right, "mpmath")
    rng = random.Random(seed)
    worst = float(digits)
    used = 0
    tiny = mpmath.mpf(10) ** -(digits + 5)
    with mpmath.workdps(dps):
        for _ in range(N_POINTS * 4):
            if used >= N_POINTS:
                break
            args = [_point(rng, positive or bool(s.is_positive)) for s in syms]
            try:
                a, b = fl(*args), fr(*args)
            except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                continue
            try:
                if isinstance(a, mpmath.mpc) or isinstance(b, mpmath.mpc):
                    if abs(mpmath.im(a)) > tiny or abs(mpmath.im(b)) > tiny:
                        continue  # outside the real domain of one side
                    a, b = mpmath.re(a), mpmath.re(b)
                a, b = mpmath.mpf(a), mpmath.mpf(b)
            except (TypeError, ValueError):
                continue
            if not (mpmath.isfinite(a) and mpmath.isfinite(b)):
                continue
            used += 1
            scale = max(abs(a), abs(b))
            diff = abs(a - b)
            if diff == 0 or scale < tiny:
                got = float(digits)
            else:
                got = float(min(digits, max(0, -mpmath.log10(diff / scale))))
            worst = min(worst, got)
    if used < MIN_POINTS:
        return Verdict(validated=False, digits=None, note=f"only {used} usable points in the real domain")
    return Verdict(validated=worst >= digits, digits=round(worst, 2),
                   note="" if worst >= digits else f"sides differ: {worst:.1f} digits at worst of {used} points")


def validate(candidate, digits: int) -> Verdict:
    check = candidate.check or {}
    return check_equivalent(check.get("lhs", candidate.lhs), check.get("rhs", candidate.rhs), digits,
                            check.get("assume"))
