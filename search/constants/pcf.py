"""Polynomial continued-fraction (PCF) search, Ramanujan-Machine style.

For a target constant $c$ the engine looks for polynomials $a(n)$, $b(n)$ with integer coefficients such that

$$ \\frac{\\alpha + \\beta c}{\\gamma + \\epsilon c} = a(0) + \\cfrac{b(1)}{a(1) + \\cfrac{b(2)}{a(2) + \\dotsb}}
   = \\mathrm{PCF}(a, b), \\qquad |\\alpha|, |\\beta|, |\\gamma|, |\\epsilon| \\le L. $$

The method (ANCHORS §3, "MITM-RF"):

1. Enumerate $a$, $b$ over coefficient boxes (``"0..3,1..5"``: one ``lo..hi`` range or integer per coefficient,
   highest degree first).  Equivalent scalings are removed: $\\mathrm{PCF}(ka, k^2 b) = k\\,\\mathrm{PCF}(a, b)$,
   so the sign of $a$'s leading coefficient is fixed and common factors $k \\ge 2$ are dropped whenever the
   reduced pair is itself in the box.  Degenerate fractions ($a \\equiv 0$, $b \\equiv 0$) are skipped.
2. Evaluate the box in batches with the float64 Numba kernel (:func:`numerics._pcf_batch.pcf_limits`) at a
   scan depth and at half of it; the difference is the convergence estimate.
3. Look up every converged value in a table of the Möbius transforms of $c$ (the target itself is the entry
   $(0, 1, 1, 0)$), keyed on the leading digits.  Rational limits (a terminating fraction, or a value equal to
   $p/q$ with $q \\le 64$ to the scan precision) are flagged and never matched.  Fractions still moving at the scan
   depth (power-law or sub-exponential convergence) are matched through Aitken's extrapolation along the depths
   $q, 2q, 4q$ and must match again at eight times the depth.
4. Refine each hit with exact integer convergents at depth $N \\ge 1000$ and compare ``digits`` digits
   (fewer when the convergence rate shows the fraction cannot deliver them at that depth; such hits must still
   beat the float screen by a margin).  The irrationality measure $\\delta$ is measured blind, with
   $L = p_N/q_N$, at $N/4$ and $N/2$, and a convergence-rate fit (digits against $n$ and $n\\log n$) is stored.

Tasks are contiguous slices of the mixed-radix index space of the box, with deterministic keys, so a run can be
resumed.  This module knows nothing of the store or the CLI.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import mpmath
import numpy as np

from numerics._pcf_batch import STATUS_OK, STATUS_TERMINATED, pcf_limits
from numerics.recurrence import irrationality_measure
from search.base import Candidate, Task, task_key

__all__ = [
    "parse_spec",
    "PCFBox",
    "canonical_mask",
    "MoebiusTable",
    "exact_convergents",
    "refine_pcf",
    "eigenvalue_ratio",
    "poly_str",
    "pcf_latex",
    "moebius_lhs",
    "PCFSearch",
]

_RANGE = re.compile(r"^\s*([+-]?\d+)\s*\.\.\s*([+-]?\d+)\s*$")
_INT = re.compile(r"^\s*[+-]?\d+\s*$")

#: Largest |coefficient| accepted in a box: a(n), b(n) must stay exact in float64 at the scan depth.
MAX_ABS_COEFF = 10**6
#: Largest number of PCFs in one box (before the equivalence filter).
MAX_BOX = 10**10


# ---------------------------------------------------------------------------------------------------------------
# Boxes
# ---------------------------------------------------------------------------------------------------------------
def parse_spec(spec: str, name: str = "SPEC") -> list[tuple[int, int]]:
    """Parse a coefficient SPEC such as ``"0..3,1..5"`` or ``"0..2,-4..4,0"`` (highest degree first).

    Returns one inclusive ``(lo, hi)`` range per coefficient.  Raises ``ValueError`` for an empty or malformed
    SPEC, an inverted range (``3..1``) or a coefficient beyond ``±10**6``.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError(f"{name} is empty; expected a comma list like 0..3,1..5")
    out = []
    for k, part in enumerate(spec.split(",")):
        m = _RANGE.match(part)
        if m:
            lo, hi = int(m.group(1)), int(m.group(2))
            if lo > hi:
                raise ValueError(f"{name} range {part.strip()!r} is inverted (lo > hi)")
        elif _INT.match(part):
            lo = hi = int(part)
        else:
            raise ValueError(f"bad {name} item {part.strip()!r}: expected lo..hi or an integer")
        if max(abs(lo), abs(hi)) > MAX_ABS_COEFF:
            raise ValueError(f"{name} coefficient range {part.strip()!r} exceeds ±{MAX_ABS_COEFF}")
        out.append((lo, hi))
    return out


def _spec_str(ranges) -> str:
    return ",".join(str(lo) if lo == hi else f"{lo}..{hi}" for lo, hi in ranges)


class PCFBox:
    """The box of PCFs: one inclusive integer range per coefficient of $a$ and of $b$ (highest degree first).

    PCFs are numbered $0 \\le i <$ ``size`` in mixed radix, the last coefficient of $b$ varying fastest.
    """

    def __init__(self, a_ranges, b_ranges):
        self.a_ranges = [tuple(map(int, r)) for r in a_ranges]
        self.b_ranges = [tuple(map(int, r)) for r in b_ranges]
        if not self.a_ranges or not self.b_ranges:
            raise ValueError("empty coefficient box: a and b need at least one coefficient each")
        for lo, hi in self.a_ranges + self.b_ranges:
            if lo > hi:
                raise ValueError(f"inverted coefficient range {lo}..{hi}")
        self.ranges = self.a_ranges + self.b_ranges
        self.sizes = [hi - lo + 1 for lo, hi in self.ranges]
        self.size = math.prod(self.sizes)
        if self.size > MAX_BOX:
            raise ValueError(f"box of {self.size:.3g} PCFs is larger than the limit {MAX_BOX:.0e}")

    @classmethod
    def from_specs(cls, a_spec: str, b_spec: str) -> "PCFBox":
        return cls(parse_spec(a_spec, "--a-coeffs"), parse_spec(b_spec, "--b-coeffs"))

    @property
    def da(self) -> int:
        return len(self.a_ranges)

    @property
    def db(self) -> int:
        return len(self.b_ranges)

    def decode(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """Coefficient arrays ``(A, B)`` (int64, highest degree first) of the PCFs numbered ``start..stop-1``."""
        idx = np.arange(start, stop, dtype=np.int64)
        cols = [None] * len(self.ranges)
        for k in range(len(self.ranges) - 1, -1, -1):
            size = self.sizes[k]
            cols[k] = idx % size + self.ranges[k][0]
            idx = idx // size
        allc = np.stack(cols, axis=1) if cols else np.zeros((stop - start, 0), dtype=np.int64)
        return np.ascontiguousarray(allc[:, : self.da]), np.ascontiguousarray(allc[:, self.da:])

    def contains(self, A: np.ndarray, B: np.ndarray) -> np.ndarray:
        ok = np.ones(A.shape[0], dtype=bool)
        for k, (lo, hi) in enumerate(self.a_ranges):
            ok &= (A[:, k] >= lo) & (A[:, k] <= hi)
        for k, (lo, hi) in enumerate(self.b_ranges):
            ok &= (B[:, k] >= lo) & (B[:, k] <= hi)
        return ok


def _primes_upto(n: int) -> list[int]:
    if n < 2:
        return []
    sieve = np.ones(n + 1, dtype=bool)
    sieve[:2] = False
    for p in range(2, int(n**0.5) + 1):
        if sieve[p]:
            sieve[p * p :: p] = False
    return [int(p) for p in np.nonzero(sieve)[0]]


def canonical_mask(A: np.ndarray, B: np.ndarray, box: PCFBox) -> np.ndarray:
    """True for the PCFs kept after removing equivalent scalings and degenerate fractions.

    $\\mathrm{PCF}(ka, k^2 b) = k\\,\\mathrm{PCF}(a, b)$: with $k = -1$ we keep only a positive leading
    coefficient of $a$ (when the negated $a$ is in the box too), and for primes $k \\ge 2$ we drop $(a, b)$
    when $(a/k, b/k^2)$ is an integer pair inside the box.  $a \\equiv 0$ (no limit) and $b \\equiv 0$
    (the value $a(0)$) are dropped.
    """
    keep = np.any(A != 0, axis=1) & np.any(B != 0, axis=1)
    # leading nonzero coefficient of a
    first = np.argmax(A != 0, axis=1)
    lead = A[np.arange(A.shape[0]), first]
    neg = lead < 0
    if neg.any():
        keep &= ~(neg & box.contains(-A, B))
    # k | a and k^2 | b with b != 0 force k <= max|a| and k^2 <= max|b|
    amax = int(np.abs(A).max()) if A.size else 0
    bmax = int(np.abs(B).max()) if B.size else 0
    for k in _primes_upto(min(amax, math.isqrt(bmax))):
        div = np.all(A % k == 0, axis=1) & np.all(B % (k * k) == 0, axis=1)
        if div.any():
            keep &= ~(div & box.contains(A // k, B // (k * k)))
    return keep


# ---------------------------------------------------------------------------------------------------------------
# The Möbius table
# ---------------------------------------------------------------------------------------------------------------
class MoebiusTable:
    """All values $(\\alpha + \\beta c)/(\\gamma + \\epsilon c)$ with integer coefficients in $[-L, L]$.

    Tuples are reduced (gcd 1, first nonzero of $(\\gamma, \\epsilon)$ positive); degenerate ones
    ($\\alpha\\epsilon - \\beta\\gamma = 0$, a rational value) are dropped, and among tuples with the same value
    (which happens for quadratic irrationals, e.g. $\\varphi = 1/(\\varphi - 1)$) the simplest is kept.

    The table is keyed on the leading digits: the values are stored sorted, and a lookup of a batch of floats
    with relative tolerance ``tol`` is a vectorised binary search (equivalent to probing the hash buckets of the
    quantised key and its two neighbours, without the per-item Python cost).
    """

    def __init__(self, c, limit: int = 8):
        limit = int(limit)
        if limit < 1:
            raise ValueError(f"--lhs-coeff-limit must be >= 1, got {limit}")
        if limit > 40:
            raise ValueError(f"--lhs-coeff-limit {limit} is too large (at most 40: the table has (2L+1)^4 entries)")
        self.limit = limit
        self.c = float(c)
        r = np.arange(-limit, limit + 1, dtype=np.int64)
        al, be, ga, ep = (x.ravel() for x in np.meshgrid(r, r, r, r, indexing="ij"))
        ok = (ga != 0) | (ep != 0)
        ok &= al * ep - be * ga != 0
        # normalise: first nonzero of (gamma, epsilon) positive
        sgn = np.where(ga != 0, np.sign(ga), np.sign(ep))
        ok &= sgn > 0
        g = np.gcd(np.gcd(np.abs(al), np.abs(be)), np.gcd(np.abs(ga), np.abs(ep)))
        ok &= g == 1
        al, be, ga, ep = al[ok], be[ok], ga[ok], ep[ok]
        with np.errstate(divide="ignore", invalid="ignore"):
            val = (al + be * self.c) / (ga + ep * self.c)
        fin = np.isfinite(val)
        al, be, ga, ep, val = al[fin], be[fin], ga[fin], ep[fin], val[fin]
        cost = np.abs(al) + np.abs(be) + np.abs(ga) + np.abs(ep)
        order = np.lexsort((cost, val))
        val, coef, cost = val[order], np.stack([al, be, ga, ep], 1)[order], cost[order]
        # merge equal values (relative 1e-13), keeping the cheapest tuple of each run
        new = np.ones(val.shape[0], dtype=bool)
        new[1:] = np.abs(np.diff(val)) > 1e-13 * np.maximum(1.0, np.abs(val[1:]))
        run_id = np.cumsum(new) - 1
        best = np.full(run_id[-1] + 1, -1, dtype=np.int64)
        # first index of each run with minimal cost: iterate in reverse cost order
        by_cost = np.lexsort((-cost, run_id))
        best[run_id[by_cost]] = by_cost
        self.values = val[best]
        self.coeffs = coef[best]

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def lookup(self, x: np.ndarray, tol) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Matches of the values ``x`` within relative tolerance ``tol`` (scalar or per-value array).

        Returns ``(hit, lo, hi)``: ``hit`` indexes ``x``; table entries ``lo[j]:hi[j]`` match ``x[hit[j]]``.
        """
        x = np.asarray(x, dtype=np.float64)
        tol = np.broadcast_to(np.asarray(tol, dtype=np.float64), x.shape)
        w = tol * np.maximum(np.abs(x), 1e-2)
        lo = np.searchsorted(self.values, x - w, side="left")
        hi = np.searchsorted(self.values, x + w, side="right")
        hit = np.nonzero(hi > lo)[0]
        return hit, lo[hit], hi[hit]


#: Rows still moving by more than this (relative) between the two scan depths are not matched at all.
SLOW_WINDOW = 1e-3


def _aitken(A: np.ndarray, B: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Aitken's $\Delta^2$ on the convergents at $q$, $2q$, $4q \le$ ``depth`` ($q$ even, so that all three
    have the same parity: many PCFs approach their limit from alternating sides).

    Returns ``(extrapolated value, |correction| / max(1, |value|))``; nan where the error ratio is not in
    $(-0.9, 0.9)$ (no geometric pattern along the doubling depths, nothing to extrapolate).
    """
    q = 2 * max(1, depth // 8)
    r1 = pcf_limits(A, B, 4 * q, 2 * q)
    r2 = pcf_limits(A, B, q, q)
    x4, x2, x1 = r1.value, r1.check_value, r2.value
    with np.errstate(divide="ignore", invalid="ignore"):
        d1 = x2 - x1
        d2 = x4 - x2
        r = d2 / d1
        ok = (r1.status == STATUS_OK) & (r2.status == STATUS_OK) & np.isfinite(r) & (np.abs(r) < 0.9)
        step = d2 * r / (1.0 - r)
        ext = np.where(ok, x4 + step, np.nan)
        corr = np.where(ok, np.abs(step) / np.maximum(1.0, np.abs(x4)), np.nan)
    return ext, corr


def _rational_mask(x: np.ndarray, tol: float, qmax: int = 64) -> np.ndarray:
    """True where ``x`` equals p/q with q <= qmax to relative tolerance ``tol``."""
    out = np.zeros(x.shape, dtype=bool)
    for q in range(1, qmax + 1):
        r = x * q
        out |= np.abs(r - np.rint(r)) <= tol * np.maximum(1.0, np.abs(r))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Exact refinement, delta and rates
# ---------------------------------------------------------------------------------------------------------------
def _horner(coeffs, n: int) -> int:
    v = 0
    for c in coeffs:
        v = v * n + c
    return v


def exact_convergents(a_coeffs, b_coeffs, depths) -> dict[int, tuple[int, int]]:
    """Exact integer convergents ``{n: (p_n, q_n)}`` at the requested depths (coefficients highest first).

    Same recurrence as :func:`numerics.recurrence.pcf_convergents`, but it keeps only the requested depths
    (a refinement at depth 8192 would otherwise hold every $p_n$ of up to ~10^5 digits) and uses python-flint's
    ``fmpz`` when it is installed (about 3x faster than Python ints on numbers of this size).
    """
    want = sorted({int(d) for d in depths})
    if not want or want[0] < 0:
        raise ValueError("depths must be non-negative integers")
    a_c = [int(v) for v in a_coeffs]
    b_c = [int(v) for v in b_coeffs]
    try:
        from flint import fmpz as big
    except ImportError:  # python-flint is optional
        big = int
    p0, p1, q0, q1 = big(1), big(_horner(a_c, 0)), big(0), big(1)
    out = {}
    wi = 0
    if want[0] == 0:
        out[0] = (int(p1), int(q1))
        wi = 1
    for n in range(1, want[-1] + 1):
        an = big(_horner(a_c, n))
        bn = big(_horner(b_c, n))
        p0, p1 = p1, an * p1 + bn * p0
        q0, q1 = q1, an * q1 + bn * q0
        if wi < len(want) and n == want[wi]:
            out[n] = (int(p1), int(q1))
            wi += 1
    return out


def _log10_abs_frac(num: int, den: int) -> float:
    """log10 |num/den| for big integers (num != 0)."""
    return (math.log(abs(num)) - math.log(abs(den))) / math.log(10.0)


def eigenvalue_ratio(a_coeffs, b_coeffs) -> float:
    """$|\\lambda_-/\\lambda_+|$ of the recurrence's characteristic equation at large $n$.

    With $d = \\max(\\deg a, \\lceil\\deg b/2\\rceil)$, let $\\alpha$ be the coefficient of $n^d$ in $a$ and $\\beta$
    that of $n^{2d}$ in $b$; the normalised recurrence tends to $x^2 = \\alpha x + \\beta$.  Ratio 0 means
    super-exponential convergence ($\\deg b < 2\\deg a$); ratio 1 (equal moduli) means sub-exponential convergence
    or none.
    """
    a = [int(v) for v in a_coeffs]
    b = [int(v) for v in b_coeffs]
    while len(a) > 1 and a[0] == 0:
        a = a[1:]
    while len(b) > 1 and b[0] == 0:
        b = b[1:]
    deg_a = len(a) - 1 if any(a) else -1
    deg_b = len(b) - 1 if any(b) else -1
    d = max(deg_a, (deg_b + 1) // 2, 0)
    alpha = a[0] if deg_a == d else 0
    beta = b[0] if deg_b == 2 * d else 0
    disc = alpha * alpha + 4 * beta
    if disc >= 0:
        r1 = abs(alpha + math.sqrt(disc)) / 2
        r2 = abs(alpha - math.sqrt(disc)) / 2
    else:
        r1 = r2 = math.sqrt(-beta)
    big, small = max(r1, r2), min(r1, r2)
    return 1.0 if big == 0 else small / big


def refine_pcf(a_coeffs, b_coeffs, depth: int, n_samples: int = 10) -> dict:
    """Exact convergents up to ``depth`` $= N$ and the convergence metrics used to judge a hit.

    Returns ``p``, ``q`` (exact $p_N$, $q_N$), ``delta`` ($\\delta$ at $N/4$ and $N/2$, blind: $L = p_N/q_N$),
    ``digits_curve`` ($-\\log_{10}$ of the relative error at sample depths against $L$), the rate fit
    ``{"n", "nlogn", "const"}`` (digits $\\approx c_1 n + c_2 n\\ln n + c_0$), ``rate`` (digits gained per term
    over the second half) and ``predicted_digits`` (the digits $p_N/q_N$ carries, extrapolated).
    """
    N = int(depth)
    if N < 8:
        raise ValueError(f"refinement depth must be >= 8, got {N}")
    samples = sorted({max(1, int(round(N * t))) for t in np.linspace(1 / 16, 1 / 2, n_samples)}
                     | {N // 4, N // 2})
    conv = exact_convergents(a_coeffs, b_coeffs, samples + [N])
    pN, qN = conv[N]
    out = {"p": pN, "q": qN, "depth": N}
    if qN == 0:
        out.update(ok=False, reason="q_N = 0")
        return out
    curve = []
    for n in samples:
        p, q = conv[n]
        if q == 0:
            continue
        num = pN * q - p * qN  # L - p/q = num / (qN q)
        if num == 0:
            curve.append((n, math.inf))
            continue
        if pN == 0:
            d = -_log10_abs_frac(num, qN * q)
        else:
            d = -(_log10_abs_frac(num, qN * q) - _log10_abs_frac(pN, qN))
        curve.append((n, d))
    out["ok"] = True
    out["digits_curve"] = curve
    # delta, blind: |L - p/q| = q~^-(1+delta), q~ = q / gcd(p, q)
    deltas = []
    L_blind = Fraction(pN, qN)
    for n in (N // 4, N // 2):
        p, q = conv[n]
        try:
            deltas.append(float(irrationality_measure(p, q, L_blind)))
        except ValueError:  # q = 0, reduced denominator 1, or p/q = L exactly: delta undefined
            deltas.append(None)
    out["delta"] = deltas
    out["delta_depths"] = [N // 4, N // 2]
    fin = [(n, d) for n, d in curve if math.isfinite(d)]
    if len(fin) >= 3:
        ns = np.array([n for n, _ in fin], dtype=float)
        ds = np.array([d for _, d in fin])
        M = np.stack([ns, ns * np.log(ns), np.ones_like(ns)], 1)
        coef, *_ = np.linalg.lstsq(M, ds, rcond=None)
        out["fit"] = {"n": float(coef[0]), "nlogn": float(coef[1]), "const": float(coef[2])}
    else:
        out["fit"] = None
    d = dict(curve)
    d4, d2 = d.get(N // 4, math.nan), d.get(N // 2, math.nan)
    if math.isinf(d2) or math.isinf(d4):
        out["rate"] = math.inf
        out["predicted_digits"] = math.inf
    else:
        out["rate"] = (d2 - d4) / max(1, N // 2 - N // 4)
        # linear extrapolation from N/4, N/2 to N: exact for algebraic (k log n) decay, conservative for
        # geometric (it predicts 3/4 of the true digits) and for super-exponential decay
        out["predicted_digits"] = float(max(d2, 2 * d2 - d4))
    return out


def _mp_value(p: int, q: int, dps: int):
    with mpmath.workdps(dps):
        return mpmath.mpf(p) / mpmath.mpf(q)


# ---------------------------------------------------------------------------------------------------------------
# Strings: SymPy, LaTeX
# ---------------------------------------------------------------------------------------------------------------
def poly_str(coeffs) -> str:
    """SymPy string of the polynomial in ``n`` with these integer coefficients (highest degree first)."""
    import sympy

    n = sympy.Symbol("n")
    expr = sum((int(c) * n**k for k, c in enumerate(reversed(list(coeffs)))), sympy.Integer(0))
    return str(sympy.factor(expr)) if _is_nice_factor(expr) else str(sympy.expand(expr))


def _is_nice_factor(expr) -> bool:
    """Prefer the factored form when it is a pure power/product of linear factors, e.g. ``(2*n - 1)**2``."""
    import sympy

    f = sympy.factor(expr)
    return f != sympy.expand(expr) and len(str(f)) < len(str(sympy.expand(expr)))


def _atom_re():
    return re.compile(r"^[A-Za-z_][A-Za-z_0-9]*(\([^()]*\))?$|^\d+$")


def moebius_lhs(target_expr: str, coeffs) -> str:
    """The SymPy string of $(\\alpha + \\beta c)/(\\gamma + \\epsilon c)$ with ``c`` the target expression."""
    import sympy

    al, be, ga, ep = (int(v) for v in coeffs)
    x = sympy.Symbol("__C__")
    expr = sympy.factor(sympy.cancel((al + be * x) / (ga + ep * x)))
    s = str(expr)
    rep = target_expr if _atom_re().match(target_expr.strip()) else f"({target_expr})"
    return s.replace("__C__", rep)


def pcf_latex(a_coeffs, b_coeffs, lhs_latex: str | None = None, terms: int = 3) -> str:
    """LaTeX of the continued fraction, ``lhs = a(0) + \\cfrac{b(1)}{a(1) + ...}``, with $K_{n\\ge1}$ form."""
    import sympy

    n = sympy.Symbol("n")
    a_expr = sympy.sympify(poly_str(a_coeffs), locals={"n": n})
    b_expr = sympy.sympify(poly_str(b_coeffs), locals={"n": n})
    av = [_horner([int(c) for c in a_coeffs], k) for k in range(terms + 1)]
    bv = [_horner([int(c) for c in b_coeffs], k) for k in range(terms + 1)]

    body = r"\dotsb"
    for k in range(terms, 0, -1):
        body = rf"\cfrac{{{bv[k]}}}{{{av[k]} + {body}}}"
    body = rf"{av[0]} + {body}"
    general = rf"\quad \left(a_n = {sympy.latex(a_expr)},\ b_n = {sympy.latex(b_expr)}\right)"
    return (f"{lhs_latex} = " if lhs_latex else "") + body + general


def _node_count(*exprs: str) -> int:
    import sympy

    total = 0
    for s in exprs:
        try:
            names = {t: sympy.Symbol(t) for t in re.findall(r"[A-Za-z_][A-Za-z_0-9]*", s)}
            e = sympy.sympify(s, locals=names)
            total += sum(1 for _ in sympy.preorder_traversal(e))
        except Exception:  # noqa: BLE001
            total += len(s)
    return total


# ---------------------------------------------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------------------------------------------
#: Möbius tables already built in this process (a Dask worker runs many tasks of one engine).
_TABLES: dict = {}


class PCFSearch:
    """PCF search engine (see the module docstring).

    Parameters
    ----------
    target:
        The name or expression of the constant, used in ``lhs`` strings (``"pi"``, ``"tan(1)"``).
    value:
        The constant's value: an ``mpmath.mpf`` or a decimal string with at least ``digits + 10`` digits.
    a_spec, b_spec:
        Coefficient SPECs, highest degree first (``"0..3,1..5"``).
    depth:
        Refinement depth $N \\ge 1000$ (exact integer convergents); $\\delta$ is measured at $N/4$ and $N/2$.
    digits:
        Digits that must agree at refinement (fewer for slowly converging fractions; see ``refine_pcf``).
    scan_depth:
        Depth of the float64 screen (the check depth is half of it).
    lhs_coeff_limit:
        $L$, the bound on the Möbius coefficients.
    match_digits:
        Leading digits that must agree in the screen.
    slow_match_digits:
        Looser screen for fractions still moving at the scan depth (their window is ten times their change,
        but never wider than this many digits).
    chunk:
        PCFs per task (default: about 1/32 of the box, between 5 000 and 500 000).
    max_refine_depth:
        Slowly converging hits are re-refined at 4N, 16N, ... up to this depth.
    keep_rational:
        Also return the PCFs whose limit is rational (as ``lhs = p/q`` candidates, ``meta["rational"] = True``).
    """

    name = "pcf"

    def __init__(self, target: str, value, a_spec: str, b_spec: str, depth: int = 2000, digits: int = 100,
                 scan_depth: int = 100, lhs_coeff_limit: int = 8, match_digits: int = 10,
                 slow_match_digits: int = 7, chunk: int | None = None, max_refine_depth: int = 8192,
                 keep_rational: bool = False, batch: int = 8192):
        self.target = str(target).strip()
        if not self.target:
            raise ValueError("target expression is empty")
        self.a_spec, self.b_spec = str(a_spec), str(b_spec)
        self.box = PCFBox.from_specs(self.a_spec, self.b_spec)
        self.depth = int(depth)
        self.digits = int(digits)
        self.scan_depth = int(scan_depth)
        self.lhs_coeff_limit = int(lhs_coeff_limit)
        self.match_digits = int(match_digits)
        self.slow_match_digits = int(slow_match_digits)
        self.max_refine_depth = int(max_refine_depth)
        self.keep_rational = bool(keep_rational)
        self.batch = int(batch)
        if self.scan_depth < 4:
            raise ValueError(f"scan depth must be >= 4, got {self.scan_depth}")
        if not 4 <= self.match_digits <= 13:
            raise ValueError(f"match digits must lie in 4..13, got {self.match_digits}")
        # float64 carries ~16 digits; the kernel loses about log10(depth) of them to rounding
        if self.match_digits + math.log10(self.scan_depth) > 15.5:
            raise ValueError(f"too little precision for the depth: float64 cannot resolve {self.match_digits} "
                             f"digits at scan depth {self.scan_depth}; lower the scan depth")
        if self.depth < 1000:
            raise ValueError(f"--depth must be >= 1000 (hits are refined with exact convergents), got {self.depth}")
        if self.depth < self.scan_depth:
            raise ValueError(f"--depth {self.depth} is below the scan depth {self.scan_depth}")
        if self.digits < self.match_digits + 5:
            raise ValueError(f"--digits {self.digits} is too little precision to confirm a hit: need at least "
                             f"{self.match_digits + 5} (the float screen alone matches {self.match_digits})")
        if not 1 <= self.lhs_coeff_limit <= 40:
            raise ValueError(f"--lhs-coeff-limit must lie in 1..40, got {self.lhs_coeff_limit}")
        if self.max_refine_depth < self.depth:
            self.max_refine_depth = self.depth
        if isinstance(value, str):
            ndig = len(re.sub(r"[^0-9]", "", value.split("e")[0].split("E")[0]).lstrip("0"))
            if ndig < self.digits + 10:
                raise ValueError(f"too little precision: the target value carries {ndig} digits, "
                                 f"need {self.digits + 10} for --digits {self.digits}")
            try:
                with mpmath.workdps(ndig + 10):
                    value = mpmath.mpf(value)
            except (ValueError, TypeError):
                raise ValueError(f"cannot read the target value {value[:40]!r}") from None
        elif hasattr(value, "func") and hasattr(value, "_mpf_"):  # mpmath.pi etc.: evaluate at our precision
            with mpmath.workdps(self.digits + 20):
                value = +value
        if isinstance(value, (float, int)):
            raise ValueError("too little precision: give the target value as an mpmath.mpf or a decimal string, "
                             "not a Python number")
        if not isinstance(value, mpmath.mpf):
            raise ValueError("value must be an mpmath.mpf or a decimal string")
        if not mpmath.isfinite(value) or value == 0:
            raise ValueError(f"target value of {self.target} must be finite and nonzero")
        carried = value._mpf_[3] * math.log10(2)  # mantissa bits actually stored
        if carried < self.digits + 5:
            raise ValueError(f"too little precision: the target value carries about {carried:.0f} digits, need "
                             f"{self.digits + 10} for --digits {self.digits} (compute it at a higher mp.dps)")
        with mpmath.workdps(self.digits + 20):
            self._value_str = mpmath.nstr(value, self.digits + 15, strip_zeros=False)
        self.chunk = int(chunk) if chunk else int(min(500_000, max(5_000, -(-self.box.size // 32))))
        if self.chunk < 1:
            raise ValueError(f"chunk must be >= 1, got {self.chunk}")
        self._table = None

    # -- pickling: the table is rebuilt lazily on each worker ----------------------------------------------
    def __getstate__(self):
        state = dict(self.__dict__)
        state["_table"] = None
        return state

    def params(self) -> dict:
        """The configuration as a JSON dict (enough to rebuild the engine given the value)."""
        return {"target": self.target, "a_coeffs": _spec_str(self.box.a_ranges),
                "b_coeffs": _spec_str(self.box.b_ranges), "depth": self.depth, "digits": self.digits,
                "scan_depth": self.scan_depth, "lhs_coeff_limit": self.lhs_coeff_limit,
                "match_digits": self.match_digits, "slow_match_digits": self.slow_match_digits,
                "chunk": self.chunk, "max_refine_depth": self.max_refine_depth,
                "keep_rational": self.keep_rational}

    @property
    def value(self):
        with mpmath.workdps(self.digits + 20):
            return mpmath.mpf(self._value_str)

    def table(self) -> MoebiusTable:
        if self._table is None:
            key = (self._value_str[:40], self.lhs_coeff_limit)
            table = _TABLES.get(key)
            if table is None:
                with mpmath.workdps(30):
                    table = MoebiusTable(mpmath.mpf(self._value_str), self.lhs_coeff_limit)
                if len(_TABLES) > 8:
                    _TABLES.clear()
                _TABLES[key] = table
            self._table = table
        return self._table

    # -- engine contract ---------------------------------------------------------------------------------------
    def tasks(self) -> list[Task]:
        out = []
        for start in range(0, self.box.size, self.chunk):
            stop = min(self.box.size, start + self.chunk)
            payload = {"start": start, "stop": stop, **self.params()}
            out.append(Task(key=task_key(self.name, payload), engine=self.name, payload=payload))
        return out

    def run_task(self, task: Task) -> list[Candidate]:
        start, stop = int(task.payload["start"]), int(task.payload["stop"])
        return self.scan(start, stop)

    # -- the work ------------------------------------------------------------------------------------------
    def screen(self, start: int, stop: int):
        """Float screen of PCFs ``start..stop-1``: returns ``(A, B, result, hits, rational)``.

        ``hits`` is a list of ``(row, table_indices)`` for rows whose value matches the Möbius table.
        """
        table = self.table()
        A, B = self.box.decode(start, stop)
        keep = canonical_mask(A, B, self.box)
        A, B = A[keep], B[keep]
        res = pcf_limits(A, B, self.scan_depth, self.scan_depth // 2)
        tight = 10.0 ** -self.match_digits
        loose = 10.0 ** -self.slow_match_digits
        ch = res.change
        ok = (res.status == STATUS_OK) & np.isfinite(ch) & (ch <= loose / 10)
        rational = np.zeros(A.shape[0], dtype=bool)
        rational[res.status == STATUS_TERMINATED] = True
        idx = np.nonzero(ok)[0]
        rat = _rational_mask(res.value[idx], max(tight, 1e-12))
        rational[idx[rat]] = True
        idx = idx[~rat]
        tol = np.clip(10.0 * ch[idx], tight, loose)
        hit, lo, hi = table.lookup(res.value[idx], tol)
        hits = [(int(idx[h]), np.arange(l, u)) for h, l, u in zip(hit, lo, hi)]
        # Slowly converging fractions (still moving by 1e-8..1e-3 at the scan depth) are extrapolated
        slow = (res.status == STATUS_OK) & np.isfinite(ch) & (ch > loose / 10) & (ch <= SLOW_WINDOW)
        sidx = np.nonzero(slow)[0]
        if sidx.size:
            hits += self._screen_slow(A, B, sidx, tight)
        return A, B, res, hits, rational

    def _screen_slow(self, A, B, sidx, tight) -> list:
        r"""Aitken-extrapolated screen for slowly converging rows, confirmed at eight times the depth.

        Power-law convergence ($e_n \sim C n^{-k}$, e.g. $\pi + 3 = \mathrm{PCF}(6, (2n-1)^2)$) has a constant
        error ratio $2^{-k}$ along $n = q, 2q, 4q$, so Aitken's $\Delta^2$ on those three convergents removes
        the leading error term.  A row must match the same table entry at depth $4q$ and again at $32q$ (with a
        tolerance that shrinks with the extrapolation's own correction) before it is refined exactly.
        """
        table = self.table()
        out = []
        ext, corr = _aitken(A[sidx], B[sidx], self.scan_depth)
        good = np.isfinite(ext) & (corr <= SLOW_WINDOW)
        rows = sidx[good]
        tol = np.clip(0.2 * corr[good], tight, 1e-6)
        hit, lo, hi = table.lookup(ext[good], tol)
        if not hit.size:
            return out
        rows, lo, hi = rows[hit], lo, hi
        ext2, corr2 = _aitken(A[rows], B[rows], 8 * self.scan_depth)
        tol2 = np.clip(0.2 * corr2, tight / 10, 1e-6)
        for k, row in enumerate(rows):
            if not np.isfinite(ext2[k]):
                continue
            cand = np.arange(lo[k], hi[k])
            w = tol2[k] * max(abs(ext2[k]), 1e-2)
            keep = cand[np.abs(table.values[cand] - ext2[k]) <= w]
            if keep.size:
                out.append((int(row), keep))
        return out

    def scan(self, start: int, stop: int) -> list[Candidate]:
        """Screen and refine PCFs ``start..stop-1`` of the box; return the confirmed candidates."""
        out: list[Candidate] = []
        for s in range(start, stop, self.batch):
            e = min(stop, s + self.batch)
            A, B, res, hits, rational = self.screen(s, e)
            for row, tidx in hits:
                cand = self.refine(A[row], B[row], tidx, float(res.change[row]))
                if cand is not None:
                    out.append(cand)
            if self.keep_rational:
                for row in np.nonzero(rational)[0]:
                    cand = self._rational_candidate(A[row], B[row])
                    if cand is not None:
                        out.append(cand)
        return out

    def refine(self, a, b, table_rows, scan_change: float = math.nan) -> Candidate | None:
        """Confirm one screen hit with exact convergents; ``None`` if no table entry survives."""
        table = self.table()
        a = [int(v) for v in a]
        b = [int(v) for v in b]
        depth = self.depth
        while True:
            info = refine_pcf(a, b, depth)
            if not info.get("ok"):
                return None
            pred = info["predicted_digits"]
            if pred >= self.digits + 2 or depth * 4 > self.max_refine_depth:
                break
            depth *= 4
        need = self.digits if pred >= self.digits + 2 else math.floor(pred) - 1
        if need < self.match_digits + 2:
            return None  # the refinement cannot beat the float screen: no evidence beyond it
        dps = self.digits + 20
        x = _mp_value(info["p"], info["q"], dps)
        if self._is_rational(info["p"], info["q"], x, need, dps):
            return None
        best = None
        with mpmath.workdps(dps):
            c = mpmath.mpf(self._value_str)
            for t in table_rows:
                al, be, ga, ep = (int(v) for v in table.coeffs[t])
                m = (al + be * c) / (ga + ep * c)
                diff = abs(x - m)
                got = float(self.digits + 10) if diff == 0 else float(-mpmath.log10(diff / max(abs(m), mpmath.mpf(10) ** -30)))
                if best is None or got > best[0]:
                    best = (got, (al, be, ga, ep))
        if best is None or best[0] < need:
            return None
        got, mob = best
        return self._candidate(a, b, mob, info, depth, min(got, float(self.digits)), need, scan_change)

    def _is_rational(self, p: int, q: int, x, need: int, dps: int) -> bool:
        """Is ``x`` (``p/q`` known to ``need`` digits) a rational with a small denominator?

        Every real number has fractions with denominator $\\le Q$ within $1/Q^2$, so only denominators up to
        $10^{(need - 6)/2}$ can be told apart from an irrational with ``need`` digits.
        """
        qmax = int(min(10**6, 10 ** max(0, (need - 6) // 2)))
        if qmax < 1:
            return False
        with mpmath.workdps(dps):
            fr = Fraction(p, q).limit_denominator(qmax)
            diff = abs(x - mpmath.mpf(fr.numerator) / fr.denominator)
            return diff == 0 or -mpmath.log10(diff / max(abs(x), mpmath.mpf(10) ** -30)) >= need

    def _candidate(self, a, b, mob, info, depth, got, need, scan_change) -> Candidate:
        a_str, b_str = poly_str(a), poly_str(b)
        lhs = moebius_lhs(self.target, mob)
        rhs = f"PCF({a_str}, {b_str})"
        with mpmath.workdps(40):
            val = mpmath.nstr(mpmath.mpf(info["p"]) / info["q"], 30)
        slow = need < self.digits
        meta = {
            "a": a_str, "b": b_str, "a_coeffs": a, "b_coeffs": b,
            "depth": depth,
            "delta": info["delta"], "delta_depths": info["delta_depths"], "delta_method": "blind (L = p_N/q_N)",
            "convergence_rate": info["rate"], "convergence_fit": info["fit"],
            "predicted_digits": info["predicted_digits"],
            "eigenvalue_ratio": eigenvalue_ratio(a, b),
            "moebius": list(mob), "lhs_coeff_limit": self.lhs_coeff_limit,
            "slow": slow, "value": val,
            "scan": {"depth": self.scan_depth, "change": scan_change},
        }
        check = {"type": "pcf", "a": a_str, "b": b_str, "a_coeffs": a, "b_coeffs": b, "lhs": lhs,
                 "target": self.target, "moebius": list(mob), "depth": depth, "rate": info["rate"], "slow": slow,
                 "min_digits": int(need) if slow else None, "max_depth": max(self.max_refine_depth, depth)}
        return Candidate(
            engine=self.name, target=self.target, kind="identity", lhs=lhs, rhs=rhs,
            latex=None,  # the workbench renders PCFs from meta["a"], meta["b"] (discovery.latex)
            complexity=_node_count(lhs, a_str, b_str), digits=round(got, 2), meta=meta, check=check,
            canonical=f"pcf|{self.target}|{a_str}|{b_str}",
        )

    def _rational_candidate(self, a, b) -> Candidate | None:
        a = [int(v) for v in a]
        b = [int(v) for v in b]
        conv = exact_convergents(a, b, [self.depth])
        p, q = conv[self.depth]
        if q == 0:
            return None
        dps = self.digits + 20
        x = _mp_value(p, q, dps)
        if not self._is_rational(p, q, x, self.digits, dps):
            return None
        fr = Fraction(p, q).limit_denominator(10**6)
        a_str, b_str = poly_str(a), poly_str(b)
        lhs = str(fr.numerator) if fr.denominator == 1 else f"{fr.numerator}/{fr.denominator}"
        return Candidate(
            engine=self.name, target=self.target, kind="identity", lhs=lhs, rhs=f"PCF({a_str}, {b_str})",
            latex=None, complexity=_node_count(lhs, a_str, b_str), digits=float(self.digits),
            meta={"a": a_str, "b": b_str, "a_coeffs": a, "b_coeffs": b, "depth": self.depth, "rational": True},
            check={"type": "pcf", "a": a_str, "b": b_str, "a_coeffs": a, "b_coeffs": b, "lhs": lhs,
                   "depth": self.depth, "slow": False, "min_digits": None, "max_depth": 4 * self.depth},
            canonical=f"pcf-rational|{a_str}|{b_str}",
        )
