"""Library entry points: run an engine from Python (a notebook, a script) with the workbench's storage and validation."""

from __future__ import annotations

from discovery.runner import RunnerOptions, RunResult, run_engine
from discovery.store import Store

__all__ = ["identify"]


def identify(value: str, basis: list[str] | str | None = None, digits: int = 50, store: str | Store = ":memory:",
             options: RunnerOptions | None = None, max_coeff: int = 1000, max_constants: int = 2,
             degree: int = 2, seed: int = 0) -> RunResult:
    """Identify ``value`` (a decimal string of >= 20 digits, or an expression in named constants) as a closed form.

    Runs in-process by default (``options=RunnerOptions(no_cluster=True)``); pass other options for Dask.
    Returns the :class:`RunResult`; its ``records`` are the stored conjectures.
    """
    from discovery.commands.identify import DEFAULT_BASIS, build_engine, prepare

    if basis is None:
        basis = DEFAULT_BASIS
    if isinstance(basis, str):
        basis = basis.split(",")
    params = prepare(value, basis, digits, max_coeff, max_constants, degree)
    engine = build_engine("identify", params)
    options = options or RunnerOptions(no_cluster=True, progress=False)
    own = not isinstance(store, Store)
    st = Store(store) if own else store
    try:
        return run_engine(engine, store=st, params=params, options=options, digits=digits, seed=seed,
                          target=params["value_text"])
    finally:
        if own and str(store) != ":memory:":
            st.close()
