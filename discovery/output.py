"""Printing conjecture records: JSON lines with the DESIGN.md fields, or a compact table."""

from __future__ import annotations

import json
import math
import sys

from discovery.store import RECORD_FIELDS

__all__ = ["record_json", "print_json_lines", "print_table", "format_evidence", "validated_first"]


def record_json(rec: dict) -> dict:
    """The record restricted to DESIGN.md's fields, in order, with non-finite floats as null."""
    out = {}
    for k in RECORD_FIELDS:
        v = rec.get(k)
        if isinstance(v, float) and not math.isfinite(v):
            v = None
        out[k] = v
    return out


def validated_first(records) -> list[dict]:
    """Records ordered for printing: validated before the rest, then simplest (lowest complexity) first."""
    return sorted(records, key=lambda r: (not r["validated"], r.get("complexity") or 0))


def print_json_lines(records, file=None) -> None:
    file = file or sys.stdout
    for rec in records:
        file.write(json.dumps(record_json(rec), default=str) + "\n")
    file.flush()


def format_evidence(rec: dict) -> str:
    if rec.get("digits") is not None and rec.get("kind") in ("identity", "simplification"):
        return f"{rec['digits']:.0f} dig"
    if rec.get("max_rel_error") is not None:
        return f"{rec['max_rel_error']:.2e}"
    if rec.get("digits") is not None:
        return f"{rec['digits']:.0f} dig"
    return "-"


def print_table(records, file=None, width: int = 100) -> None:
    file = file or sys.stdout
    if not records:
        print("no conjectures", file=file)
        return
    print(f"{'id':>5}  {'engine':<11} {'kind':<14} {'ok':<3} {'evidence':>9} {'cplx':>4}  statement", file=file)
    for r in records:
        ok = "yes" if r.get("validated") else "no"
        rel = "~" if r.get("kind") in ("approximation", "model") else "="
        stmt = f"{r['lhs']} {rel} {r['rhs']}"
        if len(stmt) > width:
            stmt = stmt[: width - 3] + "..."
        cplx = r.get("complexity")
        print(f"{r.get('id', ''):>5}  {r['engine']:<11} {r['kind']:<14} {ok:<3} {format_evidence(r):>9} "
              f"{'' if cplx is None else cplx:>4}  {stmt}", file=file)
    file.flush()
