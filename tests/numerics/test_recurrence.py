"""Recurrence kernels: convergents (exact, flint, mpmath), signed CF expansion, Berlekamp–Massey, δ and rate fits.

References: exact ``Fraction`` evaluation (backward recursion), mpmath at high precision, the formulas of
``constants_formulas.json`` and the δ figures of ANCHORS §3.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import numerics
from numerics import recurrence as R
from numerics.recurrence import (
    IntPoly,
    berlekamp_massey_mod,
    berlekamp_massey_rational,
    convergence_rate,
    delta_curve,
    interlaced_polynomial_pattern,
    irrationality_measure,
    pcf_convergents,
    pcf_convergents_mp,
    pcf_delta,
    pcf_value,
    recurrence_extend,
    signed_cf_convergents,
    signed_cf_expand,
    signed_cf_value,
    symmetric_residues,
)

# the project's copy of ../shared/reference/constants_formulas.json (formulas verified to >= 50 digits)
REF = Path(__file__).resolve().parents[2] / "data" / "reference" / "constants_formulas.json"
FORMULAS = json.loads(REF.read_text())


# -- helpers ----------------------------------------------------------------------------------------------------


def backward_value(a, b) -> Fraction:
    """a0 + b1/(a1 + b2/(... + bN/aN)) evaluated from the tail, in exact rationals (an independent reference)."""
    x = Fraction(a[-1])
    for n in range(len(a) - 2, -1, -1):
        x = a[n] + Fraction(b[n + 1]) / x
    return x


def naive_signed_expand(x, signs, depth, dps):
    """Signed CF by the textbook loop at very high precision (reference for the interval implementation)."""
    out = []
    with mpmath.workdps(dps):
        x = mpmath.mpf(x)
        for i in range(depth):
            s = signs[i % len(signs)]
            a = int(mpmath.floor(x)) if s > 0 else int(mpmath.ceil(x))
            out.append(a)
            x = s / (x - a)
    return out


LIMITS = {  # limit text of constants_formulas.json -> mpmath
    "1/(e-1)": lambda: 1 / (mpmath.e - 1),
    "1/(e-2)": lambda: 1 / (mpmath.e - 2),
    "e-1": lambda: mpmath.e - 1,
    "e": lambda: +mpmath.e,
    "e/(e-2)": lambda: mpmath.e / (mpmath.e - 2),
    "4/pi": lambda: 4 / mpmath.pi,
    "5/zeta(2)": lambda: 5 / mpmath.zeta(2),
    "24/pi**2": lambda: 24 / mpmath.pi**2,
    "6/zeta(3)": lambda: 6 / mpmath.zeta(3),
    "1+sqrt(2)": lambda: 1 + mpmath.sqrt(2),
    "golden ratio": lambda: +mpmath.phi,
    "cot(1)": lambda: mpmath.cot(1),
    "coth(1)": lambda: mpmath.coth(1),
    "I1(2)/I0(2)": lambda: mpmath.besseli(1, 2) / mpmath.besseli(0, 2),
    "I0(2)/I1(2)": lambda: mpmath.besseli(0, 2) / mpmath.besseli(1, 2),
    "1/Gompertz": lambda: 1 / (mpmath.e * mpmath.e1(1)),
    "pi+3": lambda: mpmath.pi + 3,
    "e/(e-1)": lambda: mpmath.e / (mpmath.e - 1),
    "2/(e**2-1)": lambda: 2 / (mpmath.exp(2) - 1),
}


def poly_of(text: str) -> IntPoly:
    import sympy

    n = sympy.Symbol("n")
    return IntPoly([int(c) for c in sympy.Poly(sympy.sympify(text), n).all_coeffs()])


def digits_agree(x, y, dps):
    with mpmath.workdps(dps + 10):
        d = abs(x - y)
        return float(dps) if d == 0 else float(-mpmath.log10(d / abs(y)))


# -- IntPoly and terms -------------------------------------------------------------------------------------------


def test_intpoly_evaluates_exactly_and_prints_sympy():
    p = IntPoly([34, 51, 27, 5])
    assert p(0) == 5 and p(1) == 117 and p(10**30) == 34 * 10**90 + 51 * 10**60 + 27 * 10**30 + 5
    assert str(IntPoly([2, 0, -1])) == "2*n**2 - 1"
    assert str(IntPoly([0, 0, 3])) == "3" and IntPoly([0, 0]).degree == -1
    import pickle

    assert pickle.loads(pickle.dumps(p)) == p
    with pytest.raises(ValueError):
        IntPoly([1.5, 2])


def test_term_values_errors():
    with pytest.raises(ValueError, match="sequence has 3 terms"):
        pcf_convergents([1, 2, 3], [0, 1, 1], 5)
    with pytest.raises(ValueError, match="depth"):
        pcf_convergents(IntPoly([1]), IntPoly([1]), -1)
    with pytest.raises(ValueError, match="backend"):
        pcf_convergents(IntPoly([1]), IntPoly([1]), 3, backend="gmp")
    with pytest.raises(ValueError, match="integer terms"):
        pcf_convergents([1, Fraction(1, 2)], [0, 1], 1, backend="flint")
    assert pcf_convergents([1, Fraction(1, 2)], [0, 1], 1) == (Fraction(3, 2), Fraction(1, 2))


# -- exact and mpmath convergents --------------------------------------------------------------------------------


def test_exact_convergents_match_backward_fraction_over_random_pcfs():
    rng = random.Random(1)
    for _ in range(300):
        da, db = rng.randint(0, 3), rng.randint(0, 4)
        a = IntPoly([rng.randint(-9, 9) for _ in range(da + 1)])
        b = IntPoly([rng.randint(-9, 9) for _ in range(db + 1)])
        N = rng.choice([1, 2, 5, 17, 60])
        av = [a(n) for n in range(N + 1)]
        bv = [0] + [b(n) for n in range(1, N + 1)]
        ps, qs = pcf_convergents(a, b, N, all=True)
        assert (ps[-1], qs[-1]) == pcf_convergents(a, b, N)
        assert (ps[-1], qs[-1]) == pcf_convergents(av, bv, N, backend="flint")
        # p_n/q_n equals the truncated fraction evaluated backwards, whenever the latter is defined
        try:
            ref = backward_value(av, bv)
        except ZeroDivisionError:
            continue
        if qs[-1] != 0:
            assert Fraction(ps[-1], qs[-1]) == ref


def test_convergent_determinant_identity():
    # p_n q_{n-1} - p_{n-1} q_n = (-1)^{n-1} prod_{k=1}^n b_k: a structural check over a whole range of depths
    a, b = IntPoly([34, 51, 27, 5]), IntPoly([-1, 0, 0, 0, 0, 0, 0])
    ps, qs = pcf_convergents(a, b, 300, all=True)
    prod = 1
    for n in range(1, 301):
        prod *= b(n)
        assert ps[n] * qs[n - 1] - ps[n - 1] * qs[n] == (-1) ** (n - 1) * prod


@pytest.mark.parametrize("dps", [15, 50, 200])
def test_mp_convergents_match_exact_over_range(dps):
    rng = random.Random(dps)
    worst = 0.0
    for _ in range(60):
        a = IntPoly([rng.randint(1, 40) for _ in range(rng.randint(1, 3))])  # positive a: no cancellation
        b = IntPoly([rng.randint(1, 40) for _ in range(rng.randint(1, 5))])
        N = rng.choice([3, 30, 300])
        p, q = pcf_convergents(a, b, N)
        with mpmath.workdps(dps + 20):
            ref = mpmath.mpf(p) / q
        got = pcf_convergents_mp(a, b, N, dps)
        with mpmath.workdps(dps + 20):
            rel = abs(got - ref) / abs(ref)
            worst = max(worst, float(rel * mpmath.mpf(10) ** dps))
    assert worst < 50 * 300  # at most a few ulps per step
    vals = pcf_convergents_mp(IntPoly([1]), IntPoly([1]), 10, 30, all=True)
    assert len(vals) == 11 and mpmath.almosteq(vals[-1], mpmath.mpf(144) / 89)


@pytest.mark.parametrize("entry", FORMULAS["pcf"], ids=lambda e: e["limit"])
def test_every_reference_pcf_is_confirmed_by_the_kernels(entry):
    a, b = poly_of(entry["a"]), poly_of(entry["b"])
    with mpmath.workdps(130):
        L = LIMITS[entry["limit"]]()
        given = mpmath.mpf(entry["value"])
    assert digits_agree(given, L, 120) >= 38  # the file's own 40-digit value
    x = pcf_value(a, b, 1000, 120)  # exact convergent, rounded once
    assert digits_agree(x, L, 110) >= 100
    y = pcf_convergents_mp(a, b, 1000, 130)  # the mpmath kernel agrees too
    assert digits_agree(y, L, 110) >= 95


def test_slow_reference_pcfs_converge_at_the_stated_rates():
    slow = {e["limit"]: e for e in FORMULAS["slow"]}
    g = slow["1/Gompertz"]
    with mpmath.workdps(80):
        L = LIMITS["1/Gompertz"]()
    d300 = digits_agree(pcf_value(poly_of(g["a"]), poly_of(g["b"]), 300, 80), L, 70)
    d600 = digits_agree(pcf_value(poly_of(g["a"]), poly_of(g["b"]), 600, 80), L, 70)
    assert abs(d300 - 28) < 2.5 and abs(d600 - 41) < 2.5  # "about 28 digits at depth 300, 41 at 600"
    p = slow["pi+3"]
    with mpmath.workdps(40):
        L = LIMITS["pi+3"]()
    # algebraic convergence (error ~ n^-3): 12 digits at depth 1e4 (16 at 1e5 per the file), by the mp kernel
    d = digits_agree(pcf_convergents_mp(poly_of(p["a"]), poly_of(p["b"]), 10_000, 40), L, 35)
    assert 11 <= d <= 13.5


def test_pcf_value_errors():
    with pytest.raises(ValueError, match="q_2 = 0"):
        pcf_value([1, 1, -1], [0, 1, 1], 2, 20)  # q_2 = a2 q1 + b2 q0 = -1*1 + 1 = 0


def test_batch_kernel_is_reexported():
    assert R.pcf_limits is numerics._pcf_batch.pcf_limits
    res = R.pcf_limits(np.array([[1.0]]), np.array([[1.0]]), 60)
    assert abs(res.value[0] - float(mpmath.phi)) < 1e-14


# -- signed continued fractions ----------------------------------------------------------------------------------


def test_signed_cf_examples_of_the_reference_file():
    for ex in FORMULAS["signed_cf"]["examples"]:
        signs = [1 if s.strip() == "+" else -1 for s in ex["signs"].split(",")]
        want = [int(t) for t in ex["a"].replace("...", "").split(",") if t.strip()]
        with mpmath.workdps(300):
            got = signed_cf_expand(LIMITS[ex["limit"]](), signs, len(want))
        assert got == want, ex["limit"]
    simple = FORMULAS["simple_cf"]
    refs = {"e": mpmath.e, "tan(1)": lambda: mpmath.tan(1), "sqrt(e)": lambda: mpmath.sqrt(mpmath.e),
            "tanh(1)": lambda: mpmath.tanh(1)}
    for name, text in simple.items():
        head, tail = text.strip("[]").split(";")
        want = [int(head)] + [int(t) for t in tail.replace("...", "").split(",") if t.strip()]
        with mpmath.workdps(300):
            v = refs[name]() if callable(refs[name]) else +refs[name]
            assert signed_cf_expand(v, [1], len(want)) == want, name


def test_signed_expansion_of_e_continues_the_known_patterns():
    with mpmath.workdps(600):
        a = signed_cf_expand(mpmath.e, [1], 200)
        b = signed_cf_expand(mpmath.e / (mpmath.e - 1), [1, -1], 200)
    assert all(a[3 * k - 1] == 2 * k and a[3 * k] == 1 and a[3 * k + 1] == 1 for k in range(1, 66))
    assert all(b[n] == (n + 1 if n % 2 == 0 else 2) for n in range(200))


def test_signed_expansion_matches_textbook_loop_over_random_values_and_sign_patterns():
    rng = random.Random(7)
    for _ in range(120):
        k = rng.randint(1, 4)
        signs = [rng.choice([1, -1]) for _ in range(k)]
        mag = 10 ** rng.uniform(-3, 6)
        with mpmath.workdps(2000):
            x = mpmath.mpf(mag) * (1 + mpmath.sqrt(rng.randint(2, 10**6)) / 10**4)
        ref = naive_signed_expand(x, signs, 60, 2000)
        with mpmath.workdps(400):
            got = signed_cf_expand(+x, signs, 60)
        assert got == ref
        assert all(t >= 1 for t in got[1:]) and all(t >= 2 for i, t in enumerate(got[1:], 1) if signs[i % k] < 0)


def test_signed_expansion_is_rigorous_when_precision_runs_out():
    rng = random.Random(3)
    ran_out = 0
    for _ in range(60):
        signs = [rng.choice([1, -1]) for _ in range(rng.randint(1, 3))]
        with mpmath.workdps(3000):
            x = mpmath.exp(mpmath.mpf(rng.randint(1, 50)) / 7)
        ref = naive_signed_expand(x, signs, 400, 3000)
        for dps in (20, 60, 150):
            with mpmath.workdps(dps):
                part = signed_cf_expand(+x, signs, 400, strict=False)
                if len(part) < 400:
                    ran_out += 1
                    with pytest.raises(ValueError, match="insufficient precision"):
                        signed_cf_expand(+x, signs, 400)
            assert part == ref[: len(part)]  # never a wrong term: the prefix is certified
            # and the precision is used, not wasted: each term costs about 2 log10 of the tail
            cost = sum(2 * np.log10(max(abs(t), 2)) for t in ref[: len(part) + 1])
            assert len(part) == 400 or cost > dps - 12
    assert ran_out > 100


def test_signed_cf_value_round_trip_and_rational_inputs():
    with mpmath.workdps(500):
        x = mpmath.e / (mpmath.e - 2)
        a = signed_cf_expand(x, [1, 1, -1], 120)
        y = signed_cf_value(a, [1, 1, -1], 500)
        _, q = signed_cf_convergents(a, [1, 1, -1])
        # the truncation error of a convergent is about 1/q_N^2 (a few digits lost to the next partial denominator)
        assert digits_agree(y, x, 450) > 2 * mpmath.log10(q) - 6
    with mpmath.workdps(50):
        with pytest.raises(ValueError, match="insufficient precision"):
            signed_cf_expand(mpmath.mpf(7) / 4, [1], 10)  # a rational terminates
        with pytest.raises(ValueError, match="signs"):
            signed_cf_expand(mpmath.e, [1, 0], 5)
        with pytest.raises(ValueError, match="non-finite"):
            signed_cf_expand(mpmath.inf, [1], 5)
    assert R.sign_sequence([1, -1], 5) == [1, -1, 1, -1, 1]
    p, q = signed_cf_convergents([1, 2, 3], [1, -1])
    assert Fraction(p, q) == 1 + Fraction(1, 2 - Fraction(1, 3))


# -- Berlekamp–Massey --------------------------------------------------------------------------------------------


def _annihilates(C, seq, L, p=None):
    for n in range(L, len(seq)):
        acc = sum(C[j] * seq[n - j] for j in range(L + 1))
        if (acc % p if p else acc) != 0:
            return False
    return True


@pytest.mark.parametrize("p", [199, 2, 3, 10007, 2**31 - 1])
def test_bm_fibonacci_mod_p(p):
    fib = [0, 1]
    while len(fib) < 80:
        fib.append(fib[-1] + fib[-2])
    C, L = berlekamp_massey_mod(fib, p)
    assert L == 2 and C == [1, p - 1, p - 1]
    assert recurrence_extend(C, fib[:2], 80, modulus=p) == [x % p for x in fib]
    assert symmetric_residues(C, p) == ([1, -1, -1] if p > 2 else [1, 1, 1])


@pytest.mark.parametrize("p", [199, 211, 10007])
def test_bm_polynomials_mod_p(p):
    from math import comb

    for deg in range(0, 8):
        rng = random.Random(deg)
        coeffs = [rng.randint(-50, 50) for _ in range(deg)] + [rng.randint(1, 50)]
        seq = [sum(c * n ** (deg - i) for i, c in enumerate(coeffs)) for n in range(60)]
        C, L = berlekamp_massey_mod(seq, p)
        assert L == deg + 1
        assert symmetric_residues(C, p) == [(-1) ** j * comb(deg + 1, j) for j in range(deg + 2)]
        # regenerate over Z from the lifted recurrence
        assert recurrence_extend(symmetric_residues(C, p), seq[:L], 60) == seq


def test_bm_interlaced_polynomials_mod_199():
    # 1, 2, 3, 2, 5, 2, 7, ...: (1 - x^2)^2
    seq = [n + 1 if n % 2 == 0 else 2 for n in range(105)]
    C, L = berlekamp_massey_mod(seq, 199)
    assert L == 4 and symmetric_residues(C, 199) == [1, 0, -2, 0, 1]


def test_bm_recovers_random_lfsrs_and_is_minimal():
    rng = random.Random(11)
    for _ in range(200):
        p = rng.choice([5, 199, 65537])
        L0 = rng.randint(1, 12)
        conn = [1] + [rng.randrange(p) for _ in range(L0 - 1)] + [rng.randrange(1, p)]
        init = [rng.randrange(p) for _ in range(L0)]
        seq = recurrence_extend(conn, init, 2 * L0 + 10, modulus=p)
        C, L = berlekamp_massey_mod(seq, p)
        assert L <= L0 and _annihilates(C, seq, L, p)
        if L == L0:  # unique once 2L terms are known
            assert C == conn


def _min_linear_complexity_bruteforce(seq, p):
    n = len(seq)
    for L in range(0, n + 1):
        # exists c_1..c_L with seq[k] + sum c_j seq[k-j] = 0 mod p for k = L..n-1? Gaussian elimination mod p.
        rows = [[seq[k - j] % p for j in range(1, L + 1)] + [(-seq[k]) % p] for k in range(L, n)]
        r, col = 0, 0
        rows = [row[:] for row in rows]
        while r < len(rows) and col < L:
            piv = next((i for i in range(r, len(rows)) if rows[i][col]), None)
            if piv is None:
                col += 1
                continue
            rows[r], rows[piv] = rows[piv], rows[r]
            inv = pow(rows[r][col], -1, p)
            rows[r] = [v * inv % p for v in rows[r]]
            for i in range(len(rows)):
                if i != r and rows[i][col]:
                    f = rows[i][col]
                    rows[i] = [(v - f * w) % p for v, w in zip(rows[i], rows[r])]
            r += 1
            col += 1
        if all(any(row[:L]) or row[L] == 0 for row in rows):
            return L
    return n


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=1, max_size=9))
def test_bm_linear_complexity_equals_bruteforce_mod_5(seq):
    C, L = berlekamp_massey_mod(seq, 5)
    assert L == _min_linear_complexity_bruteforce(seq, 5)
    assert _annihilates(C, seq, L, 5)


def test_bm_rational():
    fib = [0, 1]
    while len(fib) < 30:
        fib.append(fib[-1] + fib[-2])
    assert berlekamp_massey_rational(fib) == ([1, -1, -1], 2)
    cubes = [n**3 for n in range(20)]
    C, L = berlekamp_massey_rational(cubes)
    assert L == 4 and C == [1, -4, 6, -4, 1]
    # s_n = s_{n-1}/2 + s_{n-2}/3 with rational data
    s = [Fraction(1), Fraction(2, 7)]
    while len(s) < 24:
        s.append(s[-1] / 2 + s[-2] / 3)
    C, L = berlekamp_massey_rational(s)
    assert L == 2 and C == [1, Fraction(-1, 2), Fraction(-1, 3)]
    assert recurrence_extend(C, s[:2], 24) == s
    # agrees with GF(p) on integer data whose recurrence has small integer coefficients
    rng = random.Random(5)
    for _ in range(30):
        conn = [1] + [rng.randint(-3, 3) for _ in range(rng.randint(1, 5))]
        if conn[-1] == 0:
            conn[-1] = 1
        seq = recurrence_extend(conn, [rng.randint(-5, 5) for _ in range(len(conn) - 1)], 40)
        Cq, Lq = berlekamp_massey_rational(seq)
        Cp, Lp = berlekamp_massey_mod(seq, 10007)
        assert _annihilates(Cq, seq, Lq)
        if Lq == Lp and all(x.denominator == 1 for x in Cq):
            assert symmetric_residues(Cp, 10007) == [int(x) for x in Cq]


def test_bm_and_recurrence_errors():
    with pytest.raises(ValueError, match="prime"):
        berlekamp_massey_mod([1, 2, 3], 200)
    with pytest.raises(ValueError, match="prime"):
        berlekamp_massey_mod([1, 2, 3], 2**31 + 11)
    with pytest.raises(ValueError, match="initial terms"):
        recurrence_extend([1, -1, -1], [1], 10)
    with pytest.raises(ValueError, match="empty"):
        recurrence_extend([], [], 3)
    assert berlekamp_massey_mod([], 7) == ([1], 0)
    assert berlekamp_massey_mod([0, 0, 0], 7) == ([1], 0)


def test_interlaced_polynomial_pattern():
    seq = [n + 1 if n % 2 == 0 else 2 for n in range(200)]
    pat = interlaced_polynomial_pattern(seq)
    assert pat["period"] == 2 and pat["start"] == 0 and pat["text"] == ["n + 1", "2"]
    e_cf = [2] + [(2 * (n + 1) // 3 if n % 3 == 2 else 1) for n in range(1, 200)]
    pat = interlaced_polynomial_pattern(e_cf)
    assert pat["period"] == 3 and pat["start"] == 1 and pat["text"] == ["1", "1", "2*n/3 + 2/3"]
    assert interlaced_polynomial_pattern([n * n - 3 for n in range(50)])["text"] == ["n**2 - 3"]
    rng = random.Random(0)
    assert interlaced_polynomial_pattern([rng.randint(1, 9) for _ in range(300)]) is None


# -- irrationality measure and convergence rate ------------------------------------------------------------------

ANCHOR_DELTAS = [  # (a, b, limit, delta at depth 1000 per ANCHORS §3)
    ("34*n**3+51*n**2+27*n+5", "-n**6", "6/zeta(3)", 0.086),
    ("11*n**2+11*n+3", "n**4", "5/zeta(2)", 0.100),
    ("1", "1", "golden ratio", 1.002),
    ("n+3", "-n", "e", 0.003),
    ("2*n+1", "n**2", "4/pi", -0.20),
]


@pytest.mark.parametrize("a,b,limit,want", ANCHOR_DELTAS, ids=[x[2] for x in ANCHOR_DELTAS])
def test_delta_matches_anchor_figures(a, b, limit, want):
    A, B = poly_of(a), poly_of(b)

    def L(dps):
        with mpmath.workdps(dps):
            return LIMITS[limit]()

    d = float(pcf_delta(A, B, 1000, L))
    assert abs(d - want) <= 0.0015 + 0.005 * abs(want)
    # blind delta (L = p_2000/q_2000, evaluated at 1000) agrees with the known-L value
    assert abs(float(pcf_delta(A, B, 2000)) - d) < 1e-6


def test_delta_curve_and_guards():
    A, B = IntPoly([1]), IntPoly([1])
    curve = delta_curve(A, B, [50, 100, 200], lambda dps: +mpmath.phi)
    assert all(1.0 < float(x) < 1.04 for x in curve) and float(curve[0]) > float(curve[-1])
    blind = delta_curve(A, B, [50, 100, 200])
    assert all(abs(float(x) - float(y)) < 1e-9 for x, y in zip(curve, blind))
    with mpmath.workdps(300):
        long_phi = +mpmath.phi  # an mpf carrying 300 digits is used at its own precision, not the context's
    assert abs(float(pcf_delta(A, B, 100, long_phi)) - float(pcf_delta(A, B, 100, lambda d: +mpmath.phi))) < 1e-12
    with mpmath.workdps(20):
        short = +mpmath.phi  # 20 digits cannot resolve |L - p/q| ~ 1e-40 at n = 100
    with pytest.raises(ValueError, match="not known to enough digits"):
        pcf_delta(A, B, 100, short)
    with pytest.raises(ValueError, match="blind delta"):
        pcf_delta(A, B, 10, None, at=10)
    with pytest.raises(ValueError, match="q = 0"):
        irrationality_measure(1, 0, Fraction(1, 2))


def test_convergence_rate_fits():
    g = convergence_rate(IntPoly([1]), IntPoly([1]), lambda d: +mpmath.phi, depth=200)
    assert abs(g["c1"] - (-2 * float(mpmath.log10(mpmath.phi)))) < 1e-3 and abs(g["c2"]) < 1e-3
    assert abs(g["digits_per_term"] - 0.418) < 2e-3
    e = convergence_rate(IntPoly([1, 3]), IntPoly([-1, 0]), lambda d: +mpmath.e, depth=200)
    assert abs(e["c2"] + 1 / np.log(10)) < 0.03  # error ~ 1/n!: n log n / ln 10
    with mpmath.workdps(600):
        e600 = +mpmath.e
    assert abs(convergence_rate(IntPoly([1, 3]), IntPoly([-1, 0]), e600, depth=200)["c2"] - e["c2"]) < 1e-9
    blind = convergence_rate(IntPoly([1, 3]), IntPoly([-1, 0]), None, depth=200)
    assert abs(blind["c2"] - e["c2"]) < 1e-3
    with pytest.raises(ValueError, match="depth >= 8"):
        convergence_rate(IntPoly([1]), IntPoly([1]), None, depth=4)
    with mpmath.workdps(15):
        short = +mpmath.e  # 15 digits cannot resolve errors of 1e-100: refused, not fitted to the noise floor
    with pytest.raises(ValueError, match="too few resolvable errors"):
        convergence_rate(IntPoly([1, 3]), IntPoly([-1, 0]), short, depth=200)
