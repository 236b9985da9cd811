"""ESMA engine: the reference run's 13 formulas, the ANCHORS §3 figures, the meta contract, and bad input."""

from __future__ import annotations

import pickle

import mpmath
import pytest
import sympy

from numerics.recurrence import interlaced_polynomial_pattern, recurrence_extend, signed_cf_value
from search.base import Candidate, Engine
from search.constants.esma import ESMAEngine, enumerate_lhs, lhs_text, sign_periods

#: The reference run: e, sign period 2..2, depth 105, poly_deg 1, coeff_limit 2 (ANCHORS §3 item 6).
REFERENCE = {
    "(2*e + 2)/(e - 1)": ((1, 1), 4, [4, 3, 20, 7, 36, 11, 52, 15]),
    "(2*e - 2)/e": ((1, 1), 9, [1, 3, 1, 3, 1, 1, 1, 3]),
    "(e + 1)/(2*e - 2)": ((1, 1), 4, [1, 12, 5, 28, 9, 44, 13, 60]),
    "(e + 1)/(e - 1)": ((1, 1), 2, [2, 6, 10, 14, 18, 22, 26, 30]),
    "(e + 1)/2": ((1, -1), 4, [1, 2, 1, 6, 1, 10, 1, 14]),
    "(e + 1)/e": ((-1, 1), 4, [2, 1, 2, 3, 2, 5, 2, 7]),
    "(e - 1)/(e - 2)": ((1, -1), 4, [2, 3, 2, 5, 2, 7, 2, 9]),
    "1/(e - 1)": ((-1, 1), 4, [1, 2, 3, 2, 5, 2, 7, 2]),
    "1/(e - 2)": ((1, 1), 6, [1, 2, 1, 1, 4, 1, 1, 6]),
    "2/(e - 1)": ((-1, 1), 4, [2, 1, 6, 1, 10, 1, 14, 1]),
    "e - 1": ((-1, 1), 4, [2, 3, 2, 5, 2, 7, 2, 9]),
    "e/(e - 1)": ((1, -1), 4, [1, 2, 3, 2, 5, 2, 7, 2]),
    "e/(e - 2)": ((1, 1), 9, [3, 1, 3, 1, 1, 1, 3, 3]),
}


def e_value(dps):
    with mpmath.workdps(dps):
        return +mpmath.e


def run_all(engine) -> list[Candidate]:
    return [c for t in engine.tasks() for c in engine.run_task(t)]


@pytest.fixture(scope="module")
def reference_run():
    eng = ESMAEngine("e", e_value, sign_periods=(2, 2), depth=105, poly_deg=1, coeff_limit=2)
    return eng, run_all(eng)


def test_sign_periods_skip_repeats_of_shorter_periods_in_range():
    assert sign_periods(2, 2) == [(1, 1), (1, -1), (-1, 1), (-1, -1)]
    assert sign_periods(1, 2) == [(1,), (-1,), (1, -1), (-1, 1)]
    p14 = sign_periods(1, 4)
    assert len(p14) == 2 + 2 + 6 + 12 and len(set(p14)) == len(p14)
    assert (1, -1, 1, -1) not in p14 and (1, 1, 1) not in p14
    assert (1, -1, 1, -1) in sign_periods(3, 4)  # its period 2 is not in the range
    for lo, hi in [(0, 2), (3, 2)]:
        with pytest.raises(ValueError, match="sign period"):
            sign_periods(lo, hi)


def test_lhs_enumeration_drops_zero_rational_and_duplicates():
    with mpmath.workdps(150):
        c = +mpmath.e
    lhs = enumerate_lhs(c, 1, 2)
    assert len(lhs) == 112
    with mpmath.workdps(60):
        vals = [abs((n[0] * c + n[1]) / (d[0] * c + d[1])) for n, d in lhs]
        keys = {mpmath.nstr(v, 40) for v in vals}
    assert len(keys) == len(lhs)  # distinct values
    assert all(n[0] * d[1] - n[1] * d[0] != 0 for n, d in lhs)  # no rational (proportional) pairs
    assert ((1, 0), (1, -1)) in lhs  # e/(e - 1), smallest height representative
    # an algebraic constant: (phi**2 - phi) / 1 = 1 is rational although P and Q are not proportional
    with mpmath.workdps(150):
        phi = +mpmath.phi
    lhs2 = enumerate_lhs(phi, 2, 1)
    with mpmath.workdps(60):
        for n, d in lhs2:
            v = (n[0] * phi**2 + n[1] * phi + n[2]) / (d[0] * phi**2 + d[1] * phi + d[2])
            assert abs(v - mpmath.nint(v)) > 1e-30 or abs(v) > 1e6
    with pytest.raises(ValueError, match="poly_deg"):
        enumerate_lhs(c, 0, 2)


def test_lhs_text_is_sympy_parsable():
    e = sympy.E
    cases = [((1, 0), (1, -1), "e/(e - 1)"), ((-1, 2), (1, -1), "(2 - e)/(e - 1)"), ((1, 1), (0, 2), "(e + 1)/2"),
             ((0, 1), (2, 0), "1/(2*e)"), ((2, -2), (1, 0), "(2*e - 2)/e")]
    for num, den, want in cases:
        text = lhs_text(num, den, "e")
        assert text == want
        assert sympy.simplify(sympy.sympify(text, locals={"e": e}) - (num[0] * e + num[1]) / (den[0] * e + den[1])) == 0
    assert lhs_text((1, 0), (1, 1), "besseli(1,2)/besseli(0,2)") == \
        "(besseli(1,2)/besseli(0,2))/((besseli(1,2)/besseli(0,2)) + 1)"
    assert lhs_text((1, 0), (1, -1), "tan(1)") == "tan(1)/(tan(1) - 1)"


def test_reference_run_gives_exactly_the_13_formulas(reference_run):
    eng, cands = reference_run
    assert isinstance(eng, Engine)
    assert len(cands) == 13 and len({c.canonical for c in cands}) == 13
    got = {c.lhs: (tuple(c.meta["signs"]), c.meta["register_length"], c.meta["partial_denominators"][:8])
           for c in cands}
    assert got == REFERENCE
    # the two formulas ANCHORS/constants_formulas.json name
    assert got["e/(e - 1)"][0] == (1, -1) and got["e/(e - 2)"][0] == (1, 1)


def test_reference_candidates_meta_contract(reference_run):
    _, cands = reference_run
    for c in cands:
        m = c.meta
        assert c.engine == "esma" and c.kind == "identity" and c.target == "e"
        signs, pd = m["signs"], m["partial_denominators"]
        assert len(pd) == 500 and all(isinstance(x, int) for x in pd)
        rec = m["recurrence"]
        L = m["register_length"]
        assert len(rec["connection"]) == L + 1 and rec["connection"][0] == 1 and rec["connection"][-1] != 0
        assert rec["initial"] == pd[:L] and rec["prime"] == 199
        assert recurrence_extend(rec["connection"], rec["initial"], 500) == pd  # the recurrence generates them
        pat = m["pattern"]
        assert pat is not None  # every reference formula is interlaced polynomials
        n = sympy.Symbol("n")
        polys = [sympy.sympify(t) for t in pat["polynomials"]]
        assert all(polys[k % pat["period"]].subs(n, k) == pd[k] for k in range(pat["start"], 500))
        assert pat["start"] == 0  # no irregular prefix: the recurrence holds from the first term
        assert interlaced_polynomial_pattern(pd)["text"] == pat["polynomials"]
        # the formula holds: the value of 500 terms vs the left-hand side at 300 digits
        with mpmath.workdps(320):
            e = +mpmath.e
            lhs = eval(c.lhs, {"e": e})  # noqa: S307 - our own formula text
            rhs = signed_cf_value(pd, signs, 320)
            assert abs(lhs - rhs) < mpmath.mpf(10) ** -300 * lhs
        assert m["approve_digits"] >= 100
        assert 0.9 < m["delta"]["value"] < 1.1  # signed CFs of e: delta ~ 1 (convergents are near-best)
        rate = m["convergence_rate"]
        assert rate["digits_per_term"] > 1 and rate["c2"] < -0.2  # factorial (n log n) convergence
        if c.lhs == "(e + 1)/(e - 1)":  # a_n = 4n + 2: error ~ 1/prod a_n^2 ~ (n!)^-2, so c2 = -2/ln 10
            assert abs(rate["c2"] + 2 / 2.302585) < 0.03
        assert c.check["type"] == "scf" and c.check["connection"] == rec["connection"]


def test_approve_rejects_a_wrong_recurrence(reference_run):
    eng, cands = reference_run
    c = next(c for c in cands if c.lhs == "e/(e - 1)")
    conn = c.meta["recurrence"]["connection"]
    init = list(c.meta["recurrence"]["initial"])
    with mpmath.workdps(1010):
        v = eng._lhs_value((1, 0), (1, -1), 1000)[0]
    C199 = [x % 199 for x in conn]
    assert eng._approve(C199, len(init), c.meta["partial_denominators"][:105], (1, -1), v) is not None
    # a different sign period with the same terms is a different number
    assert eng._approve(C199, len(init), c.meta["partial_denominators"][:105], (1, 1), v) is None


@pytest.mark.parametrize(
    "name,value,expected",
    [("e", e_value, 17),
     ("exp(2)", lambda d: mpmath.exp(2), 16),
     ("tan(1)", lambda d: mpmath.tan(1), 21),
     ("besseli(1,2)/besseli(0,2)", lambda d: mpmath.besseli(1, 2) / mpmath.besseli(0, 2), 19),
     ("pi", lambda d: +mpmath.pi, 0)],
    ids=["e", "e2", "tan1", "I1_I0", "pi"])
def test_anchor_figures_degree_1_limit_2_periods_1_to_4(name, value, expected):
    """ANCHORS §3 item 7: 17 for e, 16 for e^2, 21 for tan 1, 19 for I1(2)/I0(2), 0 for pi (negative control)."""
    eng = ESMAEngine(name, value, sign_periods=(1, 4), depth=100, poly_deg=1, coeff_limit=2)
    cands = run_all(eng)
    assert len(cands) == expected


def test_allow_prefix_finds_more_and_all_hold():
    eng = ESMAEngine("e", e_value, sign_periods=(2, 2), depth=105, allow_prefix=True, verify_depth=400,
                     verify_dps=400)
    cands = run_all(eng)
    assert len(cands) > 13
    with mpmath.workdps(200):
        e = +mpmath.e
        for c in cands:
            lhs = eval(c.lhs, {"e": e})  # noqa: S307
            rhs = signed_cf_value(c.meta["partial_denominators"], c.meta["signs"], 200)
            assert abs(lhs - rhs) < mpmath.mpf(10) ** -100 * lhs


def test_engine_is_picklable_and_tasks_deterministic(reference_run):
    eng, _ = reference_run
    clone = pickle.loads(pickle.dumps(eng))
    assert [t.key for t in clone.tasks()] == [t.key for t in eng.tasks()]
    other = ESMAEngine("pi", lambda d: +mpmath.pi, sign_periods=(2, 2), depth=105)
    assert not {t.key for t in other.tasks()} & {t.key for t in eng.tasks()}
    t = eng.tasks()[0]
    assert [c.lhs for c in clone.run_task(t)] == [c.lhs for c in eng.run_task(t)]


@pytest.mark.parametrize("kwargs,match", [
    ({"depth": 4}, "depth must be at least 8"),
    ({"sign_periods": (3, 2)}, "sign period range"),
    ({"sign_periods": (0, 2)}, "sign period range"),
    ({"enum_dps": 60, "depth": 105}, "too little precision for the depth"),
    ({"enum_dps": 130, "depth": 105}, None),
    ({"verify_dps": 100, "verify_digits": 100}, "too little precision"),
    ({"prime": 200}, "prime"),
    ({"poly_deg": 0}, "poly_deg"),
    ({"coeff_limit": 0}, "coeff_limit"),
    ({"verify_depth": 50}, "verify_depth"),
])
def test_bad_configuration_raises_value_error(kwargs, match):
    if match is None:
        ESMAEngine("e", e_value, **kwargs)  # enough precision: accepted
        return
    with pytest.raises(ValueError, match=match):
        ESMAEngine("e", e_value, **kwargs)


def test_value_precision_and_target_checks():
    with mpmath.workdps(50):
        short = +mpmath.e
    with pytest.raises(ValueError, match="carries about"):
        ESMAEngine("e", short)
    with pytest.raises(ValueError, match="constant"):
        ESMAEngine("", e_value)
    with pytest.raises(ValueError, match="not finite"):
        ESMAEngine("x", lambda d: mpmath.inf)


def test_precision_shortfall_is_retried_not_dropped():
    # at 130 digits some fast-growing expansions run out before 105 terms; the engine retries them with the
    # digits the constant carries, so the result does not depend on enum_dps
    eng = ESMAEngine("e", e_value, sign_periods=(2, 2), depth=105, enum_dps=130)
    assert sorted(c.lhs for c in run_all(eng)) == sorted(REFERENCE)


def test_degree_2_prefers_the_reduced_representative():
    with mpmath.workdps(150):
        c = mpmath.sqrt(mpmath.e)
    lhs = enumerate_lhs(c, 2, 1)
    assert ((0, 1, 0), (0, 0, 1)) in lhs  # c itself, not c**2/c
    assert ((1, 0, 0), (0, 1, 0)) not in lhs
    assert ((0, 1, 1), (0, 1, -1)) in lhs and ((1, 1, 0), (1, -1, 0)) not in lhs  # (c+1)/(c-1), not (c²+c)/(c²-c)
