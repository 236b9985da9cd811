"""Library entry: ``approximate(target, interval, ...)`` runs the islands in-process and returns the front as a table."""

from __future__ import annotations

import math
from dataclasses import dataclass

from search.evolution.engine import ApproximationEngine
from search.evolution.listing import latex_program, parse_python, to_c

__all__ = ["approximate", "ApproximationFront", "FrontRow", "front_of"]


@dataclass
class FrontRow:
    """One program of the front: its cost under every model, its error, and the equal-cost baseline."""

    cost: int
    ops: dict
    max_rel_error: float
    program: str
    baseline: dict | None
    max_ulp: float | None = None
    family: str = ""
    candidate: object = None

    @property
    def gain(self) -> float | None:
        """Baseline error / program error (> 1: the program is better at equal or lower cost)."""
        if not self.baseline or self.max_rel_error <= 0:
            return None
        return self.baseline["max_rel_error"] / self.max_rel_error

    def function(self):
        """The program as a Python function (compiled from its checked source)."""
        parse_python(self.program)  # allowed-construct check before exec
        ns: dict = {}
        exec(compile(self.program, "<approx>", "exec"), {"__builtins__": {}}, ns)  # noqa: S102 - checked above
        return ns["approx"]

    def c_source(self, dtype: str = "float64") -> str:
        return to_c(parse_python(self.program), dtype=dtype)

    def latex(self) -> str:
        return latex_program({"program": self.program}, "aligned")


class ApproximationFront:
    """The Pareto front (cost vs maximum relative error) as a table, cheapest first.

    ``str(front)`` prints the table beside the best baseline of equal cost; ``front.best(max_cost)`` is the most
    accurate row within a budget; ``front.to_pandas()`` gives a DataFrame; rows carry the program source."""

    def __init__(self, rows: list, model: str, target: str, interval, dtype: str):
        self.rows = sorted(rows, key=lambda r: r.cost)
        self.model, self.target, self.interval, self.dtype = model, target, tuple(interval), dtype

    def __len__(self):
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __getitem__(self, i):
        return self.rows[i]

    def best(self, max_cost: int | None = None) -> FrontRow | None:
        ok = [r for r in self.rows if max_cost is None or r.cost <= max_cost]
        return min(ok, key=lambda r: r.max_rel_error) if ok else None

    def table(self) -> str:
        f32 = self.dtype == "float32"
        head = (f"{self.target} on [{self.interval[0]:g}, {self.interval[1]:g}]  ({self.dtype}, cost model "
                f"{self.model})\n")
        cols = f"{'cost':>4} {'ops':>4} {'fma':>4} {'cyc':>4} {'max_rel_error':>14}" + (f" {'ulp':>7}" if f32 else "")
        cols += f"  {'baseline (equal cost)':<22} {'its error':>10} {'gain':>9}"
        lines = [head + cols]
        for r in self.rows:
            bl = r.baseline or {}
            gain = r.gain
            s = (f"{r.cost:>4} {r.ops['ops']:>4} {r.ops['fma']:>4} {r.ops['cycles']:>4} {r.max_rel_error:>14.3e}"
                 + (f" {r.max_ulp:>7.2f}" if f32 else ""))
            s += (f"  {bl.get('name', '-'):<22} {bl.get('max_rel_error', math.nan):>10.2e} "
                  f"{(f'{gain:.3g}x' if gain else '-'):>9}")
            lines.append(s)
        return "\n".join(lines)

    def __str__(self):
        return self.table()

    __repr__ = __str__

    def to_pandas(self):
        import pandas as pd

        return pd.DataFrame([{
            "cost": r.cost, "ops": r.ops["ops"], "fma": r.ops["fma"], "cycles": r.ops["cycles"],
            "max_rel_error": r.max_rel_error, "max_ulp": r.max_ulp,
            "baseline": (r.baseline or {}).get("name"), "baseline_error": (r.baseline or {}).get("max_rel_error"),
            "gain": r.gain, "program": r.program} for r in self.rows])


def front_of(candidates, model: str) -> list:
    """The non-dominated candidates by (cost under ``model``, error; ULPs in float32 mode)."""
    def err(c):
        return c.meta.get("max_ulp", c.max_rel_error) if c.meta.get("dtype") == "float32" else c.max_rel_error

    out, top = [], math.inf
    for c in sorted(candidates, key=lambda c: (c.meta["ops"][model], err(c))):
        if err(c) < top:
            out.append(c)
            top = err(c)
    return out


def approximate(target: str, interval, *, max_ops: int = 10, dtype: str = "float64", fma: bool = False,
                cost: str = "ops", time_limit: float = 30.0, islands: int = 2, rounds: int = 3, seed: int = 0,
                population: int = 40, offspring: int = 20, seed_families: bool = True,
                max_squarings: int = 4) -> ApproximationFront:
    """Evolve approximation programs for ``target`` on ``interval``; return the Pareto front as a table.

    ``target``: ``exp exp2 log1p tanh erf sin cos``, ``log_iv:V`` / ``log_kv:V``, or an mpmath expression in x.
    ``max_ops`` bounds the plain operation count (the fma-contracted count with ``fma=True``); ``cost="cycles"``
    makes cycles the search objective.  ``time_limit`` is the total wall-clock budget in seconds (islands run one
    after another in-process: each island round gets ``time_limit / (islands * rounds)``, plus the seeding of
    round one).  Bad input raises ``ValueError`` with one line.
    """
    eng = ApproximationEngine(target, interval, max_ops=max_ops, dtype=dtype, fma=fma, cost=cost,
                              islands=islands, rounds=rounds, population=population, offspring=offspring,
                              time_limit=time_limit, seed_families=seed_families, max_squarings=max_squarings,
                              seed=seed, round_time=time_limit / (islands * rounds))
    queue = list(eng.tasks())
    latest: dict = {}
    while queue:
        task = queue.pop(0)
        cands = eng.run_task(task)
        latest[task.payload["island"]] = cands
        queue.extend(eng.followup(task, cands))
    allc = [c for cs in latest.values() for c in cs]
    cfg = eng.config
    rows = [FrontRow(c.meta["ops"][cfg.model], c.meta["ops"], c.max_rel_error, c.meta["program"],
                     c.meta["baseline"], c.meta.get("max_ulp"), c.meta.get("family", ""), c)
            for c in front_of(allc, cfg.model)]
    return ApproximationFront(rows, cfg.model, eng.target_.spec, cfg.interval, cfg.dtype)
