"""Validator for PCF conjectures: recompute the continued fraction's limit at the validation precision.

``check = {"type": "pcf", "a_coeffs": [...], "b_coeffs": [...], "lhs": EXPR, "depth": N, "max_depth": M}``.
The limit is recomputed from exact integer convergents $p_N/q_N$; the depth is raised fourfold (up to
``max_depth``) until the convergence extrapolation from $N/4$, $N/2$ predicts ``digits + 2`` correct digits.
``lhs`` is evaluated with mpmath at ``digits + 10``.  The claim is validated only when they agree to ``digits``.
A fraction that converges too slowly to deliver them is stored as rejected with the digits it does reach at the
largest depth (a true but slow formula stays a conjecture: the evidence is weaker than the validation precision),
and the note says so.
"""

from __future__ import annotations

import mpmath

from discovery.validate import GUARD_DIGITS, Verdict, agreeing_digits

__all__ = ["validate"]


def validate(candidate, digits: int) -> Verdict:
    from discovery.constants import evaluate
    from discovery.validators.scf import constant_value
    from search.constants.pcf import refine_pcf

    check = candidate.check or {}
    a = [int(v) for v in check["a_coeffs"]]
    b = [int(v) for v in check["b_coeffs"]]
    lhs = check.get("lhs", candidate.lhs)
    depth = max(1000, int(check.get("depth", 1000)))
    max_depth = max(depth, int(check.get("max_depth", 4 * depth)))
    dps = digits + GUARD_DIGITS
    mob = check.get("moebius")
    if mob and check.get("target"):
        c = constant_value(check["target"], dps + 5)
        with mpmath.workdps(dps + 5):
            al, be, ga, ep = (int(v) for v in mob)
            target = (al + be * c) / (ga + ep * c)
    else:
        target = evaluate(lhs, dps)
    while True:
        info = refine_pcf(a, b, depth)
        if not info.get("ok"):
            return Verdict(validated=False, note=f"PCF has no value at depth {depth}: {info.get('reason')}")
        pred = info["predicted_digits"]
        if pred >= digits + 2 or depth * 4 > max_depth:
            break
        depth *= 4
    with mpmath.workdps(dps):
        x = mpmath.mpf(info["p"]) / mpmath.mpf(info["q"])
    got = agreeing_digits(x, target, dps)
    if pred >= digits + 2:
        return Verdict(validated=got >= digits, digits=round(min(got, float(digits)), 2),
                       note="" if got >= digits else f"PCF at depth {depth} agrees to {got:.1f} digits only")
    note = (f"slow convergence: the PCF delivers about {pred:.1f} digits at depth {depth}, "
            f"agrees to {got:.1f}; {digits} required for validation")
    return Verdict(validated=False, digits=round(got, 2), note=note)
