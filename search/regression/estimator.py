"""``SymbolicRegressor``: the scikit-learn face of the regression engine.

>>> from search.regression import SymbolicRegressor
>>> model = SymbolicRegressor(time_limit=20, random_state=0).fit(X, y)   # X: (n, k) array or DataFrame
>>> model.sympy(), model.latex()          # the best model
>>> model.equations_                      # the Pareto front: complexity, loss, score, equation, sympy
>>> model.predict(X_new, index=2)         # any front member

The estimator runs the engine's tasks in this process (no Dask); ``discover regress`` runs the same tasks on the
workbench.  Same ``random_state`` and ``n_searches`` give the same front, provided the searches end on
``max_evals`` or the early stop rather than on ``time_limit``: ``stop_reasons_`` lists why each search ended
("exact", "grace" and "max_evals" are reproducible; "time" is not, on the wall clock or the CPU clock alike).
A run that recovers an exact formula before its time limit ends on "exact" and is therefore reproducible.
"""

from __future__ import annotations

import numpy as np

try:  # scikit-learn is optional at run time; without it the class still works, minus sklearn's mixins
    from sklearn.base import BaseEstimator, RegressorMixin
    from sklearn.utils.validation import validate_data
except ImportError:  # pragma: no cover
    BaseEstimator = object
    validate_data = None

    class RegressorMixin:  # type: ignore[no-redef]
        pass

from search.regression.engine import RegressionEngine, check_data
from search.regression.models import select_best
from search.regression.search import SearchConfig

__all__ = ["SymbolicRegressor"]


class SymbolicRegressor(RegressorMixin, BaseEstimator):
    r"""Symbolic regression by Monte-Carlo tree search with double Q-learning, form discovery and GP refinement.

    Finds formulas $y \approx f(x)$ over the operator set: an RSRM-style tree search (ANCHORS §4) proposes
    expressions, every constant is fitted (least squares for the linear ones, Levenberg-Marquardt with restarts
    for the rest) and then snapped to simple rationals, $\pi$ or $e$ when the fit does not suffer.

    Parameters (stored as given; checked in ``fit``): ``operators`` (default ``+ - * / sin cos exp log``),
    ``max_complexity`` (node count of reported models), ``time_limit`` (seconds per search task, on the clock
    ``time_clock``: "wall", or "cpu" for this process's CPU time),
    ``max_evals`` (evaluations per search task: the deterministic budget), ``n_searches`` (independent searches),
    ``rounds`` (2 adds a round seeded with the merged hall of fame), ``constants`` (allow fitted constants inside
    expressions), ``max_len``/``max_depth`` (grammar limits), ``gp`` (GP refinement stage), ``tol`` (early stop at
    this NRMSE), ``noise`` (early stop when the RMSE reaches this level), ``simplify`` (clean the front with the
    e-graph simplifier), ``variable_names``, ``random_state``.

    Fitted attributes: ``equations_`` (a pandas DataFrame when pandas is installed, else a list of dicts; columns
    complexity, loss, score, equation, sympy; the Pareto front by complexity), ``best_`` (the row of the best
    model), ``best_index_``, ``variable_names_``, ``n_features_in_`` (and ``feature_names_in_`` for DataFrames),
    ``stop_reasons_`` (why each search task ended, see above).
    """

    def __init__(self, operators=("+", "-", "*", "/", "sin", "cos", "exp", "log"), max_complexity=30,
                 time_limit=30.0, max_evals=20000, n_searches=2, rounds=2, constants=True, max_len=20, max_depth=5,
                 gp=True, tol=1e-12, noise=None, simplify=True, variable_names=None, random_state=0,
                 time_clock="wall"):
        self.operators = operators
        self.max_complexity = max_complexity
        self.time_limit = time_limit
        self.max_evals = max_evals
        self.n_searches = n_searches
        self.rounds = rounds
        self.constants = constants
        self.max_len = max_len
        self.max_depth = max_depth
        self.gp = gp
        self.tol = tol
        self.noise = noise
        self.simplify = simplify
        self.variable_names = variable_names
        self.random_state = random_state
        self.time_clock = time_clock

    # --- fitting ------------------------------------------------------------------------------------------------
    def _config(self) -> SearchConfig:
        if not (isinstance(self.max_complexity, (int, np.integer)) and self.max_complexity >= 1):
            raise ValueError(f"max_complexity must be a positive integer, got {self.max_complexity!r}")
        if not (self.time_limit is not None and float(self.time_limit) > 0):
            raise ValueError(f"time_limit must be positive, got {self.time_limit!r}")
        if not (isinstance(self.max_evals, (int, np.integer)) and self.max_evals >= 1):
            raise ValueError(f"max_evals must be a positive integer, got {self.max_evals!r}")
        ops = self.operators.replace(",", " ").split() if isinstance(self.operators, str) else self.operators
        return SearchConfig(operators=tuple(ops), constants=bool(self.constants), max_len=int(self.max_len),
                            max_depth=int(self.max_depth), max_evals=int(self.max_evals),
                            time_limit=float(self.time_limit), gp=bool(self.gp), tol=float(self.tol),
                            noise=None if self.noise is None else float(self.noise),
                            max_complexity=int(self.max_complexity), clock=str(self.time_clock))

    def _names(self, X, n_cols):
        if self.variable_names is not None:
            return [str(v) for v in self.variable_names]
        cols = getattr(X, "columns", None)
        if cols is not None and all(isinstance(c, str) and c.isidentifier() for c in cols):
            return [str(c) for c in cols]
        return [f"x{i}" for i in range(n_cols)]

    def fit(self, X, y):
        """Search for formulas; fills ``equations_`` and ``best_``.  Returns ``self``."""
        if validate_data is not None:
            # sklearn's own conversion: sparse/complex/object/1-D/None inputs get its standard messages
            Xa, ya = validate_data(self, X, y, ensure_all_finite=False, y_numeric=True, dtype=np.float64)
        else:  # pragma: no cover
            Xa, ya = _as_2d(X), _as_1d(y)
        names = self._names(X, Xa.shape[1])
        Xa, ya, names = check_data(Xa, ya, names)
        seed = 0 if self.random_state is None else self.random_state
        if not isinstance(seed, (int, np.integer)):
            seed = int(np.random.default_rng(seed).integers(2**31)) if seed is not None else 0
        engine = RegressionEngine(Xa, ya, names=names, target="y", config=self._config(),
                                  n_searches=int(self.n_searches), rounds=int(self.rounds),
                                  simplify=bool(self.simplify))
        models = engine.run_inprocess(seed=int(seed))
        from search.regression.models import front_with_scores

        front = front_with_scores(models, ya)
        if not front:
            raise ValueError("no model evaluates finitely on the data")
        self.front_ = front
        self.stop_reasons_ = list(engine.stop_reasons)
        self.best_index_ = select_best(front, ya)
        self.variable_names_ = list(names)
        self.n_features_in_ = Xa.shape[1]
        rows = [{"complexity": m.complexity, "loss": m.loss, "score": m.score, "equation": m.equation,
                 "sympy": m.sympy} for m in front]
        try:
            import pandas as pd

            self.equations_ = pd.DataFrame(rows, columns=["complexity", "loss", "score", "equation", "sympy"])
            self.best_ = self.equations_.iloc[self.best_index_]
        except ImportError:  # pragma: no cover
            self.equations_ = rows
            self.best_ = rows[self.best_index_]
        return self

    # --- using the result ---------------------------------------------------------------------------------------
    def _check_fitted(self):
        if not hasattr(self, "front_"):
            msg = "this SymbolicRegressor is not fitted yet; call fit(X, y) first"
            try:
                from sklearn.exceptions import NotFittedError
            except ImportError:  # pragma: no cover
                raise ValueError(msg) from None
            raise NotFittedError(msg)

    def _model(self, index):
        self._check_fitted()
        if index is None:
            return self.front_[self.best_index_]
        if not isinstance(index, (int, np.integer)) or not -len(self.front_) <= index < len(self.front_):
            raise ValueError(f"index must be an integer row of equations_ (0..{len(self.front_) - 1}), got {index!r}")
        return self.front_[int(index)]

    def predict(self, X, index=None):
        """Values of the best model (or of row ``index`` of ``equations_``) at X."""
        from search import expr as E
        from search.regression import programs

        m = self._model(index)
        if validate_data is not None:
            Xa = validate_data(self, X, reset=False, ensure_all_finite=False, dtype=np.float64)
        else:  # pragma: no cover
            Xa = _as_2d(X)
        if Xa.ndim != 2 or Xa.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {Xa.shape[1] if Xa.ndim == 2 else '?'} features, but SymbolicRegressor is "
                             f"expecting {self.n_features_in_} features as input")
        if not np.all(np.isfinite(Xa)):
            raise ValueError("X contains NaN or inf")
        return E.compile(m.expr, programs.var_names(self.n_features_in_))(Xa)

    def sympy(self, index=None):
        """The SymPy expression of the best model (or of row ``index``)."""
        return self._model(index).sympy

    def latex(self, index=None, precision: int = 4) -> str:
        """LaTeX of the best model (or of row ``index``); floats are printed with ``precision`` digits."""
        import sympy as sp

        e = self._model(index).sympy
        e = e.xreplace({f: sp.Float(f, precision) for f in e.atoms(sp.Float)})
        return sp.latex(e)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = False
        return tags


def _as_2d(X):
    try:
        Xa = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("X must be numeric") from None
    if Xa.ndim == 1:
        raise ValueError("X must be 2-D (rows x variables); reshape a single variable with X.reshape(-1, 1)")
    return Xa


def _as_1d(y):
    try:
        ya = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("y must be numeric") from None
    return ya
