"""Rewrite rules with guards, and the rule sets.

A :class:`Rewrite` is ``lhs => rhs`` between two patterns (see :mod:`search.egraph.pattern`), optionally with a
guard: a disjunction of conjunctions of predicates on the e-classes bound to pattern variables, decided by the
constant/interval/sign analysis (:mod:`search.egraph.analysis`):

=========  ===========================================  ======================================
predicate  meaning                                      decided by
=========  ===========================================  ======================================
pos(a)     $a > 0$ on the whole domain                  signs ⊆ {+}
nonneg(a)  $a \\ge 0$                                   signs ⊆ {0, +}
nonpos(a)  $a \\le 0$                                   signs ⊆ {−, 0}
nonzero(a) $a \\ne 0$                                   0 ∉ signs
int(a)     $a$ is an integer constant                   exact rational constant analysis
=========  ===========================================  ======================================

Guards are written ``"pos(a), pos(b) | int(c)"`` (``,`` binds tighter than ``|``).

Semantics: variables range over the reals (or the positive reals under ``assume_positive``).  A rule is sound when
both sides agree wherever both are defined in the reals and the guard holds; a rule may extend the domain of
definition across a removable point (``x*0 -> 0``), never change a value.  Every rule's soundness is tested
numerically (``tests/search/egraph/test_rules_soundness.py``) with mpmath at random points of its domain.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from search.egraph.analysis import NEG, POS, ZERO
from search.egraph.pattern import (
    Pattern,
    compile_delta,
    compile_instantiate,
    compile_pattern,
    parse_pattern,
    pattern_depth,
    pattern_vars,
)

__all__ = [
    "Rewrite",
    "rw",
    "ARITH",
    "POWERS",
    "EXPLOG",
    "TRIG",
    "HYPERBOLIC",
    "PRECISION",
    "RULESETS",
    "ALL_RULES",
    "DEFAULT_RULES",
    "get_rules",
    "PREDICATES",
]


def _pos(d) -> bool:
    return d[3] == POS


def _nonneg(d) -> bool:
    return not d[3] & NEG


def _nonpos(d) -> bool:
    return not d[3] & POS


def _nonzero(d) -> bool:
    return not d[3] & ZERO


def _int(d) -> bool:
    return d[0] is not None and d[0].denominator == 1


#: Guard predicates on class data (see the module docstring).
PREDICATES = {"pos": _pos, "nonneg": _nonneg, "nonpos": _nonpos, "nonzero": _nonzero, "int": _int}


def _parse_guard(text: str, variables: list[str]) -> tuple:
    """``"pos(a), pos(b) | int(c)"`` -> ((("pos","a"),("pos","b")), (("int","c"),))."""
    alts = []
    for alt in text.split("|"):
        conj = []
        for item in alt.split(","):
            item = item.strip()
            if not item:
                continue
            if "(" not in item or not item.endswith(")"):
                raise ValueError(f"bad guard {item!r}")
            name, var = item[:-1].split("(", 1)
            name, var = name.strip(), var.strip().lstrip("?")
            if name not in PREDICATES:
                raise ValueError(f"unknown guard predicate {name!r}")
            if var not in variables:
                raise ValueError(f"guard variable {var!r} not in the rule's left-hand side")
            conj.append((name, var))
        if conj:
            alts.append(tuple(conj))
    return tuple(alts)


@dataclass
class Rewrite:
    """A rewrite rule ``lhs => rhs`` (patterns), with an optional guard on the matched classes."""

    name: str
    lhs: Pattern
    rhs: Pattern
    guard: tuple = ()
    guard_text: str = ""
    vars: list = field(default_factory=list)
    _matcher: object = field(default=None, repr=False, compare=False)
    _builder: object = field(default=None, repr=False, compare=False)
    _delta_matcher: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.vars = pattern_vars(self.lhs)
        missing = set(pattern_vars(self.rhs)) - set(self.vars)
        if missing:
            raise ValueError(f"rule {self.name}: right-hand side variables {sorted(missing)} not bound by the left")
        self._index = {v: i for i, v in enumerate(self.vars)}
        self.depth = pattern_depth(self.lhs)
        self._guard_idx = tuple(tuple((PREDICATES[p], self._index[v]) for p, v in alt) for alt in self.guard)

    @property
    def matcher(self):
        if self._matcher is None:
            self._matcher = compile_pattern(self.lhs)
        return self._matcher

    def search(self, eg, limit: int, roots=None) -> list:
        return self.matcher(eg, limit, roots)

    @property
    def seminaive(self) -> bool:
        """Whether :meth:`search_delta` applies (the left-hand side's root is an operator)."""
        return self.lhs[0] not in ("?", "#", "K")

    def compile(self) -> Rewrite:
        """Compile the matchers and the right-hand side now (otherwise each is compiled on first use)."""
        _ = self.matcher
        if self.seminaive and self._delta_matcher is None:
            self._delta_matcher = compile_delta(self.lhs)
        if self._builder is None:
            self._builder = compile_instantiate(self.rhs, self.vars)
        return self

    def search_delta(self, eg, limit: int, delta: dict) -> list:
        """Semi-naive search: only matches with at least one e-node in ``delta`` (see :func:`compile_delta`)."""
        fn = self._delta_matcher
        if fn is None:
            fn = self._delta_matcher = compile_delta(self.lhs)
        return fn(eg, limit, delta)

    def guard_ok(self, eg, binding: tuple) -> bool:
        if not self._guard_idx:
            return True
        classes, find = eg.classes, eg.find
        for alt in self._guard_idx:
            if all(pred(classes[find(binding[i])].data) for pred, i in alt):
                return True
        return False

    def instantiate(self, eg, binding: tuple) -> int:
        """Add the right-hand side under ``binding``; return its class (compiled on first use)."""
        build = self._builder
        if build is None:
            build = self._builder = compile_instantiate(self.rhs, self.vars)
        return build(eg, binding)

    def apply(self, eg, root: int, binding: tuple) -> bool:
        """Assert ``root = rhs[binding]`` (the right-hand side's root joins ``root``'s class directly when new);
        True if the e-graph changed."""
        build = self._builder
        if build is None:
            build = self._builder = compile_instantiate(self.rhs, self.vars)
        return build.apply(eg, binding, root)

    def instantiate_slow(self, eg, binding: tuple) -> int:
        """Reference interpreter for :meth:`instantiate` (tests compare the two)."""
        idx = self._index

        def rec(q):
            op = q[0]
            if op == "?":
                return binding[idx[q[1]]]
            if op in ("#", "K"):
                return eg.add(q)
            return eg.add((op, *[rec(k) for k in q[1:]]))

        return rec(self.rhs)

    def __hash__(self) -> int:
        return hash(self.name)

    def __str__(self) -> str:
        g = f" if {self.guard_text}" if self.guard_text else ""
        return f"{self.name}: {_show(self.lhs)} => {_show(self.rhs)}{g}"


def _show(p: Pattern) -> str:
    if p[0] == "?":
        return "?" + p[1]
    if p[0] == "#":
        return str(p[1])
    if p[0] == "K":
        return p[1]
    return "(" + " ".join([p[0], *(_show(k) for k in p[1:])]) + ")"


def rw(name: str, lhs: str, rhs: str, guard: str = "") -> Rewrite:
    """Build a rule from the s-expression notation: ``rw("div-self", "(/ ?a ?a)", "1", "nonzero(a)")``."""
    lp, rp = parse_pattern(lhs), parse_pattern(rhs)
    g = _parse_guard(guard, pattern_vars(lp)) if guard else ()
    return Rewrite(name, lp, rp, g, guard)


# ---------------------------------------------------------------------------------------------------- rule sets
ARITH = [
    rw("comm-add", "(+ ?a ?b)", "(+ ?b ?a)"),
    rw("comm-mul", "(* ?a ?b)", "(* ?b ?a)"),
    rw("assoc-add", "(+ ?a (+ ?b ?c))", "(+ (+ ?a ?b) ?c)"),
    rw("assoc-mul", "(* ?a (* ?b ?c))", "(* (* ?a ?b) ?c)"),
    rw("sub-canon", "(- ?a ?b)", "(+ ?a (neg ?b))"),
    rw("sub-uncanon", "(+ ?a (neg ?b))", "(- ?a ?b)"),
    rw("neg-mul", "(neg ?a)", "(* -1 ?a)"),
    rw("mul-neg", "(* -1 ?a)", "(neg ?a)"),
    rw("neg-neg", "(neg (neg ?a))", "?a"),
    rw("neg-sub", "(neg (- ?a ?b))", "(- ?b ?a)"),
    rw("div-canon", "(/ ?a ?b)", "(* ?a (^ ?b -1))"),
    rw("div-uncanon", "(* ?a (^ ?b -1))", "(/ ?a ?b)"),
    rw("zero-add", "(+ ?a 0)", "?a"),
    rw("zero-mul", "(* ?a 0)", "0"),
    rw("one-mul", "(* ?a 1)", "?a"),
    rw("one-div", "(/ ?a 1)", "?a"),
    rw("add-self", "(+ ?a ?a)", "(* 2 ?a)"),
    rw("sub-self", "(- ?a ?a)", "0"),
    rw("add-neg-self", "(+ ?a (neg ?a))", "0"),
    rw("div-self", "(/ ?a ?a)", "1", "nonzero(a)"),
    rw("mul-inv", "(* ?a (^ ?a -1))", "1", "nonzero(a)"),
    rw("distribute", "(* ?a (+ ?b ?c))", "(+ (* ?a ?b) (* ?a ?c))"),
    rw("factor", "(+ (* ?a ?b) (* ?a ?c))", "(* ?a (+ ?b ?c))"),
    rw("factor-one", "(+ ?a (* ?a ?b))", "(* ?a (+ 1 ?b))"),
    rw("div-mul", "(* (/ ?a ?b) ?c)", "(/ (* ?a ?c) ?b)"),
    rw("div-div", "(/ (/ ?a ?b) ?c)", "(/ ?a (* ?b ?c))"),
    rw("div-cancel", "(/ (* ?a ?b) ?a)", "?b", "nonzero(a)"),
]

POWERS = [
    rw("pow-sq", "(^ ?a 2)", "(* ?a ?a)"),
    rw("sq-pow", "(* ?a ?a)", "(^ ?a 2)"),
    rw("pow-one", "(^ ?a 1)", "?a"),
    rw("pow-zero", "(^ ?a 0)", "1", "nonzero(a)"),
    rw("pow-mul-pow", "(* (^ ?a ?b) (^ ?a ?c))", "(^ ?a (+ ?b ?c))", "pos(a) | int(b), int(c)"),
    rw("pow-mul-base", "(* (^ ?a ?b) ?a)", "(^ ?a (+ ?b 1))", "pos(a) | int(b)"),
    rw("pow-pow", "(^ (^ ?a ?b) ?c)", "(^ ?a (* ?b ?c))", "pos(a) | int(c)"),
    rw("pow-of-mul", "(^ (* ?a ?b) ?c)", "(* (^ ?a ?c) (^ ?b ?c))", "int(c) | pos(a), pos(b)"),
    rw("mul-of-pow", "(* (^ ?a ?c) (^ ?b ?c))", "(^ (* ?a ?b) ?c)", "int(c) | pos(a), pos(b)"),
    rw("recip-pow", "(/ 1 ?a)", "(^ ?a -1)"),
    rw("pow-recip", "(^ ?a -1)", "(/ 1 ?a)"),
    rw("sqrt-pow", "(sqrt ?a)", "(^ ?a 1/2)"),
    rw("pow-sqrt", "(^ ?a 1/2)", "(sqrt ?a)"),
    rw("sqrt-sq", "(sqrt (^ ?a 2))", "(abs ?a)"),
    rw("sqrt-mul-self", "(* (sqrt ?a) (sqrt ?a))", "?a", "nonneg(a)"),
    rw("abs-nonneg", "(abs ?a)", "?a", "nonneg(a)"),
    rw("abs-nonpos", "(abs ?a)", "(neg ?a)", "nonpos(a)"),
    rw("abs-sq", "(^ (abs ?a) 2)", "(^ ?a 2)"),
    rw("abs-neg", "(abs (neg ?a))", "(abs ?a)"),
]

EXPLOG = [
    rw("exp-add", "(exp (+ ?a ?b))", "(* (exp ?a) (exp ?b))"),
    rw("exp-mul", "(* (exp ?a) (exp ?b))", "(exp (+ ?a ?b))"),
    rw("exp-neg", "(exp (neg ?a))", "(/ 1 (exp ?a))"),
    rw("exp-log", "(exp (log ?a))", "?a", "pos(a)"),
    rw("log-exp", "(log (exp ?a))", "?a"),
    rw("log-mul", "(log (* ?a ?b))", "(+ (log ?a) (log ?b))", "pos(a), pos(b)"),
    rw("log-add", "(+ (log ?a) (log ?b))", "(log (* ?a ?b))", "pos(a), pos(b)"),
    rw("log-div", "(log (/ ?a ?b))", "(- (log ?a) (log ?b))", "pos(a), pos(b)"),
    rw("log-sub", "(- (log ?a) (log ?b))", "(log (/ ?a ?b))", "pos(a), pos(b)"),
    rw("log-pow", "(log (^ ?a ?b))", "(* ?b (log ?a))", "pos(a)"),
    rw("pow-log", "(* ?b (log ?a))", "(log (^ ?a ?b))", "pos(a)"),
    rw("pow-exp", "(^ (exp ?a) ?b)", "(exp (* ?a ?b))"),
    rw("exp-log-pow", "(exp (* ?b (log ?a)))", "(^ ?a ?b)", "pos(a)"),
    rw("log1p-def", "(log (+ 1 ?a))", "(log1p ?a)"),
    rw("log1p-undef", "(log1p ?a)", "(log (+ 1 ?a))"),
    rw("expm1-def", "(- (exp ?a) 1)", "(expm1 ?a)"),
    rw("expm1-undef", "(expm1 ?a)", "(- (exp ?a) 1)"),
]

TRIG = [
    rw("pyth", "(+ (^ (sin ?a) 2) (^ (cos ?a) 2))", "1"),
    rw("pyth-sin", "(- 1 (^ (cos ?a) 2))", "(^ (sin ?a) 2)"),
    rw("pyth-cos", "(- 1 (^ (sin ?a) 2))", "(^ (cos ?a) 2)"),
    rw("tan-def", "(/ (sin ?a) (cos ?a))", "(tan ?a)"),
    rw("tan-undef", "(tan ?a)", "(/ (sin ?a) (cos ?a))"),
    rw("tan-sq", "(+ 1 (^ (tan ?a) 2))", "(^ (cos ?a) -2)"),
    rw("sin-neg", "(sin (neg ?a))", "(neg (sin ?a))"),
    rw("cos-neg", "(cos (neg ?a))", "(cos ?a)"),
    rw("tan-neg", "(tan (neg ?a))", "(neg (tan ?a))"),
    rw("sin-double", "(sin (* 2 ?a))", "(* 2 (* (sin ?a) (cos ?a)))"),
    rw("sin-double-inv", "(* (sin ?a) (cos ?a))", "(* 1/2 (sin (* 2 ?a)))"),
    rw("cos-double", "(cos (* 2 ?a))", "(- (^ (cos ?a) 2) (^ (sin ?a) 2))"),
    rw("cos-double-inv", "(- (^ (cos ?a) 2) (^ (sin ?a) 2))", "(cos (* 2 ?a))"),
    rw("sin-sum-inv", "(+ (* (sin ?a) (cos ?b)) (* (cos ?a) (sin ?b)))", "(sin (+ ?a ?b))"),
    rw("cos-sum-inv", "(- (* (cos ?a) (cos ?b)) (* (sin ?a) (sin ?b)))", "(cos (+ ?a ?b))"),
    rw("sin-supp", "(sin (- pi ?a))", "(sin ?a)"),
    rw("cos-supp", "(cos (- pi ?a))", "(neg (cos ?a))"),
    rw("sin-pi", "(sin pi)", "0"),
    rw("cos-pi", "(cos pi)", "-1"),
]

HYPERBOLIC = [
    rw("hpyth", "(- (^ (cosh ?a) 2) (^ (sinh ?a) 2))", "1"),
    rw("hpyth-cosh", "(+ 1 (^ (sinh ?a) 2))", "(^ (cosh ?a) 2)"),
    rw("hpyth-sinh", "(- (^ (cosh ?a) 2) 1)", "(^ (sinh ?a) 2)"),
    rw("tanh-def", "(/ (sinh ?a) (cosh ?a))", "(tanh ?a)"),
    rw("tanh-undef", "(tanh ?a)", "(/ (sinh ?a) (cosh ?a))"),
    rw("sinh-neg", "(sinh (neg ?a))", "(neg (sinh ?a))"),
    rw("cosh-neg", "(cosh (neg ?a))", "(cosh ?a)"),
    rw("tanh-neg", "(tanh (neg ?a))", "(neg (tanh ?a))"),
    rw("sinh-double", "(sinh (* 2 ?a))", "(* 2 (* (sinh ?a) (cosh ?a)))"),
    rw("sinh-double-inv", "(* (sinh ?a) (cosh ?a))", "(* 1/2 (sinh (* 2 ?a)))"),
    rw("cosh-double", "(cosh (* 2 ?a))", "(+ (^ (cosh ?a) 2) (^ (sinh ?a) 2))"),
    rw("cosh-double-inv", "(+ (^ (cosh ?a) 2) (^ (sinh ?a) 2))", "(cosh (* 2 ?a))"),
    rw("sinh-cosh-exp", "(+ (sinh ?a) (cosh ?a))", "(exp ?a)"),
    rw("cosh-sinh-exp", "(- (cosh ?a) (sinh ?a))", "(exp (neg ?a))"),
    rw("sinh-exp", "(* 1/2 (- (exp ?a) (exp (neg ?a))))", "(sinh ?a)"),
    rw("cosh-exp", "(* 1/2 (+ (exp ?a) (exp (neg ?a))))", "(cosh ?a)"),
]

#: Rules that matter for the precision-aware cost model (they only add accurate alternatives).
PRECISION = [
    rw("log1p-sum", "(log (+ ?a 1))", "(log1p ?a)"),
    rw("expm1-sum", "(+ (exp ?a) -1)", "(expm1 ?a)"),
    rw("sq-diff", "(- (^ ?a 2) (^ ?b 2))", "(* (+ ?a ?b) (- ?a ?b))"),
]

RULESETS = {
    "arith": ARITH,
    "powers": POWERS,
    "explog": EXPLOG,
    "trig": TRIG,
    "hyperbolic": HYPERBOLIC,
    "precision": PRECISION,
}

ALL_RULES = ARITH + POWERS + EXPLOG + TRIG + HYPERBOLIC + PRECISION
DEFAULT_RULES = ALL_RULES


def get_rules(spec) -> list[Rewrite]:
    """Rules from a spec: None/"all" (every set), a set name, a comma-separated list of names, or a list of rules."""
    if spec is None or spec == "all":
        return list(ALL_RULES)
    if isinstance(spec, str):
        out: list[Rewrite] = []
        for name in spec.split(","):
            name = name.strip()
            if name not in RULESETS:
                raise ValueError(f"unknown rule set {name!r}; expected one of {', '.join(RULESETS)} or 'all'")
            out.extend(RULESETS[name])
        return out
    rules = list(spec)
    for r in rules:
        if not isinstance(r, Rewrite):
            raise ValueError(f"rules must be Rewrite objects or rule-set names, got {type(r).__name__}")
    return rules
