"""Targets: names, expressions, references at >= 30 digits, and clear errors for bad input."""

import mpmath
import numpy as np
import pytest

from search.evolution.engine import ApproximationEngine
from search.evolution.targets import check_target, parse_interval, reference, resolve_target


def test_named_and_expression_targets_evaluate_like_mpmath():
    xs = np.linspace(0.05, 0.95, 37)
    cases = {
        "exp": mpmath.exp, "exp2": lambda t: mpmath.power(2, t), "log1p": mpmath.log1p, "tanh": mpmath.tanh,
        "erf": mpmath.erf, "sin": mpmath.sin, "cos": mpmath.cos,
        "exp(-x)*cos(x)": lambda t: mpmath.exp(-t) * mpmath.cos(t),
        "log_iv:1.5": lambda t: mpmath.log(mpmath.besseli(1.5, t)),
        "log_kv:0": lambda t: mpmath.log(mpmath.besselk(0, t)),
    }
    for spec, fn in cases.items():
        ref = reference(spec, (0.05, 0.95), n=37, kind="uniform")
        with mpmath.workdps(40):
            for x, h, l in zip(ref.x, ref.hi, ref.lo):
                exact = fn(mpmath.mpf(float(x)))
                assert abs((mpmath.mpf(h) + mpmath.mpf(l)) / exact - 1) < mpmath.mpf(10) ** -29, spec
    np.testing.assert_allclose(reference("exp", (0.05, 0.95), n=37, kind="uniform").x, xs, rtol=0, atol=1e-15)


def test_float32_reference_is_correctly_rounded():
    ref = reference("exp", (0, 1), n=257, dtype="float32")
    assert np.all(ref.x.astype(np.float32).astype(np.float64) == ref.x)
    with mpmath.workdps(40):
        for x, r in zip(ref.x[::16], ref.ref32[::16]):
            exact = mpmath.exp(mpmath.mpf(float(x)))
            below = np.nextafter(r, np.float32(-np.inf))
            above = np.nextafter(r, np.float32(np.inf))
            assert abs(mpmath.mpf(float(r)) - exact) <= abs(mpmath.mpf(float(below)) - exact)
            assert abs(mpmath.mpf(float(r)) - exact) <= abs(mpmath.mpf(float(above)) - exact)


@pytest.mark.parametrize("interval,msg", [
    ("1,1", "empty interval"), ("2,1", "empty interval"), ((3.0, -3.0), "empty interval"),
    ("0", "expected A,B"), ("a,b", "two numbers"), ("0,inf", "finite"), (",1", "finite"),
])
def test_bad_intervals(interval, msg):
    with pytest.raises(ValueError, match=msg):
        parse_interval(interval)


@pytest.mark.parametrize("spec,msg", [
    ("foo", "unknown target name 'foo'"),
    ("exp(y)", "unknown name 'y'"),
    ("bogus(x) + 1", "unknown name 'bogus'"),
    ("__import__('os')", "unknown name"),
    ("x.real", "disallowed construct"),
    ("exp(x", "cannot parse"),
    ("log_iv", "needs a fixed order"),
    ("log_kv:abc", "bad order"),
    ("3 + 4", "does not depend on x"),
    ("", "empty target"),
])
def test_bad_target_names(spec, msg):
    with pytest.raises(ValueError, match=msg):
        resolve_target(spec)


@pytest.mark.parametrize("spec,interval,msg", [
    ("1/(x - 0.5)", (0, 1), "pole"),
    ("tan(x)", (1, 2), "pole"),
    ("1/(x - 0.3)**2", (0, 1), "pole"),
    ("log1p", (-2, 0), "complex"),
    ("sin", (-1, 1), "zero inside"),
    ("x - 0.25", (0, 1), "zero inside"),
])
def test_bad_targets_on_interval(spec, interval, msg):
    with pytest.raises(ValueError, match=msg):
        check_target(resolve_target(spec), *interval)


def test_engine_constructor_rejects_bad_problems_with_one_line():
    for args in [("exp", (1, 0)), ("nosuch", (0, 1)), ("1/(x-0.5)", (0, 1))]:
        with pytest.raises(ValueError) as ei:
            ApproximationEngine(*args)
        assert "\n" not in str(ei.value)
    with pytest.raises(ValueError, match="dtype"):
        ApproximationEngine("exp", (0, 1), dtype="float16")
    with pytest.raises(ValueError, match="max_ops"):
        ApproximationEngine("exp", (0, 1), max_ops=0)


def test_zero_at_an_endpoint_is_allowed_and_dropped_from_grids():
    check_target(resolve_target("sin"), 0, 1)
    ref = reference("sin", (0, 1), n=64)
    assert ref.x[0] > 0 and np.all(ref.hi != 0)


def test_log_bessel_targets_are_wired_to_numerics():
    """``log_iv:V``/``log_kv:V`` use the mpmath reference for the search and our ``numerics`` kernels as context:
    both agree to near machine precision over the interval."""
    from search.evolution.targets import library_kernel

    # intervals clear of the zeros of the logarithms (I_2.5(2.666) = 1, K_1(0.724) = 1)
    for spec, interval in (("log_iv:2.5", (0.25, 2.0)), ("log_iv:2.5", (3.5, 8.0)), ("log_kv:1", (1.0, 6.0))):
        check_target(resolve_target(spec), *interval)
        name, fn = library_kernel(spec)
        assert name.startswith("numerics.log_")
        ref = reference(spec, interval, n=150)
        rel = np.abs((fn(ref.x) - ref.hi - ref.lo) / ref.hi)
        assert rel.max() < 1e-14, (spec, interval, rel.max())
    with pytest.raises(ValueError, match="zero inside"):
        check_target(resolve_target("log_iv:2.5"), 0.5, 4.0)
    assert library_kernel("exp") is None
