"""Minimax constant fitting: exact for linear programs, equioscillating for nonlinear ones."""

import numpy as np

from search.evolution.baselines import remez_coefficients
from search.evolution.fit import fit_minimax, residuals
from search.evolution.programs import X, from_listing, to_listing
from search.evolution.targets import reference
from search.expr.terms import param as P


def _horner(d):
    e = P(0)
    for i in range(1, d + 1):
        e = e * X + P(i)
    return e


def _alternations(r):
    runs, start = [], 0
    for i in range(1, len(r) + 1):
        if i == len(r) or np.sign(r[i]) != np.sign(r[start]):
            runs.append(np.max(np.abs(r[start:i])))
            start = i
    return runs


def test_polynomial_fit_is_the_minimax_polynomial():
    ref = reference("exp", (0, 1), n=1024)
    for d in (2, 3, 5):
        res = fit_minimax(_horner(d), np.ones(d + 1), ref.x, ref.hi, ref.lo)
        _, levelled = remez_coefficients("exp", 0.0, 1.0, d)
        assert abs(res.max_rel_error - levelled) < 2e-3 * levelled, (d, res.max_rel_error, levelled)
        runs = _alternations(residuals(_horner(d), res.params, ref.x, ref.hi, ref.lo))
        assert len(runs) >= d + 2


def test_nonlinear_rational_fit_levels_the_error():
    """s (E + yO)/(E - yO) with y = x + c0, E = y^2 + c3, O = c1 y^2 + c2: a [3/3] rational for e^x."""
    ref = reference("exp", (0, 1), n=1024)
    y = X + P(0)
    t = y * y
    A = y * (P(1) * t + P(2))
    Q = t + P(3)
    prog = P(4) * ((Q + A) / (Q - A))
    start = np.array([-0.49, 0.085, 4.9, 9.9, 1.64])  # 1-2 % away from the optimum (error 4e-7 there)
    res = fit_minimax(prog, start, ref.x, ref.hi, ref.lo, lp_iters=40)
    assert res.max_rel_error < 1.25e-9
    runs = _alternations(residuals(prog, res.params, ref.x, ref.hi, ref.lo))
    # 5 free constants: at least 6 alternating extrema, levelled to 1 %
    top = sorted(runs)[-6:]
    assert len(runs) >= 6 and top[0] > 0.99 * top[-1]


def test_listing_round_trip_keeps_values():
    ref = reference("exp", (0, 1), n=256)
    res = fit_minimax(_horner(3), np.ones(4), ref.x, ref.hi, ref.lo)
    lst = to_listing(_horner(3), res.params)
    expr, params = from_listing(lst)
    assert expr is _horner(3)  # hash-consed: the same term comes back
    np.testing.assert_array_equal(params, res.params)


def test_non_finite_programs_are_reported_as_inf():
    ref = reference("exp", (0, 1), n=64)
    res = fit_minimax(P(0) / (X - X), np.array([1.0]), ref.x, ref.hi, ref.lo)
    assert res.max_rel_error == np.inf
