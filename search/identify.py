r"""Identify a number as a closed form over known constants, by integer-relation search (PSLQ).

Given a value $x$ (to $D$ digits) and a basis of constants $c_1, \dots, c_k$, two forms are searched, each split into
independent tasks over subsets $S$ of the basis:

- **linear**: $r_0 x + \sum_m r_m\, m(S) = 0$ over the monomials $m$ of $S$ up to a degree (1, $c_i$, $c_i c_j$, $c_i^2$, ...),
  giving $x = -\sum_m (r_m / r_0)\, m$;  e.g. $(\pi^2 - 4\log 2)/5$.
- **product**: $r_0 \log|x| + \sum_p r_p \log p + \sum_{c \in S} r_c \log c = 0$ with small primes $p$,
  giving $x = \pm \prod p^{-r_p/r_0} \prod c^{-r_c/r_0}$;  e.g. $8G/\pi$.

Before the search, monomials (or logarithms) that are themselves integer-related (``sqrt2**2 = 2``,
$\varphi^2 = \varphi + 1$) are pruned, so every relation found involves $x$.  A relation is accepted only if its
height is small against the working precision ($n \log_{10} \max|r| \le D - 10$), which keeps the chance of a
spurious relation negligible; every result is still re-validated by the workbench at high precision.
"""

from __future__ import annotations

import itertools
import math

import mpmath

from search.base import Candidate, Task, task_key

__all__ = ["IdentifyEngine", "SMALL_PRIMES"]

SMALL_PRIMES = (2, 3, 5, 7)


def _monomials(names: list[str], degree: int) -> list[tuple[str, ...]]:
    out = [()]
    for d in range(1, degree + 1):
        out.extend(itertools.combinations_with_replacement(names, d))
    return out


class IdentifyEngine:
    """PSLQ search for closed forms of a number over a basis of named constants.

    Parameters are stored as given; the constants arrive as decimal strings (evaluated by the caller at
    ``dps + 10`` digits) with their SymPy forms, so this engine needs nothing from the workbench.
    """

    name = "identify"

    def __init__(self, value: str, value_text: str, dps: int, basis: dict[str, tuple[str | None, str]],
                 max_coeff: int = 1000, max_constants: int = 2, max_degree: int = 2,
                 forms: tuple[str, ...] = ("linear", "product")):
        if dps < 15:
            raise ValueError(f"identify needs at least 15 digits of the value, got {dps}")
        if max_coeff < 1:
            raise ValueError(f"max_coeff must be at least 1, got {max_coeff}")
        if not basis:
            raise ValueError("the basis is empty")
        unknown = set(forms) - {"linear", "product"}
        if unknown:
            raise ValueError(f"unknown form(s) {sorted(unknown)}; expected linear, product")
        self.value, self.value_text, self.dps = value, value_text, int(dps)
        self.basis = dict(basis)
        self.max_coeff, self.max_constants, self.max_degree = int(max_coeff), int(max_constants), int(max_degree)
        self.forms = tuple(forms)

    # -- tasks -------------------------------------------------------------------------------------------------
    def tasks(self) -> list[Task]:
        names = sorted(self.basis)
        out = []
        for size in range(1, min(self.max_constants, len(names)) + 1):
            for subset in itertools.combinations(names, size):
                for form in self.forms:
                    payload = {"form": form, "subset": list(subset)}
                    out.append(Task(key=task_key(self.name, [self.value_text, payload, self.max_coeff,
                                                             self.max_degree, self.dps]),
                                    engine=self.name, payload=payload))
        return out

    # -- one task ----------------------------------------------------------------------------------------------
    def run_task(self, task: Task) -> list[Candidate]:
        form, subset = task.payload["form"], task.payload["subset"]
        with mpmath.workdps(self.dps):
            x = mpmath.mpf(self.value)
            if x == 0:
                return []
            consts = {n: mpmath.mpf(self.basis[n][1]) for n in subset}
            if form == "linear":
                found = self._linear(x, subset, consts)
            else:
                found = self._product(x, subset, consts)
        return [self._candidate(expr, form, subset) for expr in found]

    def _tol(self):
        return mpmath.mpf(10) ** (-(self.dps - 5))

    def _acceptable(self, rel) -> bool:
        height = max(abs(r) for r in rel)
        return len(rel) * math.log10(height + 1) <= self.dps - 10

    def _independent(self, vectors: list, labels: list) -> tuple[list, list]:
        """Drop entries until no integer relation holds among ``vectors`` (the last involved entry goes first)."""
        vectors, labels = list(vectors), list(labels)
        while len(vectors) > 1:
            rel = mpmath.pslq(vectors, tol=self._tol(), maxcoeff=self.max_coeff, maxsteps=20000)
            if rel is None:
                break
            drop = max(i for i, r in enumerate(rel) if r != 0)
            del vectors[drop], labels[drop]
        return vectors, labels

    def _linear(self, x, subset, consts) -> list:
        import sympy

        monos = _monomials(subset, self.max_degree)
        values = [mpmath.fprod(consts[n] for n in m) if m else mpmath.mpf(1) for m in monos]
        values, monos = self._independent(values, monos)
        if not all(n in {c for m in monos for c in m} for n in subset):
            return []  # a constant of the subset was pruned away: a smaller subset's task covers this
        rel = mpmath.pslq([x, *values], tol=self._tol(), maxcoeff=self.max_coeff, maxsteps=50000)
        if rel is None or rel[0] == 0 or not self._acceptable(rel):
            return []
        used = {c for r, m in zip(rel[1:], monos) if r != 0 for c in m}
        if used != set(subset):
            return []
        expr = sum((sympy.Rational(-r, rel[0]) * self._mono_expr(m) for r, m in zip(rel[1:], monos) if r), sympy.Integer(0))
        return [sympy.together(expr)]

    def _product(self, x, subset, consts) -> list:
        import sympy

        logs = [mpmath.log(p) for p in SMALL_PRIMES] + [mpmath.log(abs(consts[n])) for n in subset]
        labels = [sympy.Integer(p) for p in SMALL_PRIMES] + [self._const_expr(n) for n in subset]
        logs, labels = self._independent(logs, labels)
        rel = mpmath.pslq([mpmath.log(abs(x)), *logs], tol=self._tol(), maxcoeff=self.max_coeff, maxsteps=50000)
        if rel is None or rel[0] == 0 or not self._acceptable(rel):
            return []
        constant_labels = {self._const_expr(n) for n in subset}
        if not any(r and lab in constant_labels for r, lab in zip(rel[1:], labels)):
            return []  # only primes: x is rational or a radical, which the linear form reports
        expr = sympy.Integer(1) if x > 0 else sympy.Integer(-1)
        for r, lab in zip(rel[1:], labels):
            if r:
                expr *= lab ** sympy.Rational(-r, rel[0])
        return [expr]

    def _const_expr(self, name: str):
        import sympy

        form = self.basis[name][0]
        return sympy.Symbol(name, positive=True) if form is None else sympy.sympify(form)

    def _mono_expr(self, mono):
        import sympy

        return sympy.Mul(*[self._const_expr(n) for n in mono]) if mono else sympy.Integer(1)

    def _candidate(self, expr, form: str, subset) -> Candidate:
        import sympy

        rhs = str(expr)
        return Candidate(
            engine=self.name,
            target=self.value_text,
            kind="identity",
            lhs=self.value_text,
            rhs=rhs,
            complexity=sum(1 for _ in sympy.preorder_traversal(expr)),
            meta={"form": form, "basis": list(subset), "search_digits": self.dps},
            check={"type": "expr", "lhs": self.value_text, "rhs": rhs},
        )
