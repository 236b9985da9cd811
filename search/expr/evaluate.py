"""Evaluation front-end: ``compile`` (one expression), batches of programs, and forward-mode Jacobians.

All numerical work happens in the single cached Numba stack machine (``_kernel.py``); this module only checks
inputs and lays out arrays.  Domain errors never raise: they give NaN or inf in the affected rows.
"""

from __future__ import annotations

import numpy as np

from search.expr import _kernel as K
from search.expr._numpy_exec import SIMD_OPS, eval_numpy
from search.expr.postfix import Program, ProgramBatch, as_variables, encode, pack, var_map
from search.expr.terms import Expr

__all__ = ["BACKENDS", "MAX_SHARED_REGS", "NUMPY_FROM_ROWS", "CompiledExpr", "compile", "evaluate", "evaluate_batch", "jacobian", "jacobian_batch", "as_expr",
           "prepare_X"]


def as_expr(expr, variables=None, params=None) -> Expr:
    """Accept an ``Expr``, a SymPy expression or a string (parsed with :func:`search.expr.parse`)."""
    if isinstance(expr, Expr):
        return expr
    from search.expr.sympy_io import from_sympy, parse  # SymPy only at the boundary

    if isinstance(expr, str):
        return parse(expr, variables=variables, params=params)
    return from_sympy(expr, variables=variables, params=params)


def prepare_X(X, k: int):
    """Turn X into the kernel layout: a float64 array ``Xt`` of shape (k, n) (variables x rows).

    Accepts one array of shape (n, k) (or (n,) when k == 1), or a sequence of k arrays / scalars that broadcast
    together.  A C-contiguous float64 (n, k) array is not copied: ``Xt`` is its transpose view.
    Returns ``(Xt, shape)`` where ``shape`` is the shape the results are reshaped to.
    """
    if isinstance(X, (list, tuple)):
        if len(X) != k:
            raise ValueError(f"expected {k} variable arrays, got {len(X)}")
        if k == 0:
            return np.zeros((0, 1)), ()
        arrs = np.broadcast_arrays(*[np.asarray(a, dtype=np.float64) for a in X])
        shape = arrs[0].shape
        # (n, k) C-order then its transpose: the same memory layout as the single-array form, so both share
        # one compiled specialisation of the kernel
        M = np.empty((int(np.prod(shape, dtype=np.int64)), k), dtype=np.float64)
        for j, a in enumerate(arrs):
            M[:, j] = a.reshape(-1)
        return M.T, shape
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1 and k == 1:
        return np.ascontiguousarray(X).reshape(1, -1), X.shape
    if X.ndim != 2:
        raise ValueError(f"X must have shape (n, {k}), got {X.shape}")
    if X.shape[1] != k:
        raise ValueError(f"X has {X.shape[1]} columns but {k} variables are expected")
    return np.ascontiguousarray(X).T, (X.shape[0],)


#: ``backend="auto"`` switches one-program evaluation to the NumPy executor from this many rows on, when the
#: program uses an operation that NumPy runs with SIMD (see ``_numpy_exec``).
NUMPY_FROM_ROWS = 1 << 17
BACKENDS = ("auto", "numba", "numpy")


def _run_one(program: Program, p, Xt, out, parallel: bool, backend: str) -> None:
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    use_np = backend == "numpy" or (
        backend == "auto" and not parallel and Xt.shape[1] >= NUMPY_FROM_ROWS
        and not SIMD_OPS.isdisjoint(program.ops.tolist()))
    if use_np:
        eval_numpy(program.ops, program.args, program.consts, p, Xt, program.depth, program.n_regs, out)
    else:
        fn = K.eval_program_par if parallel else K.eval_program
        fn(program.ops, program.args, len(program), program.consts, p, Xt, program.depth, program.n_regs, out)


def _params_vec(params, n_params: int) -> np.ndarray:
    if params is None:
        if n_params:
            raise ValueError(f"the expression has {n_params} fittable parameters: pass params=")
        return np.zeros(0, dtype=np.float64)
    p = np.ascontiguousarray(params, dtype=np.float64).reshape(-1)
    if p.shape[0] < n_params:
        raise ValueError(f"need {n_params} parameter values, got {p.shape[0]}")
    return p


def evaluate(program: Program, X, params=None, parallel: bool = False, backend: str = "auto") -> np.ndarray:
    """Run one program on X of shape (n, k) (k >= ``program.n_vars``); float64 (n,).

    ``backend``: ``"numba"`` (the stack machine), ``"numpy"`` (block-wise ufuncs, faster for transcendental-heavy
    programs on >= 10**5 rows), or ``"auto"`` (NumPy from ``NUMPY_FROM_ROWS`` rows on when the program has such
    operations and ``parallel`` is off; otherwise Numba).  Batches, Jacobians and hashing always use Numba.
    """
    Xt, shape = prepare_X(X, X.shape[1] if isinstance(X, np.ndarray) and X.ndim == 2 else program.n_vars)
    if Xt.shape[0] < program.n_vars:
        raise ValueError(f"program reads {program.n_vars} variables but X has {Xt.shape[0]}")
    p = _params_vec(params, program.n_params)
    out = np.empty(Xt.shape[1], dtype=np.float64)
    _run_one(program, p, Xt, out, parallel, backend)
    return out.reshape(shape)


#: At most this many batch-wide registers (BLOCK rows each) for a shared batch; beyond, programs share only
#: inside themselves.
MAX_SHARED_REGS = 8192


def _flat_batch(terms, variables, shared: bool = False) -> ProgramBatch | None:
    """Pack terms that all carry flat codes with one compiled call (no Program objects: the batch's
    ``programs`` are the terms); None when some item is not such a term or reads an unknown variable.
    ``shared``: repeated subterms are computed once for the whole batch (``_kernel.flat_pack_shared``)."""
    flats = []
    for t in terms:
        if type(t) is not Expr or t._flat is None:
            return None
        flats.append(t._flat)
    if not flats:
        return None
    codes = b"".join([f[0] for f in flats])
    values = b"".join([f[1] for f in flats])
    code_off = np.zeros(len(flats) + 1, dtype=np.int64)
    code_off[1:] = [len(f[0]) for f in flats]
    value_off = np.zeros(len(flats) + 1, dtype=np.int64)
    value_off[1:] = [len(f[1]) for f in flats]
    np.cumsum(code_off, out=code_off)
    np.cumsum(value_off, out=value_off)
    code_off >>= 3
    value_off >>= 3
    codes = np.frombuffer(codes, np.int64)
    values = np.frombuffer(values, np.float64)
    vmap = var_map(variables)
    if shared:
        ops, args, lengths, consts, n_params, n_vars, depth, n_regs, status = K.flat_pack_shared(
            codes, code_off, values, value_off, vmap, MAX_SHARED_REGS)
        if status == 0:
            return ProgramBatch(ops, args, lengths, consts, n_params, int(n_vars), int(depth), int(n_regs),
                                tuple(terms), True)
        if status < 0:
            return None  # the per-term path raises the ValueError naming the variable
    ops, args, lengths, consts, n_params, n_vars, depth, n_regs, status = K.flat_pack(
        codes, code_off, values, value_off, vmap, True)
    if status != 0:
        return None
    return ProgramBatch(ops, args, lengths, consts, n_params, int(n_vars), int(depth), int(n_regs), tuple(terms))


def _as_batch(programs, variables, shared: bool = False) -> ProgramBatch:
    if isinstance(programs, ProgramBatch):
        return programs
    if variables is not None and isinstance(programs, (list, tuple)):
        batch = _flat_batch(programs, as_variables(variables), shared)
        if batch is not None:
            return batch
    progs = []
    for p in programs:
        if isinstance(p, Program):
            progs.append(p)
        else:
            if variables is None:
                raise ValueError("evaluate_batch needs variables= to encode expressions")
            progs.append(encode(as_expr(p, variables), variables))
    if not progs:
        raise ValueError("empty batch of programs")
    return pack(progs)


def _params_mat(params, batch: ProgramBatch) -> np.ndarray:
    P = len(batch)
    Q = int(batch.n_params.max()) if P else 0
    if params is None:
        if Q:
            raise ValueError("some programs have fittable parameters: pass params=")
        return np.zeros((P, 1), dtype=np.float64)
    if isinstance(params, np.ndarray) and params.ndim == 2:
        M = np.ascontiguousarray(params, dtype=np.float64)
        if M.shape[0] != P or M.shape[1] < Q:
            raise ValueError(f"params must have shape ({P}, >= {Q}), got {M.shape}")
        return M if M.shape[1] else np.zeros((P, 1))
    params = list(params)
    if len(params) != P:
        raise ValueError(f"need one parameter vector per program ({P}), got {len(params)}")
    M = np.zeros((P, max(Q, 1)), dtype=np.float64)
    for i, v in enumerate(params):
        v = np.asarray(v if v is not None else [], dtype=np.float64).reshape(-1)
        if v.shape[0] < batch.n_params[i]:
            raise ValueError(f"program {i} needs {batch.n_params[i]} parameter values, got {v.shape[0]}")
        M[i, : min(v.shape[0], M.shape[1])] = v[: M.shape[1]]
    return M


def evaluate_batch(programs, X, *, variables=None, params=None, parallel: bool = False) -> np.ndarray:
    """Evaluate many programs over the same X in one kernel call; float64 (P, n).

    ``programs``: a :class:`ProgramBatch`, or a sequence of :class:`Program` / ``Expr`` / strings (the latter
    two need ``variables``).  ``params``: None, a (P, Q) array, or one vector per program.  A row where a
    program is invalid (domain error, overflow) is NaN/inf in that program's output row only.  Terms are packed
    so that a subterm repeated anywhere in the batch (without parameters) is computed once, with the same values.
    """
    batch = _as_batch(programs, variables, shared=True)
    k = X.shape[1] if isinstance(X, np.ndarray) and X.ndim == 2 else max(batch.n_vars, 1)
    Xt, shape = prepare_X(X, k)
    if Xt.shape[0] < batch.n_vars:
        raise ValueError(f"programs read {batch.n_vars} variables but X has {Xt.shape[0]}")
    M = _params_mat(params, batch)
    out = np.empty((len(batch), Xt.shape[1]), dtype=np.float64)
    batch_kernel(batch, parallel)(batch.ops, batch.args, batch.lengths, batch.consts, M, Xt, batch.depth,
                                  batch.n_regs, out)
    return out.reshape((len(batch),) + tuple(shape))


def jacobian(program: Program, X, params) -> tuple[np.ndarray, np.ndarray]:
    """Forward-mode values (n,) and Jacobian (n, Q) of one program w.r.t. its Q fittable parameters."""
    Xt, shape = prepare_X(X, X.shape[1] if isinstance(X, np.ndarray) and X.ndim == 2 else program.n_vars)
    if Xt.shape[0] < program.n_vars:
        raise ValueError(f"program reads {program.n_vars} variables but X has {Xt.shape[0]}")
    p = _params_vec(params, program.n_params)
    n = Xt.shape[1]
    out = np.empty(n, dtype=np.float64)
    jac = np.empty((n, p.shape[0]), dtype=np.float64)
    K.jac_program(program.ops, program.args, len(program), program.consts, p, Xt, program.depth, program.n_regs,
                  out, jac)
    return out.reshape(shape), jac.reshape(tuple(shape) + (p.shape[0],))


def batch_kernel(batch: ProgramBatch, parallel: bool):
    """The kernel that evaluates ``batch`` (programs sharing registers run in order within each row block)."""
    if batch.shared:
        return K.eval_batch_shared_par if parallel else K.eval_batch_shared
    return K.eval_batch_par if parallel else K.eval_batch


def jacobian_batch(programs, X, params, *, variables=None, parallel: bool = False):
    """Values (P, n) and Jacobians (P, n, Q) of a batch w.r.t. each program's parameters (padded columns are 0)."""
    batch = _as_batch(programs, variables)
    if batch.shared:
        raise ValueError("a batch with registers shared across programs is for evaluate_batch/functional_hashes; "
                         "pass the terms or pack() their programs")
    k = X.shape[1] if isinstance(X, np.ndarray) and X.ndim == 2 else max(batch.n_vars, 1)
    Xt, shape = prepare_X(X, k)
    if Xt.shape[0] < batch.n_vars:
        raise ValueError(f"programs read {batch.n_vars} variables but X has {Xt.shape[0]}")
    M = _params_mat(params, batch)
    P, n, Q = len(batch), Xt.shape[1], M.shape[1]
    out = np.empty((P, n), dtype=np.float64)
    jac = np.empty((P, n, Q), dtype=np.float64)
    fn = K.jac_batch_par if parallel else K.jac_batch
    fn(batch.ops, batch.args, batch.lengths, batch.consts, M, Xt, batch.depth, batch.n_regs, out, jac)
    return out.reshape((P,) + tuple(shape)), jac.reshape((P,) + tuple(shape) + (Q,))


class CompiledExpr:
    """A callable for one expression over named variables (built by :func:`compile`).

    ``f(X)`` with X of shape (n, k), or ``f(x, y, ...)`` with k arrays (broadcast), returns float64 values;
    ``params=`` gives the fittable parameters ``c0, c1, ...``.  ``f.jacobian(X, params=...)`` returns
    ``(values, J)`` with ``J[..., i] = d f / d c_i``.  ``f.program`` is the postfix program;
    ``f.to_numba()`` returns a dedicated Numba function (the hot path for a final formula).
    """

    __slots__ = ("expr", "variables", "program", "n_params", "parallel", "backend", "_numba")

    def __init__(self, expr: Expr, variables, parallel: bool = False, backend: str = "auto"):
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
        self.backend = backend
        self.expr = expr
        self.variables = as_variables(variables)
        self.program = encode(expr, self.variables)
        self.n_params = self.program.n_params
        self.parallel = bool(parallel)
        self._numba = None

    def _X(self, arrays):
        k = len(self.variables)
        if len(arrays) == 1 and (k != 1 or np.ndim(arrays[0]) == 2):
            return prepare_X(arrays[0], k)
        return prepare_X(list(arrays), k)

    def __call__(self, *X, params=None) -> np.ndarray:
        Xt, shape = self._X(X)
        p = _params_vec(params, self.n_params)
        out = np.empty(Xt.shape[1], dtype=np.float64)
        _run_one(self.program, p, Xt, out, self.parallel, self.backend)
        return out.reshape(shape)

    def jacobian(self, *X, params=None):
        Xt, shape = self._X(X)
        p = _params_vec(params, self.n_params)
        n = Xt.shape[1]
        out = np.empty(n, dtype=np.float64)
        jac = np.empty((n, p.shape[0]), dtype=np.float64)
        prog = self.program
        K.jac_program(prog.ops, prog.args, len(prog), prog.consts, p, Xt, prog.depth, prog.n_regs, out, jac)
        return out.reshape(shape), jac.reshape(tuple(shape) + (p.shape[0],))

    def to_numba(self):
        """A dedicated ``@njit`` function ``f(X, params) -> values`` for this expression (see ``codegen``)."""
        if self._numba is None:
            from search.expr.codegen import to_numba

            self._numba = to_numba(self.expr, self.variables)
        return self._numba

    def __repr__(self):
        return f"CompiledExpr({self.expr}, variables={list(self.variables)})"


def compile(expr, variables, *, params=None, parallel: bool = False, backend: str = "auto") -> CompiledExpr:  # noqa: A001
    """Compile an expression (``Expr``, SymPy expression or string) over ``variables`` into a callable.

    No code is generated: the callable feeds the expression's postfix program to the one cached stack machine.
    ``params`` names symbols to treat as fittable parameters when ``expr`` is a string or SymPy expression.
    ``backend``: see :func:`evaluate` (``"numba"`` makes results bit-identical to batches and hashing).
    """
    return CompiledExpr(as_expr(expr, variables, params), variables, parallel=parallel, backend=backend)
