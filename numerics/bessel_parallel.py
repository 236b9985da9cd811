"""``target="parallel"`` twins of the ufuncs in ``numerics.bessel`` (same kernels, multi-threaded, same results).

``log_iv``, ``log_ive``, ``log_kv``, ``log_kve``: the batch loops, chunks of 4096 points spread over the threads
(runs below 8192 points stay on the calling thread); the others: ``@vectorize(target="parallel")``.

``from numerics.bessel_parallel import log_iv, log_kv``; the thread count follows ``numba.set_num_threads``.
They are compiled (once, then loaded from Numba's cache) together with the serial ufuncs.
"""

from __future__ import annotations

from numerics._bessel_core import _build_parallel

_u = _build_parallel()
log_iv = _u["log_iv"]
log_ive = _u["log_ive"]
log_kv = _u["log_kv"]
log_kve = _u["log_kve"]
log_iv_ratio = _u["log_iv_ratio"]
dlog_iv = _u["dlog_iv"]
dlog_kv = _u["dlog_kv"]
del _u

__all__ = ["log_iv", "log_kv", "log_ive", "log_kve", "log_iv_ratio", "dlog_iv", "dlog_kv"]
