"""The batch ufunc loops of numerics/_bessel_core.py (log_iv, log_ive, log_kv, log_kve).

Their inner loops sort each chunk of points by region and run vectorised passes; every point must come out
bit-identical to the element-wise @vectorize kernels (log_iv_elementwise, ...), whatever the layout of the
arrays NumPy hands the loop (strides, broadcasting, float32, chunk boundaries, tiny runs).
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from numerics import _bessel_core as C
from numerics import bessel

HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = ["log_iv", "log_ive", "log_kv", "log_kve"]


def _same(a, b):
    return np.array_equal(a, b, equal_nan=True)


def _points(n, seed):
    rng = np.random.default_rng(seed)
    parts = [
        (10 ** rng.uniform(-3, 7, n), 10 ** rng.uniform(-300, 7, n)),  # log-uniform domain
        (rng.uniform(0, 20, n), 10 ** rng.uniform(-3, 1.6, n)),  # power series
        (rng.uniform(0, 20, n), 10 ** rng.uniform(1.3, 5, n)),  # Hankel, series up to X_H
        (10 ** rng.uniform(1.3, 7, n), 10 ** rng.uniform(1.3, 7, n)),  # Debye, all of it
    ]
    v = 10 ** rng.uniform(1.3, 5, n)
    parts.append((v, v * rng.uniform(0.3, 3.0, n)))  # turning region (double-double)
    gates = [C.DEBYE_FAST_ZLO, C.DEBYE_FAST_ZHI, C.DEBYE_FAST_ZLO_S, 0.06, 2.0]  # (0.06, 2: the former band)
    parts.append((v, v * rng.choice(gates, n) * (1 + rng.uniform(-1e-3, 1e-3, n))))  # gates
    w = rng.integers(0, 40, n) / 2.0
    parts.append((w + rng.choice([0.0, 1e-12, -1e-12], n), 10 ** rng.uniform(-310, 3, n)))  # n switches, subnormal x
    parts.append((np.abs(w * 2 - 20) + 19.5, 10 ** rng.uniform(-5, 8, n)))  # around V_DEBYE
    big = 10 ** rng.uniform(140, 308, n)
    parts.append((big, 10 ** rng.uniform(-300, 308, n)))  # beyond HUGE_ARG
    parts.append((10 ** rng.uniform(-300, 308, n), big))
    v = np.concatenate([p[0] for p in parts])
    x = np.concatenate([p[1] for p in parts])
    perm = rng.permutation(v.size)  # mix the regions inside every chunk
    return v[perm], x[perm]


SPECIALS = np.array([0.0, -0.0, 5e-324, 1e-310, 1.0, 20.0, -3.0, -2.5, np.inf, -np.inf, np.nan, 1e151, 1.7e308])


@pytest.mark.parametrize("name", NAMES)
def test_batch_is_bit_identical_to_elementwise(name):
    f, g = getattr(bessel, name), getattr(C, name + "_elementwise")
    v, x = _points(3000, 7)
    with np.errstate(all="ignore"):
        assert _same(f(v, x), g(v, x))
        # every special value against every other, inside long runs (batch path) and alone (n < 8 path)
        V, X = np.meshgrid(SPECIALS, SPECIALS)
        V = np.concatenate([V.ravel(), v[:600]])
        X = np.concatenate([X.ravel(), x[:600]])
        assert _same(f(V, X), g(V, X))
        for a, b in zip(V[:169], X[:169]):
            assert _same(f(a, b), g(a, b))


def test_reference_grid_bit_identical():
    z = np.load(os.path.join(HERE, "data", "bessel_reference.npz"))
    for name in NAMES:
        assert _same(getattr(bessel, name)(z["v"], z["x"]), getattr(C, name + "_elementwise")(z["v"], z["x"])), name


def test_layouts_strides_broadcasting_float32():
    v, x = _points(400, 8)
    ref = C.log_kv_elementwise(v, x)
    f = bessel.log_kv
    # strided views, reversed, Fortran order, out=  (where= is refused by every Numba-built ufunc, as before)
    V2 = np.repeat(v[:, None], 3, axis=1)
    assert _same(f(V2[:, 1], x), ref)
    assert _same(f(v[::-1], x[::-1]), ref[::-1])
    Vf, Xf = np.asfortranarray(v.reshape(40, -1)), np.asfortranarray(x.reshape(40, -1))
    assert _same(f(Vf, Xf), ref.reshape(40, -1))
    out = np.full(v.size, 7.0)
    f(v, x, out=out)
    assert _same(out, ref)
    # broadcasting: a scalar order against many x (step 0), a column against a row
    assert _same(f(2.5, x), C.log_kv_elementwise(2.5, x))
    assert _same(f(v[:50, None], x[None, :70]), C.log_kv_elementwise(v[:50, None], x[None, :70]))
    # float32 in, float32 out, rounded once from the float64 kernel
    v32, x32 = v.astype(np.float32), x.astype(np.float32)
    with np.errstate(all="ignore"):
        for name in NAMES:
            a = getattr(bessel, name)(v32, x32)
            assert a.dtype == np.float32
            assert _same(a, getattr(C, name + "_elementwise")(v32, x32)), name
    # lengths around the chunk size
    for n in [1, 7, 8, 9, 511, 512, 513, 1025]:
        assert _same(f(v[:n], x[:n]), ref[:n]), n


def test_batch_ufuncs_are_numpy_ufuncs():
    for name in NAMES:
        f = getattr(bessel, name)
        assert isinstance(f, np.ufunc) and f.nin == 2 and f.nout == 1
        assert f.__name__ == name
        assert f.types == ["ff->f", "dd->d"]


def test_parallel_batch_identical_on_many_points():
    from numerics import bessel_parallel as bp

    v, x = _points(2000, 9)  # > 16 chunks: the threaded path
    assert v.size > 16 * 512
    for name in NAMES:
        assert _same(getattr(bp, name)(v, x), getattr(bessel, name)(v, x)), name


def test_lock_step_loops_raise_no_floating_point_flag():
    # the power series, Temme and CF2 lanes keep stepping (frozen) after they stop: that must not overflow or
    # divide by zero (NumPy would warn about a flag the element-wise kernel never raises)
    rng = np.random.default_rng(11)
    n = 4000
    v = np.concatenate([rng.uniform(0, 20, n), rng.integers(0, 40, n) / 2.0])
    x = np.concatenate([10 ** rng.uniform(-300, 1.5, n), 10 ** rng.uniform(-3, 2.5, n)])
    perm = rng.permutation(v.size)
    v, x = v[perm], x[perm]
    for name in NAMES:
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            r = getattr(bessel, name)(v, x)
        assert np.isfinite(r).all(), name
        with np.errstate(all="ignore"):
            assert _same(r, getattr(C, name + "_elementwise")(v, x)), name


def _debye_only(n, seed):
    # every point v >= 20, 0 < x < 1e150: the chunks take the all-Debye path (_batch_debye_all), with the
    # band sent to double-double, the fast-path gates, q = x/(v+s) underflowing (x ~ 1e-300) and the scaled forms
    rng = np.random.default_rng(seed)
    v = 10 ** rng.uniform(np.log10(20.0), 7, n)
    z = np.concatenate([
        10 ** rng.uniform(-4, 2.5, n // 2),
        rng.choice([C.DEBYE_FAST_ZLO, C.DEBYE_FAST_ZHI, C.DEBYE_FAST_ZLO_S, 1.0], n // 4)
        * (1 + rng.uniform(-1e-3, 1e-3, n // 4)),
        10 ** rng.uniform(-305, -280, n - n // 2 - n // 4),
    ])
    return v, v * z[rng.permutation(n)]


def test_all_debye_chunks_in_place_and_parallel():
    from numerics import bessel_parallel as bp

    v, x = _debye_only(20000, 12)
    assert np.all((v >= C.V_DEBYE) & (x > 0) & (x < C.HUGE_ARG))
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        for name in NAMES:
            f, g = getattr(bessel, name), getattr(C, name + "_elementwise")
            ref = g(v, x)
            assert _same(f(v, x), ref), name
            assert _same(getattr(bp, name)(v, x), ref), name  # > 16 chunks: threads, slices of one array
            for n in [8, 15, 16, 17, 511, 512, 513, 1025]:
                assert _same(f(v[:n], x[:n]), ref[:n]), (name, n)
            # the output buffer is an input (in place): the zero-copy path must not read overwritten inputs
            vv, xx = v.copy(), x.copy()
            f(vv, x, out=vv)
            f(v, xx, out=xx)
            assert _same(vv, ref) and _same(xx, ref), name
            # a chunk of Debye points with one other point is sorted as before: the same values
            v2, x2 = v[:512].copy(), x[:512].copy()
            v2[100], x2[100] = 3.0, 2.0
            assert _same(f(v2, x2), g(v2, x2)), name


@pytest.mark.parametrize("major", ["hankel", "debye", "tiny"])
def test_mostly_one_region_chunks_defer_the_others(major):
    # chunks with >= 3/4 of their points in Hankel's (or Debye's, or, for log I, the one-term power series of
    # x < PS_TINY_X) region run that pass on the whole chunk and defer the others to lists evaluated many chunks
    # at a time (flushed once more than 3/4 of a chunk has gathered, and at the end)
    from numerics import bessel_parallel as bp

    rng = np.random.default_rng({"hankel": 13, "debye": 14, "tiny": 17}[major])
    n = 9000
    if major == "hankel":
        v = rng.uniform(0, 20, n)
        x = C.hankel_threshold_py(v) * 10 ** rng.uniform(0, 3, n)
    elif major == "debye":
        v, x = _debye_only(n, 15)
    else:
        v = np.where(rng.uniform(0, 1, n) < 0.3, rng.integers(0, 20, n), rng.uniform(0, 20, n))
        x = 10 ** rng.uniform(-320, np.log10(C.PS_TINY_X), n)
    ov, ox = _points(200, 16)
    ov = np.concatenate([ov, SPECIALS, -SPECIALS])
    ox = np.concatenate([ox, SPECIALS[::-1], SPECIALS])
    k = rng.integers(0, ov.size, n)
    other = rng.uniform(0, 1, n) < rng.choice([0.02, 0.1, 0.24, 0.3], n // 500 + 1).repeat(500)[:n]
    v = np.where(other, ov[k], v)
    x = np.where(other, ox[k], x)
    with np.errstate(all="ignore"):
        for name in NAMES:
            f, g = getattr(bessel, name), getattr(C, name + "_elementwise")
            ref = g(v, x)
            assert _same(f(v, x), ref), name
            assert _same(f(v[::2], x[::2]), ref[::2]), name  # strided: the copying path (deferred too)
            vv = v.copy()
            f(vv, x, out=vv)  # in place: the copying path, the deferred points' inputs kept
            assert _same(vv, ref), name
            v32, x32 = v.astype(np.float32), x.astype(np.float32)
            assert _same(f(v32, x32), g(v32, x32)), name
            assert _same(getattr(bp, name)(v, x), ref), name  # zero-copy threads
            assert _same(getattr(bp, name)(v[::-1], x[::-1]), ref[::-1]), name  # copying threads
            for m in [511, 512, 513, 1100, 2049]:
                assert _same(f(v[:m], x[:m]), ref[:m]), (name, m)


def test_hankel_lanes_compacted_when_few_stay_live():
    # Hankel's lanes step together; once fewer than a quarter are live (most points at large x stop after 4-8
    # terms, a few near the threshold need ~16), those few step on compacted: their results must not change
    rng = np.random.default_rng(21)
    n = 5000
    v = rng.uniform(0, 20, n)
    thr = C.hankel_threshold_py(v)
    x = np.where(rng.uniform(0, 1, n) < rng.choice([0.0, 0.01, 0.05, 0.2, 0.3], n // 512 + 1).repeat(512)[:n],
                 thr * rng.uniform(1.0, 1.2, n), 10 ** rng.uniform(5, 7, n))
    from numerics import bessel_parallel as bp

    mixed_v, mixed_x = _points(300, 22)  # and through the mixed-chunk path
    perm = rng.permutation(2000 + mixed_v.size)
    V = np.concatenate([v[:2000], mixed_v])[perm]
    X = np.concatenate([x[:2000], mixed_x])[perm]
    with np.errstate(all="ignore"):
        for name in NAMES:
            f, g = getattr(bessel, name), getattr(C, name + "_elementwise")
            ref = g(v, x)
            assert _same(f(v, x), ref), name
            assert _same(getattr(bp, name)(v, x), ref), name
            for m in [3, 16, 17, 100, 511]:
                assert _same(f(v[:m], x[:m]), ref[:m]), (name, m)
            assert _same(f(V, X), g(V, X)), name
