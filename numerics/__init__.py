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
from numerics.bessel import dlog_iv, dlog_kv, log_iv, log_iv_ratio, log_ive, log_kv, log_kve

__all__ += ["log_iv", "log_kv", "log_ive", "log_kve", "log_iv_ratio", "dlog_iv", "dlog_kv"]
