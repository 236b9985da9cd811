"""Validator for approximation programs (``check = {"type": "program", ...}``).

Re-parses the candidate's ``meta["program"]`` under the allowed-construct rule (one ``def approx(x):`` of
assignments with ``+ - * /`` on names and float literals, then a return), and re-measures its maximum relative error
on a fine grid that differs from the engine's (4096 points, half Chebyshev, half uniform) against the target
evaluated with mpmath at ``max(30, digits)`` digits:

* float64: the program is evaluated exactly in mpmath (its float literals taken as exact binary numbers), so the
  measured error is the real-number approximation error;
* float32: the program is evaluated in float32 arithmetic (NumPy) and also measured in ULPs of the correctly
  rounded float32 result.

The candidate is validated when the re-measured error does not exceed the claim by more than 10 %.  The stored
``max_rel_error`` is the larger of the claim and the re-measurement.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

from discovery.validate import Verdict

__all__ = ["validate", "GRID_POINTS"]

GRID_POINTS = 4096


def _measure(src: str, spec: str, interval, dtype: str, dps: int):
    from search.evolution.listing import eval_float, eval_mp, parse_python
    from search.evolution.targets import chebyshev_grid, resolve_target

    lst = parse_python(src)  # enforces the allowed-construct rule (ValueError otherwise)
    target = resolve_target(spec)
    a, b = float(interval[0]), float(interval[1])
    xs = np.unique(np.concatenate([chebyshev_grid(a, b, GRID_POINTS // 2), np.linspace(a, b, GRID_POINTS // 2)]))
    if dtype == "float32":
        xs = np.unique(xs.astype(np.float32).astype(np.float64))
        xs = xs[(xs >= a) & (xs <= b)]
    worst_rel, worst_ulp, where = 0.0, 0.0, None
    with mpmath.workdps(dps):
        if dtype == "float32":
            ys = eval_float(lst, xs.astype(np.float32), np.float32).astype(np.float64)
        else:
            ys = eval_mp(lst, xs)
        for xv, yv in zip(xs, ys):
            f = target.mp(mpmath.mpf(float(xv)))
            if isinstance(f, mpmath.mpc):
                f = f.real
            if f == 0:
                continue
            y = mpmath.mpf(float(yv)) if dtype == "float32" else yv
            if not mpmath.isfinite(y):
                return math.inf, math.inf, float(xv)
            rel = float(abs((y - f) / f))
            if rel > worst_rel:
                worst_rel, where = rel, float(xv)
            if dtype == "float32":
                with mpmath.workprec(24):
                    f32 = float(+f)
                ulp = float(np.spacing(np.float32(abs(f32))))
                worst_ulp = max(worst_ulp, float(abs(y - f)) / ulp)
    return worst_rel, worst_ulp, where


def validate(candidate, digits: int) -> Verdict:
    check = candidate.check or {}
    meta = candidate.meta or {}
    src = meta.get("program")
    if not src:
        return Verdict(False, None, None, "no program in meta")
    spec = check.get("target", candidate.target)
    interval = check.get("interval") or meta.get("interval")
    dtype = check.get("dtype", meta.get("dtype", "float64"))
    claimed = check.get("claimed", candidate.max_rel_error)
    dps = max(30, int(digits))
    try:
        rel, ulp, where = _measure(src, spec, interval, dtype, dps)
    except ValueError as exc:
        return Verdict(False, None, None, f"program rejected: {exc}")
    if not math.isfinite(rel):
        return Verdict(False, None, math.inf, f"program is not finite at x = {where!r}")
    ok = claimed is not None and rel <= 1.1 * float(claimed) + 1e-300
    note = f"re-measured {rel:.3g} on {GRID_POINTS} points at {dps} digits (worst at x = {where:.17g})"
    if dtype == "float32":
        note += f"; {ulp:.3g} ulp"
    if not ok:
        note += f"; claimed {claimed!r}"
    stored = max(rel, float(claimed)) if claimed is not None else rel
    return Verdict(bool(ok), None, stored, note)
