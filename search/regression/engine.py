"""The regression engine: independent seeded searches plus a shared-hall-of-fame round, as workbench tasks.

Round 0 is ``n_searches`` independent searches (:func:`search.regression.search.run_search`), one task each, with
seeds derived from the run seed and the task key.  As each task finishes the workbench stores its Pareto front
(the checkpoint: a killed run keeps every finished task's models).  When the last round-0 task has finished,
``followup`` merges their hall of fame deterministically (sorted by loss, complexity and text, never by finish
order) and emits round-1 tasks seeded with it: form discovery and the GP stage then start from the best models
of every search.  The task count does not depend on the worker count, so the same seed gives the same result on
any number of workers, as long as the searches end on their evaluation budget or early stop rather than on the
time limit: ``stop_reasons`` says which (the time limit is the only machine-dependent stop, on either clock).
"""

from __future__ import annotations

import hashlib
import time

import numpy as np

from search.base import Candidate, Task, task_key
from search.regression.models import build_model, front_with_scores, loss_floor, model_text, select_best
from search.regression.search import SearchConfig, run_search

__all__ = ["RegressionEngine", "check_data", "candidate_of"]

MIN_ROWS = 5


def check_data(X, y, names=None):
    """Validate regression data; returns float arrays and names.  Bad input raises one-line ``ValueError``s."""
    try:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("X and y must be numeric arrays") from None
    if X.ndim == 1:
        X = X.reshape(-1, 1)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (rows x variables), got {X.ndim} dimensions")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D, got shape {y.shape}")
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]}")
    if X.shape[1] < 1:
        raise ValueError(f"X has 0 feature(s) (shape=({X.shape[0]}, 0)) while a minimum of 1 is required")
    if X.shape[0] < MIN_ROWS:
        raise ValueError(f"too few rows: n_samples = {X.shape[0]} (symbolic regression needs at least {MIN_ROWS})")
    if not np.all(np.isfinite(X)):
        i, j = np.argwhere(~np.isfinite(X))[0]
        raise ValueError(f"X contains NaN or inf (row {i}, column {j})")
    if not np.all(np.isfinite(y)):
        i = int(np.argwhere(~np.isfinite(y))[0][0])
        raise ValueError(f"y contains NaN or inf (row {i})")
    if names is None:
        names = [f"x{i}" for i in range(X.shape[1])]
    names = [str(n) for n in names]
    if len(names) != X.shape[1]:
        raise ValueError(f"{len(names)} variable names for {X.shape[1]} columns")
    for n in names:
        if not n.isidentifier():
            raise ValueError(f"variable name {n!r} is not an identifier (letters, digits, underscore)")
    if len(set(names)) != len(names):
        raise ValueError("variable names must be distinct")
    return X, y, names


def candidate_of(model, *, target: str, names, rank: int, best: bool, check: dict | None, engine: str = "regress",
                 loss_floor: float = 0.0):
    import sympy as sp

    return Candidate(
        engine=engine, target=target, kind="model", lhs=target, rhs=model_text(model.sympy),
        latex=f"{sp.latex(sp.Symbol(target))} = {sp.latex(model.sympy)}",
        complexity=int(model.complexity), max_rel_error=float(model.max_rel_error),
        meta={"loss": model.loss, "score": model.score, "best": best, "rank": rank, "variables": list(names),
              "tokens": model.tokens, "loss_floor": loss_floor},
        check=check,
    )


class RegressionEngine:
    """Symbolic regression as workbench tasks (see the module docstring).

    ``check`` is the validator hint stored with each candidate (``{"type": "model", "path": ...}`` from the CLI);
    ``None`` leaves candidates unchecked.
    """

    name = "regress"

    def __init__(self, X, y, *, names=None, target: str = "y", config: SearchConfig | None = None,
                 n_searches: int = 2, rounds: int = 2, check: dict | None = None, hof_size: int = 24,
                 simplify: bool = True):
        self.X, self.y, self.names = check_data(X, y, names)
        self.target = str(target)
        self.config = config or SearchConfig()
        self.config.grammar(self.X.shape[1])  # validates the operator set
        if n_searches < 1:
            raise ValueError(f"n_searches must be at least 1, got {n_searches}")
        if rounds not in (1, 2):
            raise ValueError(f"rounds must be 1 or 2, got {rounds}")
        self.n_searches = int(n_searches)
        self.rounds = int(rounds)
        self.check = check
        self.hof_size = hof_size
        self.simplify = bool(simplify)
        h = hashlib.sha256(self.X.tobytes() + self.y.tobytes()).hexdigest()[:16]
        self.data_digest = h
        self._round0: dict[str, list] = {}
        #: why each search task of this process ended, in run order ("exact", "grace", "max_evals" or "time");
        #: a run is reproducible from its seed when none of them is "time"
        self.stop_reasons: list = []
        self.t_start = None

    # --- contract -----------------------------------------------------------------------------------------------
    def _key(self, rnd: int, i: int) -> str:
        cfg = {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(self.config).items()}
        return task_key(self.name, {"data": self.data_digest, "round": rnd, "search": i, "config": cfg})

    def tasks(self) -> list[Task]:
        return [Task(key=self._key(0, i), engine=self.name, payload={"round": 0, "search": i})
                for i in range(self.n_searches)]

    def run_task(self, task: Task) -> list[Candidate]:
        models = self.search(task.payload, task.seed)
        front = front_with_scores(models, self.y)
        if not front:
            return []
        b = select_best(front, self.y)
        order = [b] + [i for i in range(len(front)) if i != b]
        return [candidate_of(front[i], target=self.target, names=self.names, rank=r, best=(r == 0),
                             check=self.check, loss_floor=loss_floor(self.y)) for r, i in enumerate(order)]

    def followup(self, task: Task, candidates: list[Candidate]) -> list[Task]:
        if self.rounds < 2 or task.payload.get("round") != 0:
            return []
        self._round0[task.key] = [(c.meta.get("loss", np.inf), c.complexity or 0, c.rhs, c.meta.get("tokens"))
                                  for c in candidates]
        if len(self._round0) < self.n_searches:
            return []
        seeds = self.shared_hall_of_fame(self._round0.values())
        return [Task(key=self._key(1, i), engine=self.name, payload={"round": 1, "search": i, "seeds": seeds})
                for i in range(self.n_searches)]

    # --- helpers ------------------------------------------------------------------------------------------------
    def shared_hall_of_fame(self, groups) -> list[list[int]]:
        """Merge per-task fronts into one seed list, ordered by (loss, complexity, text): finish order is irrelevant."""
        rows = sorted({(float(l), int(c), r, tuple(t)) for grp in groups for (l, c, r, t) in grp if t},
                      key=lambda z: (z[0], z[1], z[2]))
        out, seen = [], set()
        for _, _, _, t in rows:
            if t not in seen:
                seen.add(t)
                out.append(list(t))
            if len(out) >= self.hof_size:
                break
        return out

    def search(self, payload: dict, seed: int, progress=None, deadline: float | None = None) -> list:
        """Run one search task and return its finished models (all of them, not only the front)."""
        info: dict = {}
        res = run_search(self.X, self.y, self.config, int(seed) % (2**63), seeds=payload.get("seeds"),
                         progress=progress, deadline=deadline, info=info)
        self.stop_reasons.append(info.get("stop"))
        g = self.config.grammar(self.X.shape[1])
        raw = []
        seen = set()
        for fr in sorted(res, key=lambda f: (f.complexity, f.mse)):
            if fr.complexity > 3 * self.config.max_complexity:
                continue
            m = build_model(g, fr, self.X, self.y, self.names, simplify=False)
            if m is None:
                continue
            key = model_text(m.sympy)
            if key in seen:
                continue
            seen.add(key)
            raw.append((m, fr))
        # simplification (the e-graph) only for the members of the front, the costly part of finishing a model
        front_ids = {id(m) for m in front_with_scores([m for m, _ in raw], self.y)}
        models = []
        for m, fr in raw:
            if id(m) in front_ids and self.simplify:
                m = build_model(g, fr, self.X, self.y, self.names, simplify=True) or m
            if m.complexity <= self.config.max_complexity:
                models.append(m)
        return models

    def run_inprocess(self, seed: int = 0, progress=None) -> list:
        """Run every task (and the follow-up round) in this process; returns all models (used by the estimator)."""
        tasks = self.tasks()
        models = []
        done: list[Task] = []
        while tasks:
            task = tasks.pop(0)
            s = int(hashlib.sha256(f"{seed}:{task.key}".encode()).hexdigest()[:8], 16)
            ms = self.search(task.payload, s, progress=progress)
            models.extend(ms)
            front = front_with_scores(ms, self.y)
            cands = [candidate_of(m, target=self.target, names=self.names, rank=i, best=False, check=None)
                     for i, m in enumerate(front)]
            tasks.extend(self.followup(Task(task.key, self.name, task.payload, s), cands))
            done.append(task)
        return models
