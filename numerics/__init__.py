"""Fast, validated numeric kernels: usable on their own (``from numerics import log_iv``).

This layer imports nothing of the workbench.
"""

__all__: list[str] = []
