"""search.expr functional hashing: equivalent rewritings hash together, perturbed ones hash apart; the LRU cache."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import search.expr as E
from search.expr import FunctionalCache, const, functional_hash, functional_hashes, make, parse, var
from tests.search.expr_strategies import exprs

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
SETTINGS = settings(max_examples=200, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
V = ["x", "y"]


def h(s, **kw):
    return functional_hash(parse(s, V, evaluate=False) if isinstance(s, str) else s, V, **kw)


IDENTITIES = [
    ("log(x*y)", "log(x) + log(y)"),
    ("(x**2 - y**2)/(x - y)", "x + y"),
    ("sqrt(x**2)", "x"),
    ("exp(x + y)", "exp(x)*exp(y)"),
    ("x*(y + 1)", "x*y + x"),
    ("(x + y)**2", "x**2 + 2*x*y + y**2"),
    ("sin(x)**2 + cos(x)**2", "1 + 0*x"),
    ("tan(x)", "sin(x)/cos(x)"),
    ("sin(2*x)", "2*sin(x)*cos(x)"),
    ("log(x**3)", "3*log(x)"),
    ("x/y/x", "1/y"),
    ("abs(x)*y", "x*y"),             # holds on the positive box
    ("exp(log(x)*y)", "x**y"),
    ("fma(x, y, x)", "x*(y + 1)"),
    ("tanh(x)", "(exp(2*x) - 1)/(exp(2*x) + 1)"),
    ("atan(x) + atan(1/x)", "pi/2 + 0*x"),  # x > 0
    ("asin(x/(x + y))", "atan(x/sqrt((x + y)**2 - x**2))"),
]


@pytest.mark.parametrize("a,b", IDENTITIES)
def test_identities_on_positive_reals_hash_together(a, b):
    assert h(a) == h(b)


NON_IDENTITIES = [
    ("x + y", "x + y*(1 + 1e-7)"),
    ("x*y", "x*y*(1 - 1e-7)"),
    ("log(x)", "log(x)*(1 + 1e-7)"),
    ("exp(x)", "exp(x) + 1e-7*exp(x)"),
    ("sqrt(x**2)", "-x"),
    ("x", "y"),
    ("x*y", "y*x + 1e-6*x"),    # >= 2.5e-7 relative on the box (y <= 4)
    ("sin(x)", "x - x**3/6 + x**5/120"),
    ("log(-x)", "log(x)"),     # invalid everywhere vs valid
]


@pytest.mark.parametrize("a,b", NON_IDENTITIES)
def test_different_functions_hash_apart(a, b):
    assert h(a) != h(b)


def test_nan_and_inf_patterns_are_part_of_the_hash():
    x, y = var("x"), var("y")
    all_nan = E.log(-x)
    assert h(all_nan) == h(E.sqrt(-y))                      # both NaN at every probe
    assert h(1 / (x - x)) != h(all_nan)                     # +-inf / nan pattern differs
    assert h(1 / (x - x)) == h(y / (y - y))                 # 1/0 = inf at every probe for both
    assert h(-1 / (x - x)) != h(1 / (x - x))                # sign of infinity counts
    # NaN on part of the box only: the pattern (which probes) matters
    box = [(-1.0, 1.0), (-1.0, 1.0)]
    assert h(E.sqrt(x) + y, domain=box) != h(E.sqrt(y) + x, domain=box)
    assert h(E.sqrt(x) * 0 + y, domain=box) != h(y, domain=box)


def test_domain_changes_which_identities_hold():
    box = [(-2.0, 2.0), (-2.0, 2.0)]
    assert h("sqrt(x**2)") == h("x")
    assert h("sqrt(x**2)", domain=box) != h("x", domain=box)
    assert h("sqrt(x**2)", domain=box) == h("abs(x)", domain=box)
    with pytest.raises(ValueError, match="domain"):
        h("x", domain=[(1.0, 0.0), (0.0, 1.0)])
    with pytest.raises(ValueError, match="intervals"):
        h("x", domain=[(0.0, 1.0)] * 3)


def test_batch_hashes_equal_single_hashes_and_params_count():
    terms = [parse(s, V) for s in ("x + y", "c0*x", "c0*x + c1", "log(x*y)", "log(x) + log(y)")]
    P = [[], [2.0], [2.0, 0.0], [], []]
    hb = functional_hashes(terms, V, params=P)
    hs = [functional_hash(t, V, params=p or None) for t, p in zip(terms, P)]
    assert [int(v) for v in hb] == hs
    assert hs[1] == hs[2] and hs[3] == hs[4] and hs[0] != hs[1]
    assert list(functional_hashes(E.pack([E.encode(t, V) for t in terms]), V, params=P, parallel=True)) == hs
    with pytest.raises(ValueError, match="params"):
        functional_hash(terms[1], V)


@SETTINGS
@given(exprs(params=2), st.lists(st.floats(-3, 3), min_size=2, max_size=2))
def test_one_call_hash_of_a_term_equals_hash_of_its_program(e, pv):
    """functional_hash(Expr) maps, evaluates and hashes the term's flat (tree) code in one compiled call; it
    must equal the hash of the encoded (shared) program, and of the batch path."""
    u = e + const(1)
    e = u * u + E.sin(u)  # a repeated subterm: STORE/LOAD in the program, recomputed in the tree code
    params = pv if E.params_of(e) else None
    prog = E.encode(e, V)
    assert prog.n_regs >= 1
    h1 = functional_hash(e, V, params=params)
    assert h1 == functional_hash(prog, V, params=params)
    assert h1 == int(functional_hashes([e], V, params=[params or []])[0])
    assert functional_hash(e, V, params=params, digits=6, n_probes=8) == \
        functional_hash(prog, V, params=params, digits=6, n_probes=8)


def test_one_call_hash_errors():
    with pytest.raises(ValueError, match="need 2 parameter values, got 1"):
        functional_hash(parse("c0*x + c1", V), V, params=[1.0])
    with pytest.raises(ValueError, match="pass params="):
        functional_hash(parse("c0*x + c1", V), V)
    with pytest.raises(ValueError, match="'z' is not in the variables"):
        functional_hash(var("z") + var("x"), V)


# --- Hypothesis: equivalent rewritings hash together ---------------------------------------------------------
def _rewrite(e, choice: int):
    """One exact (over the reals) algebraic rewrite applied at the root, or None if it does not apply."""
    op, a = e.op, e.args
    rules = []
    if op in ("add", "mul"):
        rules.append(lambda: make(op, a[1], a[0]))                                  # commutativity
    if op == "add" and a[0].op == "add":
        rules.append(lambda: a[0].args[0] + (a[0].args[1] + a[1]))                  # associativity
    if op == "mul" and a[1].op == "add":
        rules.append(lambda: a[0] * a[1].args[0] + a[0] * a[1].args[1])             # distributivity
    if op == "sub":
        rules.append(lambda: a[0] + (-a[1]))
        rules.append(lambda: -(a[1] - a[0]))
    if op == "div":
        rules.append(lambda: a[0] * (const(1) / a[1]))
    if op == "fma":
        rules.append(lambda: a[0] * a[1] + a[2])
    if op == "powi" and e.value == 2:
        rules.append(lambda: a[0] * a[0])
    if op == "neg":
        rules.append(lambda: const(-1) * a[0])
    rules.append(lambda: e * 2 / 2)
    rules.append(lambda: e + e - e)
    return rules[choice % len(rules)]()


def _rewrite_somewhere(e, path: list[int]):
    """Apply one rewrite at the subterm reached by following ``path`` (child indices, taken modulo arity)."""
    if not path or not e.args:
        return _rewrite(e, path[0] if path else 0)
    i = path[0] % len(e.args)
    kids = list(e.args)
    kids[i] = _rewrite_somewhere(kids[i], path[1:])
    return make(e.op, *kids, value=e.value if e.op == "powi" else None)


@SETTINGS
@given(exprs(max_leaves=10), st.lists(st.integers(0, 7), min_size=1, max_size=6),
       st.lists(st.integers(0, 7), min_size=1, max_size=6))
def test_equivalent_rewritings_hash_together(e, path1, path2):
    r = _rewrite_somewhere(_rewrite_somewhere(e, path1), path2)
    pts = E.probe_points(2)
    with np.errstate(all="ignore"):
        a = E.compile(e, V)(pts.T)
        b = E.compile(r, V)(pts.T)
    # Both sides are the same real function; in floating point they differ by round-off.  The hash is only
    # meant to identify them when that round-off is far below the 9-digit rounding step (a round-off of
    # 1e-13 relative straddles a rounding boundary with probability ~16 * 1e-13 / 1e-9 ~ 2e-3), and when
    # round-off does not flip validity (0*inf, overflow).
    fin = np.isfinite(a) & np.isfinite(b)
    assume(np.array_equal(np.isfinite(a), np.isfinite(b)))
    assume(np.array_equal(np.isnan(a), np.isnan(b)))
    assume(np.array_equal(a[~fin], b[~fin], equal_nan=True))  # 1/(-0.0) vs 1/(+0.0): signed-zero round-off
    rel = np.abs(a[fin] - b[fin]) / np.maximum(np.abs(a[fin]), 1e-300)
    assume(rel.size == 0 or rel.max() < 1e-14)
    assume(np.all((np.abs(a[fin]) > 1e-290) | (a[fin] == b[fin])))
    assert functional_hash(e, V) == functional_hash(r, V)


@SETTINGS
@given(exprs(max_leaves=10), st.sampled_from([1e-7, -1e-7, 3e-7, 1e-6, 1e-3]))
def test_perturbed_expressions_hash_apart(e, eps):
    pts = E.probe_points(2)
    with np.errstate(all="ignore"):
        v = E.compile(e, V)(pts.T)
    ok = np.isfinite(v) & (v != 0) & (np.abs(v) > 1e-300) & (np.abs(v) < 1e300)
    assume(ok.any())  # a function that is 0/NaN/inf at every probe cannot be perturbed relatively
    p = e * const(1 + eps)
    assert functional_hash(p, V) != functional_hash(e, V)
    q = e + const(eps) * e
    assert functional_hash(q, V) != functional_hash(e, V)


# --- the cache -------------------------------------------------------------------------------------------------
def test_functional_cache_lru_and_recheck():
    cache = FunctionalCache(maxsize=2, recheck_after=3, variables=V)
    calls = []

    def score(tag):
        calls.append(tag)
        return tag

    a, a2, b, c = parse("log(x*y)", V), parse("log(x) + log(y)", V), parse("x + y", V), parse("x*y", V)
    assert cache.get_or_compute(a, lambda: score("a")) == "a"
    assert cache.get_or_compute(a2, lambda: score("a2")) == "a"  # equivalent: served from the cache
    assert calls == ["a"] and cache.hits == 1 and cache.misses == 1
    cache.get_or_compute(b, lambda: score("b"))
    cache.get_or_compute(c, lambda: score("c"))                   # evicts a (least recently used)
    assert cache.evictions == 1 and len(cache) == 2 and cache.key(a) not in cache
    k = cache.key(b)
    assert [cache.get(k) for _ in range(4)] == ["b", "b", "b", None]  # 4th lookup forces a re-score
    assert cache.get(k) == "b"
    with pytest.raises(ValueError, match="maxsize"):
        FunctionalCache(maxsize=0)
    with pytest.raises(ValueError, match="variables"):
        FunctionalCache().key(a)
