"""Every rule is sound: both sides agree (30 digits, mpmath) at random points of the rule's domain.

The domain of a rule is where its guard holds (checked numerically on the sampled values: ``pos(a)`` means the value
bound to ``a`` is > 0, ``int(c)`` that it is an integer) and both sides are defined over the reals.  Points span
several orders of magnitude and both signs, with small integers mixed in (so integer-exponent guards and exact
cancellations are exercised).  A rule must be checked at >= 25 valid points.
"""

import random

import mpmath
import pytest

from search.egraph.analysis import make_leaf, make_node
from search.egraph.numeric import eval_mp
from search.egraph.rules import ALL_RULES, RULESETS

NUM = {
    "pos": lambda v: v > 0,
    "nonneg": lambda v: v >= 0,
    "nonpos": lambda v: v <= 0,
    "nonzero": lambda v: v != 0,
    "int": lambda v: v == mpmath.floor(v),
}


def _sample(rng: random.Random):
    r = rng.random()
    if r < 0.3:
        return mpmath.mpf(rng.randint(-4, 4))
    if r < 0.4:
        return mpmath.mpf(rng.randint(-8, 8)) / 2
    mag = mpmath.mpf(10) ** rng.uniform(-2, 1.5)
    return mag if rng.random() < 0.5 else -mag


def _guard_holds(rule, env) -> bool:
    if not rule.guard:
        return True
    return any(all(NUM[p](env[v]) for p, v in alt) for alt in rule.guard)


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.name for r in ALL_RULES])
def test_rule_is_sound(rule):
    rng = random.Random(hash(rule.name) & 0xFFFF)
    valid = 0
    with mpmath.workdps(80):
        for _ in range(3000):
            env = {v: _sample(rng) for v in rule.vars}
            if not _guard_holds(rule, env):
                continue
            lhs = eval_mp(rule.lhs, env)
            rhs = eval_mp(rule.rhs, env)
            if lhs is None or rhs is None:
                continue
            scale = max(mpmath.mpf(1), abs(lhs), abs(rhs))
            assert abs(lhs - rhs) <= mpmath.mpf(10) ** -30 * scale, (str(rule), env, lhs, rhs)
            valid += 1
            if valid >= 60:
                break
    assert valid >= 25, f"{rule}: only {valid} valid points in its domain"


def test_rule_names_unique_and_sets_cover_issue():
    names = [r.name for r in ALL_RULES]
    assert len(names) == len(set(names))
    for s in ("arith", "powers", "explog", "trig", "hyperbolic"):
        assert RULESETS[s]
    guarded = {r.name for r in ALL_RULES if r.guard}
    assert {"div-self", "mul-inv", "exp-log", "log-mul", "pow-pow"} <= guarded


# ------------------------------------------------------------------ analysis soundness

_OPS1 = ["neg", "exp", "log", "sin", "cos", "tan", "tanh", "sinh", "cosh", "sqrt", "abs", "atan", "log1p", "expm1"]
_OPS2 = ["+", "-", "*", "/", "^"]


def _rand_term(rng, depth):
    from fractions import Fraction

    if depth == 0 or rng.random() < 0.25:
        r = rng.random()
        if r < 0.5:
            return ("$", rng.choice("xy"))
        if r < 0.9:
            return ("#", Fraction(rng.randint(-5, 5), rng.choice([1, 1, 2, 3])))
        return ("K", "pi")
    if rng.random() < 0.45:
        return (rng.choice(_OPS1), _rand_term(rng, depth - 1))
    op = rng.choice(_OPS2)
    if op == "^":
        from fractions import Fraction

        return ("^", _rand_term(rng, depth - 1), ("#", Fraction(rng.randint(-3, 4), rng.choice([1, 1, 2]))))
    return (op, _rand_term(rng, depth - 1), _rand_term(rng, depth - 1))


def _data_of_term(t, positive):
    if t[0] in ("#", "$", "K"):
        return make_leaf(t, positive, {"pi": 3.141592653589793})
    return make_node(t[0], [_data_of_term(k, positive) for k in t[1:]])


@pytest.mark.parametrize("positive", [False, True])
def test_analysis_contains_true_values(positive):
    """Interval, sign and constant facts hold at every sampled point where the term is defined."""
    rng = random.Random(7 + positive)
    checked = 0
    with mpmath.workdps(30):
        for _ in range(1500):
            t = _rand_term(rng, 4)
            d = _data_of_term(t, positive)
            for _ in range(4):
                env = {}
                for v in "xy":
                    s = _sample(rng)
                    env[v] = abs(s) + mpmath.mpf("1e-3") if positive else s
                val = eval_mp(t, env)
                if val is None:
                    continue
                checked += 1
                c, lo, hi, signs = d
                if c is not None:
                    assert abs(val - mpmath.mpf(c.numerator) / c.denominator) <= 1e-25 * max(1, abs(val)), (t, env)
                # intervals are float-rounded outward; compare with a hair of slack for the mpf->float step
                assert lo <= float(val) * (1 + 1e-15) + 1e-300 or lo <= float(val), (t, env, val, d)
                assert float(val) <= hi or float(val) * (1 - 1e-15) <= hi, (t, env, val, d)
                if val > 0:
                    assert signs & 4, (t, env, val, d)
                elif val < 0:
                    assert signs & 1, (t, env, val, d)
                else:
                    assert signs & 2, (t, env, val, d)
    assert checked > 2000
