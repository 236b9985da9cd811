"""Run by test_bessel_cuda.py in a subprocess with NUMBA_ENABLE_CUDASIM=1: the CUDA backend of
numerics/_bessel_core.py (the source numerics.cuda compiles for the GPU), executed in Numba's CUDA simulator
inside a kernel launch, against the CPU ufuncs.  Prints the largest relative difference per function."""

from __future__ import annotations

import json
import os
import sys

import numpy as np

import numerics
from numerics import bessel

# the simulator's cuda.fma is a * b + c with two roundings; the double-double code (two_prod) needs a real fused
# multiply-add, as every GPU has: a correctly rounded one from exact rational arithmetic
from fractions import Fraction  # noqa: E402

from numba.cuda.simulator import kernelapi  # noqa: E402


def _exact_fma(self, a, b, c):
    if not (np.isfinite(a) and np.isfinite(b) and np.isfinite(c)):
        return a * b + c
    return float(Fraction(a) * Fraction(b) + Fraction(c))


kernelapi.FakeCUDAModule.fma = _exact_fma

src_path = os.path.join(os.path.dirname(os.path.abspath(numerics.__file__)), "_bessel_core.py")
ns = {"_BACKEND": "cuda", "__name__": "numerics._bessel_core_cuda", "__file__": src_path}
exec(compile(open(src_path).read(), src_path, "exec"), ns)
exec('''
@cuda.jit
def _kern(v, x, out):
    i = cuda.grid(1)
    if i < v.size:
        out[0, i] = log_iv_scalar(v[i], x[i], False)
        out[1, i] = log_iv_scalar(v[i], x[i], True)
        out[2, i] = log_kv_scalar(v[i], x[i], False)
        out[3, i] = log_kv_scalar(v[i], x[i], True)
        out[4, i] = log_iv_ratio_scalar(v[i], x[i])
        out[5, i] = dlog_iv_scalar(v[i], x[i])
        out[6, i] = dlog_kv_scalar(v[i], x[i])
''', ns)
rng = np.random.default_rng(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
n = 24
parts = [
    (rng.uniform(0, 20, n), 10 ** rng.uniform(-300, -3, n)),  # tiny x: power series, Temme
    (rng.uniform(0, 20, n), 10 ** rng.uniform(-3, 1.3, n)),  # series, Temme, CF2
    (rng.uniform(0, 20, n), 10 ** rng.uniform(2, 5, n)),  # Hankel
    (10 ** rng.uniform(1.3, 7, n), 10 ** rng.uniform(1.3, 7, n)),  # Debye
]
v = np.concatenate([p[0] for p in parts])
x = np.concatenate([p[1] for p in parts])
v[v.size // 2:][::5] = x[v.size // 2:][::5] * rng.uniform(0.5, 2.0, v[v.size // 2:][::5].size)  # turning
out = np.zeros((7, v.size))
ns["_kern"][(v.size + 31) // 32, 32](v, x, out)
res = {}
for k, name in enumerate(("log_iv", "log_ive", "log_kv", "log_kve", "log_iv_ratio", "dlog_iv", "dlog_kv")):
    c = getattr(bessel, name)(v, x)
    ok = np.isfinite(c)
    res[name] = float(np.max(np.abs(out[k][ok] - c[ok]) / np.maximum(1.0, np.abs(c[ok]))))
    res[name + "_nonfinite_equal"] = bool(np.array_equal(out[k][~ok], c[~ok], equal_nan=True))
print(json.dumps(res))
