"""The ``simplify`` engine: one task, one ``simplification`` candidate, checked by the ``equiv`` validator."""

from __future__ import annotations

from search.base import Candidate, Task, task_key
from search.egraph.runner import Limits

__all__ = ["SimplifyEngine"]


class SimplifyEngine:
    """Simplify one expression by equality saturation (see :func:`search.egraph.simplify`).

    The candidate states ``lhs = rhs`` with ``lhs`` the input and ``rhs`` the extracted form; ``meta`` holds the
    cost model, the costs before and after, and the saturation report.  Bad input raises ``ValueError`` here, in
    the constructor, before any task runs.
    """

    name = "simplify"

    def __init__(self, expr: str, cost: str = "ops", assume: str | None = None, rules=None, limits=None,
                 extract: str = "greedy"):
        from search.egraph.convert import Converter
        from search.egraph.costs import get_cost
        from search.egraph.rules import get_rules

        Converter().to_term(expr)  # parse and convert now: bad input fails before any task runs
        get_cost(cost)
        get_rules(rules)
        if assume not in (None, "positive"):
            raise ValueError(f"unknown assumption {assume!r}; expected 'positive'")
        if extract not in ("greedy", "ilp"):
            raise ValueError(f"unknown extraction {extract!r}; expected 'greedy' or 'ilp'")
        lim = Limits.coerce(limits)
        self.expr = expr
        self.cost = cost
        self.assume = assume
        self.rules = rules if isinstance(rules, (str, type(None))) else None
        self.limits = {"iterations": lim.iterations, "nodes": lim.nodes, "time": lim.time}
        self.extract = extract

    def tasks(self) -> list[Task]:
        payload = {"expr": self.expr, "cost": self.cost, "assume": self.assume, "rules": self.rules,
                   "limits": self.limits, "extract": self.extract}
        return [Task(task_key(self.name, payload), self.name, payload, 0)]

    def run_task(self, task: Task) -> list[Candidate]:
        import sympy as sp

        from search.egraph.convert import parse_sympy
        from search.egraph.simplify import simplify

        p = task.payload
        lhs = parse_sympy(p["expr"])
        out, rep = simplify(lhs, cost=p["cost"], rules=p["rules"], limits=p["limits"], assume=p["assume"],
                            extract=p["extract"])
        meta = {
            "cost_model": rep.cost_model,
            "cost_before": rep.cost_before,
            "cost_after": rep.cost_after,
            "dag_cost_after": rep.dag_cost_after,
            "assume": p["assume"],
            "report": rep.to_dict(),
        }
        return [Candidate(
            engine=self.name,
            target=p["expr"],
            kind="simplification",
            lhs=str(lhs),
            rhs=str(out),
            latex=f"{sp.latex(lhs)} = {sp.latex(out)}",
            complexity=int(sp.count_ops(out)) + 1,
            meta=meta,
            check={"type": "equiv", "lhs": str(lhs), "rhs": str(out), "assume": p["assume"]},
        )]
