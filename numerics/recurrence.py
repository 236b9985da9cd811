r"""Recurrence kernels: continued-fraction convergents, signed continued fractions, Berlekamp–Massey and $\delta$.

Everything here is numeric and search-agnostic.

**Polynomial / generalised continued fractions.**  With partial denominators $a_n$ and partial numerators $b_n$,

$$ \mathrm{PCF}(a, b) = a_0 + \cfrac{b_1}{a_1 + \cfrac{b_2}{a_2 + \dotsb}}, \qquad
   p_n = a_n p_{n-1} + b_n p_{n-2},\quad q_n = a_n q_{n-1} + b_n q_{n-2}, $$

$p_{-1} = 1,\ p_0 = a_0,\ q_{-1} = 0,\ q_0 = 1$, and the $n$-th convergent is $p_n/q_n$.  The convergents come
exact (:func:`pcf_convergents`, Python ints or python-flint ``fmpz``), at mpmath precision
(:func:`pcf_convergents_mp`) and, for many PCFs at once in float64, from the Numba batch kernel
(:func:`pcf_limits`, re-exported from :mod:`numerics._pcf_batch`).

**Signed continued fractions** (ESMA).  $x = a_0 + s_0/(a_1 + s_1/(a_2 + \dotsb))$ with signs $s_i = \pm 1$
repeating with a fixed period.  :func:`signed_cf_expand` picks $a_i$ greedily, $\lfloor x_i \rfloor$ when
$s_i = +1$ and $\lceil x_i \rceil$ when $s_i = -1$, so that every tail $x_{i+1} = s_i/(x_i - a_i)$ is $> 1$.

**Berlekamp–Massey** finds the shortest linear recurrence (connection polynomial
$C(x) = 1 + c_1 x + \dots + c_L x^L$, register length $L$) with $\sum_{j=0}^{L} c_j s_{n-j} = 0$ for all
$n \ge L$; over $\mathrm{GF}(p)$ (:func:`berlekamp_massey_mod`, Numba) and over $\mathbb{Q}$
(:func:`berlekamp_massey_rational`).  :func:`recurrence_extend` regenerates a sequence from $C$.

**Irrationality measure** $\delta$: $|p_n/q_n - L| = \tilde q_n^{-(1+\delta)}$ with
$\tilde q_n = q_n/\gcd(p_n, q_n)$ (:func:`irrationality_measure`, :func:`pcf_delta`, :func:`delta_curve`), and
the convergence-rate fit $\log_{10}|p_n/q_n - L| \approx c_0 + c_1 n + c_2 n\log n$ (:func:`convergence_rate`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import mpmath
import numba as nb
import numpy as np

from numerics._pcf_batch import (
    STATUS_NONFINITE,
    STATUS_OK,
    STATUS_TERMINATED,
    STATUS_ZERO_Q,
    PCFBatchResult,
    pcf_limits,
)

__all__ = [
    "IntPoly",
    "term_values",
    "pcf_convergents",
    "pcf_convergents_mp",
    "pcf_value",
    "signed_cf_expand",
    "signed_cf_convergents",
    "signed_cf_value",
    "sign_sequence",
    "berlekamp_massey_mod",
    "berlekamp_massey_rational",
    "symmetric_residues",
    "recurrence_extend",
    "interlaced_polynomial_pattern",
    "irrationality_measure",
    "pcf_delta",
    "delta_curve",
    "convergence_rate",
    # re-exported from numerics._pcf_batch (the float64 batch kernel)
    "pcf_limits",
    "PCFBatchResult",
    "STATUS_OK",
    "STATUS_TERMINATED",
    "STATUS_ZERO_Q",
    "STATUS_NONFINITE",
]

_LOG10_2 = math.log10(2.0)


# --------------------------------------------------------------------------------------------------------------
# Terms
# --------------------------------------------------------------------------------------------------------------


class IntPoly:
    """An integer polynomial in $n$, coefficients **highest degree first** (``IntPoly([2, 1])`` is $2n + 1$).

    Callable with an int (exact) or anything else that supports ``*`` and ``+``; picklable; ``str()`` gives a
    SymPy-parsable form in ``n``.
    """

    __slots__ = ("coeffs",)

    def __init__(self, coeffs: Sequence[int]):
        try:
            ok = all(c == int(c) for c in coeffs)
        except (TypeError, ValueError, OverflowError):
            ok = False
        if not ok:
            raise ValueError(f"IntPoly coefficients must be integers, got {list(coeffs)!r}")
        coeffs = [int(c) for c in coeffs]
        while len(coeffs) > 1 and coeffs[0] == 0:
            coeffs.pop(0)
        if not coeffs:
            coeffs = [0]
        self.coeffs = tuple(coeffs)

    @property
    def degree(self) -> int:
        return len(self.coeffs) - 1 if self.coeffs != (0,) else -1

    def __call__(self, n):
        acc = 0
        for c in self.coeffs:
            acc = acc * n + c
        return acc

    def __getstate__(self):
        return self.coeffs

    def __setstate__(self, state):
        self.coeffs = tuple(state)

    def __eq__(self, other) -> bool:
        return isinstance(other, IntPoly) and other.coeffs == self.coeffs

    def __hash__(self) -> int:
        return hash(self.coeffs)

    def __repr__(self) -> str:
        return f"IntPoly({list(self.coeffs)})"

    def __str__(self) -> str:
        return _poly_text([Fraction(c) for c in self.coeffs], "n")


def _poly_text(coeffs: Sequence[Fraction], var: str) -> str:
    """A SymPy-parsable string of a polynomial with rational coefficients, highest degree first."""
    deg = len(coeffs) - 1
    parts = []
    for i, c in enumerate(coeffs):
        c = Fraction(c)
        if c == 0:
            continue
        k = deg - i
        mag = abs(c)
        if k == 0:
            body = str(mag) if mag.denominator == 1 else f"{mag.numerator}/{mag.denominator}"
        else:
            mono = var if k == 1 else f"{var}**{k}"
            if mag == 1:
                body = mono
            elif mag.denominator == 1:
                body = f"{mag.numerator}*{mono}"
            elif mag.numerator == 1:
                body = f"{mono}/{mag.denominator}"
            else:
                body = f"{mag.numerator}*{mono}/{mag.denominator}"
        parts.append(("-" if c < 0 else "+", body))
    if not parts:
        return "0"
    text = ("-" if parts[0][0] == "-" else "") + parts[0][1]
    for sign, body in parts[1:]:
        text += f" {sign} {body}"
    return text


def term_values(spec, start: int, stop: int, name: str = "term") -> list:
    """The terms ``spec(n)`` for ``start <= n < stop``.

    ``spec`` is a callable of ``n`` (an :class:`IntPoly`, a lambda) or a sequence indexed by ``n``.
    """
    if stop < start:
        raise ValueError(f"{name}: empty range {start}..{stop}")
    if callable(spec):
        return [spec(n) for n in range(start, stop)]
    try:
        length = len(spec)
    except TypeError:
        raise ValueError(f"{name} must be a callable of n or a sequence indexed by n") from None
    if length < stop:
        raise ValueError(f"{name}: sequence has {length} terms but terms up to index {stop - 1} are needed")
    return [spec[n] for n in range(start, stop)]


def _check_depth(depth) -> int:
    if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or depth < 0:
        raise ValueError(f"depth must be a non-negative integer, got {depth!r}")
    return int(depth)


# --------------------------------------------------------------------------------------------------------------
# Convergents of PCF(a, b)
# --------------------------------------------------------------------------------------------------------------


def pcf_convergents(a, b, depth: int, *, all: bool = False, backend: str = "int"):  # noqa: A002
    """Exact convergents of $\\mathrm{PCF}(a, b)$.

    ``a``/``b``: callables of ``n`` (e.g. :class:`IntPoly`) or sequences indexed by ``n`` (``b[0]`` unused).
    Returns ``(p_N, q_N)`` at ``N = depth``, or with ``all=True`` the lists ``[p_0..p_N]``, ``[q_0..q_N]``.
    ``backend``: ``"int"`` (Python ints; also exact for ``Fraction`` terms) or ``"flint"`` (python-flint
    ``fmpz``, returned as Python ints).
    """
    depth = _check_depth(depth)
    av = term_values(a, 0, depth + 1, "a")
    bv = [0] + term_values(b, 1, depth + 1, "b")
    if backend == "flint":
        import flint

        if any(x != int(x) for x in av + bv):
            raise ValueError("the flint backend needs integer terms")
        av = [flint.fmpz(int(x)) for x in av]
        bv = [flint.fmpz(int(x)) for x in bv]
        conv = int
    elif backend == "int":
        conv = None
    else:
        raise ValueError(f"unknown backend {backend!r}; expected 'int' or 'flint'")
    p_prev, p = 1, av[0]
    q_prev, q = 0, 1
    if all:
        ps, qs = [p], [q]
    for n in range(1, depth + 1):
        an, bn = av[n], bv[n]
        p_prev, p = p, an * p + bn * p_prev
        q_prev, q = q, an * q + bn * q_prev
        if all:
            ps.append(p)
            qs.append(q)
    if conv is not None:
        if all:
            return [conv(x) for x in ps], [conv(x) for x in qs]
        return conv(p), conv(q)
    if all:
        return ps, qs
    return p, q


def pcf_convergents_mp(a, b, depth: int, dps: int | None = None, *, all: bool = False):  # noqa: A002
    """Convergents $p_n/q_n$ of $\\mathrm{PCF}(a, b)$ in mpmath floating point at ``dps`` digits.

    The state $(p_{n-1}, p_n, q_{n-1}, q_n)$ is divided by $q_n$ every step (a scale-free recurrence for the
    ratio), so nothing grows; terms may be ints or mpmath numbers.  Returns the value at ``N = depth``, or
    ``[p_0/q_0, ..., p_N/q_N]`` with ``all=True`` (``nan`` where $q_n = 0$).  ``dps`` defaults to the current
    precision, which is left unchanged.
    """
    depth = _check_depth(depth)
    dps = mpmath.mp.dps if dps is None else int(dps)
    if dps < 1:
        raise ValueError(f"dps must be positive, got {dps}")
    av = term_values(a, 0, depth + 1, "a")
    bv = [0] + term_values(b, 1, depth + 1, "b")
    with mpmath.workdps(dps):
        mpf = mpmath.mpf
        p_prev, p = mpf(1), mpf(av[0])
        q_prev, q = mpf(0), mpf(1)
        out = [p / q] if all else None
        for n in range(1, depth + 1):
            an, bn = av[n], bv[n]
            p_prev, p = p, an * p + bn * p_prev
            q_prev, q = q, an * q + bn * q_prev
            # Rescale by q_n: the four numbers only matter up to a common factor, and mpf exponents that grow
            # like n log n would otherwise slow every operation.
            s = q if q != 0 else (p if p != 0 else mpf(1))
            p_prev, p, q_prev, q = p_prev / s, p / s, q_prev / s, q / s
            if all:
                out.append(p / q if q != 0 else mpmath.nan)
        if all:
            return [+x for x in out]
        if q == 0:
            return mpmath.nan
        return +(p / q)


def pcf_value(a, b, depth: int, dps: int):
    """The $N$-th convergent ($N$ = ``depth``) computed exactly, then rounded once to ``dps`` digits."""
    p, q = pcf_convergents(a, b, depth)
    if q == 0:
        raise ValueError(f"q_{depth} = 0: the convergent is undefined")
    with mpmath.workdps(dps):
        return mpmath.mpf(p) / mpmath.mpf(q) if isinstance(p, int) else mpmath.mpf(Fraction(p) / Fraction(q))


# --------------------------------------------------------------------------------------------------------------
# Signed continued fractions
# --------------------------------------------------------------------------------------------------------------


def _check_signs(signs) -> tuple[int, ...]:
    try:
        signs = tuple(int(s) for s in signs)
    except (TypeError, ValueError):
        raise ValueError(f"signs must be a sequence of +1/-1, got {signs!r}") from None
    if not signs or any(s not in (1, -1) for s in signs):
        raise ValueError(f"signs must be a non-empty sequence of +1/-1, got {signs!r}")
    return signs


def sign_sequence(signs, length: int) -> list[int]:
    """The period ``signs`` repeated to ``length`` terms."""
    signs = _check_signs(signs)
    return [signs[i % len(signs)] for i in range(length)]


def _mpf_to_ratio(x) -> tuple[int, int]:
    """An mpf as an exact ratio ``(num, den)`` with ``den`` a positive power of two."""
    man, exp = x.man_exp
    man = int(man)
    exp = int(exp)
    if exp >= 0:
        return man << exp, 1
    return man, 1 << (-exp)


def signed_cf_expand(x, signs, depth: int, *, rel_err=None, strict: bool = True) -> list[int]:
    """The first ``depth`` partial denominators of the signed continued fraction of ``x``.

    $x = a_0 + s_0/(a_1 + s_1/(a_2 + \\dotsb))$, $s_i$ = ``signs[i % len(signs)]``; $a_i = \\lfloor x_i\\rfloor$
    for $s_i = +1$, $\\lceil x_i \\rceil$ for $s_i = -1$, $x_{i+1} = s_i/(x_i - a_i) > 1$.

    The expansion is rigorous: ``x`` (an mpmath number, taken at the current working precision) is treated as the
    interval $x(1 \\pm \\varepsilon)$ with $\\varepsilon$ = ``rel_err`` (default $2^{8-\\mathrm{prec}}$), both
    endpoints are expanded in exact rational arithmetic (a Euclid-like loop on integers), and a term is emitted
    only when both agree.  If the precision runs out (or $x$ is rational and the expansion terminates) before
    ``depth`` terms: ``ValueError`` when ``strict``, else the terms determined so far.
    """
    signs = _check_signs(signs)
    depth = _check_depth(depth)
    k = len(signs)
    prec = mpmath.mp.prec
    x = mpmath.mpf(x)
    if not mpmath.isfinite(x):
        raise ValueError(f"cannot expand a non-finite value {x}")
    num, den = _mpf_to_ratio(x)
    if rel_err is None:
        # |x| * 2^(8 - prec) covers the rounding of a value computed in a few correctly-rounded operations.
        shift = prec - 8
    else:
        rel_err = mpmath.mpf(rel_err)
        if not rel_err > 0:
            raise ValueError(f"rel_err must be positive, got {rel_err}")
        shift = max(1, int(-mpmath.log(rel_err, 2)))
    # Put both endpoints over the common denominator den * 2^shift: x*(1 -+ 2^-shift).
    scale = 1 << shift
    centre = num * scale
    radius = abs(num) + 1
    lo = (centre - radius, den * scale)
    hi = (centre + radius, den * scale)
    out: list[int] = []
    for i in range(depth):
        s = signs[i % k]
        # floor (s = +1) or ceil (s = -1) of both endpoints; divmod inline (this loop is ESMA's hot spot)
        if s > 0:
            a_lo, r_lo = divmod(lo[0], lo[1])  # r = numerator of x_i - a_i over the same (positive) denominator
            a_hi, r_hi = divmod(hi[0], hi[1])
        else:
            a_lo, r_lo = divmod(-lo[0], lo[1])
            a_hi, r_hi = divmod(-hi[0], hi[1])
            a_lo, r_lo, a_hi, r_hi = -a_lo, -r_lo, -a_hi, -r_hi
        if a_lo != a_hi or r_lo == 0 or r_hi == 0:
            if strict:
                raise ValueError(
                    f"insufficient precision: only {i} of {depth} partial denominators are determined at "
                    f"{mpmath.mp.dps} digits (raise the precision, or the value is rational)"
                )
            return out
        out.append(int(a_lo))
        # x_{i+1} = s / (x_i - a_i) = s * den / r ; keep the denominator positive.
        lo = (s * lo[1], r_lo) if r_lo > 0 else (-s * lo[1], -r_lo)
        hi = (s * hi[1], r_hi) if r_hi > 0 else (-s * hi[1], -r_hi)
    return out


def signed_cf_convergents(partial_denominators: Sequence[int], signs, *, all: bool = False):  # noqa: A002
    """Exact convergents of the signed continued fraction ``a_0 + s_0/(a_1 + s_1/(...))``.

    It is $\\mathrm{PCF}(a, b)$ with $b_n = s_{n-1}$; uses all given partial denominators.
    """
    a = list(partial_denominators)
    if not a:
        raise ValueError("no partial denominators")
    signs = _check_signs(signs)
    b = [0] + [signs[(n - 1) % len(signs)] for n in range(1, len(a))]
    return pcf_convergents(a, b, len(a) - 1, all=all)


def signed_cf_value(partial_denominators: Sequence[int], signs, dps: int):
    """The value of the (finite) signed continued fraction, computed exactly and rounded once to ``dps`` digits."""
    p, q = signed_cf_convergents(partial_denominators, signs)
    if q == 0:
        raise ValueError("the signed continued fraction has q_N = 0")
    with mpmath.workdps(dps):
        return mpmath.mpf(p) / mpmath.mpf(q)


# --------------------------------------------------------------------------------------------------------------
# Berlekamp–Massey
# --------------------------------------------------------------------------------------------------------------


@nb.njit(cache=True)
def _inv_mod(a, p):
    # Extended Euclid; p is prime and 0 < a < p.
    t, new_t = 0, 1
    r, new_r = p, a
    while new_r != 0:
        qt = r // new_r
        t, new_t = new_t, t - qt * new_t
        r, new_r = new_r, r - qt * new_r
    if t < 0:
        t += p
    return t


@nb.njit(cache=True)
def _bm_mod_kernel(s, p):
    # Berlekamp–Massey over GF(p).  Invariant: deg C <= L.  Products stay below p^2 < 2^62 (p < 2^31).
    n = s.shape[0]
    C = np.zeros(n + 1, np.int64)
    B = np.zeros(n + 1, np.int64)
    T = np.zeros(n + 1, np.int64)
    C[0] = 1
    B[0] = 1
    L = 0
    m = 1
    b = 1
    deg_b = 0
    for i in range(n):
        d = s[i]
        for j in range(1, L + 1):
            d = (d + C[j] * s[i - j]) % p
        if d == 0:
            m += 1
            continue
        coef = (d * _inv_mod(b, p)) % p
        if 2 * L <= i:
            for j in range(n + 1):
                T[j] = C[j]
            for j in range(deg_b + 1):
                if j + m <= n:
                    C[j + m] = (C[j + m] - coef * B[j]) % p
            deg_b = L
            L = i + 1 - L
            for j in range(n + 1):
                B[j] = T[j]
            b = d
            m = 1
        else:
            for j in range(deg_b + 1):
                if j + m <= n:
                    C[j + m] = (C[j + m] - coef * B[j]) % p
            m += 1
    return C[: L + 1].copy(), L


def _is_prime(p: int) -> bool:
    if p < 2:
        return False
    if p % 2 == 0:
        return p == 2
    f = 3
    while f * f <= p:
        if p % f == 0:
            return False
        f += 2
    return True


def berlekamp_massey_mod(seq: Sequence[int], p: int) -> tuple[list[int], int]:
    """Berlekamp–Massey over $\\mathrm{GF}(p)$ ($p$ prime, $< 2^{31}$).

    Returns ``(C, L)``: the connection polynomial ``C = [1, c_1, ..., c_L]`` (residues in ``[0, p)``) and the
    register length ``L`` (the linear complexity), so that $\\sum_{j=0}^{L} c_j s_{n-j} \\equiv 0 \\pmod p$ for
    all $L \\le n <$ ``len(seq)``.  ``seq`` may hold Python ints of any size.
    """
    p = int(p)
    if not (2 <= p < 2**31) or not _is_prime(p):
        raise ValueError(f"p must be a prime below 2**31, got {p}")
    s = np.array([int(x) % p for x in seq], dtype=np.int64)
    C, L = _bm_mod_kernel(s, np.int64(p))
    return [int(c) for c in C], int(L)


def berlekamp_massey_rational(seq: Sequence) -> tuple[list[Fraction], int]:
    """Berlekamp–Massey over $\\mathbb{Q}$ (exact ``Fraction`` arithmetic).

    Returns ``(C, L)`` with ``C = [1, c_1, ..., c_L]`` (Fractions) and the register length ``L``:
    $\\sum_{j=0}^{L} c_j s_{n-j} = 0$ for $L \\le n <$ ``len(seq)``.
    """
    s = [Fraction(x) for x in seq]
    n = len(s)
    C = [Fraction(1)] + [Fraction(0)] * n
    B = [Fraction(1)] + [Fraction(0)] * n
    L, m, b = 0, 1, Fraction(1)
    for i in range(n):
        d = s[i]
        for j in range(1, L + 1):
            if C[j]:
                d += C[j] * s[i - j]
        if d == 0:
            m += 1
            continue
        coef = d / b
        T = C[:] if 2 * L <= i else None
        for j in range(0, n + 1 - m):
            if B[j]:
                C[j + m] -= coef * B[j]
        if T is not None:
            L, B, b, m = i + 1 - L, T, d, 1
        else:
            m += 1
    return C[: L + 1], L


def symmetric_residues(values: Sequence[int], p: int) -> list[int]:
    """Residues mod ``p`` lifted to the symmetric range $(-p/2, p/2]$ (how a small integer recurrence found
    mod ``p`` is read back over $\\mathbb{Z}$)."""
    half = p // 2
    out = []
    for v in values:
        r = int(v) % p
        out.append(r - p if r > half else r)
    return out


def recurrence_extend(connection: Sequence, initial: Sequence, n: int, *, modulus: int | None = None) -> list:
    """Regenerate ``n`` terms from the recurrence $\\sum_{j=0}^{L} c_j s_{k-j} = 0$ and the first ``L`` terms.

    ``connection = [c_0, c_1, ..., c_L]`` (ints, Fractions, or residues with ``modulus``); $c_0$ must be
    invertible (it is 1 from Berlekamp–Massey).  With integer ``c_0 = ±1`` and integer data the result is
    exact over $\\mathbb{Z}$.
    """
    c = list(connection)
    if not c:
        raise ValueError("empty connection polynomial")
    L = len(c) - 1
    if len(initial) < L:
        raise ValueError(f"a recurrence of length {L} needs {L} initial terms, got {len(initial)}")
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    out = list(initial[:n]) if n <= len(initial) else list(initial)
    if modulus is not None:
        m = int(modulus)
        c = [int(x) % m for x in c]
        if math.gcd(c[0], m) != 1:
            raise ValueError("c_0 is not invertible modulo the modulus")
        inv0 = pow(c[0], -1, m)
        out = [int(x) % m for x in out]
        while len(out) < n:
            k = len(out)
            acc = sum(c[j] * out[k - j] for j in range(1, L + 1)) % m
            out.append((-acc * inv0) % m)
        return out
    c0 = c[0]
    if c0 == 0:
        raise ValueError("c_0 must be non-zero")
    unit = c0 in (1, -1) and all(isinstance(x, int) for x in c)
    while len(out) < n:
        k = len(out)
        acc = 0
        for j in range(1, L + 1):
            cj = c[j]
            if cj:
                acc += cj * out[k - j]
        if unit:
            out.append(-acc if c0 == 1 else acc)
        else:
            out.append(-Fraction(acc) / Fraction(c0))
    return out


def _solve_vandermonde(xs: Sequence[int], ys: Sequence) -> list[Fraction]:
    """Exact coefficients (highest degree first) of the polynomial through the points (xs, ys)."""
    d = len(xs) - 1
    rows = [[Fraction(x) ** (d - j) for j in range(d + 1)] + [Fraction(y)] for x, y in zip(xs, ys)]
    for col in range(d + 1):
        piv = next(r for r in range(col, d + 1) if rows[r][col] != 0)
        rows[col], rows[piv] = rows[piv], rows[col]
        pv = rows[col][col]
        rows[col] = [v / pv for v in rows[col]]
        for r in range(d + 1):
            if r != col and rows[r][col] != 0:
                f = rows[r][col]
                rows[r] = [v - f * w for v, w in zip(rows[r], rows[col])]
    return [rows[i][d + 1] for i in range(d + 1)]


def interlaced_polynomial_pattern(seq: Sequence, max_period: int = 12, max_degree: int = 6,
                                  min_extra: int = 3) -> dict | None:
    """Describe ``seq`` as interlaced polynomials: $s_n = P_{n \\bmod k}(n)$ for all $n \\ge n_0$.

    Searches periods $k = 1..$``max_period`` (smallest first) and, per residue class, the smallest degree
    $\\le$ ``max_degree`` whose $(d+1)$-th finite differences vanish on the tail; every class must have at least
    ``min_extra`` more points than its polynomial needs, so a fit is never trivial.  Returns
    ``{"period": k, "start": n0, "polynomials": [[Fraction, ...] highest degree first, ...],
    "text": ["n + 1", ...]}`` or ``None``.
    """
    # Integer data stay Python ints (exact and much faster than Fractions); rationals become Fractions.
    s = [x if isinstance(x, int) else Fraction(x) for x in seq]
    n = len(s)
    for k in range(1, max_period + 1):
        polys, starts, ok = [], [], True
        for r in range(k):
            vals = s[r::k]
            found = None
            diff = vals
            for d in range(0, max_degree + 1):
                diff = [diff[j + 1] - diff[j] for j in range(len(diff) - 1)]  # order d + 1
                last_nz = len(diff) - 1
                while last_nz >= 0 and diff[last_nz] == 0:
                    last_nz -= 1
                j0 = last_nz + 1  # points j0, j0+1, ... lie on one polynomial of degree d
                if len(vals) - j0 >= d + 1 + min_extra:
                    found = (d, j0)
                    break
            if found is None:
                ok = False
                break
            d, j0 = found
            xs = [r + (j0 + t) * k for t in range(d + 1)]
            ys = [vals[j0 + t] for t in range(d + 1)]
            polys.append(_solve_vandermonde(xs, ys))
            starts.append(r + (j0 - 1) * k + 1 if j0 > 0 else 0)
        if ok:
            start = max(starts) if starts else 0
            if start > n // 2:
                continue
            return {
                "period": k,
                "start": start,
                "polynomials": polys,
                "text": [_poly_text(pc, "n") for pc in polys],
            }
    return None


# --------------------------------------------------------------------------------------------------------------
# Irrationality measure and convergence rate
# --------------------------------------------------------------------------------------------------------------


def _log_abs_int(v: int):
    """$\\log|v|$ for a (possibly huge) nonzero int, as an mpf at the current precision."""
    v = abs(int(v))
    bits = v.bit_length()
    if bits <= 900:
        return mpmath.log(mpmath.mpf(v))
    shift = bits - 900
    return mpmath.log(mpmath.mpf(v >> shift)) + shift * mpmath.log(2)


def _target_digits(L) -> float | None:
    """Decimal digits an mpf carries (its mantissa length); ``None`` for callables."""
    if isinstance(L, float):
        return 53 * _LOG10_2
    if not isinstance(L, mpmath.mpf) or L == 0:
        return None  # callables, ints, Fractions: exact or evaluated at whatever precision is asked
    # the mantissa as stored: converting with mpf() would round it to the current working precision
    return int(L.man_exp[0]).bit_length() * _LOG10_2


def _value_at(L, dps: int):
    if callable(L):
        with mpmath.workdps(dps):
            return mpmath.mpf(L(dps))
    with mpmath.workdps(dps):
        return mpmath.mpf(L)


def irrationality_measure(p: int, q: int, L, *, L_digits: float | None = None):
    """$\\delta = -1 - \\log|L - p/q| / \\log \\tilde q$ with $\\tilde q = |q|/\\gcd(p, q)$.

    ``p``, ``q``: exact ints (a convergent).  ``L``: the limit, as an mpmath number carrying more digits than the
    convergent's error needs, or a callable ``dps -> value``, or an exact ``Fraction`` (blind $\\delta$).
    Raises ``ValueError`` when ``L`` is not known to enough digits to resolve $|L - p/q|$.
    Returns an mpf at 30 digits.
    """
    p, q = int(p), int(q)
    if q == 0:
        raise ValueError("q = 0: the convergent is undefined")
    g = math.gcd(p, q)
    qt = abs(q) // g
    if qt <= 1:
        raise ValueError("reduced denominator is 1: delta is undefined")
    with mpmath.workdps(30):
        log_qt = _log_abs_int(qt)
        if isinstance(L, Fraction):
            num = L.numerator * q - p * L.denominator
            if num == 0:
                raise ValueError("p/q equals L exactly")
            log_err = _log_abs_int(num) - _log_abs_int(q) - _log_abs_int(L.denominator)
            return +(-1 - log_err / log_qt)
    # |L - p/q| is about q^-(1+delta) ~ q^-2: resolve it with 2*log10(q) + 30 digits.
    need = int(2 * log_qt / math.log(10) + 30) if qt > 1 else 30
    have = L_digits if L_digits is not None else _target_digits(L)
    with mpmath.workdps(need):
        Lv = _value_at(L, need)
        err = abs(Lv - mpmath.mpf(p) / mpmath.mpf(q))
        tiny = mpmath.mpf(10) ** (-(need - 10))
        if have is not None:
            tiny = max(tiny, abs(Lv) * mpmath.mpf(10) ** (-(have - 3)))
        if err <= tiny:
            raise ValueError(
                f"the limit is not known to enough digits: |L - p/q| ~ {mpmath.nstr(err, 3)} is below its "
                f"precision (pass L as a callable dps -> value, or with more digits)"
            )
        log_err = mpmath.log(err)
    with mpmath.workdps(30):
        return +(-1 - log_err / log_qt)


def pcf_delta(a, b, depth: int, L=None, *, at: int | None = None):
    """$\\delta$ of $\\mathrm{PCF}(a, b)$.

    With a known limit ``L`` (mpmath number with enough digits, or callable ``dps -> value``): $\\delta$ of the
    convergent at ``at`` (default ``depth``).  Blind (``L=None``): $L = p_N/q_N$ exactly at $N$ = ``depth`` and
    $\\delta$ at ``at`` (default $N/2$), as in the Blind-δ algorithm.
    """
    depth = _check_depth(depth)
    if L is None:
        at = depth // 2 if at is None else int(at)
        if not 1 <= at < depth:
            raise ValueError(f"blind delta needs 1 <= at < depth, got at={at}, depth={depth}")
        ps, qs = pcf_convergents(a, b, depth, all=True)
        if qs[depth] == 0:
            raise ValueError(f"q_{depth} = 0")
        return irrationality_measure(ps[at], qs[at], Fraction(ps[depth], qs[depth]))
    at = depth if at is None else int(at)
    if not 1 <= at <= depth:
        raise ValueError(f"need 1 <= at <= depth, got at={at}, depth={depth}")
    p, q = pcf_convergents(a, b, at)
    return irrationality_measure(p, q, L)


def delta_curve(a, b, depths: Sequence[int], L=None, *, blind_depth: int | None = None) -> list:
    """$\\delta_n$ at each ``n`` in ``depths`` (for a $\\delta$ plot): against ``L`` if given, else blind against
    $p_N/q_N$ with $N$ = ``blind_depth`` (default ``2 * max(depths)``)."""
    depths = [int(n) for n in depths]
    if not depths or min(depths) < 1:
        raise ValueError("depths must be positive integers")
    top = max(depths)
    if L is None:
        N = 2 * top if blind_depth is None else int(blind_depth)
        if N <= top:
            raise ValueError("blind_depth must exceed every depth")
        ps, qs = pcf_convergents(a, b, N, all=True)
        Lf = Fraction(ps[N], qs[N])
        return [irrationality_measure(ps[n], qs[n], Lf) for n in depths]
    ps, qs = pcf_convergents(a, b, top, all=True)
    return [irrationality_measure(ps[n], qs[n], L) for n in depths]


def convergence_rate(a, b, L=None, *, depth: int = 200, start: int | None = None) -> dict[str, Any]:
    """Fit $\\log_{10}|p_n/q_n - L| \\approx c_0 + c_1 n + c_2 n \\log n$ over $n \\in [$start, depth$]$.

    ``L``: known limit (mpmath number or callable ``dps -> value``) or ``None`` (blind: $L = p_{2N}/q_{2N}$).
    Returns ``{"c0", "c1", "c2", "rms", "digits_per_term", "linear_slope"}``: ``c1``/``c2`` from the
    two-term fit, ``linear_slope`` from the fit against $n$ alone, ``digits_per_term`` the average over the
    second half ($-\\Delta\\log_{10}|{\\rm err}|/\\Delta n$).  Exponential convergence shows as ``c2 ≈ 0``,
    factorial-like convergence as ``c2 < 0``; sub-exponential convergence as a small ``digits_per_term``.
    """
    depth = _check_depth(depth)
    if depth < 8:
        raise ValueError("convergence_rate needs depth >= 8")
    start = max(1, depth // 4) if start is None else int(start)
    if not 1 <= start < depth - 4:
        raise ValueError(f"need 1 <= start < depth - 4, got start={start}")
    if L is None:
        N = 2 * depth
        ps, qs = pcf_convergents(a, b, N, all=True)
        Lf = Fraction(ps[N], qs[N])
        logs = []
        for n in range(start, depth + 1):
            if qs[n] == 0:
                logs.append(np.nan)
                continue
            num = abs(Lf.numerator * qs[n] - ps[n] * Lf.denominator)
            with mpmath.workdps(20):
                logs.append(float((_log_abs_int(num) - _log_abs_int(qs[n]) - _log_abs_int(Lf.denominator))
                                  / mpmath.log(10)) if num else np.nan)
    else:
        ps, qs = pcf_convergents(a, b, depth, all=True)
        qmax = max(abs(q) for q in qs[start:]) or 1
        need = int(2 * qmax.bit_length() * _LOG10_2 + 40)
        have = _target_digits(L)
        with mpmath.workdps(need):
            Lv = _value_at(L, need)
            # errors below what L itself resolves are not measurements: leave them out
            floor = mpmath.mpf(10) ** (-need + 10)
            if have is not None:
                floor = max(floor, abs(Lv) * mpmath.mpf(10) ** (-(have - 3)))
            logs = []
            for n in range(start, depth + 1):
                if qs[n] == 0:
                    logs.append(np.nan)
                    continue
                err = abs(Lv - mpmath.mpf(ps[n]) / mpmath.mpf(qs[n]))
                logs.append(float(mpmath.log10(err)) if err > floor else np.nan)
    ns = np.arange(start, depth + 1, dtype=float)
    y = np.array(logs, dtype=float)
    keep = np.isfinite(y)
    if keep.sum() < 5:
        raise ValueError("too few resolvable errors to fit a convergence rate (is L known to enough digits?)")
    ns, y = ns[keep], y[keep]
    A = np.column_stack([np.ones_like(ns), ns, ns * np.log(ns)])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    rms = float(np.sqrt(np.mean((A @ coef - y) ** 2)))
    lin, *_ = np.linalg.lstsq(A[:, :2], y, rcond=None)
    half = len(ns) // 2
    dpt = float(-(y[-1] - y[half]) / (ns[-1] - ns[half])) if ns[-1] > ns[half] else float("nan")
    return {
        "c0": float(coef[0]),
        "c1": float(coef[1]),
        "c2": float(coef[2]),
        "rms": rms,
        "linear_slope": float(lin[1]),
        "digits_per_term": dpt,
    }
