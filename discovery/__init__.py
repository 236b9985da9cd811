"""The workbench: runs, storage, validation, export and the ``discover`` CLI (imports ``search`` and ``numerics``).

Heavy dependencies (Dask, SymPy, Numba) are imported only where they are used, so ``discover --help`` is instant.
"""

from discovery.api import identify
from discovery.errors import UserError
from discovery.runner import RunnerOptions, RunResult, resume_engine, run_engine
from discovery.store import Store, package_version
from discovery.validate import Verdict, validate

__version__ = package_version()

__all__ = [
    "RunResult",
    "RunnerOptions",
    "Store",
    "UserError",
    "Verdict",
    "__version__",
    "identify",
    "resume_engine",
    "run_engine",
    "validate",
]
