"""GPU (CUDA) twins of ``numerics.bessel``: the same kernels, compiled by numba-cuda from the same source.

Import-safe everywhere: nothing is compiled at import.  ``available()`` says whether a CUDA GPU and numba-cuda
are usable; the ufuncs are built on first use (``log_iv``, ``log_kv``, ``log_ive``, ``log_kve``,
``log_iv_ratio``, ``dlog_iv``, ``dlog_kv``, each with float64 and float32 signatures) and accept host arrays
(copied to and from the GPU) or numba device arrays.

    from numerics import cuda as ncuda
    if ncuda.available():
        y = ncuda.log_iv(v, x)

Implementation: ``numerics/_bessel_core.py`` is executed a second time with ``_BACKEND = "cuda"``, which turns
every kernel into a ``cuda.jit(device=True)`` function (and uses ``cuda.fma`` for exact products).
"""

from __future__ import annotations

import os

__all__ = ["available", "unavailable_reason", "NAMES"]

NAMES = ("log_iv", "log_kv", "log_ive", "log_kve", "log_iv_ratio", "dlog_iv", "dlog_kv")
_SIGS = ["float32(float32, float32)", "float64(float64, float64)"]
_built: dict = {}
_WRAPPERS = """
def _u_log_iv(v, x):
    return log_iv_scalar(_f64(v), _f64(x), False)

def _u_log_ive(v, x):
    return log_iv_scalar(_f64(v), _f64(x), True)

def _u_log_kv(v, x):
    return log_kv_scalar(_f64(v), _f64(x), False)

def _u_log_kve(v, x):
    return log_kv_scalar(_f64(v), _f64(x), True)

def _u_log_iv_ratio(v, x):
    return log_iv_ratio_scalar(_f64(v), _f64(x))

def _u_dlog_iv(v, x):
    return dlog_iv_scalar(_f64(v), _f64(x))

def _u_dlog_kv(v, x):
    return dlog_kv_scalar(_f64(v), _f64(x))
"""
_reason: list = []


def unavailable_reason() -> str | None:
    """None if the GPU path can be used, else one line saying why not."""
    if _reason:
        return _reason[0]
    try:
        from numba import cuda
    except Exception as exc:  # pragma: no cover - depends on the install
        _reason.append(f"numba-cuda cannot be imported: {exc}")
        return _reason[0]
    try:
        ok = bool(cuda.is_available())
    except Exception as exc:  # pragma: no cover - depends on the machine
        _reason.append(f"CUDA is not usable: {exc}")
        return _reason[0]
    if not ok:
        _reason.append("no CUDA GPU is available")
        return _reason[0]
    return None


def available() -> bool:
    """Whether a CUDA GPU and numba-cuda are usable here."""
    return unavailable_reason() is None


def _build() -> dict:
    if _built:
        return _built
    why = unavailable_reason()
    if why is not None:
        raise RuntimeError(why)
    from numba import vectorize

    src_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_bessel_core.py")
    with open(src_path) as fh:
        src = fh.read()
    ns: dict = {"_BACKEND": "cuda", "__name__": "numerics._bessel_core_cuda", "__file__": src_path}
    exec(compile(src, src_path, "exec"), ns)
    # the ufunc bodies are defined inside the same namespace, so the kernels are plain globals to them
    exec(_WRAPPERS, ns)
    for name in NAMES:
        _built[name] = vectorize(_SIGS, target="cuda")(ns["_u_" + name])
    return _built


def __getattr__(name):
    if name in NAMES:
        return _build()[name]
    raise AttributeError(f"module 'numerics.cuda' has no attribute {name!r}")
