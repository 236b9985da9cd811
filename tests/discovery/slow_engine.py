"""A small engine for runner tests: each task sleeps, then reports a real (checkable) identity."""

import time

from search.base import Candidate, Task, task_key


class SlowEngine:
    name = "slowtest"

    def __init__(self, n_tasks: int = 8, sleep: float = 0.3, interrupt_at: int | None = None):
        self.n_tasks, self.sleep, self.interrupt_at = n_tasks, sleep, interrupt_at

    def tasks(self):
        return [Task(key=task_key(self.name, i), engine=self.name, payload={"i": i}) for i in range(self.n_tasks)]

    def run_task(self, task):
        i = task.payload["i"]
        if self.interrupt_at is not None and i == self.interrupt_at:
            raise KeyboardInterrupt
        time.sleep(self.sleep)
        rhs = f"{i + 1}*pi/{i + 2}"
        return [Candidate(engine=self.name, target=f"t{i}", kind="identity", lhs=f"pi*{i + 1}/{i + 2}", rhs=rhs,
                          complexity=5, meta={"seed": task.seed}, check={"type": "expr"})]
