"""Numba kernels (internal) behind :mod:`numerics.spline`: piecewise-cubic evaluation with an O(1) bucket lookup.

The spline is stored as ``knots`` (n,) and ``coef`` (n-1, 4) in local Horner form: on
``[knots[i], knots[i+1]]`` with ``t = x - knots[i]``, ``s(x) = ((c0*t + c1)*t + c2)*t + c3``.

Interval search: ``lut`` (nb+1,) holds, for each of ``nb`` equal buckets of the lookup coordinate (4 per
interval), the index of the interval containing the bucket's left edge. A point in bucket j lies in an
interval between ``lut[j]`` and ``lut[j+1]``; a binary search over that (usually 0- or 1-step) range and
a rounding guard finish the job, so a lookup costs O(1) for knots roughly evenly spread in the lookup
coordinate and O(log n) at worst. The lookup coordinate is x itself, or for geometric knots (``logmap``)
the IEEE-754 bit pattern of x read as an integer (``xbits``, a view of the same array): for x > 0 it is
monotone and piecewise linear in log2 x, a log without the cost of one. Sorted input skips the search: the
interval index walks forward from the previous point's, until the first descent (then buckets take over).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _locate(x, g, knots, lut, u0, inv_w):
    """Interval of x, given its lookup coordinate g."""
    n = knots.shape[0]
    nb = lut.shape[0] - 1
    jf = (g - u0) * inv_w
    j = min(max(int(jf), 0), nb - 1)
    lo = lut[j]
    hi = lut[j + 1]
    while hi - lo > 1:  # rare: more than one knot in the bucket
        mid = (lo + hi + 1) >> 1
        if knots[mid] <= x:
            lo = mid
        else:
            hi = mid - 1
    i = lo
    if i < hi and x >= knots[i + 1]:
        i += 1
    # guard against ties in the lookup coordinate (knots closer than its rounding)
    while i > 0 and x < knots[i]:
        i -= 1
    while i < n - 2 and x >= knots[i + 1]:
        i += 1
    return i


@njit(cache=True, nogil=True)
def eval_kernel(xq, xbits, knots, coef, lut, u0, inv_w, logmap, order, out):
    """``out[k] = s^(order)(xq[k])`` for order 0..3; NaN outside [knots[0], knots[-1]] and for NaN input."""
    n = knots.shape[0]
    a = knots[0]
    b = knots[n - 1]
    walk = True
    i = 0
    for k in range(xq.shape[0]):
        x = xq[k]
        if not (x >= a and x <= b):
            out[k] = np.nan
            continue
        if walk:  # sorted so far: walk forward from the previous interval, no search
            if x < knots[i]:
                walk = False  # the input is not sorted: bucket search from here on
            else:
                while i < n - 2 and x >= knots[i + 1]:
                    i += 1
        if not walk:
            g = float(xbits[k]) if logmap else x
            i = _locate(x, g, knots, lut, u0, inv_w)
        t = x - knots[i]
        c0 = coef[i, 0]
        c1 = coef[i, 1]
        c2 = coef[i, 2]
        if order == 0:
            out[k] = ((c0 * t + c1) * t + c2) * t + coef[i, 3]
        elif order == 1:
            out[k] = (3.0 * c0 * t + 2.0 * c1) * t + c2
        elif order == 2:
            out[k] = 6.0 * c0 * t + 2.0 * c1
        else:
            out[k] = 6.0 * c0


@njit(cache=True, nogil=True)
def antiderivative_kernel(xq, xbits, knots, coef, cum, lut, u0, inv_w, logmap, out):
    """``out[k] = integral of s from knots[0] to xq[k]`` (NaN outside the knot range)."""
    n = knots.shape[0]
    a = knots[0]
    b = knots[n - 1]
    walk = True
    i = 0
    for k in range(xq.shape[0]):
        x = xq[k]
        if not (x >= a and x <= b):
            out[k] = np.nan
            continue
        if walk:  # sorted so far: walk forward from the previous interval, no search
            if x < knots[i]:
                walk = False  # the input is not sorted: bucket search from here on
            else:
                while i < n - 2 and x >= knots[i + 1]:
                    i += 1
        if not walk:
            g = float(xbits[k]) if logmap else x
            i = _locate(x, g, knots, lut, u0, inv_w)
        t = x - knots[i]
        out[k] = cum[i] + (((coef[i, 0] * 0.25 * t + coef[i, 1] / 3.0) * t + coef[i, 2] * 0.5) * t
                           + coef[i, 3]) * t


@njit(cache=True, nogil=True)
def table_eval_kernel(vq, psorted, porder, xq, xbits, offsets, knots, coef, luts, lut_offsets, u0s, inv_ws,
                      logmap, out):
    """Evaluate a stack of splines: point k uses the spline ``j`` of parameter ``vq[k]`` (found by binary search
    in ``psorted``, ``j = porder[pos]``; returns the first k whose v is not tabulated, or -1), whose knots are
    ``knots[offsets[j]:offsets[j+1]]``, coefficient rows ``coef[offsets[j]-j : offsets[j+1]-j-1]`` and bucket
    table ``luts[lut_offsets[j]:lut_offsets[j+1]]`` (interval indices local to the spline)."""
    m = psorted.shape[0]
    for k in range(xq.shape[0]):
        v = vq[k]
        lo = 0
        hi = m - 1
        while lo < hi:
            mid = (lo + hi) >> 1
            if psorted[mid] < v:
                lo = mid + 1
            else:
                hi = mid
        if psorted[lo] != v:
            return k
        j = porder[lo]
        s0 = offsets[j]
        n = offsets[j + 1] - s0
        x = xq[k]
        if not (x >= knots[s0] and x <= knots[s0 + n - 1]):
            out[k] = np.nan
            continue
        l0 = lut_offsets[j]
        nb = lut_offsets[j + 1] - l0 - 1
        g = float(xbits[k]) if logmap else x
        jb = min(max(int((g - u0s[j]) * inv_ws[j]), 0), nb - 1)
        lo = luts[l0 + jb]
        hi = luts[l0 + jb + 1]
        while hi - lo > 1:
            mid = (lo + hi + 1) >> 1
            if knots[s0 + mid] <= x:
                lo = mid
            else:
                hi = mid - 1
        i = lo
        if i < hi and x >= knots[s0 + i + 1]:
            i += 1
        while i > 0 and x < knots[s0 + i]:
            i -= 1
        while i < n - 2 and x >= knots[s0 + i + 1]:
            i += 1
        t = x - knots[s0 + i]
        r = s0 - j + i
        out[k] = ((coef[r, 0] * t + coef[r, 1]) * t + coef[r, 2]) * t + coef[r, 3]
    return -1
