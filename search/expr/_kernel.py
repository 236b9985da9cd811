"""The one Numba stack machine that interprets postfix programs (see ``opcodes.py`` for the table).

Design (why it is fast):
- Compiled once (``cache=True``), so a new candidate costs no compilation: it is just new ``ops/args/consts``.
- The machine is *block-vectorised*: rows are processed in blocks of ``BLOCK`` rows and every instruction is
  dispatched once per block, its inner loop running over the block's rows.  Dispatch cost is amortised over
  ``BLOCK`` rows, the inner loops are simple enough for LLVM to vectorise, and the stack (``depth x BLOCK``)
  stays in L1/L2 cache, unlike NumPy's full-length temporaries.
- ``error_model="numpy"``: division by zero and domain errors give inf/nan per row and never raise.
- The serial drivers are deterministic; the ``_par`` drivers split over row blocks or over programs with
  ``prange``.  Every output element is computed by the same arithmetic either way (no reductions), so both give
  bit-identical results.

Numba only invalidates its cache when *this file* changes, so keep it free of unrelated code.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

# Keep in sync with opcodes.py (plain module-level ints are frozen into the compiled code).
NOP, VAR, CONST, PARAM, LOAD, STORE = 0, 1, 2, 3, 4, 5
ADD, SUB, MUL, DIV, POW, POWI = 6, 7, 8, 9, 10, 11
NEG, SQRT, EXP, LOG, SIN, COS, TAN, TANH, ASIN, ATAN, ABS = 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22
FMA = 23

#: Rows per block.  256 float64 rows = 2 KiB per stack slot: a 16-deep stack fits in L1.
BLOCK = 256


@njit(cache=True, error_model="numpy", nogil=True, inline="always")
def _ipow(x, n):
    # Small exponents by multiplication (<= 3 roundings); larger ones through pow(), which is within 1 ulp,
    # whereas binary powering loses up to (n - 1) ulp (every squaring doubles the relative error).
    if n == 2:
        return x * x
    if n == 3:
        return x * x * x
    if n == 4:
        y = x * x
        return y * y
    if n == 1:
        return x + 0.0
    if n == 0:
        return 1.0
    if n == -1:
        return 1.0 / x
    if n == -2:
        return 1.0 / (x * x)
    return x ** np.float64(n)


@njit(cache=True, error_model="numpy", nogil=True)
def _run_block(ops, args, length, consts, params, Xt, r0, m, stack, regs, out):
    """Run one program on rows ``r0 .. r0+m`` of ``Xt`` (variables x rows); write ``out[r0:r0+m]``.

    Every inner loop indexes 1-D views with the bare loop variable: that form lets LLVM drop Numba's
    negative-index wraparound and vectorise (measured 5x faster than ``stack[sp, r0 + r]`` indexing).
    """
    sp = 0
    for i in range(length):
        op = ops[i]
        a = args[i]
        if op <= STORE:
            if op == VAR:
                t = stack[sp]
                x = Xt[a, r0:r0 + m]
                for r in range(m):
                    t[r] = x[r]
                sp += 1
            elif op == CONST or op == PARAM:
                t = stack[sp]
                v = consts[a] if op == CONST else params[a]
                for r in range(m):
                    t[r] = v
                sp += 1
            elif op == LOAD:
                t = stack[sp]
                g = regs[a]
                for r in range(m):
                    t[r] = g[r]
                sp += 1
            elif op == STORE:
                t = stack[sp - 1]
                g = regs[a]
                for r in range(m):
                    g[r] = t[r]
            continue
        if op <= POW:
            sp -= 1
            t = stack[sp - 1]
            u = stack[sp]
            if op == ADD:
                for r in range(m):
                    t[r] = t[r] + u[r]
            elif op == SUB:
                for r in range(m):
                    t[r] = t[r] - u[r]
            elif op == MUL:
                for r in range(m):
                    t[r] = t[r] * u[r]
            elif op == DIV:
                for r in range(m):
                    t[r] = t[r] / u[r]
            else:  # POW
                for r in range(m):
                    t[r] = t[r] ** u[r]
            continue
        t = stack[sp - 1]
        if op == POWI:
            if a == 2:
                for r in range(m):
                    t[r] = t[r] * t[r]
            elif a == 3:
                for r in range(m):
                    t[r] = t[r] * t[r] * t[r]
            else:
                for r in range(m):
                    t[r] = _ipow(t[r], a)
        elif op == NEG:
            for r in range(m):
                t[r] = -t[r]
        elif op == SQRT:
            for r in range(m):
                t[r] = np.sqrt(t[r])
        elif op == EXP:
            for r in range(m):
                t[r] = np.exp(t[r])
        elif op == LOG:
            for r in range(m):
                t[r] = np.log(t[r])
        elif op == SIN:
            for r in range(m):
                t[r] = np.sin(t[r])
        elif op == COS:
            for r in range(m):
                t[r] = np.cos(t[r])
        elif op == TAN:
            for r in range(m):
                t[r] = np.tan(t[r])
        elif op == TANH:
            for r in range(m):
                t[r] = np.tanh(t[r])
        elif op == ASIN:
            for r in range(m):
                t[r] = np.arcsin(t[r])
        elif op == ATAN:
            for r in range(m):
                t[r] = np.arctan(t[r])
        elif op == ABS:
            for r in range(m):
                t[r] = np.abs(t[r])
        elif op == FMA:
            sp -= 2
            t = stack[sp - 1]
            u = stack[sp]
            w = stack[sp + 1]
            for r in range(m):
                t[r] = t[r] * u[r] + w[r]
        # NOP: nothing
    t = stack[0]
    o = out[r0:r0 + m]
    for r in range(m):
        o[r] = t[r]


@njit(cache=True, error_model="numpy", nogil=True)
def eval_program(ops, args, length, consts, params, Xt, depth, nregs, out):
    """Serial: one program over all rows of ``Xt`` (shape (k, n)) into ``out`` (n,)."""
    n = Xt.shape[1]
    stack = np.empty((max(depth, 1), BLOCK))
    regs = np.empty((max(nregs, 1), BLOCK))
    for r0 in range(0, n, BLOCK):
        m = min(BLOCK, n - r0)
        _run_block(ops, args, length, consts, params, Xt, r0, m, stack, regs, out)


@njit(cache=True, error_model="numpy", nogil=True, parallel=True)
def eval_program_par(ops, args, length, consts, params, Xt, depth, nregs, out):
    """Parallel over row blocks (same results as :func:`eval_program`)."""
    n = Xt.shape[1]
    nb = (n + BLOCK - 1) // BLOCK
    # Chunks of blocks per task, so each thread allocates its stack once per chunk.
    chunk = 16
    nc = (nb + chunk - 1) // chunk
    for c in prange(nc):
        stack = np.empty((max(depth, 1), BLOCK))
        regs = np.empty((max(nregs, 1), BLOCK))
        for b in range(c * chunk, min(nb, (c + 1) * chunk)):
            r0 = b * BLOCK
            m = min(BLOCK, n - r0)
            _run_block(ops, args, length, consts, params, Xt, r0, m, stack, regs, out)


@njit(cache=True, error_model="numpy", nogil=True)
def eval_batch(ops, args, lengths, consts, params, Xt, depth, nregs, out):
    """Serial: programs ``p`` (rows of the padded 2-D ``ops/args/consts/params``) over all rows; ``out`` (P, n)."""
    n = Xt.shape[1]
    stack = np.empty((max(depth, 1), BLOCK))
    regs = np.empty((max(nregs, 1), BLOCK))
    for p in range(ops.shape[0]):
        for r0 in range(0, n, BLOCK):
            m = min(BLOCK, n - r0)
            _run_block(ops[p], args[p], lengths[p], consts[p], params[p], Xt, r0, m, stack, regs, out[p])


@njit(cache=True, error_model="numpy", nogil=True, parallel=True)
def eval_batch_par(ops, args, lengths, consts, params, Xt, depth, nregs, out):
    """Parallel over programs (same results as :func:`eval_batch`)."""
    n = Xt.shape[1]
    for p in prange(ops.shape[0]):
        stack = np.empty((max(depth, 1), BLOCK))
        regs = np.empty((max(nregs, 1), BLOCK))
        for r0 in range(0, n, BLOCK):
            m = min(BLOCK, n - r0)
            _run_block(ops[p], args[p], lengths[p], consts[p], params[p], Xt, r0, m, stack, regs, out[p])


@njit(cache=True, error_model="numpy", nogil=True)
def _jac_block(ops, args, length, consts, params, Xt, r0, m, st, dst, regs, dregs, out, jac):
    """Forward mode: value stack ``st`` (depth, B) and tangent stack ``dst`` (depth, P, B) for the P parameters.

    Same 1-D-view loop form as :func:`_run_block`, so the inner loops vectorise.
    """
    P = params.shape[0]
    sp = 0
    for i in range(length):
        op = ops[i]
        a = args[i]
        if op == VAR or op == CONST or op == PARAM:
            t = st[sp]
            if op == VAR:
                x = Xt[a, r0:r0 + m]
                for r in range(m):
                    t[r] = x[r]
            else:
                v = consts[a] if op == CONST else params[a]
                for r in range(m):
                    t[r] = v
            for q in range(P):
                dv = 1.0 if (op == PARAM and q == a) else 0.0
                d = dst[sp, q]
                for r in range(m):
                    d[r] = dv
            sp += 1
        elif op == LOAD or op == STORE:
            if op == LOAD:
                src, dsrc, dest, ddest = regs[a], dregs[a], st[sp], dst[sp]
                sp += 1
            else:
                src, dsrc, dest, ddest = st[sp - 1], dst[sp - 1], regs[a], dregs[a]
            for r in range(m):
                dest[r] = src[r]
            for q in range(P):
                d = ddest[q]
                e = dsrc[q]
                for r in range(m):
                    d[r] = e[r]
        elif op == ADD or op == SUB:
            sp -= 1
            s = 1.0 if op == ADD else -1.0
            t = st[sp - 1]
            u = st[sp]
            for r in range(m):
                t[r] = t[r] + s * u[r]
            for q in range(P):
                d = dst[sp - 1, q]
                e = dst[sp, q]
                for r in range(m):
                    d[r] = d[r] + s * e[r]
        elif op == MUL:
            sp -= 1
            t = st[sp - 1]
            u = st[sp]
            for q in range(P):
                d = dst[sp - 1, q]
                e = dst[sp, q]
                for r in range(m):
                    d[r] = d[r] * u[r] + t[r] * e[r]
            for r in range(m):
                t[r] = t[r] * u[r]
        elif op == DIV:
            sp -= 1
            t = st[sp - 1]
            u = st[sp]
            for r in range(m):
                t[r] = t[r] / u[r]
            # d(a/b) = (da - (a/b) db) / b
            for q in range(P):
                d = dst[sp - 1, q]
                e = dst[sp, q]
                for r in range(m):
                    d[r] = (d[r] - t[r] * e[r]) / u[r]
        elif op == POW:
            sp -= 1
            t = st[sp - 1]
            u = st[sp]
            for r in range(m):
                x = t[r]
                y = u[r]
                v = x ** y
                # d(x^y) = y x^(y-1) dx + x^y log(x) dy; the log term only where dy != 0 (x may be <= 0)
                c1 = y * x ** (y - 1.0)
                for q in range(P):
                    dy = dst[sp, q, r]
                    g = c1 * dst[sp - 1, q, r]
                    if dy != 0.0:
                        g += v * np.log(x) * dy
                    dst[sp - 1, q, r] = g
                t[r] = v
        elif op == POWI:
            t = st[sp - 1]
            for r in range(m):
                x = t[r]
                c1 = a * _ipow(x, a - 1) if a != 0 else 0.0
                for q in range(P):
                    dst[sp - 1, q, r] = c1 * dst[sp - 1, q, r]
                t[r] = _ipow(x, a)
        elif op == FMA:
            sp -= 2
            t = st[sp - 1]
            u = st[sp]
            w = st[sp + 1]
            for q in range(P):
                d = dst[sp - 1, q]
                e = dst[sp, q]
                f = dst[sp + 1, q]
                for r in range(m):
                    d[r] = d[r] * u[r] + t[r] * e[r] + f[r]
            for r in range(m):
                t[r] = t[r] * u[r] + w[r]
        elif op != NOP:
            # unary: value v = f(x), derivative factor f'(x)
            t = st[sp - 1]
            for r in range(m):
                x = t[r]
                if op == NEG:
                    v = -x
                    f = -1.0
                elif op == SQRT:
                    v = np.sqrt(x)
                    f = 0.5 / v
                elif op == EXP:
                    v = np.exp(x)
                    f = v
                elif op == LOG:
                    v = np.log(x)
                    f = 1.0 / x
                elif op == SIN:
                    v = np.sin(x)
                    f = np.cos(x)
                elif op == COS:
                    v = np.cos(x)
                    f = -np.sin(x)
                elif op == TAN:
                    v = np.tan(x)
                    f = 1.0 + v * v
                elif op == TANH:
                    v = np.tanh(x)
                    f = 1.0 - v * v
                elif op == ASIN:
                    v = np.arcsin(x)
                    f = 1.0 / np.sqrt(1.0 - x * x)
                elif op == ATAN:
                    v = np.arctan(x)
                    f = 1.0 / (1.0 + x * x)
                else:  # ABS
                    v = np.abs(x)
                    f = 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)
                t[r] = v
                for q in range(P):
                    dst[sp - 1, q, r] = f * dst[sp - 1, q, r]
    t = st[0]
    o = out[r0:r0 + m]
    for r in range(m):
        o[r] = t[r]
    for q in range(P):
        d = dst[0, q]
        for r in range(m):
            jac[r0 + r, q] = d[r]


@njit(cache=True, error_model="numpy", nogil=True)
def jac_program(ops, args, length, consts, params, Xt, depth, nregs, out, jac):
    """Values ``out`` (n,) and Jacobian ``jac`` (n, P) with respect to ``params`` (P,)."""
    n = Xt.shape[1]
    P = params.shape[0]
    st = np.empty((max(depth, 1), BLOCK))
    dst = np.empty((max(depth, 1), P, BLOCK))
    regs = np.empty((max(nregs, 1), BLOCK))
    dregs = np.empty((max(nregs, 1), P, BLOCK))
    for r0 in range(0, n, BLOCK):
        m = min(BLOCK, n - r0)
        _jac_block(ops, args, length, consts, params, Xt, r0, m, st, dst, regs, dregs, out, jac)


@njit(cache=True, error_model="numpy", nogil=True, parallel=True)
def jac_batch_par(ops, args, lengths, consts, params, Xt, depth, nregs, out, jac):
    """Values (P, n) and Jacobians (P, n, Q) for a padded batch; parallel over programs."""
    n = Xt.shape[1]
    Q = params.shape[1]
    for p in prange(ops.shape[0]):
        st = np.empty((max(depth, 1), BLOCK))
        dst = np.empty((max(depth, 1), Q, BLOCK))
        regs = np.empty((max(nregs, 1), BLOCK))
        dregs = np.empty((max(nregs, 1), Q, BLOCK))
        for r0 in range(0, n, BLOCK):
            m = min(BLOCK, n - r0)
            _jac_block(ops[p], args[p], lengths[p], consts[p], params[p], Xt, r0, m, st, dst, regs, dregs,
                       out[p], jac[p])


@njit(cache=True, error_model="numpy", nogil=True)
def jac_batch(ops, args, lengths, consts, params, Xt, depth, nregs, out, jac):
    """Serial version of :func:`jac_batch_par`."""
    n = Xt.shape[1]
    Q = params.shape[1]
    st = np.empty((max(depth, 1), BLOCK))
    dst = np.empty((max(depth, 1), Q, BLOCK))
    regs = np.empty((max(nregs, 1), BLOCK))
    dregs = np.empty((max(nregs, 1), Q, BLOCK))
    for p in range(ops.shape[0]):
        for r0 in range(0, n, BLOCK):
            m = min(BLOCK, n - r0)
            _jac_block(ops[p], args[p], lengths[p], consts[p], params[p], Xt, r0, m, st, dst, regs, dregs,
                       out[p], jac[p])


# --- functional hashing ----------------------------------------------------------------------------------------
# Kept in this file on purpose: Numba's cache only notices changes to a function's own file, so a hash kernel
# in another file would keep calling a stale copy of eval_program after an edit here.
# Round each probe output to `digits` significant decimal digits and mix the rounded codes into one 64-bit hash
# (NaN, +inf, -inf and 0 have their own codes).

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLD = np.uint64(0x9E3779B97F4A7C15)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_NAN = np.uint64(0x7FF8DEADBEEF0001)
_PINF = np.uint64(0x7FF0CAFEF00D0002)
_NINF = np.uint64(0xFFF0CAFEF00D0003)
_ZERO = np.uint64(0x0000000000000004)


@njit(cache=True, nogil=True, inline="always")
def _mix(h, x):
    # splitmix64 finaliser over h ^ x: a cheap, well-avalanching combiner
    z = (h ^ x) + _GOLD
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(cache=True, nogil=True)
def round_code(v, digits, pow10):
    """A 64-bit code of ``v`` rounded to ``digits`` significant decimal digits (``pow10[i] == 10.0**(i-350)``)."""
    if v != v:
        return _NAN
    if v == np.inf:
        return _PINF
    if v == -np.inf:
        return _NINF
    if v == 0.0:
        return _ZERO
    a = abs(v)
    e = int(np.floor(np.log10(a)))
    # scale so that the mantissa has `digits` digits before the point: m in [10^(d-1), 10^d)
    s = digits - 1 - e
    if s >= 0:
        m = a * pow10[350 + s] if s <= 308 else (a * 1e300) * pow10[350 + s - 300]
    else:
        m = a / pow10[350 - s]
    r = np.int64(np.rint(m))
    hi = np.int64(1)
    for _ in range(digits):
        hi *= 10
    if r >= hi:  # rounding carried into a new digit (or log10 was off by one): renormalise
        r = np.int64(np.rint(r / 10.0))
        e += 1
    elif r < hi // 10:  # log10 rounded up at an exact power of ten
        r = np.int64(np.rint(m * 10.0))
        e -= 1
    code = np.uint64(r) * np.uint64(4096) + np.uint64(e + 2048)
    if v < 0:
        code = ~code
    return code


@njit(cache=True, nogil=True)
def hash_rows(values, digits, seed, pow10, out):
    """``out[p]`` = hash of the rounded row ``values[p, :]``."""
    for p in range(values.shape[0]):
        h = np.uint64(seed)
        for j in range(values.shape[1]):
            h = _mix(h, round_code(values[p, j], digits, pow10))
        out[p] = h


@njit(cache=True, nogil=True, error_model="numpy")
def hash_program(ops, args, length, consts, params, Xt, depth, nregs, digits, seed, pow10):
    """Evaluate one program at the probe points and hash the rounded values: one dispatch per candidate."""
    n = Xt.shape[1]
    out = np.empty(n)
    eval_program(ops, args, length, consts, params, Xt, depth, nregs, out)
    h = np.uint64(seed)
    for j in range(n):
        h = _mix(h, round_code(out[j], digits, pow10))
    return h


# --- flat codes: terms' memoised tree postfix (search.expr.terms, ``Expr._flat``) ------------------------------
# A flat code is an int64 array of ``arg * 32 + opcode`` in tree (unshared) postfix order, where VAR's arg is a
# process-wide variable id (mapped to a column through ``vmap``, -1 = not in the variables list), CONST's arg a
# process-wide serial number of the constant leaf, and ``values`` holds one float per CONST occurrence.


@njit(cache=True, nogil=True)
def _flat_arity(op):
    if op <= STORE:
        return 0
    if op <= POW:
        return 2
    if op == FMA:
        return 3
    return 1


@njit(cache=True, nogil=True)
def flat_encode(code, values, vmap, share):
    """Turn a flat code into the encoder's program: the same instructions, registers and constant pool as
    ``search.expr.postfix.encode``'s Python walk (repeated non-leaf subterms computed once with STORE/LOAD when
    ``share``; one pool entry per distinct constant leaf, in order of first use).

    Returns ``(prog, consts, pool_occ, n_regs, depth, n_vars, n_params, status)``: ``prog`` int32 (2, L)
    (ops, args); ``consts`` the pool; ``pool_occ[j]`` the CONST occurrence (index into ``values``) that pool
    entry ``j`` comes from; ``status`` 0, or ``-1 - vid`` for the first variable id that ``vmap`` does not map.
    """
    n = code.shape[0]
    tsize = 1
    while tsize < 2 * n:
        tsize *= 2
    # one scratch allocation, cut into the per-position arrays
    work = np.empty(11 * n + (tsize if share else 0), np.int64)
    op_ = work[0:n]
    arg_ = work[n:2 * n]
    occ = work[2 * n:3 * n]     # CONST occurrence number at each CONST position
    start = work[3 * n:4 * n]   # start of the subtree ending at each position
    dup = work[4 * n:5 * n]     # end position of the first identical subtree, for later copies (else -1)
    best = work[5 * n:6 * n]    # start position -> end of the outermost repeated subtree starting there (or -1)
    stk = work[6 * n:7 * n]
    eo = work[7 * n:8 * n]      # emitted opcode
    ea = work[8 * n:9 * n]      # emitted arg
    es = work[9 * n:10 * n]     # source position of an emitted instruction (-1 for LOAD)
    reg = work[10 * n:11 * n]   # register of a first copy that is loaded later (else -1)
    nc = 0
    for i in range(n):
        c = code[i]
        o = c & 31
        a = c >> 5
        op_[i] = o
        arg_[i] = a
        dup[i] = -1
        best[i] = -1
        reg[i] = -1
        if o == CONST:
            occ[i] = nc
            nc += 1
        elif o == VAR:
            if a < 0 or a >= vmap.shape[0] or vmap[a] < 0:
                return (np.empty((2, 0), np.int32), np.empty(0), np.empty(0, np.int64), 0, 0, 0, 0, -1 - a)
    if share:
        # subtree starts and structural hashes (the node's code and its children's hashes, in order)
        h = np.empty(n, np.uint64)
        table = work[11 * n:11 * n + tsize]
        for i in range(tsize):
            table[i] = -1
        mask = tsize - 1
        sp = 0
        for i in range(n):
            k = _flat_arity(op_[i])
            hv = _mix(np.uint64(k + 1), np.uint64(code[i]))
            if k == 0:
                start[i] = i
            else:
                for j in range(sp - k, sp):
                    hv = _mix(hv, h[stk[j]])
                start[i] = start[stk[sp - k]]
                sp -= k
            h[i] = hv
            stk[sp] = i
            sp += 1
            if k == 0:
                continue
            # look for an earlier identical subtree (equal hash, length and instructions)
            ln = i - start[i]
            slot = np.int64(hv & np.uint64(mask))
            while True:
                j = table[slot]
                if j < 0:
                    table[slot] = i
                    break
                if h[j] == hv and j - start[j] == ln:
                    same = True
                    s0 = start[i]
                    s1 = start[j]
                    for q in range(ln + 1):
                        if code[s0 + q] != code[s1 + q]:
                            same = False
                            break
                    if same:
                        dup[i] = j
                        best[s0] = i  # i grows, so the last one is the outermost
                        break
                slot = (slot + 1) & mask
    # emit: a repeated subtree whose start is reached is replaced whole by a LOAD of its first copy
    pool_key = stk    # (the share pass is done with these two)
    pool_occ = start
    npool = 0
    nregs = 0
    m = 0
    i = 0
    while i < n:
        e = best[i]
        if e >= 0:
            f = dup[e]
            if reg[f] < 0:
                reg[f] = nregs
                nregs += 1
            eo[m] = LOAD
            ea[m] = reg[f]
            es[m] = -1
            m += 1
            i = e + 1
            continue
        o = op_[i]
        a = arg_[i]
        if o == VAR:
            a = vmap[a]
        elif o == CONST:
            j = 0
            while j < npool and pool_key[j] != a:
                j += 1
            if j == npool:
                pool_key[j] = a
                pool_occ[j] = occ[i]
                npool += 1
            a = j
        eo[m] = o
        ea[m] = a
        es[m] = i
        m += 1
        i += 1
    L = m + nregs
    prog = np.empty((2, L), np.int32)
    sp = depth = n_vars = n_params = 0
    w = 0
    for k in range(m):
        o = eo[k]
        prog[0, w] = o
        prog[1, w] = ea[k]
        w += 1
        if o <= LOAD:
            sp += 1
            if o == VAR and ea[k] >= n_vars:
                n_vars = ea[k] + 1
            elif o == PARAM and ea[k] >= n_params:
                n_params = ea[k] + 1
        elif o == FMA:
            sp -= 2
        elif o <= POW:
            sp -= 1
        if sp > depth:
            depth = sp
        s = es[k]
        if s >= 0 and reg[s] >= 0:
            prog[0, w] = STORE
            prog[1, w] = reg[s]
            w += 1
    consts = np.empty(npool)
    for j in range(npool):
        consts[j] = values[pool_occ[j]]
    return (prog, consts, pool_occ[:npool].copy(), nregs, depth, n_vars, n_params, 0)


@njit(cache=True, nogil=True, error_model="numpy")
def flat_hash(code, values, vmap, params, Xt, digits, seed, pow10):
    """Functional hash straight from a flat code: map it to a tree program, evaluate it at the probe points
    ``Xt`` and hash the rounded values, in one call.  The tree program computes every shared subterm again
    with the same operations, so the values (and the hash) are bit-identical to those of the encoded program.

    Returns ``(status, hash)``: status 0, 1 (a variable not in ``vmap``) or 2 (more parameters than given).
    """
    n = code.shape[0]
    ops = np.empty(n, np.int32)
    args = np.empty(n, np.int32)
    nc = 0
    sp = depth = n_params = 0
    for i in range(n):
        c = code[i]
        o = c & 31
        a = c >> 5
        if o <= STORE:
            sp += 1
            if o == VAR:
                if a < 0 or a >= vmap.shape[0] or vmap[a] < 0:
                    return (1, np.uint64(0))
                a = vmap[a]
            elif o == CONST:
                a = nc
                nc += 1
            elif a >= n_params:  # PARAM
                n_params = a + 1
        elif o == FMA:
            sp -= 2
        elif o <= POW:
            sp -= 1
        if sp > depth:
            depth = sp
        ops[i] = o
        args[i] = a
    if n_params > params.shape[0]:
        return (2, np.uint64(0))
    m = Xt.shape[1]
    out = np.empty(m)
    eval_program(ops, args, n, values, params, Xt, depth, 0, out)
    hv = np.uint64(seed)
    for j in range(m):
        hv = _mix(hv, round_code(out[j], digits, pow10))
    return (0, hv)


@njit(cache=True, nogil=True)
def flat_pack(codes, code_off, values, value_off, vmap, share):
    """Encode many flat codes (concatenated; program ``p`` is ``codes[code_off[p]:code_off[p + 1]]`` with
    constants ``values[value_off[p]:value_off[p + 1]]``) straight into a padded batch: the arrays of
    ``search.expr.postfix.pack`` applied to the programs that :func:`flat_encode` gives one by one.

    Returns ``(ops, args, lengths, consts, n_params, n_vars, depth, n_regs, status)``; ``status`` is 0, or
    ``-1 - p`` for the first program ``p`` that reads a variable ``vmap`` does not map.
    """
    P = code_off.shape[0] - 1
    progs = []
    cpools = []
    L = 1
    C = 1
    n_vars = n_regs = 0
    depth = 1
    n_params = np.zeros(P, np.int32)
    for p in range(P):
        prog, consts, occ, nr, dp, nv, npar, st = flat_encode(
            codes[code_off[p]:code_off[p + 1]], values[value_off[p]:value_off[p + 1]], vmap, share)
        if st != 0:
            return (np.zeros((0, 0), np.int32), np.zeros((0, 0), np.int32), np.zeros(0, np.int32),
                    np.zeros((0, 0)), n_params, 0, 0, 0, -1 - p)
        progs.append(prog)
        cpools.append(consts)
        L = max(L, prog.shape[1])
        C = max(C, consts.shape[0])
        n_vars = max(n_vars, nv)
        n_regs = max(n_regs, nr)
        depth = max(depth, dp)
        n_params[p] = npar
    ops = np.zeros((P, L), np.int32)
    args = np.zeros((P, L), np.int32)
    consts = np.zeros((P, C))
    lengths = np.zeros(P, np.int32)
    for p in range(P):
        prog = progs[p]
        n = prog.shape[1]
        lengths[p] = n
        for i in range(n):
            ops[p, i] = prog[0, i]
            args[p, i] = prog[1, i]
        cp = cpools[p]
        for j in range(cp.shape[0]):
            consts[p, j] = cp[j]
    return (ops, args, lengths, consts, n_params, n_vars, depth, n_regs, 0)


@njit(cache=True, nogil=True)
def flat_pack_shared(codes, code_off, values, value_off, vmap, max_regs):
    """Like :func:`flat_pack`, but a repeated subterm is computed once for the whole batch: its first copy (in
    any program) is followed by ``STORE r`` and every later copy, in the same or a later program, is ``LOAD r``
    (registers are numbered across the batch).  Subterms holding a PARAM are shared only inside their program
    (parameter values differ per program).  Such a batch must run with :func:`eval_batch_shared` (programs in
    order inside each row block), which gives the same values as the unshared programs.

    Returns the arrays of :func:`flat_pack`; status 0, ``-1 - p`` (program ``p`` reads an unmapped variable) or
    1 (more than ``max_regs`` registers would be needed).
    """
    P = code_off.shape[0] - 1
    N = code_off[P]
    tsize = 1
    while tsize < 2 * N:
        tsize *= 2
    op_ = np.empty(N, np.int64)
    arg_ = np.empty(N, np.int64)
    occ = np.empty(N, np.int64)
    start = np.empty(N, np.int64)
    dup = np.full(N, -1, np.int64)
    best = np.full(N, -1, np.int64)
    hasp = np.zeros(N, np.bool_)
    pid = np.empty(N, np.int64)
    h = np.empty(N, np.uint64)
    stk = np.empty(N, np.int64)
    table = np.full(tsize, -1, np.int64)
    mask = tsize - 1
    n_params = np.zeros(P, np.int32)
    empty = (np.zeros((0, 0), np.int32), np.zeros((0, 0), np.int32), np.zeros(0, np.int32), np.zeros((0, 0)),
             n_params, 0, 0, 0)
    for p in range(P):
        nc = 0
        sp = 0
        for i in range(code_off[p], code_off[p + 1]):
            c = codes[i]
            o = c & 31
            a = c >> 5
            op_[i] = o
            arg_[i] = a
            pid[i] = p
            if o == CONST:
                occ[i] = nc
                nc += 1
            elif o == VAR:
                if a < 0 or a >= vmap.shape[0] or vmap[a] < 0:
                    return empty + (-1 - p,)
            k = _flat_arity(o)
            hv = _mix(np.uint64(k + 1), np.uint64(c))
            if k == 0:
                start[i] = i
                hasp[i] = o == PARAM
            else:
                hp = False
                for j in range(sp - k, sp):
                    hv = _mix(hv, h[stk[j]])
                    hp = hp or hasp[stk[j]]
                hasp[i] = hp
                start[i] = start[stk[sp - k]]
                sp -= k
            h[i] = hv
            stk[sp] = i
            sp += 1
            if k == 0:
                continue
            ln = i - start[i]
            slot = np.int64(hv & np.uint64(mask))
            while True:
                j = table[slot]
                if j < 0:
                    table[slot] = i
                    break
                if h[j] == hv and j - start[j] == ln and (not hasp[i] or pid[j] == p):
                    same = True
                    s0 = start[i]
                    s1 = start[j]
                    for q in range(ln + 1):
                        if codes[s0 + q] != codes[s1 + q]:
                            same = False
                            break
                    if same:
                        dup[i] = j
                        best[s0] = i
                        break
                slot = (slot + 1) & mask
    # emission, program by program (registers global), STOREs inserted afterwards
    eo = np.empty(N, np.int64)
    ea = np.empty(N, np.int64)
    es = np.empty(N, np.int64)
    emit_off = np.zeros(P + 1, np.int64)
    reg = np.full(N, -1, np.int64)
    pool_key = np.empty(N, np.int64)
    pool_val = np.empty(N)
    pool_off = np.zeros(P + 1, np.int64)
    nregs = 0
    m = 0
    npool_tot = 0
    for p in range(P):
        pool0 = npool_tot
        i = code_off[p]
        while i < code_off[p + 1]:
            e = best[i]
            if e >= 0:
                f = dup[e]
                if reg[f] < 0:
                    reg[f] = nregs
                    nregs += 1
                eo[m] = LOAD
                ea[m] = reg[f]
                es[m] = -1
                m += 1
                i = e + 1
                continue
            o = op_[i]
            a = arg_[i]
            if o == VAR:
                a = vmap[a]
            elif o == CONST:
                j = pool0
                while j < npool_tot and pool_key[j] != a:
                    j += 1
                if j == npool_tot:
                    pool_key[j] = a
                    pool_val[j] = values[value_off[p] + occ[i]]
                    npool_tot += 1
                a = j - pool0
            eo[m] = o
            ea[m] = a
            es[m] = i
            m += 1
            i += 1
        emit_off[p + 1] = m
        pool_off[p + 1] = npool_tot
    if nregs > max_regs:
        return empty + (1,)
    # lengths with the STOREs, then the padded arrays
    lengths = np.zeros(P, np.int32)
    L = 1
    C = 1
    for p in range(P):
        ln = 0
        for k in range(emit_off[p], emit_off[p + 1]):
            ln += 1
            s = es[k]
            if s >= 0 and reg[s] >= 0:
                ln += 1
        lengths[p] = ln
        L = max(L, ln)
        C = max(C, pool_off[p + 1] - pool_off[p])
    ops = np.zeros((P, L), np.int32)
    args = np.zeros((P, L), np.int32)
    consts = np.zeros((P, C))
    depth = 1
    n_vars = 0
    for p in range(P):
        for j in range(pool_off[p], pool_off[p + 1]):
            consts[p, j - pool_off[p]] = pool_val[j]
        w = 0
        sp = 0
        for k in range(emit_off[p], emit_off[p + 1]):
            o = eo[k]
            ops[p, w] = o
            args[p, w] = ea[k]
            w += 1
            if o <= LOAD:
                sp += 1
                if o == VAR and ea[k] >= n_vars:
                    n_vars = ea[k] + 1
                elif o == PARAM and ea[k] >= n_params[p]:
                    n_params[p] = ea[k] + 1
            elif o == FMA:
                sp -= 2
            elif o <= POW:
                sp -= 1
            if sp > depth:
                depth = sp
            s = es[k]
            if s >= 0 and reg[s] >= 0:
                ops[p, w] = STORE
                args[p, w] = reg[s]
                w += 1
    return (ops, args, lengths, consts, n_params, n_vars, depth, nregs, 0)


@njit(cache=True, error_model="numpy", nogil=True)
def eval_batch_shared(ops, args, lengths, consts, params, Xt, depth, nregs, out):
    """A batch whose programs share registers (:func:`flat_pack_shared`): row blocks outside, programs in order
    inside, so a register is stored before a later program loads it.  Same values as :func:`eval_batch` of
    the unshared programs."""
    n = Xt.shape[1]
    stack = np.empty((max(depth, 1), BLOCK))
    regs = np.empty((max(nregs, 1), BLOCK))
    for r0 in range(0, n, BLOCK):
        m = min(BLOCK, n - r0)
        for p in range(ops.shape[0]):
            _run_block(ops[p], args[p], lengths[p], consts[p], params[p], Xt, r0, m, stack, regs, out[p])


@njit(cache=True, error_model="numpy", nogil=True, parallel=True)
def eval_batch_shared_par(ops, args, lengths, consts, params, Xt, depth, nregs, out):
    """Parallel over row blocks (same results as :func:`eval_batch_shared`)."""
    n = Xt.shape[1]
    nb = (n + BLOCK - 1) // BLOCK
    for b in prange(nb):
        stack = np.empty((max(depth, 1), BLOCK))
        regs = np.empty((max(nregs, 1), BLOCK))
        r0 = b * BLOCK
        m = min(BLOCK, n - r0)
        for p in range(ops.shape[0]):
            _run_block(ops[p], args[p], lengths[p], consts[p], params[p], Xt, r0, m, stack, regs, out[p])
