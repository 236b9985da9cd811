"""``simplify``: SymPy in, SymPy out, by equality saturation and cost-driven extraction."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from search.egraph.convert import Converter
from search.egraph.costs import get_cost
from search.egraph.egraph import LEAF_OPS, EGraph
from search.egraph.extract import extract_greedy, extract_ilp
from search.egraph.rules import get_rules
from search.egraph.runner import BackoffScheduler, Limits, Runner, gc_paused

__all__ = ["simplify", "simplify_term", "Report", "Simplified", "term_cost"]


@dataclass
class Report:
    """What a simplification did: costs, e-graph size, time and why saturation stopped."""

    cost_model: str
    cost_before: float
    cost_after: float
    dag_cost_after: float
    iterations: int
    nodes: int
    classes: int
    time: float
    saturation_time: float
    stop_reason: str
    extraction: str
    rules: int
    note: str = ""
    history: list = field(default_factory=list)  # per iteration: nodes, classes, applied, matches, banned, times

    def to_dict(self, history: bool = False) -> dict:
        d = asdict(self)
        if not history:
            d.pop("history")
        return d


class Simplified(NamedTuple):
    """``(expr, report)``: the simplified SymPy expression and its :class:`Report`."""

    expr: object
    report: Report


def term_cost(eg: EGraph, term: tuple, cost) -> float:
    """Tree cost of ``term`` as it sits in ``eg`` (so analysis-aware costs see its classes)."""
    memo: dict = {}

    def rec(t):
        v = memo.get(t)
        if v is not None:
            return v[0], v[1]
        if len(t) == 1 or t[0] in LEAF_OPS:
            cid = eg.add(t)
            v = (cost.node_cost(eg, t), cid)
        else:
            kids = [rec(k) for k in t[1:]]
            node = (t[0], *[k[1] for k in kids])
            cid = eg.add(node)
            v = (cost.node_cost(eg, eg.canon(node)) + sum(k[0] for k in kids), cid)
        memo[t] = v
        return v

    return rec(term)[0]


def simplify_term(term: tuple, cost="ops", rules=None, limits=None, *, assume_positive=False,
                  extract="greedy", scheduler=None, named_values=None, ilp_time: float = 5.0,
                  patience: int | None = None):
    """Saturate and extract on a raw e-graph term; returns ``(term, Report, EGraph)``."""
    with gc_paused():
        return _simplify_term(term, cost, rules, limits, assume_positive, extract, scheduler, named_values, ilp_time,
                              patience)


def _simplify_term(term, cost, rules, limits, assume_positive, extract, scheduler, named_values, ilp_time, patience):
    t0 = time.perf_counter()
    cost_model = get_cost(cost)
    rule_list = get_rules(rules)
    lim = Limits.coerce(limits)
    if extract not in ("greedy", "ilp"):
        raise ValueError(f"unknown extraction {extract!r}; expected 'greedy' or 'ilp'")
    eg = EGraph(assume_positive=assume_positive, named_values=named_values)
    root = eg.add_term(term)
    eg.rebuild()
    before = term_cost(eg, term, cost_model)
    builtin = type(cost_model).__module__ == "search.egraph.costs"
    runner = Runner(eg, rule_list, lim, scheduler if scheduler is not None else BackoffScheduler(),
                    root=root if (builtin or patience) else None, cost=cost_model, patience=patience).run()
    if extract == "ilp":
        ex = extract_ilp(eg, root, cost_model, time_limit=ilp_time)
    else:
        ex = extract_greedy(eg, root, cost_model)
    report = Report(
        cost_model=cost_model.name,
        cost_before=before,
        cost_after=ex.cost,
        dag_cost_after=ex.dag_cost,
        iterations=len(runner.iterations),
        nodes=eg.total_nodes,
        classes=eg.n_classes,
        time=0.0,
        saturation_time=runner.elapsed,
        stop_reason=runner.stop_reason,
        extraction=ex.method,
        rules=len(rule_list),
        note=ex.note,
        history=[s.to_dict() for s in runner.iterations],
    )
    report.time = time.perf_counter() - t0
    return ex.term, report, eg


def simplify(expr, cost="ops", rules=None, limits=None, *, assume=None, extract="greedy", scheduler=None,
             ilp_time: float = 5.0, patience: int | None = None) -> Simplified:
    """Simplify a SymPy expression (or a string, or a core ``Expr``) by equality saturation.

    Parameters
    ----------
    cost : ``"ops"`` (operator count, default), ``"nodes"``, ``"cycles"`` (Symbolics.jl's CPU-cycles table),
        ``"precision"`` (cycles plus a penalty per bit of accuracy at risk), or a :class:`CostModel`.
    rules : ``None``/``"all"``, a rule-set name or comma-separated names (``arith, powers, explog, trig,
        hyperbolic, precision``), or a list of :class:`Rewrite`.
    limits : :class:`Limits` or a dict ``{"iterations", "nodes", "time"}``; default 30 / 10,000 / 5 s (egg's).
    assume : ``None`` (variables are real) or ``"positive"`` (all variables > 0).  Symbols created with
        ``positive=True`` are positive in any case.
    extract : ``"greedy"`` (tree cost, default) or ``"ilp"`` (exact DAG cost, ``scipy.optimize.milp``).
    patience : stop when the best cost has not improved for this many iterations (heuristic; default off).

    Returns ``Simplified(expr, report)`` (unpacks as a pair).  Never returns something costlier than the input:
    the input is in the e-graph, and extraction is optimal for the tree cost.  The report's costs refer to the
    extracted term; SymPy re-canonicalises on construction (``x*x`` prints as ``x**2``), so the printed form can
    differ from it in such details.
    """
    t0 = time.perf_counter()
    if assume not in (None, "positive", "real"):
        raise ValueError(f"unknown assumption {assume!r}; expected None, 'real' or 'positive'")
    conv = Converter()
    term = conv.to_term(expr)
    pos_all = assume == "positive"
    if not pos_all and conv.symbols:
        # respect SymPy assumptions: only when every symbol is positive (the analysis has one switch)
        pos_all = all(s.is_positive for s in conv.symbols.values())
    from search.expr import NAMED_CONSTANTS

    named_values = {k: v[0] for k, v in NAMED_CONSTANTS.items()}
    out, report, _ = simplify_term(term, cost, rules, limits, assume_positive=pos_all, extract=extract,
                                   scheduler=scheduler, named_values=named_values, ilp_time=ilp_time,
                                   patience=patience)
    result = conv.to_sympy(out)
    report.time = time.perf_counter() - t0
    return Simplified(result, report)
