"""High-precision validation of candidates.

A candidate is ``validated`` only after a validator has re-evaluated it with mpmath at the validation precision
(``digits``; evaluation at ``digits + 10``).  ``Candidate.check = {"type": NAME, ...}`` picks the validator:
``expr`` is built in (both sides are expressions in the named constants); others live in
``discovery/validators/NAME.py`` and define ``validate(candidate, digits) -> Verdict``.
Precision changes only inside ``mpmath.workdps`` blocks.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass

import mpmath

from discovery.errors import UserError

__all__ = ["Verdict", "validate", "agreeing_digits", "validate_expr", "GUARD_DIGITS"]

#: Extra digits carried when evaluating at the validation precision.
GUARD_DIGITS = 10


@dataclass
class Verdict:
    """The outcome of a high-precision check."""

    validated: bool
    digits: float | None = None
    max_rel_error: float | None = None
    note: str = ""


def agreeing_digits(a, b, dps: int) -> float:
    """How many significant decimal digits ``a`` and ``b`` share, capped at ``dps``."""
    with mpmath.workdps(dps + 5):
        a, b = mpmath.mpf(a), mpmath.mpf(b)
        diff = abs(a - b)
        scale = max(abs(a), abs(b))
        if diff == 0:
            return float(dps)
        if scale == 0:
            return 0.0
        return float(min(dps, max(0.0, -mpmath.log10(diff / scale))))


_DECIMAL = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")


def decimal_digits(text: str) -> int | None:
    """Significant digits of a decimal literal, or ``None`` if ``text`` is not one."""
    if not _DECIMAL.match(text):
        return None
    mantissa = re.split(r"[eE]", text.strip().lstrip("+-"))[0].replace(".", "").lstrip("0")
    return max(1, len(mantissa))


def _side(text: str, dps: int):
    from discovery.constants import evaluate

    if decimal_digits(text) is not None:
        with mpmath.workdps(dps):
            return mpmath.mpf(text.strip()), decimal_digits(text)
    return evaluate(text, dps), None


def validate_expr(lhs: str, rhs: str, digits: int) -> Verdict:
    """Both sides are expressions in the named constants (or a decimal literal): do they agree to ``digits``?

    A decimal literal carries only its own digits; then agreement to all but the last two of them is required,
    and the note says so.
    """
    dps = digits + GUARD_DIGITS
    left, left_avail = _side(lhs, dps)
    right, right_avail = _side(rhs, dps)
    avail = min(x for x in (left_avail, right_avail, dps) if x is not None)
    got = agreeing_digits(left, right, avail)
    need = digits if avail >= digits + 2 else max(1, avail - 2)
    note = "" if need == digits else f"input carries only {avail} digits; required {need}"
    return Verdict(validated=got >= need, digits=round(got, 2), note=note)


def _validate_expr_candidate(candidate, digits: int) -> Verdict:
    check = candidate.check
    return validate_expr(check.get("lhs", candidate.lhs), check.get("rhs", candidate.rhs), digits)


def validate(candidate, digits: int = 50) -> Verdict:
    """Run the candidate's validator; a candidate with no ``check`` is left unchecked (never validated)."""
    if digits is None or digits <= 0:
        raise UserError(f"--digits must be positive, got {digits}")
    check = candidate.check
    if not check:
        return Verdict(validated=False, digits=candidate.digits, max_rel_error=candidate.max_rel_error,
                       note="no high-precision check available")
    kind = check.get("type")
    if kind == "expr":
        return _validate_expr_candidate(candidate, digits)
    if not kind or not re.fullmatch(r"[a-z_][a-z0-9_]*", kind):
        raise ValueError(f"bad validator type {kind!r}")
    module = importlib.import_module(f"discovery.validators.{kind}")
    return module.validate(candidate, digits)
