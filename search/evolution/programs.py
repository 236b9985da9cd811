"""Approximation programs as expression-core terms, and the bridge to straight-line listings.

A program is a hash-consed :class:`search.expr.terms.Expr` DAG over the variable ``x`` and fittable parameters
``c0, c1, ...`` with the operators ``add sub mul div`` (and ``fma`` when enabled), plus a float64 vector of parameter
values.  Shared subterms are single vertices, so the cost of ``t*t`` is one multiply however large ``t`` is.
Evaluation, Jacobians and functional hashing all go through ``search.expr``; this module only converts.
"""

from __future__ import annotations

import json

import numpy as np

from search.evolution.listing import Listing
from search.expr.postfix import Program, decode, encode
from search.expr.terms import Expr, const, make, param, subterms, var

__all__ = [
    "X",
    "PROGRAM_OPS",
    "to_listing",
    "from_listing",
    "canonical",
    "freeze",
    "substitute",
    "serialize",
    "deserialize",
    "encode_x",
]

X = var("x")
PROGRAM_OPS = ("add", "sub", "mul", "div", "fma")


def encode_x(expr: Expr) -> Program:
    """The shared-vertex postfix program of ``expr`` over the single variable ``x``."""
    return encode(expr, ["x"], share=True)


def _leaf_value(t: Expr) -> float:
    if t.op == "int":
        return float(t.value)
    if t.op == "rat":
        return t.value.numerator / t.value.denominator
    if t.op == "float":
        return float(t.value)
    raise ValueError(f"leaf {t} is not a number")


def to_listing(expr: Expr, params) -> Listing:
    """Straight-line code of the DAG in post-order, parameters replaced by their float values."""
    p = np.asarray(params, dtype=np.float64).reshape(-1)
    index: dict[int, tuple] = {}
    instrs: list = []
    for t in subterms(expr):
        if not t.args:
            if t.op == "var":
                if t.value != "x":
                    raise ValueError(f"approximation programs use only x, found variable {t.value!r}")
                index[id(t)] = ("x",)
            elif t.op == "param":
                index[id(t)] = ("k", float(p[t.value]))
            else:
                index[id(t)] = ("k", _leaf_value(t))
            continue
        if t.op not in PROGRAM_OPS:
            raise ValueError(f"operator {t.op!r} is not allowed in approximation programs")
        instrs.append((t.op, tuple(index[id(c)] for c in t.args)))
        index[id(t)] = ("v", len(instrs) - 1)
    return Listing(tuple(instrs), index[id(expr)])


def from_listing(lst: Listing) -> tuple[Expr, np.ndarray]:
    """A listing back to a term whose float literals become parameters (values returned alongside)."""
    vals: list[float] = []
    nodes: list[Expr] = []

    def get(a):
        if a[0] == "x":
            return X
        if a[0] == "k":
            vals.append(float(a[1]))
            return param(len(vals) - 1)
        return nodes[a[1]]

    for op, args in lst.instrs:
        nodes.append(make(op, *[get(a) for a in args]))
    out = get(lst.out)
    return canonical(out, np.array(vals))


def canonical(expr: Expr, params) -> tuple[Expr, np.ndarray]:
    """Renumber parameters ``c0, c1, ...`` in post-order of first use and drop unused values."""
    p = np.asarray(params, dtype=np.float64).reshape(-1)
    order: list[int] = []
    seen = set()
    for t in subterms(expr):
        if t.op == "param" and t.value not in seen:
            seen.add(t.value)
            order.append(t.value)
    if order == list(range(len(order))) and len(p) == len(order):
        return expr, p.copy()
    mapping = {param(old): param(new) for new, old in enumerate(order)}
    return substitute(expr, mapping), np.array([p[i] for i in order], dtype=np.float64)


def freeze(expr: Expr, params) -> Expr:
    """The parameter-free term with every ``c_i`` replaced by its float value (what the functional hash sees)."""
    p = np.asarray(params, dtype=np.float64).reshape(-1)
    mapping = {t: const(float(p[t.value])) for t in subterms(expr) if t.op == "param"}
    return substitute(expr, mapping)


def substitute(expr: Expr, mapping: dict) -> Expr:
    """Replace subterms (keys, by identity) with values, rebuilding ancestors; replacements are not recursed into."""
    if not mapping:
        return expr
    memo: dict[int, Expr] = {}
    for t in subterms(expr):
        if t in mapping:
            memo[id(t)] = mapping[t]
        elif t.args:
            new_args = tuple(memo[id(c)] for c in t.args)
            memo[id(t)] = t if all(a is b for a, b in zip(new_args, t.args)) else make(t.op, *new_args,
                                                                                       value=t.value)
        else:
            memo[id(t)] = t
    return memo[id(expr)]


def serialize(expr: Expr, params) -> str:
    """JSON text of the shared-vertex postfix program and parameter values (exact; for task payloads)."""
    prog = encode_x(expr)
    return json.dumps({"ops": prog.ops.tolist(), "args": prog.args.tolist(), "consts": prog.consts.tolist(),
                       "params": [float(v) for v in np.asarray(params, dtype=np.float64)]})


def deserialize(text: str) -> tuple[Expr, np.ndarray]:
    """Inverse of :func:`serialize`."""
    d = json.loads(text)
    prog = Program.from_arrays(d["ops"], d["args"], d["consts"], variables=["x"])
    return decode(prog, ["x"]), np.array(d["params"], dtype=np.float64)
