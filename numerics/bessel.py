"""Logarithms of the modified Bessel functions I_v(x) and K_v(x) at machine precision, as NumPy ufuncs.

All functions are NumPy ufuncs with float32 and float64 loops (types ``ff->f``, ``dd->d``), compiled by Numba
and cached on disk: they broadcast, accept scalars and return float64 or float32.  Float32 inputs are evaluated
in float64 and rounded once, so float32 results are within one float32 ulp of the true value.

``log_iv``, ``log_ive``, ``log_kv`` and ``log_kve`` run batch inner loops (Numba ``cfunc``): NumPy hands them whole
runs of elements, which they sort by region and evaluate in branch-free, SIMD-vectorised passes (Debye, Hankel,
power series), falling back to the scalar kernel elsewhere.  Their results are bit-identical to the element-wise
Numba ``@vectorize`` ufuncs ``log_iv_elementwise``, ... (kept here; the GPU ufuncs and the remaining functions
are ``@vectorize`` ufuncs of the same scalar kernels).

Domain (v real, x >= 0, over the whole double range):

* ``log_iv(0, 0) = 0``, ``log_iv(v > 0, 0) = -inf``, ``log_kv(v, 0) = +inf``;
* ``log_kv`` is even in v; ``log_iv`` of a negative integer order equals that of ``-v``, of any other
  negative order it is NaN (I_v is then not positive everywhere);
* x < 0 gives NaN and NaN propagates.

Functions:

* ``log_iv(v, x)``  = log I_v(x);          ``log_ive(v, x)`` = log I_v(x) - x   (log of ``scipy.special.ive``)
* ``log_kv(v, x)``  = log K_v(x);          ``log_kve(v, x)`` = log K_v(x) + x   (log of ``scipy.special.kve``)
* ``log_iv_ratio(v, x)`` = log(I_{v+1}(x) / I_v(x)), accurate in the relative sense also where it is tiny
  (x >> v) or very negative (x << v); this is log A_{2v+2}(x) of the von Mises-Fisher distribution.
* ``dlog_iv(v, x)`` = d/dx log I_v(x) = I_v'(x)/I_v(x);  ``dlog_kv(v, x)`` = d/dx log K_v(x).

The algorithms (Debye, power series, Hankel, Temme, Steed) and their regions are described in
``numerics/_bessel_core.py``.  ``numerics.bessel_parallel`` holds ``target="parallel"`` twins and
``numerics.cuda`` the GPU twins compiled from the same source.
"""

from __future__ import annotations

from numerics._bessel_core import (  # noqa: F401  (the *_elementwise twins: same results, one point at a time)
    dlog_iv, dlog_kv, log_iv, log_iv_elementwise, log_iv_ratio, log_ive, log_ive_elementwise, log_kv,
    log_kv_elementwise, log_kve, log_kve_elementwise,
)

__all__ = ["log_iv", "log_kv", "log_ive", "log_kve", "log_iv_ratio", "dlog_iv", "dlog_kv"]
