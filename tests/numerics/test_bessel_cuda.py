"""numerics.cuda: import-safe everywhere; on a CUDA machine the GPU ufuncs pass the same Arb accuracy tests."""

from __future__ import annotations

import os

import numpy as np
import pytest

import numerics.cuda as ncuda

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "bessel_reference.npz")


def test_import_is_safe_and_reports_why():
    assert isinstance(ncuda.available(), bool)
    if not ncuda.available():
        assert isinstance(ncuda.unavailable_reason(), str)
        with pytest.raises(RuntimeError):
            ncuda.log_iv(np.ones(2), np.ones(2))


gpu = pytest.mark.skipif(not ncuda.available(), reason="no CUDA GPU (numerics.cuda unavailable)")


@gpu
@pytest.mark.gpu
@pytest.mark.parametrize("name", ["log_iv", "log_kv", "log_ive", "log_kve", "log_iv_ratio", "dlog_iv", "dlog_kv"])
def test_gpu_accuracy_against_arb(name):
    from numerics import bessel

    z = np.load(DATA)
    v, x, r = z["v"], z["x"], z[name]
    m = (v <= 1e7) & (x >= 1e-300) & (x <= 1e7) & np.isfinite(r) & (np.abs(r) < 1e300)
    v, x, r = v[m], x[m], r[m]
    g = getattr(ncuda, name)(v, x)
    c = getattr(bessel, name)(v, x)
    if name.startswith("dlog"):
        e = np.abs(g - r) / np.abs(r)
        assert e.max() <= 1e-13 and np.median(e) <= 2e-16, (e.max(), np.median(e))
    else:
        e = np.abs(g - r) / np.maximum(1.0, np.abs(r))
        i = int(np.argmax(e))
        assert e.max() <= 1e-14, (e.max(), v[i], x[i])
        assert np.median(e) <= 2e-16
    # GPU and CPU run the same algorithm: they agree to a few ulps
    d = np.abs(g - c) / np.maximum(1.0, np.abs(c))
    assert d.max() <= 1e-14


@gpu
@pytest.mark.gpu
def test_gpu_semantics_and_float32():
    assert ncuda.log_iv(np.array([0.0, 2.0]), np.array([0.0, 0.0])).tolist() == [0.0, -np.inf]
    assert np.isnan(ncuda.log_iv(np.array([-2.5]), np.array([1.0]))[0])
    assert ncuda.log_kv(np.array([-3.5]), np.array([2.0]))[0] == ncuda.log_kv(np.array([3.5]), np.array([2.0]))[0]
    v = np.logspace(-2, 6, 1000).astype(np.float32)
    x = np.logspace(-30, 6, 1000).astype(np.float32)
    from numerics import bessel

    for name in ["log_iv", "log_kv"]:
        g = getattr(ncuda, name)(v, x)
        assert g.dtype == np.float32
        np.testing.assert_allclose(g, getattr(bessel, name)(v, x), rtol=2.5e-7, atol=2.5e-7)


def test_cuda_backend_source_in_the_simulator():
    # CI has no GPU: the CUDA backend of _bessel_core.py (cuda.jit device functions, math.exp / cuda.fma where
    # the CPU build has its own vectorisable pieces) still runs here, in Numba's CUDA simulator, on points of
    # every regime, and must agree with the CPU ufuncs (the simulator's fma is made exact: see the script)
    import json
    import subprocess
    import sys

    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_cuda_sim_check.py")
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1")
    p = subprocess.run([sys.executable, script, "3"], env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    res = json.loads(p.stdout.strip().splitlines()[-1])
    for name, val in res.items():
        if name.endswith("_nonfinite_equal"):
            assert val, name
        else:
            assert val <= 2e-15, (name, val)  # (same algorithms; libm exp where the CPU has its own)
