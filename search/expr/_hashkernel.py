"""Numba kernel for functional hashing: round each probe output to ``digits`` significant decimal digits and mix
the rounded codes into one 64-bit hash per program (NaN, +inf, -inf have their own codes)."""

from __future__ import annotations

import numpy as np
from numba import njit

from search.expr._kernel import eval_program

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
