"""Search engines: each turns a problem into candidate formulas.  Imports ``numerics``, never ``discovery``."""

from search.base import KINDS, Candidate, Engine, Task, task_key

__all__ = ["Candidate", "Engine", "KINDS", "Task", "task_key"]
