"""The classical baselines reproduce the published minimax / Chebyshev / Padé errors (ANCHORS §5)."""

import mpmath
import numpy as np
import pytest

from search.evolution.baselines import (
    all_baselines, best_baseline, chebyshev, horner_listing, pade, rational_listing, remez, remez_coefficients,
    taylor,
)
from search.evolution.listing import eval_mp
from search.evolution.targets import chebyshev_grid

# ANCHORS §5: Sollya remez relative errors on [0, 1]
MINIMAX = {
    "exp": {3: 3.2e-4, 5: 6.7e-7, 6: 2.4e-8, 7: 7.5e-10, 9: 5.2e-13, 10: 1.2e-14},
    "exp2": {3: 7.5e-5, 5: 7.5e-8, 6: 1.9e-9, 7: 4.0e-11, 9: 1.3e-14, 10: 2.1e-16},
}


@pytest.mark.parametrize("spec", ["exp", "exp2"])
def test_remez_reproduces_anchor_minimax_errors(spec):
    for deg, anchor in MINIMAX[spec].items():
        _, levelled = remez_coefficients(spec, 0.0, 1.0, deg)
        # the anchors carry two significant digits
        assert abs(levelled - anchor) <= 0.05 * anchor + 0.05e-16, (spec, deg, levelled, anchor)
        measured = remez(spec, (0, 1), deg).max_rel_error  # float64 coefficients, 10k-point grid
        assert levelled * 0.999 <= measured <= levelled * 1.15, (spec, deg, measured, levelled)


def test_remez_error_equioscillates_over_the_whole_interval():
    """A true minimax polynomial: its relative error, measured in mpmath on a fine grid, alternates in sign at
    degree + 2 extrema of equal size."""
    deg = 4
    coeffs, levelled = remez_coefficients("exp", 0.0, 1.0, deg)
    xs = chebyshev_grid(0.0, 1.0, 3001)
    lst = horner_listing(coeffs)
    with mpmath.workdps(40):
        err = np.array([float(y / mpmath.exp(mpmath.mpf(x)) - 1) for x, y in zip(xs, eval_mp(lst, xs))])
    runs, start = [], 0
    for i in range(1, len(err) + 1):
        if i == len(err) or np.sign(err[i]) != np.sign(err[start]):
            runs.append(np.max(np.abs(err[start:i])))
            start = i
    assert len(runs) == deg + 2
    assert max(runs) / min(runs) < 1.001
    assert abs(max(runs) - levelled) < 1e-3 * levelled


def test_chebyshev_and_pade_match_anchor_figures():
    for deg, anchor in {5: 1.05e-6, 8: 3.3e-11, 10: 1.8e-14}.items():
        e = chebyshev("exp", (0, 1), deg).max_rel_error
        assert 0.95 * anchor <= e <= 1.1 * anchor, (deg, e)
    for m, anchor in {2: 4.4e-5, 3: 7.8e-8, 4: 7.8e-11}.items():
        e = pade("exp", (0, 1), m, m).max_rel_error
        assert 0.95 * anchor <= e <= 1.05 * anchor, (m, e)


def test_taylor_error_matches_mpmath_remainder():
    # Taylor about 1/2 to degree 4: the worst relative error is at an endpoint
    bl = taylor("exp", (0, 1), 4)
    with mpmath.workdps(30):
        c = [mpmath.exp(mpmath.mpf(0.5)) / mpmath.factorial(k) for k in range(5)]
        worst = max(abs(mpmath.polyval(c[::-1], mpmath.mpf(x) - 0.5) / mpmath.exp(x) - 1) for x in (0, 1))
    assert abs(bl.max_rel_error - float(worst)) < 1e-6 * float(worst)


def test_listing_costs_of_baselines():
    assert remez("exp", (0, 1), 5).ops == {"ops": 10, "fma": 5, "cycles": 20}
    r = pade("exp", (0, 1), 2, 2)
    assert r.ops["ops"] == 8  # 4 for the numerator, 3 for the monic denominator, 1 divide
    assert r.ops["fma"] == 2 + 2 + 1
    assert rational_listing([1.0, 2.0], [3.0]).n_instr == 4


def test_best_baseline_is_most_accurate_within_cost():
    bls = all_baselines("exp", (0, 1), max_ops=10)
    b10 = best_baseline(bls, 10, "ops")
    assert b10.ops["ops"] <= 10
    assert all(b.max_rel_error >= b10.max_rel_error for b in bls if b.ops["ops"] <= 10)
    assert best_baseline(bls, -1, "ops") is None
    fam = {b.family for b in bls}
    assert fam == {"minimax", "chebyshev", "taylor", "pade"}
