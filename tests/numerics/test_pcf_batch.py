"""The float64 batch PCF kernel against exact rational convergents (python ints) and mpmath backward evaluation."""

from fractions import Fraction

import mpmath
import numpy as np
import pytest

from numerics._pcf_batch import (STATUS_NONFINITE, STATUS_OK, STATUS_TERMINATED, STATUS_ZERO_Q, pcf_limits)

EPS = np.finfo(float).eps


def _horner(c, n):
    v = 0
    for x in c:
        v = v * n + int(x)
    return v


def exact_value(a, b, depth):
    """p_N/q_N by the forward recurrence in exact integers (independent of the kernel)."""
    p0, p1, q0, q1 = 1, _horner(a, 0), 0, 1
    for n in range(1, depth + 1):
        an, bn = _horner(a, n), _horner(b, n)
        p0, p1 = p1, an * p1 + bn * p0
        q0, q1 = q1, an * q1 + bn * q0
    return p1, q1


def backward_value(a, b, depth, dps=60):
    """The same convergent by evaluating the finite fraction from its tail, at mpmath precision."""
    with mpmath.workdps(dps):
        t = mpmath.mpf(_horner(a, depth))
        for n in range(depth, 0, -1):
            if t == 0:
                return None  # a tail vanishes exactly: the backward form is undefined here
            t = _horner(a, n - 1) + _horner(b, n) / t
        return t


# (deg a + 1, deg b + 1, coefficient bound, depth): spans degrees 0..4, coefficients up to 1e3, depths 1..3000
GRID = [(1, 1, 3, 1), (1, 1, 3, 50), (2, 1, 5, 7), (2, 3, 5, 200), (2, 3, 9, 1000), (3, 5, 20, 300),
        (4, 7, 100, 1000), (1, 3, 2, 3000), (3, 3, 1000, 400), (5, 9, 10, 150)]


@pytest.mark.parametrize("da,db,lim,depth", GRID)
def test_kernel_matches_exact_convergents(da, db, lim, depth):
    rng = np.random.default_rng(da * 1000 + db * 10 + depth)
    m = 120
    A = rng.integers(-lim, lim + 1, (m, da))
    B = rng.integers(-lim, lim + 1, (m, db))
    res = pcf_limits(A, B, depth, check_depth=depth // 3)
    rel = []
    for i in range(m):
        p, q = exact_value(A[i], B[i], depth)
        if q == 0 or abs(Fraction(q, 1)) < Fraction(abs(p), 10**250):
            assert res.status[i] in (STATUS_ZERO_Q, STATUS_NONFINITE) or not np.isfinite(res.value[i]) \
                or abs(res.value[i]) > 1e200
            continue
        assert res.status[i] in (STATUS_OK, STATUS_TERMINATED)
        x = Fraction(p, q)
        if x == 0:
            assert abs(res.value[i]) < 1e-300 or abs(res.value[i]) < 1e-12
            continue
        rel.append(abs(float((Fraction(res.value[i]) - x) / x)))
        # log|q_N| survives the rescaling
        assert res.log_q[i] == pytest.approx(float(mpmath.log(abs(q))), rel=1e-12, abs=1e-9)
    rel = np.array(rel)
    assert rel.size > m // 2
    # forward recurrence: error grows ~ n eps; ill-conditioned (non-convergent, cancelling) rows are rare
    assert np.median(rel) <= 20 * EPS * max(1.0, np.sqrt(depth))
    assert np.quantile(rel, 0.95) <= 1e-12


@pytest.mark.parametrize("depth", [25, 100, 1000, 4000])
def test_converged_rows_match_backward_mpmath(depth):
    """Where the fraction has converged (change between depths tiny), the value is right to ~depth*eps."""
    rng = np.random.default_rng(depth)
    A = rng.integers(1, 6, (200, 2))      # a(n) = c1 n + c0 > 0
    B = rng.integers(-3, 4, (200, 3))
    res = pcf_limits(A, B, depth)
    conv = np.nonzero(res.converged(1e-6) & (np.abs(res.value) < 1e6))[0]  # bounded, converged values
    assert conv.size > 20
    checked = 0
    for i in conv[:40]:
        ref = backward_value(A[i], B[i], depth)
        if ref is None:
            continue
        checked += 1
        assert abs(res.value[i] - float(ref)) <= 4 * depth * EPS * max(1.0, abs(float(ref)))
    assert checked > 15


def test_known_limits_and_rescaling():
    # 4/pi = PCF(2n+1, n^2); 6/zeta(3) = PCF(34n^3+51n^2+27n+5, -n^6): q_N ~ (N!)^6 overflows float at N ~ 30
    res = pcf_limits([[2, 1], [34, 51, 27, 5]], [[1, 0, 0], [-1, 0, 0, 0, 0, 0, 0]], 5000, parallel=True)
    assert res.status.tolist() == [STATUS_OK, STATUS_OK]
    assert res.value[0] == pytest.approx(float(4 / mpmath.pi), rel=1e-13)
    assert res.value[1] == pytest.approx(float(6 / mpmath.zeta(3)), rel=1e-13)
    assert res.log_q[1] > 1e5  # |q| ~ 10^(6 log10 5000!) - far beyond float range
    assert np.all(res.change < 1e-14)


def test_serial_and_parallel_agree():
    rng = np.random.default_rng(7)
    A = rng.integers(-4, 5, (1000, 2))
    B = rng.integers(-4, 5, (1000, 3))
    s = pcf_limits(A, B, 300, parallel=False)
    p = pcf_limits(A, B, 300, parallel=True)
    np.testing.assert_array_equal(s.value, p.value)
    np.testing.assert_array_equal(s.status, p.status)


def test_terminating_and_zero_denominator():
    # b(n) = n - 3 vanishes at n = 3: the fraction stops at 2 + (-2)/(2 + (-1)/2) = 2/3
    res = pcf_limits([[2]], [[1, -3]], 50)
    assert res.status[0] == STATUS_TERMINATED
    assert res.value[0] == pytest.approx(2 / 3, rel=1e-15)
    # a = 0, b = 1: q_n alternates 0, 1, 0, ... -> no value at odd depth
    res = pcf_limits([[0]], [[1]], 11)
    assert res.status[0] == STATUS_ZERO_Q and np.isnan(res.value[0])


def test_ragged_rows_are_padded():
    res = pcf_limits([[2, 1], [1]], [[1, 0, 0], [1]], 200)
    assert res.value[0] == pytest.approx(float(4 / mpmath.pi), rel=1e-13)
    assert res.value[1] == pytest.approx(float(mpmath.phi), rel=1e-14)


@pytest.mark.parametrize("args,msg", [
    (([[1]], [[1], [1]], 10), "rows"),
    (([[1]], [[1]], 0), "depth"),
    (([[1]], [[1]], 10, 11), "check_depth"),
    (([[np.nan]], [[1]], 10), "finite"),
    ((np.zeros((2, 0)), [[1], [1]], 10), "2-D"),
    (([["x"]], [[1]], 10), "real"),
])
def test_bad_input(args, msg):
    with pytest.raises(ValueError, match=msg):
        pcf_limits(*args)
