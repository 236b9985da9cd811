r"""ESMA: Enumerated Signed-continued-fraction Massey Approve.

For a constant $c$ the engine looks for signed continued fractions

$$ \left|\frac{P(c)}{Q(c)}\right| = a_0 + \cfrac{s_0}{a_1 + \cfrac{s_1}{a_2 + \dotsb}}, \qquad s_i = \pm 1
   \text{ periodic}, $$

whose partial denominators $a_n$ obey a short linear recurrence with integer coefficients (interlaced
polynomials such as $1, 2, 3, 2, 5, 2, 7, \dots$ for $e/(e-1)$ with signs $(+,-)$).  The method (ANCHORS §3):

1. **Enumerate** left-hand sides $|P(c)/Q(c)|$ with $\deg P, \deg Q \le$ ``poly_deg`` and integer coefficients in
   $[-L, L]$; drop zero, rational and duplicate values (one representative per value: the smallest height).
2. **Sign periods**: every $\pm1$ tuple with period length in ``sign_periods``, skipping a tuple that repeats a
   shorter period *of the same range* (with ``2..2`` both $(+,+)$ and $(-,-)$ are searched).
3. **Expand** each value at ``enum_dps`` (500) digits into ``depth`` partial denominators, greedily: floor for
   $s_i = +1$, ceil for $s_i = -1$ (:func:`numerics.recurrence.signed_cf_expand`, rigorous interval arithmetic:
   a value whose expansion needs more digits than ``enum_dps`` gives is retried once at the precision the constant
   carries, ``max(enum_dps, verify_dps) + 10``, and skipped if still undetermined; a term is never guessed).
4. **Massey**: Berlekamp–Massey over $\mathrm{GF}(p)$, $p$ = ``prime`` (199; it must exceed $K+1$ for interlaced
   polynomials of degree $K$).  A *hit* has a short register: the connection polynomial
   $[1, c_1, \dots, c_L]$ has fewer than $\lfloor$``depth``$/4\rfloor$ entries ($L + 1 < \lfloor
   \mathrm{depth}/4 \rfloor$, the original implementation's count), and a recurrence that generates the sequence
   from its first term: $c_L \ne 0$, so the first $L$ terms and $C(x)$ determine every term (with
   ``allow_prefix=True`` a finite irregular prefix is also accepted; that finds the eventually-periodic simple
   continued fractions of every Möbius transform of $e$, which the original method does not count).  Expansions
   with $a_0 = 0$ (a left-hand side below 1 with $s_0 = +1$: the formula of its reciprocal) are skipped, as in the
   original.  With these rules the engine reproduces every ESMA figure of ANCHORS §3: 13 for the reference run,
   and at degree 1, $L = 2$, periods 1..4, depth 100: 17 for $e$, 16 for $e^2$, 21 for $\tan 1$, 19 for
   $I_1(2)/I_0(2)$, 0 for $\pi$.
5. **Approve**: lift $C$ to $\mathbb{Z}$ (symmetric residues), regenerate ``verify_depth`` (1000) terms over
   $\mathbb{Z}$, evaluate the fraction exactly, round at ``verify_dps`` (1000) digits and require ``verify_digits``
   (100) digits of agreement with the left-hand side.

Tasks are chunks of left-hand sides, each with every sign period, so all formulas for one value meet in one task:
the engine keeps one candidate per value (the shortest register, then the first sign period) and lists the other
verified sign periods in ``meta["alternatives"]``.  The reference run (``e``, periods ``2..2``, depth 105, degree 1,
coefficients in $[-2, 2]$) gives exactly 13 verified formulas, as the original implementation's test asserts.

``meta`` of a candidate: ``signs`` (one period), ``partial_denominators`` (the first 500, ints), ``recurrence``
(``connection`` $[c_0..c_L]$ with $\sum_j c_j a_{n-j} = 0$ for $n \ge L$, ``initial`` $a_0..a_{L-1}$, ``prime``),
``register_length``, ``pattern`` (interlaced polynomials $a_n = P_{n \bmod k}(n)$ for $n \ge$ ``start``, or
``None``), ``lhs_coeffs`` (numerator, denominator; highest degree first), ``depth``, ``approve_digits``,
``delta`` (irrationality measure of the convergent at ``n``), ``convergence_rate`` (``digits_per_term`` and the fit
$\log_{10}|\mathrm{err}_n| \approx c_0 + c_1 n + c_2 n \log n$), ``alternatives``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from fractions import Fraction

import mpmath

from numerics.recurrence import (
    berlekamp_massey_mod,
    convergence_rate,
    interlaced_polynomial_pattern,
    irrationality_measure,
    recurrence_extend,
    signed_cf_convergents,
    signed_cf_expand,
    symmetric_residues,
)
from search.base import Candidate, Task, task_key

__all__ = [
    "ESMAEngine",
    "sign_periods",
    "enumerate_lhs",
    "lhs_text",
    "esma_sequence",
    "DEFAULTS",
]

#: The method's defaults (ANCHORS §3).
DEFAULTS = {
    "sign_periods": (1, 2),
    "depth": 100,
    "poly_deg": 1,
    "coeff_limit": 2,
    "prime": 199,
    "enum_dps": 500,
    "verify_depth": 1000,
    "verify_dps": 1000,
    "verify_digits": 100,
    "n_store": 500,
    "chunk_size": 16,
}

#: More than 2^14 sign tuples per run is almost surely a typo.
MAX_SIGN_PERIOD = 14


def sign_periods(lo: int, hi: int) -> list[tuple[int, ...]]:
    """All $\\pm1$ tuples with length in ``lo..hi``, skipping a tuple that repeats a shorter tuple of the range.

    Order: by length, then ``+1`` before ``-1`` position by position (``(1, 1), (1, -1), (-1, 1), (-1, -1)``).
    """
    lo, hi = int(lo), int(hi)
    if lo < 1 or hi < lo:
        raise ValueError(f"sign period range must satisfy 1 <= lo <= hi, got {lo}..{hi}")
    if hi > MAX_SIGN_PERIOD:
        raise ValueError(f"sign period at most {MAX_SIGN_PERIOD}, got {hi}")
    out, redundant = [], set()
    for k in range(lo, hi + 1):
        for t in itertools.product((1, -1), repeat=k):
            if t in redundant:
                continue
            out.append(t)
            for r in range(2, hi // k + 1):
                redundant.add(t * r)
    return out


_sign_periods = sign_periods  # the engine's keyword argument shadows the function's name


def _poly_eval(coeffs: Sequence[int], powers: Sequence) -> object:
    """$\\sum_i$ coeffs[i] c^(deg - i) with precomputed ``powers[k] = c**k`` (coefficients highest first)."""
    deg = len(coeffs) - 1
    acc = 0
    for i, a in enumerate(coeffs):
        if a:
            acc += a * powers[deg - i]
    return acc


def _degree(coeffs: Sequence[int]) -> int:
    return len(coeffs) - 1 - next(i for i, x in enumerate(coeffs) if x)


def _height(num: Sequence[int], den: Sequence[int]) -> tuple:
    """Order of preference among pairs with one value: lowest total degree (``c`` before ``c**2/c``), then
    smallest coefficients, fewest terms, and a fixed tie-break."""
    coeffs = list(num) + list(den)
    return (_degree(num) + _degree(den), max(abs(x) for x in coeffs), sum(1 for x in coeffs if x),
            sum(abs(x) for x in coeffs), tuple(-x for x in den), tuple(-x for x in num))


def _normalise(num: tuple[int, ...], den: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Divide out the content and make the leading non-zero coefficient of the denominator positive."""
    g = 0
    for x in num + den:
        g = math.gcd(g, abs(x))
    num = tuple(x // g for x in num)
    den = tuple(x // g for x in den)
    lead = next(x for x in den if x)
    if lead < 0:
        num, den = tuple(-x for x in num), tuple(-x for x in den)
    return num, den


def _is_rational(v, dps: int, max_den: int = 10**12) -> bool:
    """Is ``v`` (computed at ``dps`` digits) a rational number of denominator at most ``max_den``?"""
    with mpmath.workdps(dps):
        man, exp = mpmath.mpf(v).man_exp
        exact = Fraction(int(man)) * (Fraction(2) ** int(exp))
        f = exact.limit_denominator(max_den)
        return abs(mpmath.mpf(f.numerator) / f.denominator - v) <= abs(v) * mpmath.mpf(10) ** (-(dps * 3) // 4)


def enumerate_lhs(c, poly_deg: int, coeff_limit: int, dps: int = 60) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Distinct left-hand sides $|P(c)/Q(c)|$: one ``(numerator, denominator)`` pair (highest degree first) per
    value, the pair of smallest height; zero, rational and undefined ($Q(c) = 0$) values are dropped.

    ``c`` is an mpmath number carrying at least ``2 * dps`` digits.  Deterministic order (by height).
    """
    poly_deg, coeff_limit = int(poly_deg), int(coeff_limit)
    if poly_deg < 1:
        raise ValueError(f"poly_deg must be at least 1, got {poly_deg}")
    if coeff_limit < 1:
        raise ValueError(f"coeff_limit must be at least 1, got {coeff_limit}")
    n_pairs = (2 * coeff_limit + 1) ** (2 * (poly_deg + 1))
    if n_pairs > 5_000_000:
        raise ValueError(f"{n_pairs} left-hand sides (poly_deg {poly_deg}, coeff_limit {coeff_limit}) is too many")
    coeffs = range(-coeff_limit, coeff_limit + 1)
    polys = [p for p in itertools.product(coeffs, repeat=poly_deg + 1) if any(p)]
    work = 2 * dps
    best: dict[str, tuple] = {}
    with mpmath.workdps(work):
        c = mpmath.mpf(c)
        powers = [c**k for k in range(poly_deg + 1)]
        pvals = {p: _poly_eval(p, powers) for p in polys}
        tiny = mpmath.mpf(10) ** (-(work - 10))
        seen_pairs = set()
        for num in polys:
            for den in polys:
                pair = _normalise(num, den)
                if pair in seen_pairs:
                    continue
                seen_pairs.add(pair)
                qv = pvals[den]
                pv = pvals[num]
                if abs(qv) <= tiny or abs(pv) <= tiny:
                    continue
                v = abs(pv / qv)
                key = mpmath.nstr(v, dps)
                cur = best.get(key)
                if cur is None or _height(*pair) < _height(*cur[0]):
                    best[key] = (pair, v)
        out = []
        for key, (pair, v) in best.items():
            if _is_rational(v, work):
                continue
            out.append(pair)
    out.sort(key=lambda pr: _height(*pr))
    return out


def _is_atomic(text: str) -> bool:
    """A name, a number, or one call/parenthesised group spanning the whole text (``tan(1)``, ``(1 + e)``)."""
    t = text.strip()
    if t.replace("_", "").replace(".", "").isalnum():
        return True
    i = 0
    while i < len(t) and (t[i].isalnum() or t[i] == "_"):
        i += 1
    if i == len(t) or t[i] != "(" or not t.endswith(")"):
        return False
    depth = 0
    for j, ch in enumerate(t[i:], start=i):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and j != len(t) - 1:
            return False
    return True


def _poly_terms(coeffs: Sequence[int], c: str) -> tuple[str, int]:
    """Text of an integer polynomial in ``c`` (positive terms first: ``2 - e`` rather than ``-e + 2``)."""
    deg = len(coeffs) - 1
    terms = []
    for i, a in enumerate(coeffs):
        if not a:
            continue
        k = deg - i
        mono = "" if k == 0 else (c if k == 1 else f"{c}**{k}")
        mag = abs(a)
        terms.append((a > 0, str(mag) if not mono else (mono if mag == 1 else f"{mag}*{mono}")))
    ordered = [t for t in terms if t[0]] + [t for t in terms if not t[0]]
    text = ("" if ordered[0][0] else "-") + ordered[0][1]
    for positive, body in ordered[1:]:
        text += f" {'+' if positive else '-'} {body}"
    return text, len(terms)


def lhs_text(num: Sequence[int], den: Sequence[int], constant: str, positive_sign: int = 1) -> str:
    """SymPy-parsable text of ``positive_sign * P(c)/Q(c)`` (coefficients highest degree first), ``c`` written
    as ``constant`` (parenthesised unless atomic)."""
    c = constant.strip() if _is_atomic(constant) else f"({constant.strip()})"
    num = [positive_sign * x for x in num]
    den = list(den)
    # Fewer minus signs: flip both when the denominator, or the numerator, has no positive coefficient.
    if all(x <= 0 for x in den) or all(x <= 0 for x in num):
        num, den = [-x for x in num], [-x for x in den]
    nt, nn = _poly_terms(num, c)
    dt, dn = _poly_terms(den, c)
    if dt == "1":
        return nt
    if dt == "-1":
        return _poly_terms([-x for x in num], c)[0]
    n_txt = nt if nn == 1 else f"({nt})"
    d_txt = dt if dn == 1 and _is_atomic(dt) else f"({dt})"
    return f"{n_txt}/{d_txt}"


def _rhs_text(a: Sequence[int], signs: Sequence[int], terms: int = 6) -> str:
    """``a0 + 1/(a1 - 1/(a2 + ...))``: a readable form of the signed continued fraction."""
    k = len(signs)
    text = "..."
    for i in range(min(terms, len(a)) - 1, -1, -1):
        op = "+" if signs[i % k] > 0 else "-"
        text = f"{a[i]} {op} 1/({text})" if i < terms - 1 else f"{a[i]} {op} ..."
    return text


def esma_sequence(value, signs, depth: int, prime: int = 199):
    """Expand ``value`` (at the current precision) into ``depth`` terms and run Berlekamp–Massey mod ``prime``.

    Returns ``(terms, connection mod p, register length)``; ``terms`` is shorter than ``depth`` when the precision
    does not determine them all.
    """
    a = signed_cf_expand(value, signs, depth, strict=False)
    if len(a) < depth:
        return a, None, None
    C, L = berlekamp_massey_mod(a, prime)
    return a, C, L


class ESMAEngine:
    """The ESMA search for one constant (see the module docstring for the mathematics).

    ``constant``: the constant's expression in the named constants (``"e"``, ``"tan(1)"``), used in the formulas'
    text.  ``value``: its value, an mpmath number carrying at least ``verify_dps + 20`` digits, or a callable
    ``dps -> value``.  Bad configurations raise ``ValueError`` here, before any task runs.
    """

    name = "esma"

    def __init__(self, constant: str, value, *, sign_periods: tuple[int, int] = DEFAULTS["sign_periods"],
                 depth: int = DEFAULTS["depth"], poly_deg: int = DEFAULTS["poly_deg"],
                 coeff_limit: int = DEFAULTS["coeff_limit"], prime: int = DEFAULTS["prime"],
                 enum_dps: int = DEFAULTS["enum_dps"], verify_depth: int = DEFAULTS["verify_depth"],
                 verify_dps: int = DEFAULTS["verify_dps"], verify_digits: int = DEFAULTS["verify_digits"],
                 n_store: int = DEFAULTS["n_store"], chunk_size: int = DEFAULTS["chunk_size"],
                 allow_prefix: bool = False):
        if not isinstance(constant, str) or not constant.strip():
            raise ValueError("constant must be a non-empty expression string")
        self.constant = constant.strip()
        lo, hi = (int(x) for x in sign_periods)
        self.sign_periods = (lo, hi)
        self._signs = [list(t) for t in _sign_periods(lo, hi)]
        self.depth = int(depth)
        self.poly_deg = int(poly_deg)
        self.coeff_limit = int(coeff_limit)
        self.prime = int(prime)
        self.enum_dps = int(enum_dps)
        self.verify_depth = int(verify_depth)
        self.verify_dps = int(verify_dps)
        self.verify_digits = int(verify_digits)
        self.n_store = int(n_store)
        self.chunk_size = int(chunk_size)
        self.allow_prefix = bool(allow_prefix)
        if self.depth < 8:
            raise ValueError(f"depth must be at least 8, got {self.depth}")
        if self.poly_deg < 1 or self.poly_deg > 4:
            raise ValueError(f"poly_deg must be between 1 and 4, got {self.poly_deg}")
        if self.coeff_limit < 1:
            raise ValueError(f"coeff_limit must be at least 1, got {self.coeff_limit}")
        if self.prime < 3 or any(self.prime % f == 0 for f in range(2, int(self.prime**0.5) + 1)):
            raise ValueError(f"prime must be an odd prime, got {self.prime}")
        if self.prime >= 2**31:
            raise ValueError(f"prime must be below 2**31, got {self.prime}")
        if self.enum_dps < self.depth + 20:
            raise ValueError(
                f"too little precision for the depth: {self.enum_dps} digits cannot determine {self.depth} partial "
                f"denominators (a continued fraction consumes about one digit per term; use at least "
                f"{self.depth + 20}, the ESMA default is 500)"
            )
        if self.verify_depth < self.depth:
            raise ValueError(f"verify_depth ({self.verify_depth}) must be at least depth ({self.depth})")
        if self.verify_digits < 10:
            raise ValueError(f"verify_digits must be at least 10, got {self.verify_digits}")
        if self.verify_dps < self.verify_digits + 10:
            raise ValueError(
                f"too little precision: verify_dps ({self.verify_dps}) must exceed verify_digits "
                f"({self.verify_digits}) by at least 10"
            )
        if self.n_store < 1 or self.chunk_size < 1:
            raise ValueError("n_store and chunk_size must be positive")
        self._dps_c = max(self.enum_dps, self.verify_dps) + 30
        with mpmath.workdps(self._dps_c):
            try:
                c = value(self._dps_c) if callable(value) else mpmath.mpf(value)
                c = mpmath.mpf(c)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"cannot evaluate the constant {self.constant!r}: {exc}") from None
            if not mpmath.isfinite(c):
                raise ValueError(f"the constant {self.constant!r} is not finite")
            if not callable(value):
                have = int(c.man_exp[0]).bit_length() * math.log10(2) if c != 0 else 0
                if have < self.verify_dps + 20 and not _is_rational(c, 40):
                    raise ValueError(
                        f"the value of {self.constant!r} carries about {int(have)} digits; ESMA needs "
                        f"{self.verify_dps + 20} (pass a callable dps -> value)"
                    )
        self._c = c
        # The constant itself must expand to the full depth at the enumeration precision: a quick, honest check
        # that enum_dps suits this constant (each left-hand side is checked again in its task).
        with mpmath.workdps(self.enum_dps):
            got = len(signed_cf_expand(+c, (1,), self.depth, strict=False))
        if got < self.depth and not _is_rational(c, 60):
            raise ValueError(
                f"too little precision for the depth: at {self.enum_dps} digits only {got} of {self.depth} partial "
                f"denominators of {self.constant} are determined; raise enum_dps"
            )
        self._lhs = None

    # -- the contract ---------------------------------------------------------------------------------------------

    def config(self) -> dict:
        """The JSON configuration (everything but the value)."""
        return {
            "constant": self.constant, "sign_periods": list(self.sign_periods), "depth": self.depth,
            "poly_deg": self.poly_deg, "coeff_limit": self.coeff_limit, "prime": self.prime,
            "enum_dps": self.enum_dps, "verify_depth": self.verify_depth, "verify_dps": self.verify_dps,
            "verify_digits": self.verify_digits, "n_store": self.n_store, "allow_prefix": self.allow_prefix,
        }

    def left_hand_sides(self) -> list:
        """The distinct left-hand sides (numerator, denominator), computed once."""
        if self._lhs is None:
            self._lhs = enumerate_lhs(self._c, self.poly_deg, self.coeff_limit)
        return self._lhs

    def tasks(self) -> list[Task]:
        lhs = self.left_hand_sides()
        cfg = self.config()
        with mpmath.workdps(30):
            cfg["value"] = mpmath.nstr(self._c, 25)  # different constants never share task keys
        out = []
        for i in range(0, len(lhs), self.chunk_size):
            chunk = [[list(n), list(d)] for n, d in lhs[i:i + self.chunk_size]]
            payload = {"lhs": chunk, "signs": self._signs}
            out.append(Task(key=task_key(self.name, {"config": cfg, "payload": payload}), engine=self.name,
                            payload=payload))
        return out

    def run_task(self, task: Task) -> list[Candidate]:
        signs_list = [tuple(int(s) for s in sg) for sg in task.payload["signs"]]
        out = []
        for num, den in task.payload["lhs"]:
            cand = self._search_lhs(tuple(num), tuple(den), signs_list)
            if cand is not None:
                out.append(cand)
        return out

    # -- one left-hand side ---------------------------------------------------------------------------------------

    def _lhs_value(self, num, den, dps: int):
        with mpmath.workdps(dps + 10):
            powers = [self._c**k for k in range(self.poly_deg + 1)]
            v = _poly_eval(num, powers) / _poly_eval(den, powers)
            sign = 1 if v > 0 else -1
            return +abs(v), sign

    def _approve(self, C, L, a, signs, v_hi):
        """Lift, regenerate ``verify_depth`` terms over Z, evaluate exactly; agreement digits or ``None``."""
        Cz = symmetric_residues(C, self.prime)
        seq = recurrence_extend(Cz, a[:L], max(self.verify_depth, self.n_store))
        if seq[: self.depth] != list(a):  # the lifted recurrence must reproduce what was observed
            return None
        terms = seq[: self.verify_depth]
        if any(t == 0 for t in terms[1:]):
            return None
        p, q = signed_cf_convergents(terms, signs)
        if q == 0:
            return None
        with mpmath.workdps(self.verify_dps):
            rhs = mpmath.mpf(p) / mpmath.mpf(q)
            diff = abs(rhs - v_hi)
            digits = float(self.verify_dps) if diff == 0 else float(-mpmath.log10(diff / v_hi))
        if digits < self.verify_digits:
            return None
        return Cz, seq, min(digits, float(self.verify_dps))

    def _search_lhs(self, num, den, signs_list) -> Candidate | None:
        v, sign = self._lhs_value(num, den, self.enum_dps)
        v_hi = None
        found = []
        for signs in signs_list:
            with mpmath.workdps(self.enum_dps):
                a, C, L = esma_sequence(v, signs, self.depth, self.prime)
            if C is None and self._dps_c - 20 > self.enum_dps:
                # Fast-growing terms used up enum_dps: retry once with all the digits the constant carries,
                # so that a result never depends on a precision shortfall (the expansion never guesses a term).
                dps2 = self._dps_c - 20
                with mpmath.workdps(dps2):
                    a, C, L = esma_sequence(self._lhs_value(num, den, dps2)[0], signs, self.depth, self.prime)
            if C is None or 0 in a:
                continue  # not determined even then, or a_0 = 0 (the formula of 1/x, found there)
            if not L + 1 < self.depth // 4:
                continue  # a register as long as a random sequence's: no structure
            if not self.allow_prefix and C[L] % self.prime == 0:
                continue  # the recurrence starts after an irregular prefix
            if v_hi is None:
                v_hi = self._lhs_value(num, den, self.verify_dps)[0]
            ok = self._approve(C, L, a, signs, v_hi)
            if ok is None:
                continue
            Cz, seq, digits = ok
            found.append((L, signs, Cz, seq, digits))
        if not found:
            return None
        found.sort(key=lambda f: (f[0], signs_list.index(f[1])))
        L, signs, Cz, seq, digits = found[0]
        lhs = lhs_text(num, den, self.constant, sign)
        pd = [int(x) for x in seq[: self.n_store]]
        pattern = interlaced_polynomial_pattern(pd, max_period=max(12, 2 * len(signs)), max_degree=6)
        meta = {
            "signs": list(signs),
            "partial_denominators": pd,
            "recurrence": {"connection": [int(x) for x in Cz], "initial": [int(x) for x in seq[:L]],
                           "prime": self.prime},
            "register_length": int(L),
            "pattern": None if pattern is None else {
                "period": pattern["period"], "start": pattern["start"], "polynomials": pattern["text"]},
            "lhs_coeffs": {"numerator": [sign * x for x in num], "denominator": list(den)},
            "depth": self.depth,
            "verify_depth": self.verify_depth,
            "approve_digits": round(digits, 1),
            "delta": self._delta(seq, signs, v),
            "convergence_rate": self._rate(seq, signs, v),
            "alternatives": [
                {"signs": list(s), "register_length": int(l2), "partial_denominators": [int(x) for x in sq[:12]]}
                for l2, s, _, sq, _ in found[1:]
            ],
        }
        with mpmath.workdps(60):
            canonical = f"esma:{self.constant}:{mpmath.nstr(v, 40)}"
        n_nonzero = sum(1 for x in list(num) + list(den) if x)
        return Candidate(
            engine=self.name,
            target=self.constant,
            kind="identity",
            lhs=lhs,
            rhs=_rhs_text(pd, signs),
            complexity=n_nonzero + int(L) + len(signs),
            digits=round(digits, 1),
            meta=meta,
            check={"type": "scf", "lhs": lhs, "signs": list(signs), "connection": [int(x) for x in Cz],
                   "initial": [int(x) for x in seq[:L]], "terms": self.verify_depth, "constant": self.constant,
                   "numerator": [sign * x for x in num], "denominator": list(den)},
            canonical=canonical,
        )

    def _rate(self, seq, signs, v):
        """Fit of $\\log_{10}|x_n - x|$ against $n$ and $n \\log n$ over $n \\le$ ``depth`` (digits per term)."""
        k = len(signs)
        try:
            fit = convergence_rate(seq, [0] + [signs[(n - 1) % k] for n in range(1, self.depth + 1)], v,
                                   depth=self.depth)
        except ValueError:
            return None
        return {key: round(fit[key], 5) for key in ("digits_per_term", "c1", "c2")}

    def _delta(self, seq, signs, v):
        """$\\delta$ of the convergent at n = depth against the left-hand side (known to ``enum_dps`` digits)."""
        n = self.depth
        try:
            p, q = signed_cf_convergents(seq[: n + 1], signs)
            with mpmath.workdps(self.enum_dps):
                d = irrationality_measure(p, q, +v, L_digits=self.enum_dps)
            return {"n": n, "value": round(float(d), 6)}
        except ValueError:
            return None
