"""PCF search: boxes, equivalences, the Möbius table, refinement metrics, and rediscovery of every PCF in
``constants_formulas.json`` from a small box around it."""

import itertools
import json
import math
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest
import sympy

from search.base import Candidate, Task
from search.constants.pcf import (MoebiusTable, PCFBox, PCFSearch, canonical_mask, eigenvalue_ratio,
                                  exact_convergents, moebius_lhs, parse_spec, poly_str, refine_pcf)

# the project's copy of ../shared/reference/constants_formulas.json (formulas verified to >= 50 digits)
FORMULAS = Path(__file__).resolve().parents[2] / "data" / "reference" / "constants_formulas.json"
DATA = json.loads(FORMULAS.read_text())

# limit in the JSON -> (target name, mpmath expression of the target)
TARGETS = {
    "1/(e-1)": ("e", "e"), "1/(e-2)": ("e", "e"), "e-1": ("e", "e"), "e": ("e", "e"), "e/(e-2)": ("e", "e"),
    "4/pi": ("pi", "pi"), "5/zeta(2)": ("zeta2", "zeta(2)"), "24/pi**2": ("zeta2", "zeta(2)"),
    "6/zeta(3)": ("zeta3", "zeta(3)"), "1+sqrt(2)": ("sqrt2", "sqrt(2)"), "golden ratio": ("golden", "phi"),
    "cot(1)": ("tan1", "tan(1)"), "coth(1)": ("coth1", "coth(1)"),
    "I1(2)/I0(2)": ("bessel_ratio_2", "besseli(1,2)/besseli(0,2)"),
    "I0(2)/I1(2)": ("bessel_ratio_2", "besseli(1,2)/besseli(0,2)"),
    "1/Gompertz": ("gompertz", "-e*ei(-1)"), "pi+3": ("pi", "pi"),
}
NS = {k: getattr(mpmath, k) for k in dir(mpmath) if not k.startswith("_")}


def mp_eval(expr, dps):
    with mpmath.workdps(dps):
        return +mpmath.mpf(eval(expr, {"__builtins__": {}}, NS))


def coeffs(poly):
    n = sympy.Symbol("n")
    return [int(c) for c in sympy.Poly(sympy.sympify(poly), n).all_coeffs()]


def box_spec(cs, vary=2):
    """A small box: the lowest ``vary`` coefficients range over c-1..c+1, the others are fixed."""
    out = []
    for k, c in enumerate(cs):
        out.append(f"{c - 1}..{c + 1}" if k >= len(cs) - vary else str(c))
    return ",".join(out)


ALL = [(f, False) for f in DATA["pcf"]] + [(f, True) for f in DATA["slow"]]


@pytest.mark.parametrize("formula,slow", ALL, ids=[f"{f['a']}|{f['b']}" for f, _ in ALL])
def test_rediscovers_reference_formula(formula, slow):
    name, expr = TARGETS[formula["limit"]]
    a, b = coeffs(formula["a"]), coeffs(formula["b"])
    value = mp_eval(expr, 130)
    # default scan depth 100 for all: slow (algebraic, sub-exponential) ones are caught by the Aitken screen
    eng = PCFSearch(name, value, box_spec(a), box_spec(b), depth=2000, digits=100, scan_depth=100)
    found = [c for t in eng.tasks() for c in eng.run_task(t)]
    mine = [c for c in found if c.meta["a_coeffs"] == a and c.meta["b_coeffs"] == b]
    assert len(mine) == 1, [(c.lhs, c.rhs) for c in found]
    c = mine[0]
    assert c.rhs == f"PCF({poly_str(a)}, {poly_str(b)})"
    # the Möbius transform it names is the JSON's limit, to all the digits the JSON gives
    al, be, ga, ep = c.meta["moebius"]
    with mpmath.workdps(60):
        t = mp_eval(expr, 60)
        lim = (al + be * t) / (ga + ep * t)
        if "value" in formula:
            ref = mpmath.mpf(formula["value"])
            assert abs(lim - ref) <= mpmath.mpf(10) ** -38 * abs(ref)
    if slow:
        # slow convergers need a deeper refinement; those that still cannot deliver 100 digits say so
        assert c.meta["depth"] > 2000
        assert (c.meta["slow"] and 12 <= c.digits < 100) or (not c.meta["slow"] and c.digits >= 100)
    else:
        assert c.digits >= 100 and c.meta["slow"] is False
    assert len(c.meta["delta"]) == 2 and c.meta["depth"] >= 1000
    assert c.check["type"] == "pcf" and c.kind == "identity"


def test_delta_and_rates_match_anchor_values():
    """ANCHORS §3: delta at depth 1000 (blind, N = 2000)."""
    cases = [([34, 51, 27, 5], [-1, 0, 0, 0, 0, 0, 0], 0.086, 0.01), ([11, 11, 3], [1, 0, 0, 0, 0], 0.100, 0.01),
             ([1, 3], [-1, 0], 0.003, 0.005), ([1], [1], 1.002, 0.005), ([2, 1], [1, 0, 0], -0.20, 0.01)]
    for a, b, delta, tol in cases:
        info = refine_pcf(a, b, 2000)
        assert info["delta"][1] == pytest.approx(delta, abs=tol), (a, b, info["delta"])
    # geometric convergence of 4/pi: rate = 2 log10(1 + sqrt 2) digits per term
    info = refine_pcf([2, 1], [1, 0, 0], 2000)
    assert info["rate"] == pytest.approx(2 * math.log10(1 + math.sqrt(2)), rel=1e-3)
    # super-exponential (e): the n log n term of the fit dominates; algebraic (pi+3): almost no rate
    assert refine_pcf([1, 3], [-1, 0], 2000)["fit"]["nlogn"] > 0.3
    assert refine_pcf([6], [4, -4, 1], 2000)["rate"] < 0.01


def test_eigenvalue_ratio():
    assert eigenvalue_ratio([2, 1], [1, 0, 0]) == pytest.approx((math.sqrt(2) - 1) / (math.sqrt(2) + 1))
    assert eigenvalue_ratio([1, 3], [-1, 0]) == 0.0           # deg b < 2 deg a: super-exponential
    assert eigenvalue_ratio([2, 2], [-1, 0, 0]) == 1.0        # double root: sub-exponential
    assert eigenvalue_ratio([1], [1]) == pytest.approx((math.sqrt(5) - 1) / (math.sqrt(5) + 1))


def test_exact_convergents_small_cases():
    # golden ratio: p_n/q_n = F_{n+2}/F_{n+1}
    conv = exact_convergents([1], [1], [0, 1, 5, 10])
    fib = [0, 1]
    for _ in range(15):
        fib.append(fib[-1] + fib[-2])
    for n, (p, q) in conv.items():
        assert Fraction(p, q) == Fraction(fib[n + 2], fib[n + 1])


@pytest.mark.parametrize("spec,ranges", [("0..3,1..5", [(0, 3), (1, 5)]), ("0..2,-4..4,0", [(0, 2), (-4, 4), (0, 0)]),
                                         ("7", [(7, 7)]), (" -3 .. -1 , 2", [(-3, -1), (2, 2)])])
def test_parse_spec(spec, ranges):
    assert parse_spec(spec) == ranges


@pytest.mark.parametrize("spec,msg", [("", "empty"), ("3..1", "inverted"), ("1..", "bad"), ("a", "bad"),
                                      ("1,,2", "bad"), ("0..10000000", "exceeds")])
def test_parse_spec_rejects(spec, msg):
    with pytest.raises(ValueError, match=msg):
        parse_spec(spec)


def test_box_decode_covers_every_pcf_once():
    box = PCFBox.from_specs("-1..1,0..2", "0..1,-2..2,3")
    A, B = box.decode(0, box.size)
    rows = {tuple(a) + tuple(b) for a, b in zip(A.tolist(), B.tolist())}
    assert len(rows) == box.size == 3 * 3 * 2 * 5
    want = set(itertools.product(range(-1, 2), range(0, 3), range(0, 2), range(-2, 3), [3]))
    assert rows == want
    A2, B2 = box.decode(7, 19)
    assert (A2 == A[7:19]).all() and (B2 == B[7:19]).all()


def test_canonical_mask_removes_exactly_the_scalings():
    box = PCFBox.from_specs("-4..4,-4..4", "-8..8,-6..6")
    A, B = box.decode(0, box.size)
    keep = canonical_mask(A, B, box)
    kept = {(tuple(a), tuple(b)) for a, b, k in zip(A.tolist(), B.tolist(), keep) if k}
    allp = {(tuple(a), tuple(b)) for a, b in zip(A.tolist(), B.tolist())}

    def scaled(a, b, k):
        return tuple(x * k for x in a), tuple(x * k * k for x in b)

    # no two kept PCFs are related by an integer scaling k (|k| >= 1, not the identity)
    for a, b in kept:
        assert any(a) and any(b)
        for k in (-1, 2, -2, 3, -3, 4, -4):
            assert scaled(a, b, k) not in kept or k == 1
    # every dropped non-degenerate PCF has an equivalent kept one (PCF(ka, k^2 b) = k PCF(a, b))
    for a, b in allp - kept:
        if not any(a) or not any(b):
            continue
        ok = False
        for num in range(1, 5):
            for den in range(1, 5):
                for s in (1, -1):
                    k = Fraction(s * num, den)
                    a2 = tuple(x * k for x in a)
                    b2 = tuple(x * k * k for x in b)
                    if all(x.denominator == 1 for x in a2 + b2):
                        if (tuple(int(x) for x in a2), tuple(int(x) for x in b2)) in kept:
                            ok = True
        assert ok, (a, b)
    # and the scaling really is an equivalence: PCF(-a, b) = -PCF(a, b), PCF(2a, 4b) = 2 PCF(a, b)
    p, q = exact_convergents([2, 1], [1, 0, 0], [50])[50]
    p2, q2 = exact_convergents([-4, -2], [4, 0, 0], [50])[50]
    assert Fraction(p2, q2) == -2 * Fraction(p, q)


def test_moebius_table():
    with mpmath.workdps(30):
        c = +mpmath.pi
    t = MoebiusTable(c, 3)
    assert len(t) > 500
    # every value is a reduced, non-degenerate transform of pi and the target itself is present
    for (al, be, ga, ep), v in zip(t.coeffs[:200].tolist(), t.values[:200]):
        assert al * ep - be * ga != 0 and math.gcd(math.gcd(al, be), math.gcd(ga, ep)) == 1
        assert v == pytest.approx((al + be * math.pi) / (ga + ep * math.pi), rel=1e-14)
    hit, lo, hi = t.lookup([math.pi, 3 / math.pi, 22 / 7, 1 / (math.pi - 3) + 1e-7], 1e-10)
    assert hit.tolist() == [0, 1]
    assert t.coeffs[lo[0]].tolist() == [0, 1, 1, 0] and t.coeffs[lo[1]].tolist() == [3, 0, 0, 1]
    # quadratic irrationals: equal values collapse onto the simplest tuple (phi = 1/(phi - 1))
    with mpmath.workdps(30):
        g = MoebiusTable(+mpmath.phi, 2)
    hit, lo, hi = g.lookup([float(mpmath.phi)], 1e-12)
    assert (hi - lo).tolist() == [1] and g.coeffs[lo[0]].tolist() == [0, 1, 1, 0]


def test_moebius_lhs_strings():
    assert moebius_lhs("pi", (4, 0, 0, 1)) == "4/pi"
    assert moebius_lhs("e", (1, 0, -2, 1)) == "1/(e - 2)"
    assert moebius_lhs("tan(1)", (1, 0, 0, 1)) == "1/tan(1)"
    assert moebius_lhs("e**2", (0, 1, 1, 0)) == "(e**2)"


def test_rational_limits_are_flagged_not_matched():
    with mpmath.workdps(130):
        e = +mpmath.e
    eng = PCFSearch("e", e, "1,-2", "1,1", keep_rational=True)  # PCF(n - 2, n + 1) = 1/3
    found = [c for t in eng.tasks() for c in eng.run_task(t)]
    assert [(c.lhs, c.meta.get("rational")) for c in found] == [("1/3", True)]
    eng = PCFSearch("e", e, "1,-2", "1,1")
    assert [c for t in eng.tasks() for c in eng.run_task(t)] == []


def test_tasks_are_deterministic_slices_and_picklable():
    import pickle

    with mpmath.workdps(130):
        pi = +mpmath.pi
    eng = PCFSearch("pi", pi, "0..3,-2..2", "-2..2,-2..2,-2..2", chunk=600)
    tasks = eng.tasks()
    assert [(t.payload["start"], t.payload["stop"]) for t in tasks] == [(0, 600), (600, 1200), (1200, 1800),
                                                                         (1800, 2400), (2400, 2500)]
    assert [t.key for t in tasks] == [t.key for t in PCFSearch("pi", pi, "0..3,-2..2", "-2..2,-2..2,-2..2",
                                                               chunk=600).tasks()]
    assert len({t.key for t in tasks}) == len(tasks)
    eng.table()
    clone = pickle.loads(pickle.dumps(eng))
    assert clone._table is None
    whole = sorted((c.lhs, c.rhs) for t in tasks for c in clone.run_task(t))
    assert ("4/pi", "PCF(2*n + 1, n**2)") in whole
    again = sorted((c.lhs, c.rhs) for c in eng.scan(0, eng.box.size))
    assert whole == again
    assert all(isinstance(c, Candidate) for c in eng.run_task(Task(key="k", engine="pcf",
                                                                    payload={"start": 0, "stop": 10})))


@pytest.mark.parametrize("kwargs,msg", [
    (dict(a_spec="3..1"), "inverted"),
    (dict(a_spec=""), "empty"),
    (dict(b_spec="1..x"), "bad"),
    (dict(depth=500), "depth"),
    (dict(digits=12), "too little precision"),
    (dict(scan_depth=10**6), "too little precision for the depth"),
    (dict(lhs_coeff_limit=0), "lhs-coeff-limit"),
    (dict(value="3.14159"), "too little precision"),
    (dict(value=mpmath.mpf(0)), "nonzero"),
    (dict(value=mpmath.mpf(mpmath.pi)), "too little precision"),  # 15 digits at the default mp.dps
    (dict(value=3.141592653589793), "too little precision"),
])
def test_bad_input(kwargs, msg):
    args = dict(target="pi", value=mpmath.pi, a_spec="0..2,1", b_spec="1,0,0")
    args.update(kwargs)
    with pytest.raises(ValueError, match=msg):
        eng = PCFSearch(**args)
        eng.table()
