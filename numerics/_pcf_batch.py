"""Fast float evaluation of many polynomial continued fractions (PCFs) per call.

A PCF is

$$ \\mathrm{PCF}(a, b) = a(0) + \\cfrac{b(1)}{a(1) + \\cfrac{b(2)}{a(2) + \\dotsb}} $$

with polynomials $a(n)$, $b(n)$.  Its convergents are $p_n/q_n$ with

$$ p_n = a(n) p_{n-1} + b(n) p_{n-2},\\quad q_n = a(n) q_{n-1} + b(n) q_{n-2},\\qquad
   p_{-1} = 1,\\ p_0 = a(0),\\ q_{-1} = 0,\\ q_0 = 1. $$

$p_n$ and $q_n$ grow like $(n!)^{\\deg}$ and overflow float64 within a few dozen terms, but only their ratio
matters: the kernel multiplies the four state values by $2^{-512}$ whenever the largest exceeds $2^{512}$
(and by $2^{512}$ when all fall below $2^{-512}$).  A power of two is exact in binary floating point, so
rescaling adds *no* rounding error; the running exponent is kept so that $\\log|q_n|$ is still available.

The kernel is a float64 screen: its relative error grows roughly like $n\\,\\varepsilon$, so it carries
about 12-14 correct digits at depth 1000.  Exact (integer) and arbitrary-precision convergents for the
confirmation step live in :mod:`numerics.recurrence`.

Layout: ``a_coeffs`` is ``(m, da)`` and ``b_coeffs`` ``(m, db)``, one row per PCF, **highest degree first**
(``[2, 1]`` is $2n + 1$); shorter polynomials are padded with leading zeros.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

__all__ = [
    "pcf_limits",
    "PCFBatchResult",
    "STATUS_OK",
    "STATUS_TERMINATED",
    "STATUS_ZERO_Q",
    "STATUS_NONFINITE",
]

#: The convergent is finite and well defined.
STATUS_OK = 0
#: $b(n) = 0$ for some $1 \le n \le$ depth: the fraction terminates and its value is rational.
STATUS_TERMINATED = 1
#: $q_N = 0$ (or tiny compared with $p_N$): no finite value at this depth.
STATUS_ZERO_Q = 2
#: Something became inf/nan (coefficients beyond float range).
STATUS_NONFINITE = 3

_BIG = 2.0**512
_SMALL = 2.0**-512
_LOG_2_512 = 512.0 * math.log(2.0)

# A block of PCFs is advanced together, one depth step at a time: the inner loop over the block has no
# loop-carried dependency, so it pipelines (and vectorises) instead of waiting on the latency of one
# recurrence chain.  64 PCFs x ~10 arrays of float64 stay in L1.
_BLOCK = 64


@nb.njit(cache=True, nogil=True)
def _block(a, b, lo, hi, depth, check, out_val, out_chk, out_logq, out_status):
    m = hi - lo
    da = a.shape[1]
    db = b.shape[1]
    # coefficients transposed to (degree, pcf) so that every inner loop below runs over contiguous PCFs
    at = np.empty((da, m))
    bt = np.empty((db, m))
    for j in range(m):
        for k in range(da):
            at[k, j] = a[lo + j, k]
        for k in range(db):
            bt[k, j] = b[lo + j, k]
    p0 = np.ones(m)  # p_{n-2}
    p1 = at[da - 1].copy()  # p_{n-1}; p_0 = a(0), the constant coefficient
    q0 = np.zeros(m)
    q1 = np.ones(m)
    ex = np.zeros(m)  # net number of 2^512 down-scalings applied
    term = np.zeros(m)  # 1 where some b(n) = 0 (the fraction terminates)
    an = np.empty(m)
    bn = np.empty(m)
    if check == 0:
        for j in range(m):
            out_chk[lo + j] = p1[j]
    for n in range(1, depth + 1):
        fn = float(n)
        # Horner, one coefficient at a time across the block (vectorises)
        for j in range(m):
            an[j] = at[0, j]
            bn[j] = bt[0, j]
        for k in range(1, da):
            for j in range(m):
                an[j] = an[j] * fn + at[k, j]
        for k in range(1, db):
            for j in range(m):
                bn[j] = bn[j] * fn + bt[k, j]
        for j in range(m):
            pn = an[j] * p1[j] + bn[j] * p0[j]
            qn = an[j] * q1[j] + bn[j] * q0[j]
            mag = max(max(abs(pn), abs(qn)), max(abs(p1[j]), abs(q1[j])))
            # branch-free rescaling by an exact power of two (selects vectorise, branches would not)
            down = mag > _BIG
            up = (mag < _SMALL) & (mag > 0.0)
            sc = _SMALL if down else (_BIG if up else 1.0)
            p0[j] = p1[j] * sc
            q0[j] = q1[j] * sc
            p1[j] = pn * sc
            q1[j] = qn * sc
            ex[j] += (1.0 if down else 0.0) - (1.0 if up else 0.0)
            term[j] = 1.0 if bn[j] == 0.0 else term[j]
        if n == check:
            for j in range(m):
                out_chk[lo + j] = p1[j] / q1[j] if q1[j] != 0.0 else np.nan
    for j in range(m):
        i = lo + j
        p = p1[j]
        q = q1[j]
        st = STATUS_OK
        if not (math.isfinite(p) and math.isfinite(q)):
            st = STATUS_NONFINITE
            out_val[i] = np.nan
            out_logq[i] = np.nan
        elif q == 0.0 or abs(q) < 1e-300 * abs(p):
            st = STATUS_ZERO_Q
            out_val[i] = np.nan
            out_logq[i] = -np.inf
        else:
            out_val[i] = p / q
            out_logq[i] = math.log(abs(q)) + ex[j] * _LOG_2_512
        if term[j] != 0.0 and st == STATUS_OK:
            st = STATUS_TERMINATED
        out_status[i] = st


@nb.njit(cache=True, nogil=True)
def _serial(a, b, depth, check, out_val, out_chk, out_logq, out_status):
    m = a.shape[0]
    for lo in range(0, m, _BLOCK):
        hi = min(lo + _BLOCK, m)
        _block(a, b, lo, hi, depth, check, out_val, out_chk, out_logq, out_status)


@nb.njit(cache=True, nogil=True, parallel=True)
def _parallel(a, b, depth, check, out_val, out_chk, out_logq, out_status):
    m = a.shape[0]
    nblocks = (m + _BLOCK - 1) // _BLOCK
    for ib in nb.prange(nblocks):
        lo = ib * _BLOCK
        hi = min(lo + _BLOCK, m)
        _block(a, b, lo, hi, depth, check, out_val, out_chk, out_logq, out_status)


class PCFBatchResult:
    """Limits of a batch of PCFs at two depths.

    Attributes (NumPy arrays of length m):
    ``value`` ($p_N/q_N$), ``check_value`` ($p_{N'}/q_{N'}$ at the check depth $N' < N$),
    ``log_q`` ($\\ln|q_N|$, for growth-rate and $\\delta$ estimates), ``status`` (``STATUS_*``),
    plus ``depth`` and ``check_depth``.
    """

    __slots__ = ("value", "check_value", "log_q", "status", "depth", "check_depth")

    def __init__(self, value, check_value, log_q, status, depth, check_depth):
        self.value = value
        self.check_value = check_value
        self.log_q = log_q
        self.status = status
        self.depth = depth
        self.check_depth = check_depth

    @property
    def change(self) -> np.ndarray:
        """$|x_N - x_{N'}| / \\max(1, |x_N|)$: a convergence estimate; nan where either value is undefined."""
        return np.abs(self.value - self.check_value) / np.maximum(1.0, np.abs(self.value))

    def converged(self, tol: float) -> np.ndarray:
        """Mask of PCFs with a finite value whose relative change between the two depths is at most ``tol``."""
        ch = self.change
        return (self.status == STATUS_OK) & np.isfinite(ch) & (ch <= tol)

    def __len__(self) -> int:
        return int(self.value.shape[0])

    def __repr__(self) -> str:
        return f"PCFBatchResult(m={len(self)}, depth={self.depth}, check_depth={self.check_depth})"


def _as_coeffs(x, name: str) -> np.ndarray:
    if isinstance(x, (list, tuple)) and x and all(isinstance(r, (list, tuple, np.ndarray)) for r in x):
        # ragged rows of Python lists: pad each on the left (highest degree first) with zeros
        width = max(len(r) for r in x)
        x = [[0] * (width - len(r)) + list(r) for r in x]
    arr = np.asarray(x)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] == 0:
        raise ValueError(f"{name} must be a 2-D array (one row of coefficients, highest degree first, per PCF)")
    if not np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.complexfloating):
        raise ValueError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    out = np.ascontiguousarray(arr, dtype=np.float64)
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{name} must be finite")
    return out


def pcf_limits(a_coeffs, b_coeffs, depth: int, check_depth: int | None = None,
               parallel: bool = False) -> PCFBatchResult:
    """Evaluate the convergents $p_N/q_N$ of many PCFs in float64, with overflow-free rescaling.

    Parameters
    ----------
    a_coeffs, b_coeffs:
        ``(m, da)`` and ``(m, db)`` arrays (or one 1-D row), highest degree first.
    depth:
        $N \\ge 1$, the number of recurrence steps.
    check_depth:
        A second, smaller depth $N'$ whose convergent is also returned, for a cheap convergence test;
        default ``depth // 2``.
    parallel:
        Spread the PCFs over Numba threads.  Leave ``False`` inside Dask workers (they are already parallel).

    Returns
    -------
    PCFBatchResult
    """
    a = _as_coeffs(a_coeffs, "a_coeffs")
    b = _as_coeffs(b_coeffs, "b_coeffs")
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"a_coeffs has {a.shape[0]} rows but b_coeffs has {b.shape[0]}")
    depth = int(depth)
    if depth < 1:
        raise ValueError(f"depth must be >= 1, got {depth}")
    if check_depth is None:
        check_depth = depth // 2
    check_depth = int(check_depth)
    if not 0 <= check_depth <= depth:
        raise ValueError(f"check_depth must lie in [0, depth], got {check_depth}")
    m = a.shape[0]
    val = np.empty(m)
    chk = np.empty(m)
    logq = np.empty(m)
    status = np.empty(m, dtype=np.int8)
    if m:
        fn = _parallel if parallel else _serial
        fn(a, b, depth, check_depth, val, chk, logq, status)
    if check_depth == depth:
        chk = val.copy()
    return PCFBatchResult(val, chk, logq, status, depth, check_depth)
