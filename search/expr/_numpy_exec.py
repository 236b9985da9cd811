"""A NumPy executor of the same postfix programs, for one program on many rows (>= ~10**5).

Why it exists: Numba calls scalar libm for exp/log/atan/tanh/asin/pow, while NumPy 2.x evaluates them with
SIMD (AVX2/AVX-512) loops that are 5-30x faster per element.  For one big evaluation (a winning formula on
10**6 rows) this executor runs each instruction as an in-place ufunc over blocks of ``BLOCK`` rows (so the stack
stays in L2 cache and nothing is allocated per instruction).  It interprets the same ``ops/args/consts`` arrays:
no code is generated.  Results can differ from the Numba kernel in the last ulp(s) of transcendental functions
(NumPy's SIMD functions are accurate to ~1-4 ulp); NaN/inf semantics are identical.
"""

from __future__ import annotations

import numpy as np

from search.expr.opcodes import (
    ABS, ADD, ASIN, ATAN, CONST, COS, DIV, EXP, FMA, LOAD, LOG, MUL, NEG, NOP, PARAM, POW, POWI, SIN, SQRT, STORE,
    SUB, TAN, TANH, VAR,
)

__all__ = ["eval_numpy", "SIMD_OPS", "BLOCK"]

BLOCK = 1 << 15
_BIN = {ADD: np.add, SUB: np.subtract, MUL: np.multiply, DIV: np.divide, POW: np.power}
_UN = {NEG: np.negative, SQRT: np.sqrt, EXP: np.exp, LOG: np.log, SIN: np.sin, COS: np.cos, TAN: np.tan,
       TANH: np.tanh, ASIN: np.arcsin, ATAN: np.arctan, ABS: np.abs}
#: Opcodes whose NumPy loop is much faster than Numba's scalar libm call.
SIMD_OPS = frozenset({EXP, LOG, TANH, ATAN, ASIN, POW, SIN, COS, TAN})


def eval_numpy(ops, args, consts, params, Xt, depth: int, nregs: int, out) -> None:
    """Evaluate one program into ``out`` (n,) with NumPy ufuncs, block by block."""
    n = Xt.shape[1]
    code = list(zip(ops.tolist(), args.tolist()))
    B = min(BLOCK, max(n, 1))
    stack = np.empty((max(depth, 1), B))
    regs = np.empty((max(nregs, 1), B))
    tmp = np.empty(B)
    with np.errstate(all="ignore"):
        for r0 in range(0, n, B):
            m = min(B, n - r0)
            S = [stack[i, :m] for i in range(stack.shape[0])]
            R = [regs[i, :m] for i in range(regs.shape[0])]
            sp = 0
            for op, a in code:
                if op == VAR:
                    np.copyto(S[sp], Xt[a, r0:r0 + m])
                    sp += 1
                elif op == CONST:
                    S[sp].fill(consts[a])
                    sp += 1
                elif op == PARAM:
                    S[sp].fill(params[a])
                    sp += 1
                elif op == LOAD:
                    np.copyto(S[sp], R[a])
                    sp += 1
                elif op == STORE:
                    np.copyto(R[a], S[sp - 1])
                elif op in _BIN:
                    sp -= 1
                    _BIN[op](S[sp - 1], S[sp], out=S[sp - 1])
                elif op in _UN:
                    _UN[op](S[sp - 1], out=S[sp - 1])
                elif op == POWI:
                    t = S[sp - 1]
                    # the same arithmetic as the Numba kernel's _ipow (multiplications for |n| <= 4)
                    if a == 2:
                        np.multiply(t, t, out=t)
                    elif a == 3:
                        np.multiply(t, t, out=tmp[:m])
                        np.multiply(tmp[:m], t, out=t)
                    elif a == 4:
                        np.multiply(t, t, out=t)
                        np.multiply(t, t, out=t)
                    elif a == 1:
                        np.add(t, 0.0, out=t)
                    elif a == 0:
                        t.fill(1.0)
                    elif a == -1:
                        np.divide(1.0, t, out=t)
                    elif a == -2:
                        np.multiply(t, t, out=t)
                        np.divide(1.0, t, out=t)
                    else:
                        np.power(t, float(a), out=t)
                elif op == FMA:
                    sp -= 2
                    np.multiply(S[sp - 1], S[sp], out=S[sp - 1])
                    np.add(S[sp - 1], S[sp + 1], out=S[sp - 1])
                elif op != NOP:  # pragma: no cover - programs are validated
                    raise ValueError(f"unknown opcode {op}")
            out[r0:r0 + m] = S[0]
