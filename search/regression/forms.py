r"""Additive form assembly: sparse sums of the sub-terms the tree search has found.

RSRM's modulated sub-tree discovery notices that the best models share additive terms and then searches the
residual.  Here every term of every fitted candidate (a top-level additive piece, its constants fixed at their
fitted values) enters a *term pool*, deduplicated by its values on the data.  A beam search over sparse subsets
then assembles forms $A(x) = c_0 + \sum_{i \in S} c_i\,t_i(x)$: starting from the empty set, each step adds one of
the pool terms best correlated with the current residual, refits the coefficients by least squares, and keeps
the ``beam`` subsets with the lowest Bayesian information criterion

$$ \mathrm{BIC}(S) = n \log(\mathrm{SSE}_S / n) + \log(n)\,(|S| + 1) + \lambda\,\mathrm{tokens}(S). $$

Every subset visited becomes a candidate model, and the best ones become fixed additive forms for a residual
tree search $y = A(x) + c\,f(x)$.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["TermPool"]


class TermPool:
    """Distinct terms seen so far (tokens, fitted constants, values on the data), bounded in size."""

    def __init__(self, y: np.ndarray, max_size: int = 3000, max_term_len: int = 16):
        self.y = y
        self.n = len(y)
        self.max_size = max_size
        self.max_term_len = max_term_len
        self.keys: dict = {}
        self.tokens: list = []
        self.thetas: list = []
        self.vals: list = []
        self.Z = np.zeros((0, self.n))  # centred, unit-norm values (for correlation screening)
        self._pending: list = []
        self._done: set = set()
        self.groups: list = []

    def __len__(self) -> int:
        return len(self.tokens)

    def add(self, tokens, theta, values, group: int = 0) -> None:
        """Add a term; ``group`` tags library terms (1: monomials, 2: other library terms) for tiered searches."""
        if len(tokens) > self.max_term_len or len(self.tokens) >= self.max_size:
            return
        v = np.asarray(values, dtype=np.float64)
        if not np.all(np.isfinite(v)) or np.max(np.abs(v)) > 1e12:
            return
        c = v - v.mean()
        nrm = float(np.sqrt(c @ c))
        if not nrm > 1e-10 * max(1.0, float(np.max(np.abs(v)))):
            return
        z = c / nrm
        key = tuple(np.round(z * (1 if z[np.argmax(np.abs(z))] > 0 else -1), 8))
        old = self.keys.get(key)
        if old is not None:
            # keep the shorter spelling of the same function, but never trade a constant-free spelling for one
            # with fitted constants (library monomials stay constant-free: the rational forms rely on it)
            if len(tokens) < len(self.tokens[old]) and (len(theta) == 0 or len(self.thetas[old]) > 0):
                self.tokens[old] = tuple(tokens)
                self.thetas[old] = [float(t) for t in theta]
            if group and (not self.groups[old] or group < self.groups[old]):
                self.groups[old] = group
            return
        self.keys[key] = len(self.tokens)
        self.groups.append(group)
        self.tokens.append(tuple(tokens))
        self.thetas.append([float(t) for t in theta])
        self.vals.append(v)
        self._pending.append(z)

    def add_products(self, times_token: int, n_short: int = 24, max_len: int = 13, n_const: int = 12) -> int:
        """Multiplicative closure of the shortest terms: add the pairwise products $t_i t_j$.

        Polynomial and product structure (``x**4 = (x*x)*(x*x)``, ``sin(x)*cos(y)``) is then assembled from
        pieces the search found separately.  The ``n_short`` shortest constant-free terms are multiplied with each
        other and with the ``n_const`` shortest one-constant terms (``sin(C*x)``), which are also multiplied with
        each other; a product keeps its factors' fitted constants (prefix order) until a joint refit.
        Returns the number of new terms.
        """
        short = sorted((i for i, th in enumerate(self.thetas) if not th), key=lambda i: (len(self.tokens[i]), i))
        short = short[:n_short]
        withc = sorted((i for i, th in enumerate(self.thetas) if len(th) == 1),
                       key=lambda i: (len(self.tokens[i]), i))[:n_const]
        pairs = [(short[a], short[b]) for a in range(len(short)) for b in range(a, len(short))]
        pairs += [(i, j) for i in short for j in withc]
        pairs += [(withc[a], withc[b]) for a in range(len(withc)) for b in range(a + 1, len(withc))]
        before = len(self.tokens)
        for i, j in pairs:
            key = (i, j)
            if key in self._done:
                continue
            self._done.add(key)
            toks = (times_token,) + self.tokens[i] + self.tokens[j]
            if len(toks) > max_len:
                continue
            gi, gj = self.groups[i], self.groups[j]
            grp = max(gi, gj) if gi and gj else 0
            self.add(toks, list(self.thetas[i]) + list(self.thetas[j]), self.vals[i] * self.vals[j], grp)
        return len(self.tokens) - before

    def backward(self, *, max_len: int | None = None, k: int | None = None, max_group: int | None = None):
        """Backward elimination: start from the ``k`` pool terms (of at most ``max_len`` tokens) best correlated
        with ``y`` and drop, one at a time, the term whose removal raises the SSE least.  Greedy forward selection
        fails on correlated libraries (``exp(x)`` beats every monomial of a polynomial); backward elimination keeps
        an exact subset once it is inside the starting set, since only its terms are expensive to remove.
        Returns the visited subsets as (indices, coef, sse)."""
        self._sync()
        m = len(self.tokens)
        if m == 0:
            return []
        n = self.n
        y = self.y
        V = np.asarray(self.vals)
        lens = np.asarray([len(t) for t in self.tokens])
        k = min(k or 24, n - 3, 24)
        if k < 2:
            return []
        yc = y - y.mean()
        ny = float(np.sqrt(yc @ yc)) or 1.0
        corr = np.abs(self.Z @ (yc / ny))
        if max_len is not None:
            corr[lens > max_len] = -1.0
        if max_group is not None:
            grp = np.asarray(self.groups)
            corr[(grp == 0) | (grp > max_group)] = -1.0
        idx = [int(i) for i in np.argsort(-corr, kind="stable")[:k] if corr[i] > 0]
        out = []
        cur = sorted(idx)
        while cur:
            M = np.empty((n, len(cur) + 1))
            M[:, 0] = 1.0
            M[:, 1:] = V[cur].T
            coef, *_ = np.linalg.lstsq(M, y, rcond=None)
            r = y - M @ coef
            out.append((tuple(cur), coef, float(r @ r)))
            if len(cur) == 1:
                break
            # SSE increase when column j is dropped: coef_j^2 / [(M^T M)^-1]_jj (one pseudo-inverse per step
            # instead of one least-squares solve per candidate); ties go to dropping the longer term
            G = np.linalg.pinv(M.T @ M)
            d = np.diag(G)[1:]
            with np.errstate(all="ignore"):
                inc = np.where(d > 0, coef[1:] ** 2 / d, 0.0)
            inc = np.where(np.isfinite(inc), inc, 0.0)
            j = min(range(len(cur)), key=lambda i: (inc[i], -lens[cur[i]]))
            cur = cur[:j] + cur[j + 1:]
        return out

    def _sync(self):
        if self._pending:
            self.Z = np.vstack([self.Z, np.asarray(self._pending)])
            self._pending = []

    def beam_search(self, *, max_terms: int = 6, beam: int = 6, branch: int = 12, token_weight: float = 1.0,
                    max_len: int | None = None, max_group: int | None = None):
        """Return the visited subsets as (indices, coef (intercept first), sse), best BIC first.

        ``max_len`` restricts the search to pool terms of at most that many tokens (the driver runs tiers of
        increasing length, so that short exact terms are not crowded out by long, well-correlated ones).
        """
        self._sync()
        m = len(self.tokens)
        if m == 0:
            return []
        n = self.n
        y = self.y
        V = np.asarray(self.vals)
        lens = np.asarray([len(t) for t in self.tokens], dtype=float)
        sse_floor = n * (1e-15 * max(1.0, float(np.max(np.abs(y))))) ** 2

        def fit(idx):
            M = np.empty((n, len(idx) + 1))
            M[:, 0] = 1.0
            if idx:
                M[:, 1:] = V[list(idx)].T
            A = M.T @ M
            try:
                # normal equations with a tiny ridge: ~4x cheaper than lstsq for these small systems
                coef = np.linalg.solve(A + 1e-14 * np.trace(A) * np.eye(len(A)), M.T @ y)
            except np.linalg.LinAlgError:
                coef, *_ = np.linalg.lstsq(M, y, rcond=None)
            r = y - M @ coef
            return coef, r, float(r @ r)

        def bic(idx, sse):
            return n * math.log(max(sse, sse_floor) / n) + math.log(n) * (len(idx) + 1) + token_weight * float(
                lens[list(idx)].sum() if idx else 0.0)

        allowed = np.ones(m, dtype=bool) if max_len is None else lens <= max_len
        if max_group is not None:
            grp = np.asarray(self.groups)
            allowed &= (grp > 0) & (grp <= max_group)
        if not allowed.any():
            return []
        coef0, r0, sse0 = fit(())
        frontier = [((), coef0, r0, sse0)]
        seen = {()}
        visited = []
        for _ in range(max_terms):
            nxt = []
            for idx, coef, r, sse in frontier:
                rn = float(np.sqrt(r @ r))
                if rn <= math.sqrt(sse_floor):
                    continue
                corr = np.abs(self.Z @ (r / rn))
                corr[~allowed] = -1.0
                if idx:
                    corr[list(idx)] = -1.0
                cand = np.argsort(-corr, kind="stable")[:branch]
                for j in cand:
                    if corr[j] <= 1e-12:
                        continue
                    new = tuple(sorted(idx + (int(j),)))
                    if new in seen:
                        continue
                    seen.add(new)
                    c2, r2, s2 = fit(new)
                    if not math.isfinite(s2):
                        continue
                    nxt.append((new, c2, r2, s2))
            if not nxt:
                break
            nxt.sort(key=lambda s: (bic(s[0], s[3]), s[0]))
            frontier = nxt[:beam]
            visited.extend(frontier)
        visited.sort(key=lambda s: (bic(s[0], s[3]), s[0]))
        return [(idx, coef, sse) for idx, coef, _, sse in visited]
