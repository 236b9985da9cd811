"""Fast, validated numeric kernels: usable on their own (``from numerics import log_iv``).

This layer imports nothing of the workbench.
"""

from numerics.spline import AdaptiveSpline, DiscontinuityError, MaxKnotsError, SplineError, SplineTable

__all__: list[str] = []
__all__ += ["AdaptiveSpline", "SplineTable", "SplineError", "DiscontinuityError", "MaxKnotsError"]
