"""Shared helpers for benchmark scripts: the machine line and median timing."""

from __future__ import annotations

import os
import platform
import statistics
import time


def machine_line() -> str:
    """One line naming the machine: CPU model, core count and Python version."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def median_time(fn, repeat: int = 5, number: int = 1) -> float:
    """Median wall time of ``fn()`` over ``repeat`` runs of ``number`` calls each, in seconds per call."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    return statistics.median(times)
