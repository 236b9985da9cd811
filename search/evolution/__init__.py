"""Evolutionary discovery of function approximations (AutoNumerics-Zero style).

Straight-line programs over ``x`` and fitted constants (``+ - * /``, optional ``fma``) are evolved against two
objectives, maximum relative error and cost, and compared with classical approximations of equal cost
(minimax by Remez, Chebyshev interpolation, Taylor, Padé).  See :mod:`search.evolution.engine`.
"""

from search.evolution.api import ApproximationFront, FrontRow, approximate
from search.evolution.baselines import Baseline, all_baselines, best_baseline, chebyshev, pade, remez, taylor
from search.evolution.engine import ApproximationEngine, SearchConfig
from search.evolution.listing import (
    CYCLE_TABLE,
    Listing,
    check_python_source,
    costs,
    latex_program,
    parse_python,
    to_c,
    to_python,
)
from search.evolution.targets import NAMED_TARGETS, parse_interval, reference, resolve_target

__all__ = [
    "ApproximationEngine",
    "ApproximationFront",
    "Baseline",
    "CYCLE_TABLE",
    "FrontRow",
    "Listing",
    "NAMED_TARGETS",
    "SearchConfig",
    "all_baselines",
    "approximate",
    "best_baseline",
    "chebyshev",
    "check_python_source",
    "costs",
    "latex_program",
    "pade",
    "parse_interval",
    "parse_python",
    "reference",
    "remez",
    "resolve_target",
    "taylor",
    "to_c",
    "to_python",
]
