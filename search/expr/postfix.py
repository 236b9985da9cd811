"""Postfix (RPN) programs: encoding terms for the stack machine, decoding them back, and padding batches."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from numba import njit

from search.expr.opcodes import (
    ADD, CONST, FMA, LOAD, NOP, OP_ARITY, OPNAMES, PARAM, POW, POWI, STORE, TERM_OF_OP, VAR,
)
from search.expr import _kernel as K
from search.expr.terms import NAMED_CONSTANTS, Expr, const, make, param, var, var_id

__all__ = ["Program", "ProgramBatch", "encode", "decode", "pack", "as_variables", "clear_encode_memo"]


def as_variables(variables) -> tuple[str, ...]:
    """Normalise a variables argument (names, ``var`` terms, or one comma/space separated string)."""
    if isinstance(variables, str):
        variables = [v for v in variables.replace(",", " ").split() if v]
    out = []
    for v in variables:
        if isinstance(v, Expr):
            if v.op != "var":
                raise ValueError(f"variables must be names or var terms, got {v}")
            v = v.value
        if not isinstance(v, str) or not v:
            raise ValueError(f"variable names must be non-empty strings, got {v!r}")
        out.append(v)
    if len(set(out)) != len(out):
        raise ValueError(f"duplicate variable names in {out}")
    return tuple(out)


@dataclass(frozen=True, eq=False)
class Program:
    """A postfix program for the stack machine (see ``search.expr.opcodes`` for the instruction table).

    ``ops``/``args``: ``int32`` arrays of equal length; ``consts``: the ``float64`` constant pool; ``n_vars``:
    columns of X it reads (max VAR index + 1); ``n_params``: parameters it reads (max PARAM index + 1);
    ``n_regs``: registers it uses; ``depth``: maximum stack depth.  ``const_terms`` (optional) are the exact
    leaves behind ``consts`` (ints, rationals, named constants) so that :func:`decode` is exact;
    ``variables`` (optional) names the columns.  Build one with :func:`encode`, or from raw arrays with
    ``Program.from_arrays`` (validated: a malformed program is a ``ValueError``).
    """

    ops: np.ndarray
    args: np.ndarray
    consts: np.ndarray
    n_vars: int
    n_params: int
    n_regs: int
    depth: int
    const_terms: tuple | None = None
    variables: tuple | None = field(default=None)

    def __len__(self) -> int:
        return int(self.ops.shape[0])

    @classmethod
    def from_arrays(cls, ops, args=None, consts=(), *, variables=None, const_terms=None) -> "Program":
        """Validate raw instruction arrays and compute the stack depth and resource counts."""
        ops = np.ascontiguousarray(ops, dtype=np.int32).reshape(-1)
        args = np.zeros_like(ops) if args is None else np.ascontiguousarray(args, dtype=np.int32).reshape(-1)
        consts = np.ascontiguousarray(consts, dtype=np.float64).reshape(-1)
        if ops.shape != args.shape:
            raise ValueError(f"ops and args differ in length ({ops.shape[0]} vs {args.shape[0]})")
        sp = depth = 0
        n_vars = n_params = n_regs = 0
        stored: set[int] = set()
        for i, (op, a) in enumerate(zip(ops.tolist(), args.tolist())):
            ar = OP_ARITY.get(op)
            if ar is None:
                raise ValueError(f"unknown opcode {op} at position {i}")
            pops, pushes = ar
            if op == STORE and sp < 1:
                raise ValueError(f"STORE on an empty stack at position {i}")
            if sp < pops:
                raise ValueError(f"stack underflow at position {i} ({OPNAMES[op]})")
            sp += pushes - pops
            depth = max(depth, sp)
            if op in (VAR, CONST, PARAM, LOAD, STORE) and a < 0:
                raise ValueError(f"negative argument {a} at position {i}")
            if op == VAR:
                n_vars = max(n_vars, a + 1)
            elif op == CONST and a >= consts.shape[0]:
                raise ValueError(f"constant index {a} out of range ({consts.shape[0]} constants) at position {i}")
            elif op == PARAM:
                n_params = max(n_params, a + 1)
            elif op == STORE:
                n_regs = max(n_regs, a + 1)
                stored.add(a)
            elif op == LOAD and a not in stored:
                raise ValueError(f"LOAD of register {a} before any STORE at position {i}")
        if sp != 1:
            raise ValueError(f"program leaves {sp} values on the stack (needs exactly 1)")
        if variables is not None:
            variables = as_variables(variables)
            if len(variables) < n_vars:
                raise ValueError(f"program reads {n_vars} variables but only {len(variables)} are named")
        if const_terms is not None and len(const_terms) != consts.shape[0]:
            raise ValueError("const_terms must match consts in length")
        return cls(ops, args, consts, n_vars, n_params, n_regs, depth,
                   tuple(const_terms) if const_terms is not None else None, variables)

    def tokens(self) -> list[str]:
        """Readable instruction list, e.g. ``['VAR 0', 'CONST 0', 'ADD']``."""
        out = []
        for op, a in zip(self.ops.tolist(), self.args.tolist()):
            name = OPNAMES[op]
            out.append(f"{name} {a}" if op in (VAR, CONST, PARAM, LOAD, STORE, POWI) else name)
        return out


def _leaf_value(t: Expr) -> float:
    if t.op == "int":
        return float(t.value)
    if t.op == "rat":
        return t.value.numerator / t.value.denominator
    if t.op == "float":
        return t.value
    return NAMED_CONSTANTS[t.value][0]


_VARS_CACHE: dict = {}
# Each term remembers its last encoding in its ``_enc`` slot as (generation, variables, share, program);
# clear_encode_memo() invalidates all of them at once by bumping the generation.
_GEN = [0]
_EMPTY_F64 = np.zeros(0, dtype=np.float64)
_EMPTY_F64.setflags(write=False)


def _scan_py(ops, args):
    sp = depth = n_vars = n_params = 0
    for i in range(ops.shape[0]):
        op = ops[i]
        if op == VAR or op == CONST or op == PARAM or op == LOAD:
            sp += 1
            if op == VAR and args[i] >= n_vars:
                n_vars = args[i] + 1
            elif op == PARAM and args[i] >= n_params:
                n_params = args[i] + 1
        elif op == FMA:
            sp -= 2
        elif op >= ADD and op <= POW:
            sp -= 1
        if sp > depth:
            depth = sp
    return depth, n_vars, n_params


_scan = njit(cache=True, nogil=True)(_scan_py)


def clear_encode_memo() -> None:
    """Forget every memoised encoding (each term's last Program; the flat codes built with the terms stay)."""
    _GEN[0] += 1


_VMAPS: dict = {}


def var_map(variables: tuple) -> np.ndarray:
    """int64 array mapping the process-wide variable ids of flat codes (``terms.var_id``) to positions in
    ``variables`` (-1 for names not in it)."""
    vm = _VMAPS.get(variables)
    if vm is None:
        ids = [var_id(v) for v in variables]
        vm = np.full(max(ids, default=-1) + 1, -1, dtype=np.int64)
        for i, vid in enumerate(ids):
            vm[vid] = i
        vm.setflags(write=False)
        if len(_VMAPS) < 4096:
            _VMAPS[variables] = vm
    return vm


def _vars_fast(variables) -> tuple[str, ...]:
    # as_variables() validates; remember validated tuples so that hot paths pay one dict lookup
    if isinstance(variables, (tuple, list)):
        key = tuple(variables)
        hit = _VARS_CACHE.get(key)
        if hit is None:
            hit = as_variables(variables)
            if len(_VARS_CACHE) < 4096 and all(isinstance(v, str) for v in key):
                _VARS_CACHE[key] = hit
        return hit
    return as_variables(variables)


def encode(expr: Expr, variables, share: bool = True) -> Program:
    """Encode a term as a postfix program over the given variable order.

    With ``share=True`` (default) a non-leaf subterm used more than once is computed once: its first use is
    followed by ``STORE r`` and later uses are ``LOAD r`` (so a DAG costs its number of distinct vertices).
    With ``share=False`` the DAG is expanded into a tree.  Numeric leaves go to the constant pool, one entry per
    distinct leaf.  A variable missing from ``variables`` is a ``ValueError``.  Each term remembers its last
    encoding, so encoding the same term again (hash, then score, then fit) is a lookup.

    A new term is encoded from the flat postfix code it got when it was built (``Expr._flat``: its children's
    codes plus its own instruction) by one compiled call that maps variables, pools constants and finds
    repeated subterms (``_kernel.flat_encode``), so no Python code walks its nodes; terms of more than
    ``terms.FLAT_MAX_SIZE`` tree nodes take the Python walk (same program).
    """
    if not isinstance(expr, Expr):
        raise ValueError(f"encode needs an Expr, got {type(expr).__name__}")
    variables = _vars_fast(variables)
    memo = expr._enc
    if memo is not None and memo[0] == _GEN[0] and memo[2] == share and memo[1] == variables:
        return memo[3]
    flat = expr._flat
    if flat is not None:
        # the term's memoised tree postfix code, turned into the program by one compiled call
        prog2, consts, pool_occ, n_regs, depth, n_vars, n_params, status = K.flat_encode(
            np.frombuffer(flat[0], np.int64), np.frombuffer(flat[1], np.float64), var_map(variables), share)
        if status == 0:
            leaves = flat[2] if flat[2] is not None else (expr,)
            prog = Program(prog2[0], prog2[1], consts, n_vars, n_params, n_regs, depth,
                           tuple([leaves[j] for j in pool_occ.tolist()]), variables)
            object.__setattr__(expr, "_enc", (_GEN[0], variables, share, prog))
            return prog
        # a variable that is not in the list: the Python walk below raises the ValueError that names it
    return _encode_walk(expr, variables, share)


def _encode_walk(expr: Expr, variables: tuple, share: bool) -> Program:
    """The Python encoder: for terms without a flat code (more than ``FLAT_MAX_SIZE`` tree nodes) and errors."""
    if expr.depth > 500:
        import sys

        if sys.getrecursionlimit() < 4 * expr.depth + 200:
            sys.setrecursionlimit(4 * expr.depth + 200)
    vindex = {v: i for i, v in enumerate(variables)}
    # One pass.  A non-leaf subterm met again is a LOAD; the STORE it needs after its first occurrence is
    # inserted afterwards (a first pass counting uses would cost as much again).
    ops: list[int] = []
    args: list[int] = []
    push_op, push_arg = ops.append, args.append
    cindex: dict[int, int] = {}
    cterms: list[Expr] = []
    first: dict[int, int] = {}      # id(term) -> position of its operator in ops
    store_after: dict[int, int] = {}  # position -> register

    def leaf(t):
        kind = t._code[0]
        if kind == VAR:
            i = vindex.get(t.value)
            if i is None:
                raise ValueError(f"variable {t.value!r} is not in the variables list {list(variables)}")
            push_op(VAR)
            push_arg(i)
        elif kind == PARAM:
            push_op(PARAM)
            push_arg(t.value)
        else:
            k = id(t)
            j = cindex.get(k)
            if j is None:
                j = cindex[k] = len(cterms)
                cterms.append(t)
            push_op(CONST)
            push_arg(j)

    # Leaves are handled inline in the parent's loop: a Python call per leaf would cost as much as the rest.
    def emit(t):
        for c in t.args:
            if c.args:
                k = id(c)
                pos = first.get(k)
                if pos is None:
                    emit(c)
                    if share:
                        first[k] = len(ops) - 1
                else:
                    r = store_after.get(pos)
                    if r is None:
                        r = store_after[pos] = len(store_after)
                    push_op(LOAD)
                    push_arg(r)
            else:
                kind = c._code[0]
                if kind == VAR:
                    i = vindex.get(c.value)
                    if i is None:
                        leaf(c)  # raises the ValueError
                    push_op(VAR)
                    push_arg(i)
                elif kind == CONST:
                    k = id(c)
                    j = cindex.get(k)
                    if j is None:
                        j = cindex[k] = len(cterms)
                        cterms.append(c)
                    push_op(CONST)
                    push_arg(j)
                else:
                    push_op(PARAM)
                    push_arg(c.value)
        code = t._code
        push_op(code[0])
        push_arg(code[1])

    if expr.args:
        emit(expr)
    else:
        leaf(expr)
    if store_after:
        ops2: list[int] = []
        args2: list[int] = []
        for idx, (o, a) in enumerate(zip(ops, args)):
            ops2.append(o)
            args2.append(a)
            r = store_after.get(idx)
            if r is not None:
                ops2.append(STORE)
                args2.append(r)
        ops, args = ops2, args2
    consts = np.array([_leaf_value(u) for u in cterms], dtype=np.float64) if cterms else _EMPTY_F64
    code = np.array((ops, args), dtype=np.int32)  # one allocation for both rows
    depth, n_vars, n_params = _scan(code[0], code[1])  # compiled: cheaper than tracking them per node here
    prog = Program(code[0], code[1], consts, n_vars, n_params, len(store_after), depth, tuple(cterms), variables)
    object.__setattr__(expr, "_enc", (_GEN[0], variables, share, prog))
    return prog


def decode(program: Program, variables=None) -> Expr:
    """Rebuild the term of a program (exact when it carries ``const_terms``, else constants become floats).

    ``variables`` names the columns (default: the program's own ``variables``, else ``x0, x1, ...``).
    STORE/LOAD pairs come back as shared subterms; NOPs are skipped.
    """
    if variables is None:
        variables = program.variables or tuple(f"x{i}" for i in range(program.n_vars))
    variables = as_variables(variables)
    if len(variables) < program.n_vars:
        raise ValueError(f"program reads {program.n_vars} variables but only {len(variables)} are named")
    cterms = program.const_terms
    if cterms is None:
        cterms = tuple(const(float(c)) for c in program.consts.tolist())
    stack: list[Expr] = []
    regs: dict[int, Expr] = {}
    for op, a in zip(program.ops.tolist(), program.args.tolist()):
        if op == NOP:
            continue
        if op == VAR:
            stack.append(var(variables[a]))
        elif op == CONST:
            stack.append(cterms[a])
        elif op == PARAM:
            stack.append(param(a))
        elif op == LOAD:
            stack.append(regs[a])
        elif op == STORE:
            regs[a] = stack[-1]
        else:
            pops = OP_ARITY[op][0]
            kids = stack[-pops:]
            del stack[-pops:]
            stack.append(make(TERM_OF_OP[op], *kids, value=a if op == POWI else None))
    return stack[0]


@dataclass(frozen=True, eq=False)
class ProgramBatch:
    """A padded batch of programs for one kernel call.

    ``ops``/``args``: ``int32`` (P, L) with L the longest program, padded with ``NOP``/0 after each program's
    end; ``lengths``: ``int32`` (P,); ``consts``: ``float64`` (P, C) padded with 0; ``n_params``: ``int32`` (P,);
    ``n_vars``/``depth``/``n_regs``: maxima over the batch.  ``programs`` keeps the originals (the
    ``Program`` objects, or the terms when ``evaluate_batch``/``functional_hashes`` packed terms directly).
    ``shared``: the programs share registers (a subterm repeated anywhere in the batch is computed once; built
    by ``evaluate_batch``/``functional_hashes`` from terms): such a batch runs programs in order within each row
    block and is not for ``jacobian_batch``.
    """

    ops: np.ndarray
    args: np.ndarray
    lengths: np.ndarray
    consts: np.ndarray
    n_params: np.ndarray
    n_vars: int
    depth: int
    n_regs: int
    programs: tuple
    shared: bool = False

    def __len__(self) -> int:
        return int(self.ops.shape[0])


def pack(programs) -> ProgramBatch:
    """Pad a sequence of :class:`Program` into one :class:`ProgramBatch`."""
    programs = tuple(programs)
    for p in programs:
        if not isinstance(p, Program):
            raise ValueError(f"pack needs Program objects, got {type(p).__name__}")
    P = len(programs)
    L = max((len(p) for p in programs), default=1) or 1
    C = max((p.consts.shape[0] for p in programs), default=1) or 1
    ops = np.zeros((P, L), dtype=np.int32)
    args = np.zeros((P, L), dtype=np.int32)
    consts = np.zeros((P, C), dtype=np.float64)
    lengths = np.zeros(P, dtype=np.int32)
    n_params = np.zeros(P, dtype=np.int32)
    for i, p in enumerate(programs):
        n = len(p)
        ops[i, :n] = p.ops
        args[i, :n] = p.args
        consts[i, : p.consts.shape[0]] = p.consts
        lengths[i] = n
        n_params[i] = p.n_params
    return ProgramBatch(ops, args, lengths, consts, n_params,
                        max((p.n_vars for p in programs), default=0),
                        max((p.depth for p in programs), default=1),
                        max((p.n_regs for p in programs), default=0), programs)
