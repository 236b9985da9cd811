"""The von Mises-Fisher distribution on the unit sphere $S^{d-1} \\subset \\mathbb{R}^d$, stable for any d and kappa.

Density $f(x; \\mu, \\kappa) = C_d(\\kappa) e^{\\kappa \\mu^T x}$ with
$\\log C_d(\\kappa) = (d/2 - 1)\\log\\kappa - (d/2)\\log(2\\pi) - \\log I_{d/2-1}(\\kappa)$.

The mean resultant length is $A_d(\\kappa) = I_{d/2}(\\kappa)/I_{d/2-1}(\\kappa)$; ``fit`` solves
$A_d(\\kappa) = \\bar R$ with a safeguarded Newton iteration inside Sra's bounds
$[\\bar R(d-2)/(1-\\bar R^2),\\ \\bar R d/(1-\\bar R^2)]$, computing $A_d$ and $1 - A_d$ (which carries all the
information when $\\bar R \\to 1$) from ``log_iv_ratio``.  Works for d from 2 to 65536 (and beyond) and kappa
from 1e-3 to 1e7, where SciPy's ``vonmises_fisher.fit`` breaks down (it returns kappa ~ 1e-8 for d >= 2048).
"""

from __future__ import annotations

import math

import numpy as np

from numerics.bessel import log_iv, log_iv_ratio

__all__ = ["log_normalizer", "logpdf", "sample", "fit", "fit_kappa", "mean_resultant_length"]


def _check_d(d) -> int:
    if isinstance(d, bool) or not float(d).is_integer() or int(d) < 2:
        raise ValueError(f"dimension d must be an integer >= 2, got {d!r}")
    return int(d)


def _check_kappa(kappa):
    k = np.asarray(kappa, dtype=float)
    if np.any(~(k >= 0)) or np.any(~np.isfinite(k)):
        raise ValueError("kappa must be finite and >= 0")
    return k


def log_normalizer(d, kappa):
    """$\\log C_d(\\kappa)$ (array-valued in kappa); kappa = 0 gives minus the log area of the sphere."""
    d = _check_d(d)
    k = _check_kappa(kappa)
    nu = d / 2.0 - 1.0
    log_area = math.log(2.0) + (d / 2.0) * math.log(math.pi) - math.lgamma(d / 2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = nu * np.log(k) - (d / 2.0) * math.log(2.0 * math.pi) - log_iv(nu, k)
    # For kappa^2 <= nu + 1, nu log(kappa) and log I_nu(kappa) cancel: use the power series of
    # I_nu(kappa) (kappa/2)^-nu Gamma(nu+1) = sum_k (kappa^2/4)^k / (k! (nu+1)_k) instead, whose terms shrink
    # by at least 1/(4k) each, so 30 terms are plenty.
    small = k * k <= nu + 1.0
    if np.any(small):
        y = 0.25 * k[small] ** 2
        term = np.ones_like(y)
        S = np.ones_like(y)
        for j in range(1, 31):
            term = term * y / (j * (nu + j))
            S += term
        out = np.array(out, dtype=float, copy=True)
        out[small] = -log_area - np.log(S)
    out = np.where(k == 0, -log_area, out)
    return out[()] if out.ndim == 0 else out


def logpdf(X, mu, kappa):
    """Log density at the rows of X (unit vectors in R^d)."""
    X = np.asarray(X, dtype=float)
    mu = np.asarray(mu, dtype=float)
    if mu.ndim != 1 or X.shape[-1] != mu.shape[0]:
        raise ValueError("X must have shape (..., d) and mu shape (d,)")
    if not np.isclose(np.linalg.norm(mu), 1.0, rtol=1e-10):
        raise ValueError("mu must be a unit vector")
    k = float(_check_kappa(kappa))
    return log_normalizer(mu.shape[0], k) + k * (X @ mu)


def sample(n, mu, kappa, rng=None):
    """n draws from vMF(mu, kappa) by Wood's (1994) rejection algorithm; returns an (n, d) array.

    The component w = mu^T x is drawn by rejection from the Beta proposal; $1 - w$ and $1 - w^2$ are formed
    without cancellation ($1 - w = 2bz/(1 - (1-b)z)$) so that huge kappa keeps full precision.
    """
    mu = np.asarray(mu, dtype=float)
    if mu.ndim != 1 or mu.shape[0] < 2:
        raise ValueError("mu must be a vector of length d >= 2")
    if not np.isclose(np.linalg.norm(mu), 1.0, rtol=1e-10):
        raise ValueError("mu must be a unit vector")
    n = int(n)
    if n < 0:
        raise ValueError("n must be >= 0")
    k = float(_check_kappa(kappa))
    rng = np.random.default_rng(rng)
    d = mu.shape[0]
    m1 = d - 1.0
    # b = (-2k + sqrt(4k^2 + (d-1)^2)) / (d-1), written without cancellation
    b = m1 / (2.0 * k + math.sqrt(4.0 * k * k + m1 * m1))
    x0 = (1.0 - b) / (1.0 + b)
    omx0 = 2.0 * b / (1.0 + b)  # 1 - x0
    c = m1 * (math.log(4.0 * b) - 2.0 * math.log1p(b))  # (d-1) log(1 - x0^2); the k x0 part is folded below
    w = np.empty(n)
    omw = np.empty(n)  # 1 - w
    opw = np.empty(n)  # 1 + w
    filled = 0
    while filled < n:
        m = max(16, int(1.3 * (n - filled)))
        z = rng.beta(m1 / 2.0, m1 / 2.0, size=m)
        den = 1.0 - (1.0 - b) * z
        ww = (1.0 - (1.0 + b) * z) / den
        om = 2.0 * b * z / den
        op = 2.0 * (1.0 - z) / den
        u = rng.random(m)
        # log(1 - x0 w) = log((1 - x0) + x0 (1 - w))
        acc = k * (omx0 - om) + m1 * np.log(omx0 + x0 * om) - c >= np.log(u)
        take = np.flatnonzero(acc)[: n - filled]
        w[filled : filled + take.size] = ww[take]
        omw[filled : filled + take.size] = om[take]
        opw[filled : filled + take.size] = op[take]
        filled += take.size
    # uniform directions orthogonal to mu
    v = rng.standard_normal((n, d))
    v -= np.outer(v @ mu, mu)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    s = np.sqrt(omw * opw)
    return w[:, None] * mu[None, :] + s[:, None] * v


def mean_resultant_length(d, kappa):
    """$A_d(\\kappa) = I_{d/2}(\\kappa)/I_{d/2-1}(\\kappa)$."""
    d = _check_d(d)
    return np.exp(log_iv_ratio(d / 2.0 - 1.0, _check_kappa(kappa)))


def fit_kappa(d, rbar, maxiter: int = 200) -> float:
    """Solve $A_d(\\kappa) = \\bar R$ for kappa (safeguarded Newton inside Sra's bounds, to ~1 ulp)."""
    d = _check_d(d)
    rbar = float(rbar)
    if not (0.0 <= rbar <= 1.0):
        raise ValueError(f"mean resultant length must lie in [0, 1], got {rbar!r}")
    if rbar == 0.0:
        return 0.0
    if rbar == 1.0:
        return math.inf
    nu = d / 2.0 - 1.0
    omr = 1.0 - rbar  # exact for rbar >= 1/2 (Sterbenz)
    one_m_r2 = omr * (1.0 + rbar)
    lo = rbar * (d - 2.0) / one_m_r2
    hi = rbar * d / one_m_r2

    def f_and_df(kap):
        lr = float(log_iv_ratio(nu, kap))
        a = math.exp(lr)
        oma = -math.expm1(lr)  # 1 - A, relative accuracy kept
        f = a - rbar if rbar < 0.5 else omr - oma
        df = oma * (1.0 + a) - (d - 1.0) * a / kap
        return f, df

    kap = rbar * (d - rbar * rbar) / one_m_r2  # Banerjee et al.
    if not (lo < kap < hi):
        kap = 0.5 * (lo + hi)
    for _ in range(maxiter):
        f, df = f_and_df(kap)
        if f == 0.0:
            return kap
        if f > 0.0:
            hi = kap
        else:
            lo = kap
        new = kap - f / df if df > 0.0 else math.nan
        if not (lo < new < hi):
            new = math.sqrt(lo * hi) if lo > 0.0 else 0.5 * (lo + hi)
        if abs(new - kap) <= 2e-16 * kap or hi - lo <= 4e-16 * hi:
            return new
        kap = new
    return kap


def fit(X):
    """Maximum-likelihood (mu, kappa) from the rows of X (unit vectors in R^d)."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 2:
        raise ValueError("X must be an (n, d) array with n >= 1 and d >= 2")
    m = X.mean(axis=0)
    r = float(np.linalg.norm(m))
    if r == 0.0:
        raise ValueError("the sample mean is zero: the mean direction is undefined")
    return m / r, fit_kappa(X.shape[1], min(r, 1.0))
