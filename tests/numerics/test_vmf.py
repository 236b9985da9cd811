"""von Mises-Fisher: normaliser, density, Wood sampler and the kappa solver (against Arb)."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
from flint import arb, ctx

from numerics import vmf

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "vmf_reference.npz")


def test_kappa_recovered_against_arb_solve():
    z = np.load(DATA)
    d, rbar, kap = z["d"], z["rbar"], z["kappa"]
    assert len(d) >= 100
    assert d.min() <= 2 and d.max() >= 65536
    assert kap.min() <= 1.2e-3 and kap.max() >= 0.9e7
    got = np.array([vmf.fit_kappa(int(di), float(ri)) for di, ri in zip(d, rbar)])
    rel = np.abs(got - kap) / kap
    i = int(np.argmax(rel))
    assert rel.max() <= 1e-10, f"max rel {rel.max():.3g} at d={d[i]}, kappa={kap[i]}"


def _arb_log_normalizer(d, kappa):
    old = ctx.prec
    ctx.prec = 200
    try:
        k = arb(kappa)
        nu = arb(d) / 2 - 1
        r = nu * k.log() - (arb(d) / 2) * (2 * arb.pi()).log() - k.bessel_i(nu).log()
        return float(r.mid())
    finally:
        ctx.prec = old


@pytest.mark.parametrize("d", [2, 3, 10, 2048, 32768, 65536])
def test_log_normalizer_against_arb(d):
    nu = d / 2 - 1
    for kappa in [1e-3, 0.5, 30.0, 1e3, 1e5, 1e7, math.sqrt(nu + 1) * 0.999, math.sqrt(nu + 1) * 1.001]:
        r = _arb_log_normalizer(d, kappa)
        got = float(vmf.log_normalizer(d, kappa))
        scale = max(1.0, abs(r))
        if kappa * kappa > nu + 1:
            # nu log(kappa) - log I_nu(kappa): the two parts may cancel, each carries eps * nu |log kappa|
            scale = max(scale, nu * abs(math.log(kappa)))
        assert abs(got - r) <= 4e-16 * scale, (d, kappa, got, r)


def test_log_normalizer_kappa_zero_is_uniform():
    for d in [2, 3, 7]:
        area = 2 * math.pi ** (d / 2) / math.gamma(d / 2)
        assert float(vmf.log_normalizer(d, 0.0)) == pytest.approx(-math.log(area), rel=1e-14)
        assert float(vmf.log_normalizer(d, 1e-12)) == pytest.approx(-math.log(area), rel=1e-10)


@pytest.mark.parametrize("kappa", [0.3, 5.0, 400.0])
def test_density_integrates_to_one(kappa):
    # d = 3: the density depends on w = mu.x only, and dA = 2 pi dw
    from scipy.integrate import quad

    mu = np.array([0.0, 0.0, 1.0])
    f = lambda w: 2 * math.pi * math.exp(float(vmf.logpdf(np.array([0.0, math.sqrt(1 - w * w), w]), mu, kappa)))
    val, _ = quad(f, -1, 1, points=[1 - 1 / kappa], limit=200, epsabs=0, epsrel=1e-12)
    assert val == pytest.approx(1.0, rel=1e-10)


def test_logpdf_matches_scipy_where_scipy_works():
    st = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(1)
    for d, kappa in [(3, 2.0), (10, 50.0), (50, 10.0)]:
        mu = rng.standard_normal(d)
        mu /= np.linalg.norm(mu)
        X = vmf.sample(20, mu, kappa, rng)
        np.testing.assert_allclose(vmf.logpdf(X, mu, kappa), st.vonmises_fisher(mu, kappa).logpdf(X),
                                   rtol=1e-11, atol=1e-11)


@pytest.mark.parametrize("d,kappa,n", [(2, 3.0, 20000), (3, 0.5, 20000), (50, 100.0, 5000),
                                       (2048, 500.0, 2000), (32768, 2e4, 300), (5, 1e6, 2000)])
def test_sample_and_fit_recover_kappa(d, kappa, n):
    rng = np.random.default_rng(d)
    mu = rng.standard_normal(d)
    mu /= np.linalg.norm(mu)
    X = vmf.sample(n, mu, kappa, rng)
    assert X.shape == (n, d)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, rtol=1e-12)
    # the mean of w = mu.x is A_d(kappa), with sd sqrt(A'(kappa)/n)
    A = float(vmf.mean_resultant_length(d, kappa))
    dA = (1 - A * A) - (d - 1) * A / kappa
    w = X @ mu
    assert abs(w.mean() - A) <= 5 * math.sqrt(dA / n)
    mu_hat, k_hat = vmf.fit(X)
    assert float(mu_hat @ mu) > 1 - 50 * (d - 1) / (n * kappa * A) - 1e-12
    # kappa-hat: delta method through R-bar (its spread and its O(d/n) upward bias from the other d-1 axes)
    rbar2 = A * A + (1 - A * A) / n  # E|mean|^2, roughly
    k_expected = vmf.fit_kappa(d, math.sqrt(min(rbar2, 1 - 1e-16)))
    se = math.sqrt(1.0 / (n * dA)) + abs(k_expected - kappa)
    assert abs(k_hat - kappa) <= 6 * se, (k_hat, kappa, se)


def test_fit_kappa_edges_and_errors():
    assert vmf.fit_kappa(3, 0.0) == 0.0
    assert vmf.fit_kappa(3, 1.0) == math.inf
    with pytest.raises(ValueError):
        vmf.fit_kappa(1, 0.5)
    with pytest.raises(ValueError):
        vmf.fit_kappa(3, 1.5)
    with pytest.raises(ValueError):
        vmf.log_normalizer(3, -1.0)
    with pytest.raises(ValueError):
        vmf.sample(3, np.array([1.0, 1.0]), 1.0)
    with pytest.raises(ValueError):
        vmf.fit(np.array([[1.0, 0.0], [-1.0, 0.0]]))
