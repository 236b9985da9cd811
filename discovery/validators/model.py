"""Validator for ``kind=model`` candidates of symbolic regression: re-evaluate the model on the data with mpmath.

``check = {"type": "model", "path": CSV, "sha256": ..., "target": COLUMN, "variables": [...]}`` (or inline
``"X"``/``"y"`` lists).  The model (``rhs``, a SymPy string in the column names) is parsed with every variable as a
plain ``Symbol`` (so columns named ``gamma``, ``beta``, ``E``, ``I``, ``S``, ``N`` stay variables), evaluated row by
row with mpmath at ``digits + 10`` digits from the CSV's decimal text, and ``max_rel_error`` is recomputed as
$\\max_i |f(x_i) - y_i| / \\max(|y_i|, 10^{-8}\\max_j |y_j|)$ (the same definition as the engine's float figure).
The candidate is validated when the model is finite on every row and the recomputed error agrees with the
engine's claim (relative 1e-6, absolute 1e-7); the stored ``max_rel_error`` is the recomputed one.
"""

from __future__ import annotations

import csv
import hashlib
from functools import lru_cache

import mpmath

from discovery.validate import GUARD_DIGITS, Verdict

__all__ = ["validate", "load_columns", "MAX_ROWS"]

#: Rows re-evaluated at most (the first MAX_ROWS rows in file order; the note says when the file has more).
MAX_ROWS = 5000


@lru_cache(maxsize=8)
def _read(path: str, sha: str | None):
    with open(path, "rb") as fh:
        blob = fh.read()
    if sha is not None and hashlib.sha256(blob).hexdigest() != sha:
        raise ValueError(f"data file {path} changed since the run (sha256 mismatch)")
    rows = list(csv.reader(blob.decode("utf-8-sig").splitlines()))
    if not rows:
        raise ValueError(f"data file {path} is empty")
    header = [h.strip() for h in rows[0]]
    body = [r for r in rows[1:] if any(c.strip() for c in r)]
    return header, body


def load_columns(path: str, columns, sha: str | None = None):
    """The named columns of a CSV file as lists of decimal strings (exact text, for mpmath)."""
    header, body = _read(path, sha)
    idx = []
    for c in columns:
        if c not in header:
            raise ValueError(f"column {c!r} not in {path}")
        idx.append(header.index(c))
    return [[r[i].strip() for r in body] for i in idx]


def validate(candidate, digits: int) -> Verdict:
    import sympy as sp

    check = candidate.check or {}
    names = list(check.get("variables") or [])
    target = check.get("target")
    if "path" in check:
        cols = load_columns(check["path"], names + [target], check.get("sha256"))
        xs, ys = cols[:-1], cols[-1]
    else:
        xs = [[repr(float(v)) for v in col] for col in zip(*check["X"])] if check.get("X") else [[]]
        ys = [repr(float(v)) for v in check["y"]]
    n = len(ys)
    note = ""
    if n > MAX_ROWS:
        note = f"re-evaluated the first {MAX_ROWS} of {n} rows"
        n = MAX_ROWS
    syms = {nm: sp.Symbol(nm) for nm in names}
    expr = sp.parse_expr(candidate.rhs, local_dict=dict(syms), evaluate=True)
    stray = {str(s) for s in expr.free_symbols} - set(names)
    if stray:
        return Verdict(False, None, None, f"model uses unknown symbols: {', '.join(sorted(stray))}")
    f = sp.lambdify([syms[nm] for nm in names], expr, modules="mpmath")
    dps = int(digits) + GUARD_DIGITS
    with mpmath.workdps(dps):
        yv = [mpmath.mpf(v) for v in ys[:n]]
        ymax = max(abs(v) for v in yv) if yv else mpmath.mpf(1)
        floor = max(ymax * mpmath.mpf("1e-8"), mpmath.mpf("1e-300"))
        worst = mpmath.mpf(0)
        for i in range(n):
            args = [mpmath.mpf(col[i]) for col in xs] if names else []
            try:
                val = f(*args)
            except (ZeroDivisionError, ValueError, OverflowError) as exc:
                return Verdict(False, None, None, f"model fails at row {i}: {type(exc).__name__}")
            if isinstance(val, mpmath.mpc):
                if abs(val.imag) > mpmath.mpf(10) ** (-dps // 2) * max(1, abs(val.real)):
                    return Verdict(False, None, None, f"model is complex at row {i}")
                val = val.real
            val = mpmath.mpf(val)
            if not mpmath.isfinite(val):
                return Verdict(False, None, None, f"model is not finite at row {i}")
            err = abs(val - yv[i]) / max(abs(yv[i]), floor)
            if err > worst:
                worst = err
        recomputed = float(worst)
    claimed = candidate.max_rel_error
    if claimed is None:
        return Verdict(True, None, recomputed, note or "no float claim to compare")
    ok = abs(recomputed - claimed) <= 1e-6 * max(recomputed, claimed) + 1e-7
    if not ok:
        note = (note + "; " if note else "") + f"float claim {claimed:.3g} disagrees with mpmath {recomputed:.3g}"
    return Verdict(ok, None, recomputed, note)
