"""Accuracy and semantics of numerics.bessel against Arb (python-flint).

The reference grid (log-uniform random points, dense sampling across every branch boundary of
``numerics/_bessel_core.py``, the turning region, tiny x with huge v, huge x with small v) is precomputed by
``tests/numerics/make_bessel_reference.py`` into ``data/bessel_reference.npz``; a small fresh random sample
is also checked live against Arb.
"""

from __future__ import annotations

import math
import os
import sys

import numpy as np
import pytest

from numerics import bessel
from numerics.bessel import dlog_iv, dlog_kv, log_iv, log_iv_ratio, log_ive, log_kv, log_kve

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "bessel_reference.npz")

MAX_ERR = 1e-14
MEDIAN_ERR = 2e-16


@pytest.fixture(scope="module")
def ref():
    z = np.load(DATA)
    return {k: z[k] for k in z.files}


def _err(c, r):
    return np.abs(c - r) / np.maximum(1.0, np.abs(r))


def _in_range(ref):
    v, x = ref["v"], ref["x"]
    return (v <= 1e7) & (x >= 1e-300) & (x <= 1e7)


FUNCS = {"log_iv": log_iv, "log_kv": log_kv, "log_ive": log_ive, "log_kve": log_kve,
         "log_iv_ratio": log_iv_ratio}


def test_reference_grid_is_rich(ref):
    names = list(ref["set_names"])
    counts = np.bincount(ref["set_id"], minlength=len(names))
    assert counts[names.index("loguniform")] >= 2000
    assert all(c >= 100 for c in counts), dict(zip(names, counts))
    for k in FUNCS:
        # Arb gave a tight ball for (nearly) every point
        assert np.isfinite(ref[k]).mean() > 0.99, k


@pytest.mark.parametrize("name", list(FUNCS))
def test_float64_accuracy_against_arb(ref, name):
    m = _in_range(ref) & np.isfinite(ref[name])
    v, x, r = ref["v"][m], ref["x"][m], ref[name][m]
    c = FUNCS[name](v, x)
    assert np.all(np.isfinite(c)), "non-finite result where Arb is finite"
    e = _err(c, r)
    names = list(ref["set_names"])
    sid = ref["set_id"][m]
    report = {names[s]: float(e[sid == s].max()) for s in np.unique(sid)}
    i = int(np.argmax(e))
    assert e.max() <= MAX_ERR, f"{name}: max {e.max():.3g} at v={v[i]!r}, x={x[i]!r}; per set {report}"
    assert np.median(e) <= MEDIAN_ERR, f"{name}: median {np.median(e):.3g}"
    lu = sid == names.index("loguniform")
    assert np.median(e[lu]) <= MEDIAN_ERR


@pytest.mark.parametrize("name,func", [("dlog_iv", dlog_iv), ("dlog_kv", dlog_kv)])
def test_derivatives_against_arb(ref, name, func):
    m = _in_range(ref) & np.isfinite(ref[name]) & (np.abs(ref[name]) < 1e300)
    v, x, r = ref["v"][m], ref["x"][m], ref[name][m]
    c = func(v, x)
    rel = np.abs(c - r) / np.abs(r)
    i = int(np.argmax(rel))
    assert rel.max() <= 1e-13, f"{name}: max rel {rel.max():.3g} at v={v[i]!r}, x={x[i]!r}"
    assert np.median(rel) <= 2e-16


def test_ratio_relative_accuracy_when_tiny(ref):
    # log(I_{v+1}/I_v) -> 0 for x >> v: the vMF solver needs it to small *relative* error there
    m = _in_range(ref) & np.isfinite(ref["log_iv_ratio"]) & (np.abs(ref["log_iv_ratio"]) < 0.1)
    v, x, r = ref["v"][m], ref["x"][m], ref["log_iv_ratio"][m]
    assert m.sum() > 100
    rel = np.abs(log_iv_ratio(v, x) - r) / np.abs(r)
    assert rel.max() <= 5e-14, rel.max()


def test_float32_within_a_few_ulps(ref):
    m = _in_range(ref)
    v32 = ref["v"][m].astype(np.float32)
    x32 = ref["x"][m].astype(np.float32)
    ok = (x32 > 0) & np.isfinite(x32)
    v32, x32 = v32[ok], x32[ok]
    for f in FUNCS.values():
        c32 = f(v32, x32)
        assert c32.dtype == np.float32
        # float64 kernel at the same (float32) inputs: validated above to ~1e-14
        r = f(v32.astype(np.float64), x32.astype(np.float64))
        fin = np.isfinite(r) & (np.abs(r) < 3e38)
        ulp = np.spacing(np.maximum(1.0, np.abs(r[fin])).astype(np.float32)).astype(np.float64)
        d = np.abs(c32[fin].astype(np.float64) - r[fin])
        assert np.all(d <= 1.0 * ulp), (f.__name__, float((d / ulp).max()))


def test_live_random_arb_sample():
    sys.path.insert(0, HERE)
    from make_bessel_reference import ref_point

    rng = np.random.default_rng()
    v = 10 ** rng.uniform(-3, 7, 12)
    x = 10 ** rng.uniform(-300, 7, 12)
    v[:4] = 10 ** rng.uniform(0, 7, 4)
    x[:4] = v[:4] * rng.uniform(0.5, 2.0, 4)  # turning region
    for vi, xi in zip(v, x):
        r = ref_point((float(vi), float(xi)))
        for j, f in [(0, log_iv), (1, log_iv_ratio), (2, log_kv)]:
            if math.isfinite(r[j]):
                e = abs(f(vi, xi) - r[j]) / max(1.0, abs(r[j]))
                assert e <= MAX_ERR, (f.__name__, vi, xi, e)


# ------------------------------------------------------------------------------------------------
# domain semantics
# ------------------------------------------------------------------------------------------------


def test_x_zero():
    assert log_iv(0.0, 0.0) == 0.0
    assert log_iv(2.5, 0.0) == -np.inf
    assert log_iv(-3.0, 0.0) == -np.inf
    assert np.isnan(log_iv(-2.5, 0.0))
    assert log_kv(0.0, 0.0) == np.inf and log_kv(7.5, 0.0) == np.inf and log_kv(-7.5, 0.0) == np.inf
    assert log_ive(0.0, 0.0) == 0.0 and log_kve(1.0, 0.0) == np.inf


def test_negative_orders():
    x = np.logspace(-5, 5, 23)
    for v in [0.3, 1.0, 2.5, 17.0, 123.25, 4e4]:
        np.testing.assert_array_equal(log_kv(-v, x), log_kv(v, x))
        np.testing.assert_array_equal(log_kve(-v, x), log_kve(v, x))
    for n in [1.0, 2.0, 19.0, 20.0, 300.0]:
        np.testing.assert_array_equal(log_iv(-n, x), log_iv(n, x))
    for v in [0.5, 1.25, 19.9, 300.5]:
        assert np.all(np.isnan(log_iv(-v, x)))
    # ratio at a negative integer order: I_{-n+1}/I_{-n} = I_{n-1}/I_n
    np.testing.assert_allclose(log_iv_ratio(-3.0, x), -log_iv_ratio(2.0, x), rtol=1e-15)


def test_nan_and_negative_x():
    for f in [log_iv, log_kv, log_ive, log_kve, log_iv_ratio, dlog_iv, dlog_kv]:
        assert np.isnan(f(1.0, -1.0))
        assert np.isnan(f(np.nan, 1.0))
        assert np.isnan(f(1.0, np.nan))
        assert np.isnan(f(np.float32(1.0), np.float32(np.nan)))


def test_infinities():
    assert log_iv(3.0, np.inf) == np.inf
    assert log_kv(3.0, np.inf) == -np.inf
    assert log_iv(np.inf, 2.0) == -np.inf
    assert log_kv(np.inf, 2.0) == np.inf
    assert log_iv_ratio(3.0, np.inf) == 0.0


def test_whole_double_range_is_finite():
    v = np.array([0.0, 0.5, 19.99, 20.0, 1e10, 1e100, 1e200, 1e300, 1.7e308])
    x = np.array([5e-324, 1e-310, 1e-300, 1.0, 1e10, 1e100, 1e200, 1e300, 1.7e308])
    V, X = np.meshgrid(v, x)
    for f in [log_iv, log_kv, log_iv_ratio, dlog_iv, dlog_kv]:
        out = f(V, X)
        assert not np.any(np.isnan(out)), f.__name__
    # random points over the whole double range: never NaN, and I decreases / K increases with the order
    rng = np.random.default_rng(11)
    v = 10 ** rng.uniform(-5, 308, 100_000)
    x = 10 ** rng.uniform(-323, 308, 100_000)
    with np.errstate(all="ignore"):
        for f in [log_iv, log_kv, log_ive, log_kve, log_iv_ratio, dlog_iv, dlog_kv]:
            assert not np.any(np.isnan(f(v, x))), f.__name__
        a, b = log_iv(v, x), log_iv(v * 1.001, x)
        m = np.isfinite(a) & np.isfinite(b)
        assert np.all(b[m] <= a[m] + 1e-12 * np.maximum(1, np.abs(a[m])))
        a, b = log_kv(v, x), log_kv(v * 1.001, x)
        m = np.isfinite(a) & np.isfinite(b)
        assert np.all(b[m] >= a[m] - 1e-12 * np.maximum(1, np.abs(a[m])))
    # huge order, tiny argument: v log(x/2) - log Gamma(v+1) (x/(v+s) underflows there)
    assert log_iv(2.937754791384652e81, 1.3554158772618531e-250) == pytest.approx(-2.2403974634553273e84, rel=1e-15)
    # spot values for huge arguments (leading asymptotics)
    assert log_iv(0.0, 1e300) == pytest.approx(1e300, rel=1e-15)
    assert log_kv(1e300, 1.0) == pytest.approx(1e300 * (math.log(2e300) - 1), rel=1e-12)


def test_small_order_huge_argument_raises_no_warning():
    """Hankel's sum at x up to DBL_MAX (v < 20): 8 k x would overflow, the sum is exactly 1 there; a finite result
    comes without NumPy's overflow warning."""
    import warnings

    v = np.array([0.0, 0.5, 5.0, 19.99])
    for x in (1e300, 1e306, 1.7e308, np.finfo(float).max):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for f, sign in ((log_iv, 1.0), (log_kv, -1.0)):
                out = f(v, x)
                assert np.all(out == pytest.approx(sign * x, rel=1e-15)), f.__name__
            expect_i = -0.5 * (math.log(2 * math.pi) + math.log(x))
            assert np.all(log_ive(v, x) == pytest.approx(expect_i, rel=1e-15))
            expect_k = 0.5 * (math.log(math.pi / 2) - math.log(x))
            assert np.all(log_kve(v, x) == pytest.approx(expect_k, rel=1e-15))


def test_top_of_double_range_values_and_no_spurious_warnings():
    """At the top of the double range (s = sqrt(v^2 + x^2), s + v overflow) and where I_{v+1}/I_v underflows
    (x tiny against v), the ratio and the derivatives keep their values; a finite result raises no warning."""
    import itertools
    import warnings

    r2 = math.sqrt(2.0)
    for v in (1e200, 1e307, 8e307, 1e308, 1.7e308, np.finfo(float).max):
        # v = x: rho -> 1/(1 + sqrt 2) (corrections O(1/v)), d/dx log I -> s/x = sqrt 2, d/dx log K -> -sqrt 2
        assert log_iv_ratio(v, v) == pytest.approx(-math.asinh(1.0), rel=1e-15)
        assert dlog_iv(v, v) == pytest.approx(r2, rel=1e-15)
        assert dlog_kv(v, v) == pytest.approx(-r2, rel=1e-15)
    # x tiny against v: I_{v+1}/I_v = x / (2 (v + 1)) (1 + O(x^2)), far below the smallest double
    for v, x in [(1e200, 1e-200), (1e100, 1e-250), (1e5, 1e-320), (30.0, 1e-320), (5.0, 1e-320), (0.0, 5e-324)]:
        assert log_iv_ratio(v, x) == pytest.approx(math.log(x) - math.log(2.0 * (v + 1.0)), rel=1e-15)
    # x huge against a small order: log rho = -(2v + 1)/(2x) (1 + O(1/x)), relative accuracy where it is tiny
    for v in (0.0, 5.0, 19.5):
        for x in (1e300, 1.7e308):
            assert log_iv_ratio(v, x) == pytest.approx(-(v + 0.5) / x, rel=1e-15)
    vs = [0.0, 0.5, 5.0, 19.99, 20.0, 1e3, 1e10, 1e100, 1e150, 1e200, 1e300, 1.7e308]
    xs = [5e-324, 1e-310, 1e-300, 1e-5, 1.0, 1e10, 1e100, 1e150, 1e200, 1e300, 1e306, 1.7e308]
    noisy = []
    for f in (log_iv, log_kv, log_ive, log_kve, log_iv_ratio, dlog_iv, dlog_kv):
        for v, x in itertools.product(vs, xs):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                out = f(v, x)
            if caught and np.isfinite(out):
                noisy.append((f.__name__, v, x, str(caught[0].message)))
    assert not noisy


def test_ufunc_behaviour():
    assert isinstance(log_iv(1.0, 2.0), float)
    out = log_iv(np.arange(3.0)[:, None], np.array([1.0, 2.0]))
    assert out.shape == (3, 2) and out.dtype == np.float64
    assert log_kv(np.float32(1.0), np.float32(2.0)).dtype == np.float32
    np.testing.assert_array_equal(log_ive(2.0, np.array([3.0, 40.0])) + np.array([3.0, 40.0]),
                                  log_ive(2.0, np.array([3.0, 40.0])) + np.array([3.0, 40.0]))
    for name in ["log_iv", "log_kv", "log_ive", "log_kve", "log_iv_ratio", "dlog_iv", "dlog_kv"]:
        f = getattr(bessel, name)
        assert f.types == ["ff->f", "dd->d"], name


def test_parallel_matches_serial(ref):
    from numerics import bessel_parallel as bp

    v, x = ref["v"], ref["x"]
    for name in ["log_iv", "log_kv", "log_iv_ratio"]:
        np.testing.assert_array_equal(getattr(bp, name)(v, x), getattr(bessel, name)(v, x))


def test_scipy_agrees_where_it_is_finite():
    sp = pytest.importorskip("scipy.special")
    rng = np.random.default_rng(3)
    v = rng.uniform(0, 50, 500)
    x = 10 ** rng.uniform(-2, 2.5, 500)
    with np.errstate(all="ignore"):
        si = np.log(sp.ive(v, x)) + x
        sk = np.log(sp.kve(v, x)) - x
    m = np.isfinite(si) & (np.abs(si) > 1e-3)
    np.testing.assert_allclose(log_iv(v[m], x[m]), si[m], rtol=1e-12, atol=1e-12)
    m = np.isfinite(sk) & (np.abs(sk) > 1e-3)
    np.testing.assert_allclose(log_kv(v[m], x[m]), sk[m], rtol=1e-12, atol=1e-12)
