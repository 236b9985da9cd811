r"""Validator for signed continued fractions (ESMA): regenerate the partial denominators from their recurrence and
re-evaluate at the validation precision.

``check = {"type": "scf", "lhs": EXPR, "signs": [±1, ...], "connection": [c_0, ..., c_L], "initial":
[a_0, ..., a_{L-1}], "terms": N, "constant": TARGET, "numerator": [...], "denominator": [...]}``.

The terms $a_n$ are regenerated over $\mathbb{Z}$ from $\sum_j c_j a_{n-j} = 0$; the fraction
$a_0 + s_0/(a_1 + s_1/(a_2 + \dotsb))$ is evaluated exactly (integer convergents) at $N$ and $2N$ terms, $N$ growing
fourfold until both agree to ``digits + 10`` digits (or 64000 terms).  The left-hand side is $P(c)/Q(c)$ from
``constant``/``numerator``/``denominator`` when present (so targets that only mpmath knows, such as ``ellipk(0.5)``,
work), else ``lhs`` evaluated in the named constants.  Validated when both agree to ``digits``.
"""

from __future__ import annotations

import mpmath

from discovery.validate import GUARD_DIGITS, Verdict, agreeing_digits

__all__ = ["validate", "MAX_TERMS", "constant_value"]

#: The largest number of terms the validator evaluates before declaring non-convergence.
MAX_TERMS = 64000


def constant_value(expr: str, dps: int):
    """A target: a registry expression (``e``, ``pi**2/6``), or else an expression in mpmath's namespace."""
    from discovery.constants import evaluate
    from discovery.errors import UserError

    try:
        return evaluate(expr, dps)
    except UserError as first:
        namespace = {k: getattr(mpmath, k) for k in dir(mpmath) if not k.startswith("_")}
        try:
            with mpmath.workdps(dps):
                return +mpmath.mpf(eval(expr, {"__builtins__": {}}, namespace))  # noqa: S307 - no builtins
        except Exception:
            raise first from None


def _lhs_value(check: dict, lhs: str, dps: int):
    from discovery.constants import evaluate

    if check.get("constant") and check.get("numerator") and check.get("denominator"):
        c = constant_value(check["constant"], dps + 5)
        with mpmath.workdps(dps + 5):
            num = sum(int(a) * c ** (len(check["numerator"]) - 1 - i) for i, a in enumerate(check["numerator"]))
            den = sum(int(a) * c ** (len(check["denominator"]) - 1 - i) for i, a in enumerate(check["denominator"]))
            return +(num / den)
    return evaluate(lhs, dps)


def validate(candidate, digits: int) -> Verdict:
    from numerics.recurrence import recurrence_extend, signed_cf_convergents

    check = candidate.check or {}
    signs = [int(s) for s in check["signs"]]
    conn = [int(c) for c in check["connection"]]
    init = [int(a) for a in check["initial"]]
    if not signs or any(s not in (1, -1) for s in signs):
        return Verdict(validated=False, note=f"bad sign period {signs}")
    if len(init) != len(conn) - 1 or conn[0] not in (1, -1):
        return Verdict(validated=False, note="malformed recurrence (need c_0 = ±1 and L initial terms)")
    dps = digits + GUARD_DIGITS
    lhs = _lhs_value(check, check.get("lhs", candidate.lhs), dps)
    n = max(100, int(check.get("terms", 1000)))
    while True:
        terms = recurrence_extend(conn, init, 2 * n + 1)
        if any(t == 0 for t in terms[1:]):
            return Verdict(validated=False, note="a regenerated partial denominator is zero")
        p1, q1 = signed_cf_convergents(terms[: n + 1], signs)
        p2, q2 = signed_cf_convergents(terms, signs)
        if q1 == 0 or q2 == 0:
            return Verdict(validated=False, note="a convergent has q = 0")
        with mpmath.workdps(dps + 5):
            x1 = mpmath.mpf(p1) / mpmath.mpf(q1)
            x2 = mpmath.mpf(p2) / mpmath.mpf(q2)
        settled = agreeing_digits(x1, x2, dps)
        if settled >= dps or 4 * n > MAX_TERMS:
            break
        n *= 4
    got = agreeing_digits(x2, lhs, dps)
    if settled < digits:
        return Verdict(validated=False, digits=round(min(got, settled), 2),
                       note=f"the fraction settles to only {settled:.1f} digits at {2 * n} terms")
    return Verdict(validated=got >= digits, digits=round(min(got, float(digits)), 2),
                   note="" if got >= digits else f"agrees to {got:.1f} digits only")
