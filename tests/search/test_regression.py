"""Symbolic regression: exact recovery, masks, constant snapping, the estimator contract, bad input, determinism."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import sympy as sp

from search.regression import SearchConfig, SymbolicRegressor, check_data, run_search
from search.regression.fitness import Scorer, snap_candidates, split_terms
from search.regression.grammar import Grammar
from search.regression.recovery import exact_recovery


def _data(expr, box, n=20, seed=1):
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.uniform(a, b, n) for a, b in box])
    env = {"np": np, "x": X[:, 0], "y": X[:, -1]}
    return X, eval(expr, env)  # noqa: S307 - fixed test expressions


def _fast(**kw):
    base = dict(time_limit=40.0, max_evals=6000, n_searches=1, rounds=1, random_state=0)
    base.update(kw)
    return SymbolicRegressor(**base)


# --- exact recovery of Nguyen problems (fixed seed, each a few seconds) ------------------------------------------
@pytest.mark.parametrize("name,expr,truth,box", [
    ("Nguyen-2", "x**4 + x**3 + x**2 + x", "x0**4 + x0**3 + x0**2 + x0", [(-1, 1)]),
    ("Nguyen-5", "np.sin(x**2)*np.cos(x) - 1", "sin(x0**2)*cos(x0) - 1", [(-1, 1)]),
    ("Nguyen-8", "np.sqrt(x)", "sqrt(x0)", [(0, 4)]),
    ("Nguyen-10", "2*np.sin(x)*np.cos(y)", "2*sin(x0)*cos(x1)", [(0, 1), (0, 1)]),
    ("Nguyen-12", "x**4 - x**3 + y**2/2 - y", "x0**4 - x0**3 + x1**2/2 - x1", [(0, 1), (0, 1)]),
])
def test_nguyen_exact_recovery(name, expr, truth, box):
    X, y = _data(expr, box)
    # 12000 evaluations: the library, its affine-argument pairs and the MCTS share the budget, and the GP stage
    # starts at half of it (each of these recovers within about 1 s of CPU time)
    m = _fast(max_evals=12000).fit(X, y)
    syms = {f"x{i}": sp.Symbol(f"x{i}") for i in range(X.shape[1])}
    assert exact_recovery(m.sympy(), truth, syms), f"{name}: got {m.sympy()}"
    assert m.stop_reasons_ == ["exact"]
    # the recovered model generalises: fresh points from the same box
    X2, y2 = _data(expr, box, n=200, seed=7)
    np.testing.assert_allclose(m.predict(X2), y2, rtol=1e-9, atol=1e-9)


def test_best_model_is_listed_and_front_is_monotone():
    X, y = _data("np.sin(x**2)*np.cos(x) - 1", [(-1, 1)])
    m = _fast().fit(X, y)
    eq = m.equations_
    assert list(eq.columns) == ["complexity", "loss", "score", "equation", "sympy"]
    assert np.all(np.diff(eq["complexity"].to_numpy()) > 0)
    assert np.all(np.diff(eq["loss"].to_numpy()) < 0)
    assert m.best_["equation"] == str(m.sympy())
    for i in range(len(eq)):
        np.testing.assert_allclose(np.mean((m.predict(X, index=i) - y) ** 2), eq["loss"].iloc[i], rtol=1e-6,
                                   atol=1e-25)
    assert "\\sin" in m.latex()


# --- grammar masks -----------------------------------------------------------------------------------------------
def test_random_expressions_obey_the_rsrm_masks():
    g = Grammar(2, max_depth=4, max_len=15, max_consts=2)
    rng = np.random.default_rng(0)
    trig = {g.token("sin"), g.token("cos")}
    exp_, log_ = g.token("exp"), g.token("log")
    for _ in range(2000):
        toks = g.random_complete(g.start(), rng)
        assert len(toks) <= g.max_len and g.depth(toks) <= g.max_depth
        assert sum(1 for t in toks if t == g.const_token) <= g.max_consts
        assert g.is_valid(toks)

        # walk the tree: no trig below trig, no exp(log) / log(exp), no constant as a unary argument
        def walk(i, in_trig, parent):
            t = toks[i]
            if t in trig:
                assert not in_trig
            if t == exp_:
                assert parent != log_
            if t == log_:
                assert parent != exp_
            if t == g.const_token:
                assert g.arity[parent] != 1 if parent is not None else False
            j = i + 1
            for _ in range(int(g.arity[t])):
                j = walk(j, in_trig or t in trig, t)
            return j

        assert walk(0, False, None) == len(toks)


def test_grammar_rejects_unknown_operator():
    with pytest.raises(ValueError, match="unknown operator"):
        Grammar(1, operators=("+", "gamma"))


# --- constants: fitting and snapping -------------------------------------------------------------------------------
def test_constants_are_fitted_and_snapped_to_exact_values():
    g = Grammar(1)
    rng = np.random.default_rng(3)
    X = rng.uniform(0.1, 2, (30, 1))
    x = X[:, 0]
    y = np.log(x + 1.4) + np.pi * np.exp(x / 2)
    sc = Scorer(g, X, y)
    toks = [g.token(w) for w in "+ log + x0 C exp / x0 C".split()]
    fr = sc.score(toks)
    assert fr.nrmse < 1e-10
    sn = sc.snap(fr)
    from fractions import Fraction

    consts = [c for _, th in sn.terms for c in th]
    assert Fraction(7, 5) in consts and Fraction(2) in consts
    assert ("pi", Fraction(1)) in sn.coefs
    assert sn.nrmse < 1e-12


def test_snap_candidates_offer_simple_values_first():
    from fractions import Fraction

    c = snap_candidates(0.4999999)
    assert c[0] == 0 and c[1] == Fraction(1, 2)
    assert ("pi", Fraction(1, 2)) in snap_candidates(math.pi / 2)


def test_split_terms_absorbs_signs_and_constant_factors():
    g = Grammar(1)
    toks = [g.token(w) for w in "- * C sin x0 + x0 C".split()]
    terms = split_terms(g, toks)
    assert terms == [(g.token("sin"), 0), (0,)]


# --- bad input -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("X,y,msg", [
    (np.array([[1.0], [np.nan], [3.0], [4.0], [5.0], [6.0]]), np.arange(6.0), "NaN or inf"),
    (np.arange(6.0).reshape(-1, 1), np.array([0, 1, np.inf, 3, 4, 5.0]), "NaN|inf"),
    (np.arange(6.0).reshape(-1, 1), np.arange(5.0), "inconsistent numbers of samples"),
    (np.arange(3.0).reshape(-1, 1), np.arange(3.0), "too few rows"),
    (np.ones((6, 1, 1)), np.arange(6.0), "dim 3"),
])
def test_bad_input_raises_one_line_value_error(X, y, msg):
    with pytest.raises(ValueError, match=msg) as ei:
        _fast(max_evals=50).fit(X, y)
    assert "\n" not in str(ei.value)
    # the engine-level check gives the same errors without scikit-learn in the way
    if msg != "dim 3":
        with pytest.raises(ValueError, match="NaN or inf|rows but y has|too few rows"):
            check_data(X, y)


def test_predict_checks_its_input():
    X, y = _data("x**2", [(-1, 1)])
    m = _fast(max_evals=300).fit(X, y)
    with pytest.raises(ValueError, match="features"):
        m.predict(np.ones((3, 2)))
    with pytest.raises(ValueError, match="NaN"):
        m.predict(np.array([[np.nan]]))
    with pytest.raises(ValueError, match="index"):
        m.predict(X, index=999)


def test_check_data_rejects_bad_names():
    X = np.ones((6, 2))
    with pytest.raises(ValueError, match="identifier"):
        check_data(X, np.ones(6), ["a b", "c"])
    with pytest.raises(ValueError, match="distinct"):
        check_data(X, np.ones(6), ["a", "a"])


@pytest.mark.parametrize("names", [["gamma", "beta"], ["E", "I"], ["S", "N"]])
def test_sympy_clashing_column_names_work(names):
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    X = rng.uniform(0.5, 2, (25, 2))
    y = 3 * X[:, 0] * X[:, 1] + 1
    df = pd.DataFrame(X, columns=names)
    m = _fast(max_evals=3000).fit(df, y)
    e = m.sympy()
    a, b = sp.Symbol(names[0]), sp.Symbol(names[1])
    assert e.free_symbols == {a, b}
    assert sp.simplify(e - (3 * a * b + 1)) == 0
    # the printed equation parses back with the names as plain symbols
    back = sp.parse_expr(m.best_["equation"], local_dict={n: sp.Symbol(n) for n in names})
    assert sp.simplify(back - e) == 0
    # variable_names= works the same way on a plain array
    m2 = _fast(max_evals=3000, variable_names=names).fit(X, y)
    assert str(m2.sympy()) == str(e)


# --- determinism ---------------------------------------------------------------------------------------------------
def test_same_seed_same_result():
    X, y = _data("np.exp(x) * x + 1", [(-1, 1)])
    kw = dict(max_evals=1500, n_searches=2, rounds=2, time_limit=120.0, random_state=5)
    a = SymbolicRegressor(**kw).fit(X, y)
    b = SymbolicRegressor(**kw).fit(X, y)
    assert list(a.equations_["equation"]) == list(b.equations_["equation"])


def test_time_limited_run_is_reproducible_when_it_ends_on_the_exact_fit():
    # a run with only a time limit (CPU clock) is reproducible when it stops on the exact fit, not on the limit
    X, y = _data("np.log(x + 1.4) + np.log(x**2 + 1.3)", [(0, 2)])
    kw = dict(max_evals=10**7, time_limit=60.0, time_clock="cpu")
    a, b = _fast(**kw).fit(X, y), _fast(**kw).fit(X, y)
    assert a.stop_reasons_ == b.stop_reasons_ == ["exact"]
    assert list(a.equations_["equation"]) == list(b.equations_["equation"])
    syms = {"x0": sp.Symbol("x0")}
    assert exact_recovery(a.sympy(), "log(x0 + 1.4) + log(x0**2 + 1.3)", syms), a.sympy()  # Nguyen-7c
    c = _fast(max_evals=40).fit(X, y)
    assert c.stop_reasons_ == ["max_evals"]
    with pytest.raises(ValueError, match="clock"):
        _fast(time_clock="gpu").fit(X, y)


@pytest.mark.parametrize("expr,truth,box", [
    ("np.log(x + 1) + np.log(x**2 + 1)", "log(x0 + 1) + log(x0**2 + 1)", [(0, 2)]),  # Nguyen-7
    ("np.sin(1.5*x)*np.cos(0.5*y)", "sin(1.5*x0)*cos(0.5*x1)", [(0, 1), (0, 1)]),  # Nguyen-9c
])
def test_unary_terms_on_affine_arguments_are_recovered(expr, truth, box):
    # log(x + C) + log(x**2 + C) and sin(C*x)*cos(C*y): pairs of library terms fitted jointly
    X, y = _data(expr, box)
    m = _fast(max_evals=10**7, time_limit=60.0, time_clock="cpu").fit(X, y)
    syms = {f"x{i}": sp.Symbol(f"x{i}") for i in range(X.shape[1])}
    assert exact_recovery(m.sympy(), truth, syms), m.sympy()


@pytest.mark.parametrize("model,truth,ok", [
    ("27*exp(y*log(x))/10", "2.7*x**y", True),  # x**y is exp(y*log(x))
    ("3.39*x**3 + x*(2.12*x + 1.78)", "3.39*x**3 + 2.12*x**2 + 1.78*x", True),
    ("x + 5", "x", True),  # a constant offset or a constant factor is allowed (SRBench)
    ("2*x", "x", True),
    ("exp(y*log(x)) + 9.1e-20*log(x)", "x**y", True),  # |float| < 1e-4 is rounded to 0 (SRBench)
    ("1.0*x**0.425999999999999", "x**0.426", True),  # 3 decimal places
    ("sin(x) + 0.0101*x", "sin(x)", False),
    ("(x**2)**(1/4)", "sqrt(x)", False),  # no positivity assumption
    ("-80.1*x + 36.3*exp(x) - 9.9*exp(cos(x)) + 68.4*cos(x)", "(x**6 + x**5)/(x**4 + x**3 + x**2 + x + 1)", False),
    ("0", "x", False),
    # rewriting sin/cos as exponentials here once made SymPy's gcd grow past 10 GB; now a prompt False (the
    # rational is not a float, so SRBench's rounding keeps it)
    ("sin(x*(x + 1/129082753500012))*cos(x) - 2", "sin(x**2)*cos(x) - 2", False),
])
def test_srbench_recovery_criterion(model, truth, ok):
    syms = {"x": sp.Symbol("x"), "y": sp.Symbol("y")}
    assert exact_recovery(model, truth, syms) is ok


def test_recovery_check_gives_up_after_its_timeout():
    import time

    syms = {"x": sp.Symbol("x")}
    assert exact_recovery("sin(x)**2 + cos(x)**2 + x", "1 + x", syms) is True
    t = time.perf_counter()
    assert exact_recovery("sin(x)**2 + cos(x)**2 + x", "1 + x", syms, timeout=1e-3) is False
    assert time.perf_counter() - t < 5.0
    assert exact_recovery("sin(x)**2 + cos(x)**2 + x", "1 + x", syms, timeout=60) is True  # the alarm is cleared


def test_snap_candidates_never_make_a_huge_float_an_exact_integer():
    from fractions import Fraction

    # a relative 1e-9 test passed every float beyond 1e9: a fitted 1.29e14 became an exact-looking integer and a
    # model sin(x*(x + 1/129082753500012))*cos(x) - 2 ended its search as "exact"
    assert snap_candidates(1.29082753500012e14) == [Fraction(0)]
    assert snap_candidates(3.5e9) == [Fraction(0)]
    assert Fraction(123456) in snap_candidates(123456.0000000001)
    assert Fraction(123456) not in snap_candidates(123456.01)


@pytest.mark.parametrize("model,want", [
    ("1.0*x**0.333333333333333 + 4.16491037488826e-17", "x**(1/3)"),
    ("sin(x*(x + 7.7469e-15))*cos(x) - 2", "sin(x**2)*cos(x) - 2"),
    ("exp(y*log(x)) + 9.09411174904546e-20*log(x)", "exp(y*log(x))"),
    ("0.999999999999998*x + 3.0", "x + 3"),
    ("0.7937005259840996*(2*x)**0.5", "1.122462048309373*sqrt(x)"),  # 0.5 -> 1/2; 2**(1/6) has no simple value
    ("1e-13*exp(30*x) + x", None),  # tiny but not negligible on the data: kept
])
def test_tidy_floats_snaps_only_what_leaves_the_values_unchanged(model, want):
    from search import expr as E
    from search.regression.models import _tidy_floats

    syms = {"x": sp.Symbol("x"), "y": sp.Symbol("y")}
    sym = sp.parse_expr(model, local_dict=dict(syms))
    names = ["x", "y"]
    rng = np.random.default_rng(0)
    X = rng.uniform(0.5, 1.5, size=(40, 2))
    ref = np.asarray(E.compile(E.from_sympy(sym, variables=names), names)(X), dtype=float)
    got = _tidy_floats(sym, names, X, ref)
    if want is None:
        assert got == sym
    else:
        assert str(got) == str(sp.parse_expr(want, local_dict=dict(syms))), got


def test_run_search_stops_early_on_exact_fit():
    X, y = _data("x*x + x", [(-1, 1)])
    res = run_search(X, y, SearchConfig(max_evals=50000, time_limit=60), seed=0)
    best = min(res, key=lambda f: f.nrmse)
    assert best.nrmse < 1e-12


# --- scikit-learn contract -----------------------------------------------------------------------------------------
def test_sklearn_check_estimator():
    from sklearn.utils.estimator_checks import check_estimator

    est = SymbolicRegressor(max_evals=150, n_searches=1, rounds=1, gp=False, time_limit=10.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(est, on_fail=None)
    failed = [(r["check_name"], str(r["exception"])[:200]) for r in results if r["status"] == "failed"]
    assert not failed, failed
    # The only check scikit-learn skips is check_array_api_input: it needs SCIPY_ARRAY_API=1 set before SciPy is
    # imported and an array-API namespace; the estimator converts every input to a NumPy float64 array, so
    # array-API inputs are out of scope.  Anything else skipped would be a regression of this contract.
    skipped = {r["check_name"] for r in results if r["status"] == "skipped"}
    assert skipped <= {"check_array_api_input"}, skipped
