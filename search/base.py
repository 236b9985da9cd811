"""The contract every search engine fulfils.

An engine turns a *problem* into independent :class:`Task` objects with deterministic keys, and turns one task
into a list of :class:`Candidate` objects with a pure, picklable function.  The workbench (``discovery``) runs
the tasks (in-process or on Dask), validates the candidates at high precision, deduplicates them and stores them
as conjectures.  Nothing here knows about SQLite, Dask or the CLI.

Engines may also implement ``followup(task, candidates) -> list[Task]``: it is called on the client as each task
finishes and lets multi-round engines (island migration, shared hall of fame) feed results into new tasks.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, runtime_checkable

__all__ = ["Task", "Candidate", "Engine", "task_key", "KINDS"]

#: The four kinds of conjecture (DESIGN.md, "The conjecture record").
KINDS = ("identity", "approximation", "model", "simplification")


def task_key(engine: str, payload: Any) -> str:
    """A deterministic key for a task: the engine name plus a short SHA-256 of the canonical JSON payload."""
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return f"{engine}-{hashlib.sha256(blob.encode()).hexdigest()[:20]}"


@dataclass(frozen=True)
class Task:
    """One independent unit of work.

    ``payload`` is JSON-serialisable (it is stored with the task for resume); ``seed`` is derived
    deterministically from the run seed and the key, so a resumed or re-run task does exactly the same work.
    """

    key: str
    engine: str
    payload: dict
    seed: int = 0


@dataclass
class Candidate:
    """What an engine returns: a formula with the evidence needed to check it.

    Fields mirror the conjecture record of DESIGN.md; the workbench fills in ``id``/``run_id`` and the
    validation result.  ``check`` tells ``discovery.validate`` how to re-evaluate the claim at high precision:
    ``{"type": NAME, ...}`` dispatches to ``discovery.validators.NAME.validate``.  ``canonical`` optionally
    overrides the deduplication key.
    """

    engine: str
    target: str
    kind: str
    lhs: str
    rhs: str
    latex: str | None = None
    complexity: int | None = None
    digits: float | None = None
    max_rel_error: float | None = None
    meta: dict = field(default_factory=dict)
    check: dict | None = None
    canonical: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown conjecture kind {self.kind!r}; expected one of {', '.join(KINDS)}")

    def to_dict(self) -> dict:
        return asdict(self)


@runtime_checkable
class Engine(Protocol):
    """An engine: a name, a way to split a problem into tasks, and a pure function of one task."""

    name: str

    def tasks(self) -> list[Task]:
        """The run's initial tasks (the engine was constructed with its problem and configuration)."""
        ...

    def run_task(self, task: Task) -> list[Candidate]:
        """Turn one task into candidates.  Pure, deterministic given ``task.seed``, and picklable."""
        ...
