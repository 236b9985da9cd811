"""Fast, validated numeric kernels: usable on their own (``from numerics import log_iv``).

This layer imports nothing of the workbench.
"""

from numerics.spline import AdaptiveSpline, DiscontinuityError, MaxKnotsError, SplineError, SplineTable

__all__: list[str] = []
__all__ += ["AdaptiveSpline", "SplineTable", "SplineError", "DiscontinuityError", "MaxKnotsError"]
from numerics.recurrence import (
    IntPoly, berlekamp_massey_mod, berlekamp_massey_rational, convergence_rate, delta_curve,
    interlaced_polynomial_pattern, irrationality_measure, pcf_convergents, pcf_convergents_mp, pcf_delta, pcf_value,
    recurrence_extend, signed_cf_convergents, signed_cf_expand, signed_cf_value, symmetric_residues,
)

__all__ += ["IntPoly", "berlekamp_massey_mod", "berlekamp_massey_rational", "convergence_rate", "delta_curve",
            "interlaced_polynomial_pattern", "irrationality_measure", "pcf_convergents", "pcf_convergents_mp",
            "pcf_delta", "pcf_value", "recurrence_extend", "signed_cf_convergents", "signed_cf_expand",
            "signed_cf_value", "symmetric_residues"]
from numerics._pcf_batch import PCFBatchResult, pcf_limits

__all__ += ["pcf_limits", "PCFBatchResult"]
# The log-Bessel ufuncs are loaded on first use (PEP 562): on a machine with an empty Numba cache they take over a
# minute to compile, which engines that only need the recurrences or the PCF kernels (and their Dask workers)
# should not pay.  ``from numerics import log_iv`` and ``numerics.log_iv`` work as usual.
_LAZY = {name: "numerics.bessel" for name in
         ("log_iv", "log_kv", "log_ive", "log_kve", "log_iv_ratio", "dlog_iv", "dlog_kv")}
__all__ += list(_LAZY)


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'numerics' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
