"""The evolutionary engine: mutations, NSGA-II islands, claimed errors that hold, the library table."""

import math

import mpmath
import numpy as np
import pytest

from search.base import Task
from search.evolution import approximate
from search.evolution.engine import (
    ApproximationEngine, Individual, SearchConfig, _context, _fhash, mutate, nsga_select, pareto_front, score,
)
from search.evolution.listing import check_python_source, costs, parse_python
from search.evolution.programs import X, deserialize, serialize, to_listing
from search.expr.terms import param as P


@pytest.fixture(scope="module")
def exp_engine():
    return ApproximationEngine("exp", (0, 1), max_ops=6, islands=2, rounds=2, population=16, offspring=8,
                               time_limit=4.0, round_time=2.0, seed=3)


@pytest.fixture(scope="module")
def exp_candidates(exp_engine):
    task = exp_engine.tasks()[0]
    return exp_engine.run_task(task)


def _exec(src):
    ns = {}
    exec(compile(src, "<approx>", "exec"), {"__builtins__": {}}, ns)
    return ns["approx"]


def test_mutations_always_change_the_functional_hash():
    cfg = SearchConfig("exp", (0, 1), max_ops=10)
    ctx = _context(cfg)
    ind = score(P(0) * X + P(1), np.array([1.7, 0.9]), ctx)
    rng = np.random.default_rng(0)
    kinds_seen = 0
    for _ in range(60):
        m = mutate(ind, rng, ctx)
        assert m is not None
        expr, params = m
        assert _fhash(expr, params, ctx) != ind.fhash
        assert costs(to_listing(expr, params))["ops"] <= 10
        kinds_seen += 1
    assert kinds_seen == 60


def test_nsga_selection_keeps_the_non_dominated_set():
    def ind(cost, err):
        return Individual(None, np.zeros(0), err, cost, {}, hash((cost, err)))

    pop = [ind(1, 1e-1), ind(2, 1e-2), ind(2, 1e-1), ind(3, 1e-4), ind(5, 1e-3), ind(4, 1e-5), ind(6, 1e-5)]
    sel = nsga_select(pop, 4)
    front = {(d.cost, d.err) for d in sel if d.rank == 0}
    assert front == {(1, 1e-1), (2, 1e-2), (3, 1e-4), (4, 1e-5)}
    assert [(d.cost, d.err) for d in pareto_front(pop)] == [(1, 1e-1), (2, 1e-2), (3, 1e-4), (4, 1e-5)]


def test_island_candidates_hold_their_claimed_errors(exp_candidates):
    """Each emitted program, executed as Python (float64) on a fine grid and compared with mpmath, shows the error
    it claims (the claim is the real-number error: float rounding adds at most a few 1e-16)."""
    assert len(exp_candidates) >= 4
    xs = np.linspace(0, 1, 3001)
    for c in exp_candidates:
        check_python_source(c.meta["program"])
        f = _exec(c.meta["program"])
        ys = np.broadcast_to(np.asarray(f(xs), dtype=np.float64), xs.shape)  # a constant program gives a float
        with mpmath.workdps(30):
            err = max(float(abs(mpmath.mpf(float(y)) / mpmath.exp(mpmath.mpf(float(x))) - 1)) for x, y in zip(xs, ys))
        assert err <= c.max_rel_error * 1.001 + 1e-15
        assert err >= 0.9 * c.max_rel_error - 1e-15  # the claim is not loose either
        assert c.kind == "approximation" and c.complexity == c.meta["ops"]["ops"]
        assert set(c.meta["ops"]) == {"ops", "fma", "cycles"}
        assert c.meta["baseline"]["ops"]["ops"] <= c.meta["ops"]["ops"]


def test_front_is_monotone_and_beats_or_matches_baselines(exp_candidates):
    costs_ = [c.meta["ops"]["ops"] for c in exp_candidates]
    errs = [c.max_rel_error for c in exp_candidates]
    assert costs_ == sorted(costs_) and len(set(costs_)) == len(costs_)
    assert all(a > b for a, b in zip(errs, errs[1:]))
    for c in exp_candidates:
        # the seeds include the Horner families, so the search is never worse than the equal-cost polynomial
        assert c.max_rel_error <= c.meta["baseline"]["max_rel_error"] * 1.05
    six = [c for c in exp_candidates if c.meta["ops"]["ops"] == 6]
    assert six and six[0].max_rel_error < 0.5 * 3.22e-4  # degree-3 minimax, 3.2e-4 (ANCHORS §5)


def test_validator_confirms_the_candidates(exp_candidates):
    from discovery.validators.program import validate

    for c in exp_candidates[-2:]:
        v = validate(c, 30)
        assert v.validated, v.note
        assert v.max_rel_error >= c.max_rel_error
        assert v.max_rel_error <= 1.1 * c.max_rel_error


def test_validator_rejects_a_wrong_claim_and_a_bad_program(exp_candidates):
    from dataclasses import replace

    from discovery.validators.program import validate

    c = exp_candidates[-1]
    wrong = replace(c, check={**c.check, "claimed": c.max_rel_error / 10})
    assert not validate(wrong, 30).validated
    bad = replace(c, meta={**c.meta, "program": "def approx(x):\n    return exp(x)\n"})
    v = validate(bad, 30)
    assert not v.validated and "not allowed" in v.note


def test_followup_migrates_between_islands(exp_engine, exp_candidates):
    t0, t1 = exp_engine.tasks()
    nxt = exp_engine.followup(t0, exp_candidates)
    assert len(nxt) == 1 and nxt[0].payload["round"] == 1 and nxt[0].payload["island"] == 0
    assert nxt[0].key != t0.key
    # island 1 finishing now receives island 0's programs as migrants
    fake = exp_candidates[:2]
    nxt1 = exp_engine.followup(t1, fake)
    progs = nxt1[0].payload["programs"]
    assert any(g in progs for g in (c.meta["genome"] for c in exp_candidates[2:]))
    # last round: no more tasks
    last = Task(nxt[0].key, nxt[0].engine, {**nxt[0].payload, "round": 1}, 0)
    assert exp_engine.followup(last, exp_candidates) == []
    # genomes round-trip exactly
    expr, params = deserialize(exp_candidates[-1].meta["genome"])
    assert serialize(expr, params) == exp_candidates[-1].meta["genome"]


def test_float32_mode_measures_ulps():
    front = approximate("exp2", (0, 1), max_ops=8, dtype="float32", time_limit=3, islands=1, rounds=1,
                        population=12, offspring=6, max_squarings=1)
    assert len(front) >= 3
    xs = np.linspace(0, 1, 2049).astype(np.float32)
    for row in front:
        f = row.function()
        ys = f(xs)
        if np.ndim(ys) == 0:  # a constant program returns its literal
            ys = np.full(xs.shape, np.float32(ys))
        assert ys.dtype == np.float32  # float literals stay weak: the arithmetic is float32
        with mpmath.workdps(30):
            worst = 0.0
            for x, y in zip(xs, ys):
                exact = mpmath.power(2, mpmath.mpf(float(x)))
                with mpmath.workprec(24):
                    r32 = np.float32(float(+exact))
                worst = max(worst, float(abs(mpmath.mpf(float(y)) - exact)) / float(np.spacing(r32)))
        assert worst <= row.max_ulp * 1.02 + 0.01
    assert front.rows[-1].max_ulp < 10


def test_library_table_and_fma_cost_model():
    front = approximate("cos", (0, 1), max_ops=4, fma=True, time_limit=2, islands=1, rounds=1, population=12,
                        offspring=6)
    assert front.model == "fma"
    text = str(front)
    assert "baseline" in text and "minimax" in text
    best = front.best()
    assert best.cost <= 4 and best.ops["fma"] == best.cost
    # cos(x) ~ p(x^2): with 4 fma-ops the even polynomial of degree 6 is reachable (cos is even): < 1e-6
    assert best.max_rel_error < 1e-6
    df = front.to_pandas()
    assert list(df["cost"]) == [r.cost for r in front]
    assert "\\begin{aligned}" in best.latex()
    assert "double approx(double x)" in best.c_source()


def test_program_listing_rejects_disallowed_ops():
    from search.expr.terms import exp as EXP

    with pytest.raises(ValueError, match="not allowed"):
        to_listing(EXP(X), np.zeros(0))
    assert parse_python("def approx(x):\n    return x\n").n_instr == 0
    assert not math.isnan(1.0)


def test_island_is_deterministic_given_its_seed_and_generations():
    from search.evolution.engine import run_island

    cfg = SearchConfig("exp", (0, 1), max_ops=5, population=10, offspring=5, max_squarings=1)
    runs = [run_island(cfg, 7, time_budget=1e9, generations=2)[0] for _ in range(2)]
    assert [(d.cost, d.err, d.fhash) for d in runs[0]] == [(d.cost, d.err, d.fhash) for d in runs[1]]


def test_cycles_cost_model_is_the_objective():
    front = approximate("exp", (0, 1), max_ops=5, cost="cycles", time_limit=2, islands=1, rounds=1,
                        population=10, offspring=5, max_squarings=1)
    assert front.model == "cycles"
    for row in front:
        assert row.cost == row.ops["cycles"] and row.ops["ops"] <= 5
        if row.baseline:
            assert row.baseline["ops"]["cycles"] <= row.cost
    cyc = [r.cost for r in front]
    assert cyc == sorted(cyc)
