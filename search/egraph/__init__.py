"""E-graph simplification: equality saturation with guarded rules and cost-driven extraction (egg's design).

``simplify(expr, cost="ops"|"cycles"|..., rules=..., limits=...) -> Simplified(expr, report)`` is the entry point;
the pieces (:class:`EGraph`, :class:`Runner`, :class:`BackoffScheduler`, rules, cost models, extractors) are public
for engines that build their own e-graphs.
"""

from search.egraph.costs import COSTS, CYCLES, CostModel, CyclesCost, NodeCost, OpsCost, PrecisionCost, get_cost
from search.egraph.egraph import EGraph
from search.egraph.engine import SimplifyEngine
from search.egraph.extract import Extraction, extract_greedy, extract_ilp
from search.egraph.pattern import compile_pattern, parse_pattern
from search.egraph.rules import ALL_RULES, RULESETS, Rewrite, get_rules, rw
from search.egraph.runner import BackoffScheduler, Limits, Runner, SimpleScheduler
from search.egraph.simplify import Report, Simplified, simplify, simplify_term

__all__ = [
    "ALL_RULES", "BackoffScheduler", "COSTS", "CYCLES", "CostModel", "CyclesCost", "EGraph", "Extraction",
    "Limits", "NodeCost", "OpsCost", "PrecisionCost", "RULESETS", "Report", "Rewrite", "Runner",
    "SimpleScheduler", "SimplifyEngine", "Simplified", "compile_pattern", "extract_greedy", "extract_ilp", "get_cost", "get_rules",
    "parse_pattern", "rw", "simplify", "simplify_term",
]
