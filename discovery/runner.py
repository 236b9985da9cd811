"""Run an engine's tasks, in-process or on Dask, and stream validated results into the store.

The data flow (DESIGN.md): ``engine.tasks()`` gives independent tasks with deterministic keys; each runs on a worker
(``engine.run_task``); as each finishes, the client validates its candidates at high precision, dedupes them and
writes them, with the task's ``done`` mark, in one transaction.  Only the client writes the store.  A killed worker
costs a retry (Dask reschedules its tasks); a Ctrl-C or a crash leaves the run ``interrupted`` with every finished task
stored, and ``discover resume`` re-runs only the rest.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from discovery.canonical import canonical_key
from discovery.errors import UserError
from discovery.validate import Verdict, validate

__all__ = ["RunnerOptions", "RunResult", "run_engine", "resume_engine", "derive_seed", "connect"]

log = logging.getLogger("discovery.runner")


@dataclass
class RunnerOptions:
    """Where and how tasks run: an embedded LocalCluster (default), an existing scheduler, or in-process."""

    workers: int | None = None
    scheduler: str | None = None
    scheduler_file: str | None = None
    no_cluster: bool = False
    progress: bool = True
    keep_rejected: bool = True
    client: object = None  # an already connected Dask client to reuse (not owned: never closed here)

    def __post_init__(self) -> None:
        if self.workers is not None and self.workers < 1:
            raise UserError(f"--workers must be at least 1, got {self.workers}")
        if self.scheduler and self.scheduler_file:
            raise UserError("give either --scheduler or --scheduler-file, not both")


@dataclass
class RunResult:
    """What a run produced: its id, the conjecture records it found (stored), and task counts."""

    run_id: str
    records: list[dict] = field(default_factory=list)
    n_tasks: int = 0
    n_done: int = 0
    n_failed: int = 0
    elapsed: float = 0.0
    status: str = "done"


def derive_seed(run_seed: int, key: str) -> int:
    """A task's seed: a hash of the run seed and the task key (deterministic, independent of scheduling)."""
    return int(hashlib.sha256(f"{run_seed}:{key}".encode()).hexdigest()[:8], 16)


class _Progress:
    """A one-line progress bar on stderr: tasks done, conjectures found, rate, and the current best."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled = total, enabled
        self.done = self.found = self.validated = 0
        self.best = ""
        self.best_key = None
        self.t0 = self.last = time.monotonic()
        self.tty = sys.stderr.isatty()
        self.final_shown = False

    def update(self, records: list[dict], force: bool = False) -> None:
        self.done += 1
        self.found += len(records)
        self.validated += sum(1 for r in records if r.get("validated"))
        for r in records:
            key = self._rank(r)
            if self.best_key is None or key < self.best_key:
                self.best_key = key
                rel = "~" if r.get("kind") in ("model", "approximation") else "="
                self.best = f"{r['lhs']} {rel} {r['rhs']}"[:70]
        self.show(force)

    @staticmethod
    def _rank(r: dict) -> tuple:
        """Validated first; then most digits (identities) or smallest error (models, approximations)."""
        err = r.get("max_rel_error")
        return (not r.get("validated"), -(r.get("digits") or 0), err if err is not None else float("inf"),
                r.get("complexity") or 0)

    def show(self, force: bool = False) -> None:
        if not self.enabled or self.final_shown:
            return
        now = time.monotonic()
        if not (force or self.tty or now - self.last > 5 or self.done == self.total):
            return
        self.last = now
        rate = self.done / max(now - self.t0, 1e-9)
        width = 24
        filled = int(width * self.done / max(self.total, 1))
        bar = "#" * filled + "-" * (width - filled)
        line = (f"[{bar}] {self.done}/{self.total} tasks  {self.found} conjectures ({self.validated} validated)"
                f"  {rate:.1f} tasks/s  best: {self.best}")
        end = "\r" if self.tty and self.done < self.total else "\n"
        self.final_shown = self.done >= self.total
        print(("\r" if self.tty else "") + line[:160].ljust(80), end=end, file=sys.stderr, flush=True)

    def add_total(self, n: int) -> None:
        self.total += n


def connect(options: RunnerOptions):
    """A Dask client for the options: an existing scheduler, or a new LocalCluster (worker processes).

    Returns ``(client, cluster)``; ``cluster`` is ``None`` when this process did not start one.
    """
    from distributed import Client, LocalCluster

    if options.scheduler_file:
        if not Path(options.scheduler_file).is_file():
            raise UserError(f"scheduler file not found: {options.scheduler_file}")
        try:
            return Client(scheduler_file=options.scheduler_file, timeout="10s"), None
        except (OSError, TimeoutError) as exc:
            raise UserError(f"cannot reach the scheduler in {options.scheduler_file}: {exc}") from None
    if options.scheduler:
        try:
            return Client(options.scheduler, timeout="5s"), None
        except (OSError, TimeoutError, ValueError) as exc:
            raise UserError(f"cannot reach scheduler {options.scheduler}: {str(exc).splitlines()[0]}") from None
    n = options.workers or os.cpu_count() or 1
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    return Client(cluster), cluster


def _execute(engine, task):
    """Worker side: run one task; engine errors come back as a value so the client can record them."""
    try:
        return engine.run_task(task), None
    except Exception:  # an engine bug must not kill the run: the task is marked failed with its traceback
        return [], traceback.format_exc(limit=5)


def _to_record(candidate, verdict: Verdict) -> dict:
    from discovery.latex import statement_latex

    rec = {
        "engine": candidate.engine,
        "target": candidate.target,
        "kind": candidate.kind,
        "lhs": candidate.lhs,
        "rhs": candidate.rhs,
        "complexity": candidate.complexity,
        "digits": verdict.digits if verdict.digits is not None else candidate.digits,
        "max_rel_error": verdict.max_rel_error if verdict.max_rel_error is not None else candidate.max_rel_error,
        "validated": bool(verdict.validated),
        "status": "validated" if verdict.validated else ("rejected" if candidate.check else "unchecked"),
        "note": verdict.note,
        "meta": dict(candidate.meta),
    }
    if verdict.note:
        rec["meta"].setdefault("validation_note", verdict.note)
    rec["latex"] = candidate.latex or statement_latex(rec)
    rec["canonical"] = candidate.canonical or canonical_key(candidate.kind, candidate.target, candidate.lhs, candidate.rhs)
    return rec


def _check(candidate, digits: int) -> Verdict:
    try:
        return validate(candidate, digits)
    except UserError:
        raise
    except Exception as exc:  # a candidate whose check cannot even be evaluated is rejected, never validated
        return Verdict(validated=False, note=f"validation failed: {type(exc).__name__}: {exc}"[:300])


def run_engine(engine, *, store, params: dict, options: RunnerOptions | None = None, digits: int = 50,
               seed: int = 0, target: str = "", run_id: str | None = None) -> RunResult:
    """Run ``engine`` and store its validated conjectures.  With ``run_id``, resume that run's unfinished tasks."""
    options = options or RunnerOptions()
    if digits is None or digits < 1:
        raise UserError(f"--digits must be a positive integer, got {digits}")
    t0 = time.monotonic()
    # Connect before touching the store: an unreachable scheduler must leave the store unchanged.
    client = cluster = None
    if not options.no_cluster:
        client, cluster = (options.client, None) if options.client is not None else connect(options)
    try:
        return _run(engine, store, params, options, digits, seed, target, run_id, client, t0)
    finally:
        if options.client is None and client is not None:
            client.close()
            if cluster is not None:
                cluster.close()


def _run(engine, store, params, options, digits, seed, target, run_id, client, t0) -> RunResult:
    from search.base import Task

    if run_id is None:
        tasks = [dataclasses.replace(t, seed=derive_seed(seed, t.key)) for t in engine.tasks()]
        if len({t.key for t in tasks}) != len(tasks):
            raise ValueError(f"engine {engine.name} produced duplicate task keys")
        run_id = store.create_run(engine.name, target, params, seed, digits, tasks)
    else:
        store.mark_running(run_id)
        tasks = [Task(key=t["key"], engine=engine.name, payload=t["payload"], seed=t["seed"])
                 for t in store.pending_tasks(run_id)]
    result = RunResult(run_id=run_id, n_tasks=len(tasks))
    progress = _Progress(len(tasks), options.progress)
    followup = getattr(engine, "followup", None)

    def finish(task, candidates, error):
        if error:
            log.warning("task %s failed:\n%s", task.key, error)
            store.record_task(run_id, task.key, [], error=error)
            result.n_failed += 1
            progress.update([])
            return []
        records = []
        for cand in candidates:
            rec = _to_record(cand, _check(cand, digits))
            if rec["validated"] or options.keep_rejected or cand.kind in ("model", "approximation"):
                records.append(rec)
        stored = store.record_task(run_id, task.key, records)
        result.records.extend(stored)
        result.n_done += 1
        progress.update(stored)
        new = []
        if followup is not None:
            new = [dataclasses.replace(t, seed=derive_seed(seed, t.key)) for t in followup(task, candidates)]
            if new:
                store.add_tasks(run_id, new)
                result.n_tasks += len(new)
                progress.add_total(len(new))
        return new

    status = "failed"
    try:
        if options.no_cluster:
            queue = list(tasks)
            while queue:
                task = queue.pop(0)
                cands, error = _execute(engine, task)
                queue.extend(finish(task, cands, error))
        else:
            _run_dask(client, engine, tasks, run_id, finish)
        status = "failed" if result.n_failed else "done"
    except KeyboardInterrupt:
        status = "interrupted"
        print(f"\ninterrupted: run {run_id} kept every finished task; `discover resume {run_id}` continues it",
              file=sys.stderr)
        raise
    finally:
        store.set_run_status(run_id, status)
        result.status = status
        result.elapsed = time.monotonic() - t0
        progress.show(force=True)
    # one entry per conjecture, in the order found
    seen, unique = set(), []
    for rec in result.records:
        if rec["id"] not in seen:
            seen.add(rec["id"])
            unique.append(rec)
    result.records = unique
    return result


def _run_dask(client, engine, tasks, run_id, finish) -> None:
    from distributed import as_completed

    engine_future = None
    try:
        engine_future = client.scatter(engine, broadcast=True, hash=False)
        by_key = {}

        def submit(task):
            fut = client.submit(_execute, engine_future, task, key=f"{task.key}-{run_id}", pure=False)
            by_key[fut.key] = task
            return fut

        ac = as_completed([submit(t) for t in tasks])
        for fut in ac:
            task = by_key.pop(fut.key)
            try:
                cands, error = fut.result()
            except Exception as exc:  # e.g. KilledWorker after repeated worker deaths
                cands, error = [], f"{type(exc).__name__}: {exc}"
            fut.release()
            for new in finish(task, cands, error):
                ac.add(submit(new))
    finally:
        if engine_future is not None:
            engine_future.release()


def resume_engine(engine, *, store, run_id: str, options: RunnerOptions | None = None) -> RunResult:
    """Resume ``run_id``: re-run only the tasks the store has not marked done."""
    run = store.get_run(run_id)
    return run_engine(engine, store=store, params=run["params"], options=options, digits=run["digits"],
                      seed=run["seed"], target=run["target"], run_id=run_id)
