"""Regenerate the Arb reference data for the log-Bessel and von Mises-Fisher tests.

    .venv/bin/python tests/numerics/make_bessel_reference.py            # all files (~10 min on 2 cores)
    .venv/bin/python tests/numerics/make_bessel_reference.py --only map # just the notebook's error map

Writes (compressed) under tests/numerics/data/:

* ``bessel_reference.npz``: points (v, x, set id) and rigorous Arb values of log I_v, log K_v,
  log(I_{v+1}/I_v), log K_{v+1}, the scaled forms and both x-derivatives (formed from the balls in Arb).
  Sets: a log-uniform random grid (2400 points, v in [1e-4, 1e7], x in [1e-300, 1e7], plus integer and zero
  orders), dense sampling across every branch boundary of ``numerics._bessel_core``, the turning region
  v ~ x (and the zero of eta), tiny x with huge v, and huge x with small v.
* ``bessel_map.npz``: a 48 x 48 log grid over (v, x) for the notebook's error maps.
* ``vmf_reference.npz``: (d, R̄, kappa*) where kappa* solves A_d(kappa) = R̄ for the double R̄ exactly (Arb).

Every value is computed with Arb at increasing precision until the ball's radius is below 1e-22 relative
(1e-22 absolute for values below 1).  Where Arb's K_v gives no finite ball (huge order, tiny argument) the
convergent small-x expansion $K_v(x) = \\tfrac12 (x/2)^{-v} \\sum_k (-1)^k \\Gamma(v-k)(x^2/4)^k/k!$
(the $I_v$ part is below $10^{-40}$ relative there, which is checked) is summed in Arb instead.
"""

from __future__ import annotations

import argparse
import os
import sys
from multiprocessing import Pool

import numpy as np
from flint import arb, ctx

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))

SET_NAMES = [
    "loguniform",  # 0
    "debye_switch",  # 1: v across V_DEBYE = 20
    "hankel_switch",  # 2: x across the ratios' Hankel threshold for v < 20 (log I / log K's until 2026-12)
    "temme_steed",  # 3: x across 2 for v < 20
    "half_integer",  # 4: v across n + 1/2 (mu = +-1/2 switch)
    "debye_terms",  # 5: v across each DEBYE_VMIN[k]
    "turning",  # 6: v ~ x
    "eta_zero",  # 7: x/v near 0.6627 (log I, log K near their O(1) minimum)
    "tiny_x_huge_v",  # 8
    "huge_x_small_v",  # 9
    "ps_moderate",  # 10: v < 20, 0.1 < x < threshold
    "hankel_core_switch",  # 11: x across log I / log K's Hankel threshold for v < 20 (set 2: the ratios')
]


def _good(r, tol=1e-22):
    if not r.is_finite():
        return False
    m = abs(float(r.mid()))
    return float(r.rad()) < tol * max(1.0, m)


def _at_prec(fn, prec0=128, maxprec=1 << 15):
    """Arb ball from fn() at the first precision where it is tight; None if none is."""
    prec = prec0
    old = ctx.prec
    try:
        while prec <= maxprec:
            ctx.prec = prec
            r = fn()
            if r is not None and _good(r):
                return r
            prec *= 2
    finally:
        ctx.prec = old
    return None


def _f(r):
    return float(r.mid()) if r is not None else float("nan")


def _k_small_x(v, xx):
    """log K_v(x) (v an arb) from the small-x expansion (for huge v and x^2 << v), or None."""
    nu = float(v.mid())
    if not (xx * xx < 1e-3 * nu and nu > 50):
        return None
    x = arb(xx)
    y = x * x / 4
    # I-part relative size ~ (x/2)^(2v) / Gamma(v)^2 ... must be negligible
    if float((2 * v * (x / 2).log() - 2 * v.lgamma()).mid()) > -100:
        return None
    s = arb(1)
    term = arb(1)
    for k in range(1, 60):
        term = -term * y / (k * (v - k))
        s += term
        if abs(float(term.mid())) < 1e-40:
            break
    return v.lgamma() - arb(2).log() - v * (x / 2).log() + s.log()


def ref_point(args):
    """[log I_v, log(I_{v+1}/I_v), log K_v, log K_{v+1}, log I_v - x, log K_v + x, dlog I_v/dx, dlog K_v/dx]."""
    v, x = args
    li = _at_prec(lambda: arb(x).bessel_i(arb(v)).log())
    lr = _at_prec(lambda: (arb(x).bessel_i(arb(v) + 1) / arb(x).bessel_i(arb(v))).log())
    lk = []
    for shift in (0, 1):  # orders v and v + 1 (exactly: v + 1.0 may round in double)
        # Arb's K_nu fails (slowly) for huge orders at tiny x: use the convergent small-x expansion there
        r = _at_prec(lambda: _k_small_x(arb(v) + shift, x))
        if r is None:
            r = _at_prec(lambda: arb(x).bessel_k(arb(v) + shift).log(), maxprec=1 << 13)
        lk.append(r)
    old = ctx.prec
    ctx.prec = 256
    try:
        xa, va = arb(x), arb(v)
        lis = li - xa if li is not None else None
        lks = lk[0] + xa if lk[0] is not None else None
        dli = lr.exp() + va / xa if lr is not None else None
        dlk = va / xa - (lk[1] - lk[0]).exp() if lk[0] is not None and lk[1] is not None else None
        return [_f(li), _f(lr), _f(lk[0]), _f(lk[1]), _f(lis), _f(lks), _f(dli), _f(dlk)]
    finally:
        ctx.prec = old


def make_points(rng):
    from numerics._bessel_core import V_DEBYE, hankel_ratio_threshold_py, hankel_threshold_py
    from numerics._bessel_tables import DEBYE_VMIN

    pts, sid = [], []

    def add(v, x, s):
        v = np.asarray(v, dtype=float)
        x = np.asarray(x, dtype=float)
        pts.extend(zip(v.tolist(), x.tolist()))
        sid.extend([s] * v.size)

    n = 2400
    add(10 ** rng.uniform(-4, 7, n), 10 ** rng.uniform(-300, 7, n), 0)
    add(rng.integers(0, 40, 100).astype(float), 10 ** rng.uniform(-300, 7, 100), 0)
    add(np.zeros(50), 10 ** rng.uniform(-300, 7, 50), 0)
    m = 300
    add(V_DEBYE + rng.uniform(-0.05, 0.05, m), 10 ** rng.uniform(-5, 4, m), 1)
    add(np.nextafter(V_DEBYE, 0) * np.ones(20), 10 ** rng.uniform(-3, 3, 20), 1)
    v = rng.uniform(0, V_DEBYE, m)
    th = np.array([hankel_ratio_threshold_py(a) for a in v])
    add(v, th * (1 + rng.uniform(-0.02, 0.02, m)), 2)
    add(rng.uniform(0, V_DEBYE, m), 2.0 * (1 + rng.uniform(-0.01, 0.01, m)), 3)
    k = rng.integers(0, 20, m)
    add(k + 0.5 + rng.uniform(-1e-3, 1e-3, m), 10 ** rng.uniform(-3, 2.5, m), 4)
    vm = DEBYE_VMIN[1:][np.isfinite(DEBYE_VMIN[1:]) & (DEBYE_VMIN[1:] < 1e7)]
    vv = rng.choice(vm, m) * (1 + rng.uniform(-1e-3, 1e-3, m))
    add(vv, vv * 10 ** rng.uniform(-2, 2, m), 5)
    v = 10 ** rng.uniform(0, 7, m)
    add(v, v * (1 + rng.uniform(-0.3, 0.3, m)), 6)
    v = 10 ** rng.uniform(1.3, 7, 150)
    add(v, v * 0.6627434193491816 * (1 + rng.uniform(-0.01, 0.01, 150)), 7)
    add(10 ** rng.uniform(3, 7, m), 10 ** rng.uniform(-300, -3, m), 8)
    add(rng.uniform(0, 30, m), 10 ** rng.uniform(3, 7, m), 9)
    add(rng.uniform(0, V_DEBYE, m), 10 ** rng.uniform(-1, 2.3, m), 10)
    v = rng.uniform(0, V_DEBYE, m)  # (appended last: the sets above keep their points)
    th = np.array([hankel_threshold_py(a) for a in v])
    add(v, th * (1 + rng.uniform(-0.02, 0.02, m)), 11)
    return np.array(pts), np.array(sid, dtype=np.int16)


def make_map():
    v = np.logspace(-2, 7, 48)
    x = np.logspace(-6, 7, 48)
    V, X = np.meshgrid(v, x, indexing="ij")
    return V.ravel(), X.ravel()


def arb_kappa(d, rbar):
    """kappa with I_{d/2}(kappa)/I_{d/2-1}(kappa) = rbar (rbar an exact double), by Newton in Arb."""
    from numerics.vmf import fit_kappa

    k0 = float(fit_kappa(d, rbar))  # starting point only; the Arb iteration decides
    old = ctx.prec
    try:
        ctx.prec = 256
        nu = arb(d) / 2
        k = arb(k0)
        for _ in range(60):
            prec = 256
            while True:
                ctx.prec = prec
                i1 = k.bessel_i(nu, scaled=True)
                i0 = k.bessel_i(nu - 1, scaled=True)
                a = i1 / i0
                if float(a.rad()) < 1e-40 * float(abs(a.mid())) or prec > 1 << 14:
                    break
                prec *= 2
            f = a - arb(rbar)
            da = 1 - a * a - (d - 1) * a / k
            step = f / da
            k = arb((k - step).mid())
            if abs(float(step.mid())) < 1e-30 * float(k.mid()):
                break
        return float(k.mid())
    finally:
        ctx.prec = old


def make_vmf(rng):
    from numerics.bessel import log_iv_ratio

    ds = [2, 3, 5, 10, 64, 256, 1024, 2048, 8192, 32768, 65536]
    ks = [1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6, 1e7]
    rows = []
    for d in ds:
        for kappa in ks:
            kt = kappa * float(np.exp(rng.uniform(-0.1, 0.1)))
            rbar = float(np.exp(log_iv_ratio(d / 2 - 1.0, kt)))
            if not (0.0 < rbar < 1.0):
                continue
            rows.append((d, rbar, arb_kappa(d, rbar), kt))
    return np.array(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=["ref", "map", "vmf"], default=None)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args(argv)
    os.makedirs(DATA, exist_ok=True)
    rng = np.random.default_rng(20261124)
    if a.only in (None, "ref"):
        P, sid = make_points(rng)
        with Pool(a.workers) as pool:
            R = np.array(pool.map(ref_point, [tuple(p) for p in P], chunksize=16))
        np.savez_compressed(os.path.join(DATA, "bessel_reference.npz"), v=P[:, 0], x=P[:, 1], set_id=sid,
                            set_names=np.array(SET_NAMES), log_iv=R[:, 0], log_iv_ratio=R[:, 1],
                            log_kv=R[:, 2], log_kv1=R[:, 3], log_ive=R[:, 4], log_kve=R[:, 5],
                            dlog_iv=R[:, 6], dlog_kv=R[:, 7])
        print("reference points:", len(P), "non-finite refs:", int((~np.isfinite(R)).sum()))
    if a.only in (None, "map"):
        V, X = make_map()
        with Pool(a.workers) as pool:
            R = np.array(pool.map(ref_point, list(zip(V.tolist(), X.tolist())), chunksize=16))
        np.savez_compressed(os.path.join(DATA, "bessel_map.npz"), v=V, x=X, log_iv=R[:, 0], log_kv=R[:, 2])
        print("map points:", len(V))
    if a.only in (None, "vmf"):
        M = make_vmf(rng)
        np.savez_compressed(os.path.join(DATA, "vmf_reference.npz"), d=M[:, 0], rbar=M[:, 1], kappa=M[:, 2],
                            kappa_true=M[:, 3])
        print("vmf rows:", len(M))


if __name__ == "__main__":
    main()
