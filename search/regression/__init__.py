"""Symbolic regression by Monte-Carlo tree search (RSRM-style), built on the shared expression core.

``SymbolicRegressor`` is the scikit-learn estimator; ``RegressionEngine`` runs the same searches as workbench
tasks (``discover regress``).  See ``search/regression/search.py`` for the algorithm.
"""

from search.regression.engine import RegressionEngine, check_data
from search.regression.estimator import SymbolicRegressor
from search.regression.grammar import DEFAULT_OPERATORS, Grammar
from search.regression.models import max_rel_error
from search.regression.search import SearchConfig, run_search

__all__ = ["DEFAULT_OPERATORS", "Grammar", "RegressionEngine", "SearchConfig", "SymbolicRegressor", "check_data",
           "max_rel_error", "run_search"]
