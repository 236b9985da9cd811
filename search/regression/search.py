r"""One independent search: MCTS episodes, form discovery with a residual search, GP refinement, Pareto front.

The driver (:func:`run_search`) runs, until its evaluation budget, its deadline or the early stop:

1. RSRM episodes (:class:`search.regression.mcts.MCTS`) on the plain grammar;
2. every ``form_every`` episodes, **form discovery** on the hall of fame: additive terms shared by at least two of
   the best models (and the best model's own terms), and factors shared by the best single-term models, become
   fixed forms $A$; the search then continues on $y = A + f(x)$ (additive) or $y = A\,f(x)$ (multiplicative), so
   that long formulas are assembled from parts found separately;
3. optionally a **GP refinement**: a genetic programme (tournament selection, subtree crossover, subtree and point
   mutation, all offspring masked by the grammar) seeded with the hall of fame.

Early stop: the search ends as soon as a snapped model reaches ``tol`` in NRMSE (RMSE over the standard deviation
of ``y``), or the RMSE reaches the user's ``noise`` level.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from search.regression import programs
from search.regression.fitness import Form, FitResult, Scorer
from search.regression.forms import TermPool
from search.regression.grammar import Grammar
from search.regression.mcts import MCTS

__all__ = ["SearchConfig", "HallOfFame", "run_search", "pareto_front", "full_tokens"]


@dataclass(frozen=True)
class SearchConfig:
    """Limits and knobs of one search (all explicit; defaults suit 1-3 variables and 20-1000 rows)."""

    operators: tuple = ("+", "-", "*", "/", "sin", "cos", "exp", "log")
    constants: bool = True
    max_len: int = 20
    max_depth: int = 5
    max_consts: int = 3
    max_evals: int = 20000
    time_limit: float = 60.0
    n_rollouts: int = 48
    form_every: int = 3
    gp: bool = True
    gp_population: int = 200
    gp_generations: int = 20
    tol: float = 1e-12
    noise: float | None = None
    restarts: int = 2
    max_complexity: int = 40
    max_terms: int = 6
    #: what ``time_limit`` measures: "wall" (monotonic wall clock) or "cpu" (this process's CPU time; a fair
    #: budget on a loaded machine, used by the benchmark)
    clock: str = "wall"

    def __post_init__(self):
        if self.clock not in ("wall", "cpu"):
            raise ValueError(f"clock must be 'wall' or 'cpu', got {self.clock!r}")

    def timer(self):
        """The clock ``time_limit`` is measured on."""
        return time.process_time if self.clock == "cpu" else time.monotonic

    def grammar(self, n_vars: int) -> Grammar:
        return Grammar(n_vars, tuple(self.operators), self.constants, self.max_depth, self.max_len, self.max_consts)


class HallOfFame:
    """The best fitted models seen: the top ``size`` by reward plus the best per complexity."""

    def __init__(self, size: int = 60):
        self.size = size
        self.items: dict = {}
        self.by_cx: dict[int, FitResult] = {}

    def add(self, fr: FitResult) -> None:
        k = fr.key()
        old = self.items.get(k)
        if old is None or fr.mse < old.mse:
            self.items[k] = fr
        b = self.by_cx.get(fr.complexity)
        if b is None or fr.mse < b.mse:
            self.by_cx[fr.complexity] = fr
        if len(self.items) > 4 * self.size:
            self._trim()

    def _trim(self):
        keep = sorted(self.items.values(), key=lambda f: (-f.reward, f.complexity, str(f.tokens)))[: self.size]
        self.items = {f.key(): f for f in keep}

    def top(self, n: int) -> list[FitResult]:
        return sorted(self.items.values(), key=lambda f: (-f.reward, f.complexity, str(f.tokens)))[:n]

    def all(self) -> list[FitResult]:
        self._trim()
        seen = set()
        out = []
        for f in list(self.items.values()) + list(self.by_cx.values()):
            if f.key() not in seen:
                seen.add(f.key())
                out.append(f)
        return out


def pareto_front(models: list, max_complexity: int | None = None) -> list:
    """Models not dominated in (complexity, mse), sorted by complexity (each strictly better than the previous)."""
    best = {}
    for m in models:
        if max_complexity is not None and m.complexity > max_complexity:
            continue
        b = best.get(m.complexity)
        if b is None or m.mse < b.mse:
            best[m.complexity] = m
    out = []
    for cx in sorted(best):
        m = best[cx]
        if not out or m.mse < out[-1].mse:
            out.append(m)
    return out


def full_tokens(g: Grammar, fr: FitResult) -> list[int] | None:
    """A single token list for a fitted model's structure (terms joined by ``+``, times the factor)."""
    if "+" not in g.tokens:
        return list(fr.tokens) if not fr.terms else None
    plus = g.token("+")
    terms = [list(t) for t, _ in fr.terms]
    if not terms:
        return None
    toks = []
    for t in terms[:-1]:
        toks.append(plus)
        toks.extend(t)
    toks.extend(terms[-1])
    if fr.factor is not None:
        if "*" not in g.tokens:
            return None
        toks = [g.token("*")] + list(fr.factor[0]) + toks
    return toks


# --- form discovery ---------------------------------------------------------------------------------------------
def discover_forms(g: Grammar, models: list[FitResult], max_forms: int = 3) -> list[Form]:
    """Shared additive terms and shared multiplicative factors of the best models, as :class:`Form` objects."""
    times = g.token("*") if "*" in g.tokens else None
    counts: dict = {}
    first: dict = {}
    for m in models:
        seen = set()
        for (t, th), c in zip(m.terms, m.coefs):
            if len(t) < 2:
                continue
            key = (tuple(t), tuple(np.round(np.asarray([float(v) for v in th], float), 6)))
            if key in seen:
                continue
            seen.add(key)
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, (tuple(t), [float(v) for v in th]))
    forms: list[Form] = []
    shared = [k for k, c in sorted(counts.items(), key=lambda kv: (-kv[1], len(kv[0][0]), kv[0])) if c >= 2]
    if models:
        # the best model's terms, one by one, are forms too: the residual search then completes the best model
        for (t, th) in models[0].terms:
            key = (tuple(t), tuple(np.round(np.asarray([float(v) for v in th], float), 6)))
            if key not in shared and len(t) >= 2:
                shared.append(key)
    for key in shared[:max_forms]:
        forms.append(Form(terms=[first.get(key, (key[0], list(key[1])))]))
    if len(shared) >= 2:
        forms.append(Form(terms=[first.get(k, (k[0], list(k[1]))) for k in shared[:4]]))
    # multiplicative: factors of single-term products shared by at least two of the best models
    if times is not None:
        fc: dict = {}
        for m in models:
            if len(m.terms) != 1 or m.factor is not None:
                continue
            t, th = m.terms[0]
            if t[0] != times:
                continue
            mid = g.subtree_end(list(t), 1)
            C = g.const_token
            k1 = sum(1 for v in t[1:mid] if v == C)
            thf = [float(v) for v in th]
            for sub, sth in ((t[1:mid], thf[:k1]), (t[mid:], thf[k1:])):
                key = (tuple(sub), tuple(np.round(sth, 6)))
                fc[key] = fc.get(key, 0) + 1
        for key, c in sorted(fc.items(), key=lambda kv: (-kv[1], len(kv[0][0]), kv[0])):
            if c >= 2 and len(forms) < max_forms + 2:
                forms.append(Form(factor=(key[0], list(key[1]))))
    return forms


# --- GP refinement ----------------------------------------------------------------------------------------------
def _random_subtree(g: Grammar, rng, max_len: int) -> list[int]:
    sub = Grammar(g.n_vars, g.operators, g.constants, max(1, min(3, g.max_depth)), max(3, max_len), 1)
    toks = sub.random_complete(sub.start(), rng)
    # the small grammar has the same vocabulary order, so its tokens are ours
    return toks


def _mutate(g: Grammar, toks: list[int], rng) -> list[int]:
    i = int(rng.integers(len(toks)))
    j = g.subtree_end(toks, i)
    r = rng.random()
    if r < 0.5:
        new = _random_subtree(g, rng, 7)
        return toks[:i] + new + toks[j:]
    if r < 0.8:
        same = [t for t in range(g.n_tokens) if g.arity[t] == g.arity[toks[i]] and t != toks[i]]
        if not same:
            return toks
        out = list(toks)
        out[i] = int(same[rng.integers(len(same))])
        return out
    # hoist: replace the subtree by one of its own subtrees
    k = int(rng.integers(i, j))
    return toks[:i] + toks[k:g.subtree_end(toks, k)] + toks[j:]


def _crossover(g: Grammar, a: list[int], b: list[int], rng) -> list[int]:
    i = int(rng.integers(len(a)))
    j = g.subtree_end(a, i)
    k = int(rng.integers(len(b)))
    m = g.subtree_end(b, k)
    return a[:i] + b[k:m] + a[j:]


def gp_refine(g: Grammar, scorer: Scorer, seeds: list[list[int]], rng, *, population: int, generations: int,
              on_result, should_stop) -> None:
    """A small genetic programme seeded with ``seeds`` (token lists); every offspring obeys the grammar masks."""
    pop: list[list[int]] = []
    for s in seeds:
        if g.is_valid(s) and s not in pop:
            pop.append(list(s))
    while len(pop) < population:
        pop.append(g.random_complete(g.start(), rng))

    def fit(t):
        fr = scorer.score(t)
        if fr is not None:
            on_result(fr)
        return 0.0 if fr is None else fr.reward

    fits = [fit(t) for t in pop]
    for _ in range(generations):
        if should_stop():
            return
        order = np.argsort(-np.asarray(fits), kind="stable")
        new = [pop[i] for i in order[: max(2, population // 20)]]  # elitism
        while len(new) < population:
            def pick():
                idx = rng.integers(len(pop), size=5)
                return pop[int(max(idx, key=lambda i: fits[i]))]
            r = rng.random()
            child = _crossover(g, pick(), pick(), rng) if r < 0.6 else _mutate(g, list(pick()), rng)
            if g.is_valid(child):
                new.append(child)
            if should_stop():
                return
        pop = new
        fits = [fit(t) for t in pop]


# --- the driver -------------------------------------------------------------------------------------------------
def run_search(X, y, config: SearchConfig, seed: int, *, seeds: list[list[int]] | None = None,
               deadline: float | None = None, progress=None, info: dict | None = None) -> list[FitResult]:
    """Run one independent search and return its hall of fame (snapped, best per complexity and top by reward).

    ``seeds`` are token lists from a shared hall of fame: they seed the forms and the GP stage.
    ``progress(best_fitresult)`` is called when the best model improves.  ``info`` (a dict), when given,
    receives ``stop``: why the search ended -- "exact" (a snapped model reached ``tol``), "grace" (the extra
    evaluations after a float-constant or noise-level fit), "max_evals", or "time" (the time limit or the
    deadline).  Only "time" depends on the machine's speed: every other stop gives the same result for the same
    seed, data and configuration.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    g = config.grammar(X.shape[1])
    rng = np.random.default_rng(seed)
    scorer = Scorer(g, X, y, restarts=config.restarts, seed=int(rng.integers(2**31)))
    hof = HallOfFame()
    clock = config.timer()
    t_end = clock() + config.time_limit

    def time_up():
        return clock() > t_end or (deadline is not None and time.monotonic() > deadline)
    y_std = math.sqrt(scorer.var_y)
    state = {"stop": False, "best": None}

    n_rows = len(y)

    def n_params(fr):
        k = len(fr.coefs) + 1 + sum(1 for _, th in fr.terms for c in th if isinstance(c, (float, np.floating)))
        if fr.factor is not None:
            k += max(len(fr.factor[1]) - 2, 0)
        return k

    def reached(fr):
        if n_params(fr) > max(2, n_rows // 2):
            return False  # near-interpolation on few rows proves nothing
        if fr.nrmse <= config.tol:
            return True
        return config.noise is not None and fr.nrmse * y_std <= config.noise

    def exact(fr):
        """Reached the tolerance with every constant snapped: stop at once (no simpler model can do better)."""
        return fr.nrmse <= config.tol and fr.factor is None and all(
            not isinstance(c, (float, np.floating)) for _, th in fr.terms for c in th)

    def on_result(fr):
        hof.add(fr)
        b = state["best"]
        if b is None or fr.reward > b.reward:
            state["best"] = fr
            if progress is not None:
                progress(fr)
        if reached(fr):
            sn = scorer.snap(fr)
            hof.add(sn)
            if exact(sn):
                state["stop"] = True
                state.setdefault("why", "exact")
            elif reached(sn) and state.get("grace") is None:
                # at the noise level (or tol with float constants): keep searching a little for simpler models
                # that also reach it; the best-model rule chooses among them
                state["grace"] = scorer.n_evals + max(2000, scorer.n_evals)

    def should_stop():
        if state["stop"]:
            return True
        if state.get("grace") is not None and scorer.n_evals >= state["grace"]:
            state["stop"], state["why"] = True, "grace"
        elif scorer.n_evals >= config.max_evals:
            state["stop"], state["why"] = True, "max_evals"
        elif time_up():
            state["stop"], state["why"] = True, "time"
        return state["stop"]

    pool = TermPool(y)

    def on_result_pool(fr):
        on_result(fr)
        if fr.factor is None and fr.nrmse < 1.0:
            new = [(t, th) for t, th in fr.terms if len(t) <= pool.max_term_len]
            if new:
                V = programs.term_values(g, [t for t, _ in new], X, [np.asarray(th, float) for _, th in new])
                for (t, th), v in zip(new, V):
                    pool.add(t, th, v)

    def seed_library(max_degree=6, max_pairs=4000):
        """Seed the term pool with monomials up to ``max_degree`` and the unary operators applied to the
        variables and to the degree-2 monomials (classic FFX/SINDy-style features); products of pool terms are
        added later by the multiplicative closure."""
        if "*" not in g.tokens:
            return
        times = g.token("*")
        k = g.n_vars
        monos = []

        def rec(start, left, cur):
            if cur:
                monos.append(tuple(cur))
            if left == 0:
                return
            for v in range(start, k):
                rec(v, left - 1, cur + [v])

        rec(0, max_degree if k == 1 else min(max_degree, 4 if k == 2 else 3), [])
        lib = [tuple([times] * (len(m) - 1) + list(m)) for m in monos]
        unary = [g.token(u) for u in g.operators if g.arity[g.token(u)] == 1]
        for m in monos:
            if len(m) <= 2:
                base = tuple([times] * (len(m) - 1) + list(m))
                lib += [(u,) + base for u in unary]
        lib = [t for t in lib if len(t) <= pool.max_term_len]
        V = programs.term_values(g, lib, X, [np.zeros(0)] * len(lib))
        for t, v in zip(lib, V):
            pool.add(t, [], v, 1 if all(a == times or a < k for a in t) else 2)
        if not g.constants:
            return
        # the unary operators on affine arguments: u(C*m), u(m + C) and u(m + C*v) for the monomials m of degree
        # <= 2 and the variables v, each fitted alone; their terms enter the pool (with these constants, to be
        # refitted jointly once assembled), e.g. log(x + C), sin(C*x), sin(x*x + C*x)
        C = g.const_token
        plus = g.token("+") if "+" in g.tokens else None
        args = []
        for m in monos:
            if len(m) > 2:
                continue
            base = tuple([times] * (len(m) - 1) + list(m))
            args.append(("scale", (times, C) + base))
            if plus is not None:
                args.append(("shift", (plus,) + base + (C,)))
                if len(m) == 2 and k <= 2:
                    args += [("lin", (plus,) + base + (times, C, v)) for v in range(k)]
        aff = []
        for u in unary:
            name = g.tokens[u]
            for kind, a in args:
                if (name == "log" and kind == "scale") or (name == "exp" and kind == "shift"):
                    continue  # log(C*m) = log C + log m and exp(m + C) = e^C exp(m): the constant is linear
                aff.append((u,) + a)
                if should_stop():
                    continue
                fr = scorer.score((u,) + a)
                if fr is not None:
                    on_result_pool(fr)
        # pairs: sums and products of two unary terms, at least one of them on an affine argument, each pair's
        # constants fitted jointly (one term at a time they are often far off: log(x + C) alone fits a line).
        # Scored a chunk per episode, shortest first (see ``pair_chunk``).
        plain = [(u,) + tuple([times] * (len(m) - 1) + list(m)) for u in unary for m in monos if len(m) <= 2]
        terms = sorted(set(aff) | set(plain), key=lambda t: (len(t), t))
        pairs = []
        for i in range(len(terms)):
            for j in range(i + 1, len(terms)):
                a, b = terms[i], terms[j]
                nc = sum(1 for v in a + b if v == C)
                if nc == 0 or nc > config.max_consts:
                    continue  # constant-free sums and products come from the linear assembly and its closure
                for op in ((plus,) if plus is not None else ()) + (times,):
                    pairs.append((op,) + a + b)
        pairs.sort(key=lambda t: (len(t), sum(1 for v in t if v == C), t))
        state["pairs"] = pairs[:max_pairs]

    def pair_chunk(n=150):
        """Score the next ``n`` pair candidates of the library (see ``seed_library``)."""
        pairs = state.get("pairs") or []
        for toks in pairs[:n]:
            if should_stop():
                return
            fr = scorer.score(toks)
            if fr is not None:
                on_result_pool(fr)
        state["pairs"] = pairs[n:]

    def rational_forms(max_basis=7):
        r"""Multiplicative form $y = P(x)/Q(x)$ over the monomial library, by the linearised fit
        $y\,(1 + \sum_j q_j b_j) = p_0 + \sum_i p_i b_i$ (Levy's method) and backward elimination of its columns;
        every visited subset with a denominator becomes a candidate (its true, non-linearised loss is scored)."""
        if not g.constants or "/" not in g.tokens or "*" not in g.tokens or "+" not in g.tokens:
            return
        mono = sorted((i for i, gr in enumerate(pool.groups) if gr == 1 and not pool.thetas[i]),
                      key=lambda i: (len(pool.tokens[i]), i))
        mono = mono[:max_basis]
        if len(mono) < 2 or len(y) < 2 * len(mono) + 4:
            return
        B = np.asarray([pool.vals[i] for i in mono])
        cols = [("p", i) for i in range(len(mono))] + [("q", j) for j in range(len(mono))]
        A = np.vstack([B, -y[None, :] * B]).T  # (n, 2m)
        C, times, plus, div = g.const_token, g.token("*"), g.token("+"), g.token("/")
        cur = list(range(len(cols)))
        n = len(y)
        while cur:
            M = np.column_stack([np.ones(n), A[:, cur]])
            coef, *_ = np.linalg.lstsq(M, y, rcond=None)
            qs = [(cols[c][1], coef[1 + k]) for k, c in enumerate(cur) if cols[c][0] == "q"]
            ps = [(cols[c][1], coef[1 + k]) for k, c in enumerate(cur) if cols[c][0] == "p"]
            if qs and ps:
                # factor 1/Q as tokens: / C (+ C (* C b_j) ...), constants (1, 1, q_j...)
                qtok, qth = [C], [1.0]
                for j, qv in qs:
                    qtok = [plus] + qtok + [times, C] + list(pool.tokens[mono[j]])
                    qth = qth + [float(qv)]
                ftok = [div, C] + qtok
                fth = [1.0] + qth
                fvals = scorer.values(tuple(ftok), np.asarray(fth))
                if np.all(np.isfinite(fvals)):
                    terms = [(pool.tokens[mono[i]], np.zeros(0)) for i, _ in ps]
                    T = np.asarray([pool.vals[mono[i]] for i, _ in ps])
                    Mf = np.column_stack([np.ones(n), T.T]) * fvals[:, None]
                    c2, sse = scorer._lstsq(Mf)
                    fr = scorer._result(tuple(ftok), terms, list(c2[1:]), c2[0], (tuple(ftok), fth), sse, None)
                    on_result(fr)
            if len(cur) == 1:
                break
            G = np.linalg.pinv(M.T @ M)
            d = np.diag(G)[1:]
            with np.errstate(all="ignore"):
                inc = np.where(d > 0, coef[1:] ** 2 / d, 0.0)
            inc = np.where(np.isfinite(inc), inc, 0.0)
            j = int(np.argmin(inc))
            cur = cur[:j] + cur[j + 1:]

    def assemble(n_best=8):
        """Beam search over sparse sums of pooled terms; the subsets become candidates; return the best few."""
        out = []
        if "*" in g.tokens:
            pool.add_products(g.token("*"), max_len=min(2 * config.max_len, 15))
        subsets = {}
        tiers = [dict(max_group=1), dict(max_group=2)] + [dict(max_len=t) for t in (3, 5, 7, 9, 11, 13, None)]
        for tier in tiers:
            beam = pool.beam_search(**tier)[:n_best] if tier.get("max_len") in (None, 5, 9) or "max_group" in tier \
                else []
            for idx, coef, sse in beam + pool.backward(**tier):
                if len(idx) <= config.max_terms:
                    subsets.setdefault(idx, (idx, coef, sse))
        n = len(y)
        floor = scorer.sse_floor
        lens = {i: len(pool.tokens[i]) for s_ in subsets for i in s_}
        ranked = sorted(subsets.values(), key=lambda s: (
            n * math.log(max(s[2], floor) / n) + math.log(n) * (len(s[0]) + 1) + sum(lens[i] for i in s[0]), s[0]))
        for idx, coef, sse in ranked[:n_best]:
            if not idx:
                continue
            terms = [(pool.tokens[i], np.asarray(pool.thetas[i], float)) for i in idx]
            toks = full_tokens(g, FitResult((), terms, [], 0.0, None, 0, 0, 0, 0))
            fr = scorer._result(tuple(toks), terms, list(coef[1:]), coef[0], None, sse, None)
            on_result(fr)
            theta0 = [v for _, th in terms for v in th]
            if theta0:
                # the terms' constants were fitted one term at a time: refit them jointly from there
                fr2 = scorer.score_from(toks, theta0)
                if fr2 is not None:
                    on_result(fr2)
                    if fr2.mse < fr.mse:
                        fr = fr2
            out.append(fr)
        return out

    seed_library()
    # the constant model is always on the front, so a front exists whatever the data
    ybar = float(np.mean(y))
    hof.add(scorer._result((), [], [], ybar, None, float(np.sum((y - ybar) ** 2)), None))
    # seeds from the shared hall of fame are scored first
    for s in seeds or []:
        fr = scorer.score(s)
        if fr is not None:
            on_result_pool(fr)
    mcts = MCTS(g, scorer, rng, n_rollouts=config.n_rollouts, on_result=on_result_pool, should_stop=should_stop)
    episode = 0
    gp_done = False
    while not should_stop():
        mcts.form = None
        mcts.episode(time_up)
        episode += 1
        if should_stop():
            break
        if episode == 1:
            for mb in (3, 4, 5, 6, 7):  # several degree caps: a too-rich basis makes P/Q non-unique
                rational_forms(mb)
        pair_chunk()
        if should_stop():
            break
        assembled = assemble()
        if should_stop():
            break
        if episode % config.form_every == 0:
            forms = [Form(terms=[(t, list(th)) for t, th in fr.terms]) for fr in assembled[:2] if len(fr.terms) > 0]
            forms += discover_forms(g, hof.top(10))
            for form in forms:
                if should_stop():
                    break
                fm = MCTS(g, scorer, rng, n_rollouts=config.n_rollouts, form=form, on_result=on_result,
                          should_stop=should_stop)
                fm.qa, fm.qb = mcts.qa, mcts.qb
                fm.episode(time_up)
        # GP refinement once the MCTS has spent half of its budget
        if config.gp and not gp_done and scorer.n_evals >= config.max_evals // 2:
            gp_done = True
            seeds_gp = [full_tokens(g, f) for f in hof.top(40)] + [list(s) for s in (seeds or [])]
            gp_refine(g, scorer, [s for s in seeds_gp if s], rng, population=config.gp_population,
                      generations=config.gp_generations, on_result=on_result_pool, should_stop=should_stop)
    # snap the candidates for the front: the best per complexity and the top by reward
    cands = {}
    for fr in pareto_front(hof.all(), None) + hof.top(10):
        sn = fr if fr.snapped else scorer.snap(fr)
        for m in (fr, sn):
            cands.setdefault(m.key() + (m.snapped,), m)
    allc = list(cands.values())
    top = sorted(allc, key=lambda f: (-f.reward, f.complexity, str(f.tokens)))[:5]
    out = {}
    for m in pareto_front(allc, None) + top:
        out.setdefault(m.key() + (m.snapped,), m)
    if info is not None:
        info["stop"] = state.get("why", "max_evals")
        info["evals"] = scorer.n_evals
    return list(out.values())
