r"""Scoring a candidate: split into additive terms, fit every constant, snap constants to simple values.

A token list (prefix, see :mod:`search.regression.grammar`) is split at its top-level ``+``/``-`` nodes into terms
$t_1, \dots, t_m$, and the model is

$$ \hat y(x) = A(x)\,\Big(c_0 + \sum_i c_i\, t_i(x;\theta)\Big) $$

where $A$ is an optional fixed multiplicative *form* (1 by default), extra fixed additive *form* terms may join the
$t_i$, the linear coefficients $c$ are solved exactly by least squares and the free constants $\theta$ (the ``C``
tokens) by Levenberg-Marquardt on the variable-projection residual (Golub-Pereyra, with Kaufman's Jacobian) using
the expression core's parameter Jacobian, from a few starting points.

Snapping: each fitted constant is replaced in turn by the simplest value of a short list (0, nearest integer,
rationals with denominator <= 12, q*pi, q*e) and kept when the Akaike criterion does not get worse, i.e. when
$n \log(\mathrm{SSE}_{new}/\mathrm{SSE}_{old}) < 2$ (one parameter fewer).  This accepts exact values on
noise-free data (the SSE stays at rounding level) and values within the noise on noisy data.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from search import expr as E
from search.regression import programs

_MISS = object()

__all__ = ["Scorer", "FitResult", "Form", "split_terms", "snap_candidates"]

_PI = math.pi
_E = math.e


def split_terms(g, tokens) -> list[tuple[int, ...]]:
    """Top-level additive terms of a prefix token list (signs are absorbed by the linear coefficients).

    A top-level constant factor (``C*t``, ``t*C``, ``t/C``) is dropped from a term since the linear coefficient
    absorbs it; a lone ``C`` term is dropped since the intercept covers it.
    """
    out: list[tuple[int, ...]] = []
    plus = g.tokens.index("+") if "+" in g.tokens else -2
    minus = g.tokens.index("-") if "-" in g.tokens else -2
    times = g.tokens.index("*") if "*" in g.tokens else -2
    div = g.tokens.index("/") if "/" in g.tokens else -2
    C = g.const_token

    def rec(start, end):
        t = tokens[start]
        if t == plus or t == minus:
            mid = g.subtree_end(tokens, start + 1)
            rec(start + 1, mid)
            rec(mid, end)
            return
        if t == C and end == start + 1:
            return
        if t == times or t == div:
            mid = g.subtree_end(tokens, start + 1)
            if t == times and tokens[start + 1] == C and mid == start + 2:
                rec(mid, end)
                return
            if tokens[mid] == C and end == mid + 1:
                rec(start + 1, mid)
                return
        out.append(tuple(tokens[start:end]))

    rec(0, len(tokens))
    return out


@dataclass
class Form:
    """Fixed structure shared by the best models (form discovery): extra additive terms and a multiplicative factor.

    ``terms`` are (tokens, theta) pairs whose constants stay fixed; ``factor`` likewise or ``None``.
    """

    terms: list = field(default_factory=list)
    factor: tuple | None = None

    def key(self):
        return (tuple((tuple(t), tuple(np.round(th, 12))) for t, th in self.terms),
                None if self.factor is None else (tuple(self.factor[0]), tuple(np.round(self.factor[1], 12))))

    def n_tokens(self) -> int:
        n = sum(len(t) + 1 for t, _ in self.terms)
        if self.factor is not None:
            n += len(self.factor[0]) + 1
        return n


@dataclass
class FitResult:
    """A fitted candidate: its terms with constants, linear coefficients, loss and complexity."""

    tokens: tuple  # the searched token list (without the form)
    terms: list  # [(term_tokens, theta ndarray-or-list, values...)] final terms incl. form terms
    coefs: list  # linear coefficient per term (float / Fraction / ("pi"|"e", Fraction))
    intercept: object
    factor: tuple | None  # (tokens, theta) or None
    mse: float
    nrmse: float
    reward: float
    complexity: int
    snapped: bool = False

    def key(self):
        return (tuple(tuple(t) for t, _ in self.terms), self.factor and tuple(self.factor[0]))


def snap_candidates(v: float) -> list:
    """Simple values near ``v`` in order of increasing complexity: Fraction or (name, Fraction) for q*pi, q*e."""
    out = []
    if not math.isfinite(v):
        return out
    seen = set()

    def add(x):
        k = x if isinstance(x, Fraction) else (x[0], x[1])
        if k not in seen:
            seen.add(k)
            out.append(x)

    add(Fraction(0))
    if abs(v) >= 1000:
        # large values: only an integer the value already equals (to 1e-6 absolutely), never a rounding within the
        # noise; beyond 1e9 no float is a "simple" integer (a relative test would pass any value there, and a
        # coefficient such as 1.29e14 would become an exact-looking integer and end the search as "exact")
        if abs(v) < 1e9 and abs(round(v) - v) <= 1e-6:
            add(Fraction(round(v)))
        return out
    add(Fraction(round(v)))
    if abs(v) < 100:
        for den in (2, 3, 4, 5, 6, 8, 10, 12):
            q = Fraction(round(v * den), den)
            if abs(float(q) - v) < 0.5 / den:
                add(q)
        for name, c in (("pi", _PI), ("e", _E)):
            for den in (1, 2, 3, 4, 6):
                q = Fraction(round(v / c * den), den)
                if q != 0:
                    add((name, q))
    return out


def value_of(c) -> float:
    if isinstance(c, tuple):
        return float(c[1]) * (_PI if c[0] == "pi" else _E)
    return float(c)


def _cost_const(c) -> int:
    """Node cost of a constant as a coefficient/intercept: 0 for 1, 1 for -1 (a negation), 2 otherwise."""
    if not isinstance(c, tuple) and c == 1:
        return 0
    if not isinstance(c, tuple) and c == -1:
        return 1
    return 2


class Scorer:
    """Scores token lists on one data set (caches by token list, counts evaluations)."""

    def __init__(self, g, X, y, restarts: int = 2, seed: int = 0, max_nfev: int = 40):
        self.g = g
        self.X = np.ascontiguousarray(X, dtype=np.float64)
        self.y = np.ascontiguousarray(y, dtype=np.float64)
        self.n = len(y)
        self.var_y = float(np.var(self.y)) or 1.0
        self.restarts = restarts
        self.max_nfev = max_nfev
        self.rng = np.random.default_rng(seed)
        self.cache: dict = {}
        self.const_token = g.const_token
        self.n_fhash_hits = 0
        # probe points in the data's own box (not the core's default positive box): two candidates that agree on
        # positive reals but not on this data (sqrt(x**2) and x for negative x) must not share a score
        lo, hi = self.X.min(axis=0), self.X.max(axis=0)
        dom = [(float(a), float(b) if b > a else float(a) + 1.0) for a, b in zip(lo, hi)]
        self.fcache = E.FunctionalCache(maxsize=100_000, variables=programs.var_names(g.n_vars), domain=dom)
        self.best_nrmse = math.inf
        self.promising = 3.0  # restarts only when a screening fit is within this factor of the best so far
        self.screen_iters = 6
        self.n_evals = 0
        self.n_fits = 0
        self.sse_floor = self.n * (1e-15 * max(1.0, float(np.max(np.abs(self.y))))) ** 2

    # --- helpers ------------------------------------------------------------------------------------------------
    def n_consts(self, tokens) -> int:
        C = self.g.const_token
        return sum(1 for t in tokens if t == C)

    def values(self, tokens, theta):
        return programs.term_values(self.g, [tokens], self.X, [theta])[0]

    def _design(self, T, factor_vals):
        """Design matrix [1, t_1, ..., t_m] (times the factor)."""
        M = np.empty((self.n, T.shape[0] + 1))
        M[:, 0] = 1.0
        M[:, 1:] = T.T
        if factor_vals is not None:
            M *= factor_vals[:, None]
        return M

    def _lstsq(self, M):
        coef, *_ = np.linalg.lstsq(M, self.y, rcond=None)
        r = self.y - M @ coef
        return coef, float(r @ r)

    # --- scoring ------------------------------------------------------------------------------------------------
    def score(self, tokens, form: Form | None = None) -> FitResult | None:
        """Fit and score one complete token list (optionally inside a form).  ``None`` when invalid."""
        key = (tuple(tokens), None if form is None else form.key())
        hit = self.cache.get(key)
        if hit is not None or key in self.cache:
            return hit
        fkey = None
        if form is None and self.fcache is not None and self.const_token not in tokens:
            # the core's functional-hash cache: a constant-free candidate equal, as a function on the data's box,
            # to one already scored is not fitted again (x*(x+1) and x*x + x share one entry)
            fkey = self.fcache.key(programs.program(self.g, tokens))
            prev = self.fcache.get(fkey, _MISS)
            if prev is not _MISS:
                self.n_fhash_hits += 1
                res = None if prev is None else dataclasses.replace(
                    prev, tokens=tuple(tokens), reward=0.99 ** len(tokens) / (1.0 + prev.nrmse))
                self.cache[key] = res
                return res
        res = self._score(tuple(tokens), form)
        self.cache[key] = res
        if fkey is not None:
            self.fcache.put(fkey, res)
        return res

    def score_from(self, tokens, theta0) -> FitResult | None:
        """Fit ``tokens`` jointly starting from ``theta0`` (its constants in prefix order) as well as from the usual
        starting points; used to refit assembled models whose terms were fitted one by one (``None`` if invalid).
        Not cached: the result depends on the start."""
        theta0 = np.asarray(theta0, dtype=np.float64)
        if len(theta0) != self.n_consts(tokens):
            return self.score(tokens)
        return self._score(tuple(tokens), None, theta0)

    def _score(self, tokens, form, theta0=None):
        self.n_evals += 1
        g = self.g
        terms = list(dict.fromkeys(split_terms(g, list(tokens))))  # unique terms, in order
        fixed = [] if form is None else [(tuple(t), np.asarray(th, float)) for t, th in form.terms]
        factor = None if form is None or form.factor is None else \
            (tuple(form.factor[0]), np.asarray(form.factor[1], float))
        fvals = None
        if factor is not None:
            fvals = self.values(*factor)
            if not np.all(np.isfinite(fvals)):
                return None
        fixed_vals = np.asarray([self.values(t, th) for t, th in fixed]).reshape(len(fixed), self.n)
        tb = programs.TermBatch(g, terms) if terms else None
        k = tb.k if tb is not None else 0
        nf = len(fixed)

        def build(theta):
            vals = tb.values(self.X, theta) if tb is not None else np.zeros((0, self.n))
            return np.vstack([fixed_vals, vals]) if nf else vals

        if k == 0:
            theta = np.zeros(0)
        else:
            # screening fit from all-ones; restarts (and a longer fit) only for promising candidates
            out = self._fit_theta(tb, build, np.ones(k), fvals, nf, self.screen_iters)
            if theta0 is not None and len(terms) == len(split_terms(g, list(tokens))):
                # warm start (terms are unique, so theta0 lines up with the batch's parameter order)
                warm = self._fit_theta(tb, build, theta0, fvals, nf, self.max_nfev)
                if warm is not None and (out is None or warm[1] < out[1]):
                    out = warm
            if out is None:
                return None
            theta, sse = out
            if math.sqrt(sse / self.n / self.var_y) <= max(self.promising * self.best_nrmse, 1e-3):
                out = self._fit_theta(tb, build, theta, fvals, nf, self.max_nfev)
                if out is not None and out[1] <= sse:
                    theta, sse = out
                for _ in range(self.restarts):
                    out = self._fit_theta(tb, build, self.rng.uniform(-2.0, 2.0, k), fvals, nf, self.max_nfev)
                    if out is not None and out[1] < sse:
                        theta, sse = out
        T = build(theta)
        if not np.all(np.isfinite(T)):
            return None
        T, keep = self._prune(T)
        coef, sse = self._lstsq(self._design(T, fvals))
        if not math.isfinite(sse):
            return None
        offs = np.cumsum([0] + [self.n_consts(t) for t in terms])
        all_terms = fixed + [(t, theta[offs[i]:offs[i + 1]]) for i, t in enumerate(terms)]
        all_terms = [all_terms[i] for i in keep]
        res = self._result(tokens, all_terms, list(coef[1:]), coef[0], factor, sse, form)
        if res.nrmse < self.best_nrmse:
            self.best_nrmse = res.nrmse
        return res

    def _prune(self, T):
        """Drop terms that are constant on the data or duplicate an earlier term numerically."""
        keep = []
        seen = set()
        for i in range(T.shape[0]):
            v = T[i]
            with np.errstate(all="ignore"):
                s = float(np.std(v))
            if not np.isfinite(s):
                continue
            if not s > 1e-12 * max(1.0, float(np.max(np.abs(v)))):
                continue
            h = tuple(np.round((v - v.mean()) / s, 9))
            if h in seen:
                continue
            seen.add(h)
            keep.append(i)
        return T[keep], keep

    def _fit_theta(self, tb, build, th0, fvals, nf, iters):
        """Levenberg-Marquardt over the free constants on the variable-projection residual (Kaufman Jacobian).

        A hand-written loop: scipy's ``least_squares`` costs ~10 ms of overhead per call, more than a fit here.
        """
        self.n_fits += 1
        y = self.y

        def state(theta):
            T = build(theta)
            if not np.all(np.isfinite(T)):
                return None
            M = self._design(T, fvals)
            Q, R = np.linalg.qr(M)
            d = np.abs(np.diag(R))
            if d.min() <= 1e-10 * max(d.max(), 1e-300):
                coef, *_ = np.linalg.lstsq(M, y, rcond=None)
                r = y - M @ coef
                Q = np.linalg.svd(M, full_matrices=False)[0][:, : max(1, np.linalg.matrix_rank(M))]
            else:
                coef = np.linalg.solve(R, Q.T @ y)
                r = y - Q @ (Q.T @ y)
            return coef, r, Q

        def jac(theta, st):
            coef, _, Q = st
            _, Jt = tb.jacobian(self.X, theta)  # (m, n, k)
            if fvals is not None:
                Jt = Jt * fvals[None, :, None]
            J = -np.einsum("i,ink->nk", coef[1 + nf:], Jt)
            J -= Q @ (Q.T @ J)  # Kaufman: project out the span of the linear design
            J[~np.isfinite(J)] = 0.0
            return J

        theta = np.asarray(th0, dtype=np.float64).copy()
        with np.errstate(all="ignore"):
            st = state(theta)
            if st is None:
                return None
            r = st[1]
            sse = float(r @ r)
            if not math.isfinite(sse):
                return None
            lam = 1e-3
            J = jac(theta, st)
            for _ in range(iters):
                A = J.T @ J
                gvec = J.T @ r
                D = np.diag(A).copy()
                D[D <= 0] = 1e-12
                try:
                    step = -np.linalg.solve(A + lam * np.diag(D), gvec)
                except np.linalg.LinAlgError:
                    lam *= 10.0
                    if lam > 1e12:
                        break
                    continue
                cand = theta + step
                sc_ = state(cand)
                sc = float(sc_[1] @ sc_[1]) if sc_ is not None else math.inf
                if math.isfinite(sc) and sc < sse:
                    done = sse - sc <= 1e-10 * sse or sc <= self.sse_floor
                    theta, st, r, sse = cand, sc_, sc_[1], sc
                    lam = max(lam / 3.0, 1e-12)
                    if done:
                        break
                    J = jac(theta, st)
                else:
                    lam *= 4.0
                    if lam > 1e10:
                        break
        if not math.isfinite(sse) or sse >= 1e290:
            return None
        return theta, sse

    # --- result, complexity, snapping ---------------------------------------------------------------------------
    def _complexity(self, terms, coefs, intercept, factor) -> int:
        n = 0
        m = 0
        for (t, _), c in zip(terms, coefs):
            if value_of(c) == 0:
                continue
            n += len(t) + _cost_const(c)
            m += 1
        if value_of(intercept) != 0:
            n += 2 if m else 1
        n += max(m - 1, 0)
        if factor is not None:
            n += len(factor[0]) + 1
        return max(n, 1)

    def _result(self, tokens, terms, coefs, intercept, factor, sse, form, snapped=False) -> FitResult:
        sse = max(sse, 0.0)
        mse = sse / self.n
        nrmse = math.sqrt(mse / self.var_y)
        cx = self._complexity(terms, coefs, intercept, factor)
        reward = 0.99 ** (len(tokens) + (form.n_tokens() if form is not None else 0)) / (1.0 + nrmse)
        return FitResult(tuple(tokens), terms, coefs, intercept, factor, mse, nrmse, reward, cx, snapped)

    def snap(self, fr: FitResult) -> FitResult:
        """Snap inner constants, then linear coefficients, to simple values when the AIC does not suffer."""
        n = self.n
        terms = [(t, np.asarray(th, float).copy()) for t, th in fr.terms]
        fvals = None if fr.factor is None else self.values(fr.factor[0], np.asarray(fr.factor[1], float))
        inner_exact: list[list] = [list(th) for _, th in terms]

        def evaluate_terms(tms):
            return np.asarray([self.values(t, np.asarray([value_of(c) for c in th], float)) for t, th in tms]) \
                if tms else np.zeros((0, n))

        sse_ref = max(fr.mse * n, self.sse_floor)

        def accept(sse_new, sse_old):
            return math.isfinite(sse_new) and n * math.log(max(sse_new, self.sse_floor) / max(sse_old, self.sse_floor)) < 2.0

        # inner constants.  First pass: constants that already equal a simple value to 1e-7 are snapped together
        # (one at a time would fail: the other, not yet snapped, constants keep the SSE above the rounding level).
        def sse_of(trial):
            T = evaluate_terms([(t, th) for (t, _), th in zip(terms, trial)])
            if not np.all(np.isfinite(T)):
                return math.inf
            return self._lstsq(self._design(T, fvals))[1]

        together = [list(x) for x in inner_exact]
        changed = False
        for i in range(len(terms)):
            for j in range(len(together[i])):
                v = float(together[i][j])
                for cand in snap_candidates(v):
                    if abs(value_of(cand) - v) <= 1e-7 * max(1.0, abs(v)):
                        together[i][j] = cand
                        changed = True
                        break
        if changed and accept(sse_of(together), sse_ref):
            inner_exact = together
        # second pass: one at a time (the linear coefficients are refitted each time)
        cur_sse = sse_ref
        for i in range(len(terms)):
            for j in range(len(inner_exact[i])):
                if not isinstance(inner_exact[i][j], (float, np.floating)):
                    continue
                v = float(inner_exact[i][j])
                for cand in snap_candidates(v):
                    trial = [list(x) for x in inner_exact]
                    trial[i][j] = cand
                    sse_new = sse_of(trial)
                    if accept(sse_new, cur_sse):
                        inner_exact = trial
                        cur_sse = min(cur_sse, max(sse_new, self.sse_floor))
                        break
        T = evaluate_terms([(t, th) for (t, _), th in zip(terms, inner_exact)])
        M = self._design(T, fvals)
        coef, sse = self._lstsq(M)
        # linear coefficients: fix one at a time, refit the free ones
        fixed: dict[int, object] = {}
        order = list(range(M.shape[1]))
        for idx in order:
            free = [i for i in order if i not in fixed and i != idx]
            for cand in snap_candidates(float(coef[idx])):
                trial = dict(fixed)
                trial[idx] = cand
                yy = self.y - sum(M[:, i] * value_of(c) for i, c in trial.items())
                if free:
                    sub, *_ = np.linalg.lstsq(M[:, free], yy, rcond=None)
                    r = yy - M[:, free] @ sub
                else:
                    r = yy
                sse_new = float(r @ r)
                if accept(sse_new, sse):
                    fixed = trial
                    if free:
                        coef[free] = sub
                    coef[idx] = value_of(cand)
                    break
        yy = self.y - sum(M[:, i] * value_of(c) for i, c in fixed.items())
        free = [i for i in order if i not in fixed]
        if free:
            sub, *_ = np.linalg.lstsq(M[:, free], yy, rcond=None)
            r = yy - M[:, free] @ sub
            coef[free] = sub
        else:
            r = yy
        sse_final = float(r @ r)
        coefs_all = [fixed.get(i, float(coef[i])) for i in order]
        new_terms = []
        new_coefs = []
        for (t, _), th, c in zip(terms, inner_exact, coefs_all[1:]):
            if value_of(c) == 0:
                continue
            new_terms.append((t, th))
            new_coefs.append(c)
        out = self._result(fr.tokens, new_terms, new_coefs, coefs_all[0], fr.factor, sse_final, None, snapped=True)
        out.reward = fr.reward
        return out
