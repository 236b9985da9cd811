"""Cost models for extraction.  All are additive: a term costs the sum of its nodes' own costs.

* :class:`OpsCost` (``"ops"``): one per operator node, leaves free (SymPy's ``count_ops`` measure).
* :class:`NodeCost` (``"nodes"``): one per node, leaves included (the AST size).
* :class:`CyclesCost` (``"cycles"``): Symbolics.jl's "CPU cycles" table (ANCHORS §7): ``+ − 1, abs 2, * 3, exp 18,
  / 24, ^ 100, log1p 124, sin cos 134, atan 135, tan 156``; literals and variables 0.  Operators missing from that
  table get costs of ours, chosen from the same scale: ``neg 1``, ``sqrt 24`` (a divide-class instruction),
  ``log expm1 124`` (like ``log1p``), ``sinh cosh 134``, ``tanh 156``, ``asin acos asinh atanh 135``, opaque
  functions 200.
* :class:`PrecisionCost` (``"precision"``, our design): cycles plus ``weight`` cycles per bit of relative accuracy
  the node can lose, estimated from its condition number over the children's intervals (the e-class analysis):

  ==============  =====================================  ==========================================
  node            condition number $\\kappa$             bits charged ($\\log_2\\kappa$, capped at 53)
  ==============  =====================================  ==========================================
  $a \\pm b$       $(|a| + |b|)/|a \\pm b|$               0 when the operands provably do not cancel,
                                                         else the cap (catastrophic cancellation)
  $e^a$           $|a|$                                  $\\log_2 \\max|a|$ (0 if $|a| \\le 1$)
  $\\log a$        $1/|\\log a|$                           the cap if $a$'s interval contains 1
  $a^p$           $|p|$                                  $\\log_2 |p|$
  sin, cos, tan   $|a \\cot a|$ etc.                     $\\log_2 \\max|a|$ (range reduction)
  ``log1p``,
  ``expm1``, ...  $\\le 1$ near 0                         0
  ==============  =====================================  ==========================================

  so ``log(1 + x)`` (cancellation inside log near 1) loses to ``log1p(x)``, ``exp(x) − 1`` to ``expm1(x)``, and
  ``a² − b²`` to ``(a + b)(a − b)``.
"""

from __future__ import annotations

import math

from search.egraph.analysis import ZERO
from search.egraph.egraph import LEAF_OPS

__all__ = ["CostModel", "OpsCost", "NodeCost", "CyclesCost", "PrecisionCost", "CYCLES", "get_cost", "COSTS"]

#: Symbolics.jl's table (ANCHORS §7) plus our documented extensions.
CYCLES = {
    "+": 1, "-": 1, "abs": 2, "*": 3, "exp": 18, "/": 24, "^": 100, "log1p": 124, "sin": 134, "cos": 134,
    "atan": 135, "tan": 156,
    # extensions (not in the Symbolics table)
    "neg": 1, "sqrt": 24, "log": 124, "expm1": 124, "sinh": 134, "cosh": 134, "tanh": 156,
    "asin": 135, "acos": 135, "asinh": 135, "acosh": 135, "atanh": 135,
}
OPAQUE_CYCLES = 200


def _is_leaf(node: tuple) -> bool:
    return len(node) == 1 or node[0] in LEAF_OPS


class CostModel:
    """An additive cost: ``node_cost(egraph, node)`` is a node's own cost; a term costs the sum over its nodes."""

    name = "custom"
    #: True when ``node_cost`` depends on the node's operator only (lets extraction price each operator once);
    #: read from the class's own namespace, so a subclass overriding ``node_cost`` must declare it again
    by_operator = False

    def node_cost(self, eg, node: tuple) -> float:  # pragma: no cover - interface
        raise NotImplementedError

    def term_cost(self, term: tuple) -> float:
        """Cost of a term (tree cost; without an e-graph, so analysis-dependent parts use no facts)."""
        if _is_leaf(term):
            return self.node_cost(None, term)
        return self.node_cost(None, term) + sum(self.term_cost(t) for t in term[1:])


class OpsCost(CostModel):
    name = "ops"
    by_operator = True

    def node_cost(self, eg, node):
        return 0 if _is_leaf(node) else 1


class NodeCost(CostModel):
    name = "nodes"
    by_operator = True

    def node_cost(self, eg, node):
        return 1


class CyclesCost(CostModel):
    name = "cycles"
    by_operator = True

    def node_cost(self, eg, node):
        if _is_leaf(node):
            return 0
        return CYCLES.get(node[0], OPAQUE_CYCLES)


class PrecisionCost(CostModel):
    """Cycles plus ``weight`` per bit of accuracy the node may lose (see the module docstring)."""

    name = "precision"
    CAP = 53.0

    def __init__(self, weight: float = 4.0):
        self.weight = weight

    def bits_lost(self, eg, node) -> float:
        op = node[0]
        if _is_leaf(node) or eg is None:
            return 0.0
        kids = [eg.classes[eg.find(c)].data for c in node[1:]]
        if op in ("+", "-"):
            # a + b (a - b) can cancel to 0 exactly iff the intervals of a and -b (b) intersect; then kappa is
            # unbounded and we charge the cap, else kappa <= 1 + small and nothing.
            a, b = kids
            blo, bhi = (-b[2], -b[1]) if op == "+" else (b[1], b[2])
            if a[0] is not None and a[0] == 0 or b[0] is not None and b[0] == 0:
                return 0.0
            lo, hi = max(a[1], blo), min(a[2], bhi)
            if lo > hi or (lo == hi == 0.0 and not (a[3] & ZERO and b[3] & ZERO)):
                return 0.0
            return self.CAP
        if op == "exp":
            m = max(abs(kids[0][1]), abs(kids[0][2]))
            return 0.0 if m <= 1 else min(self.CAP, math.log2(m))
        if op == "log":
            lo, hi = kids[0][1], kids[0][2]
            return self.CAP if lo <= 1.0 <= hi else 0.0
        if op == "^":
            e = kids[1][0]
            if e is not None:
                return min(self.CAP, math.log2(abs(float(e)))) if abs(e) > 1 else 0.0
            return self.CAP / 2
        if op in ("sin", "cos", "tan"):
            m = max(abs(kids[0][1]), abs(kids[0][2]))
            return 0.0 if m <= 1 else min(self.CAP, math.log2(m))
        return 0.0

    def node_cost(self, eg, node):
        if _is_leaf(node):
            return 0
        return CYCLES.get(node[0], OPAQUE_CYCLES) + self.weight * self.bits_lost(eg, node)


COSTS = {"ops": OpsCost, "nodes": NodeCost, "cycles": CyclesCost, "precision": PrecisionCost}


def get_cost(spec) -> CostModel:
    if isinstance(spec, CostModel):
        return spec
    if isinstance(spec, str) and spec in COSTS:
        return COSTS[spec]()
    raise ValueError(f"unknown cost model {spec!r}; expected one of {', '.join(COSTS)} or a CostModel")
