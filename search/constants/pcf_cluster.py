"""Group PCF formulas by their convergence dynamics, and link Möbius-related limits into families.

Following "Unsupervised Discovery of Formulas for Mathematical Constants", a PCF is described not by its value
but by how it converges:

* $\\delta$, the irrationality measure of its convergents ($|L - p_n/q_n| = \\tilde q_n^{-(1+\\delta)}$);
* the convergence rate (digits gained per term, and the $n\\log n$ coefficient of the rate fit, which separates
  exponential from factorial convergence);
* the eigenvalue ratio $|\\lambda_-/\\lambda_+|$ of the recurrence's characteristic equation at large $n$.

**Clusters** are the connected components of the graph (networkx) that links two PCFs whose standardised
features all lie within the given tolerances (single linkage): PCFs in one cluster converge alike, which in the
paper is how families of formulas for the same constant showed up.

**Families** are the connected components of the graph that links two PCFs whose limits are related by a Möbius
transform with small integer coefficients: if $x = M_1(c)$ and $y = M_2(c)$ with integer matrices $M_1$, $M_2$,
then $y = (M_2 M_1^{-1})(x)$, and the edge exists when that reduced matrix has entries $\\le$ ``max_coeff``.
"""

from __future__ import annotations

import math
from math import gcd

__all__ = ["pcf_features", "cluster_pcfs", "pcf_families", "moebius_relation"]


def pcf_features(meta: dict) -> tuple[float, float, float, float] | None:
    """``(delta, digits_per_term, nlogn_coefficient, eigenvalue_ratio)`` from a PCF conjecture's ``meta``."""
    try:
        deltas = [d for d in meta.get("delta") or [] if d is not None]
        delta = float(deltas[-1]) if deltas else math.nan
        rate = float(meta.get("convergence_rate", math.nan))
        fit = meta.get("convergence_fit") or {}
        nlogn = float(fit.get("nlogn", math.nan)) if fit else math.nan
        ratio = float(meta.get("eigenvalue_ratio", math.nan))
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) for v in (delta, rate, ratio)):
        return None
    return delta, rate, (nlogn if math.isfinite(nlogn) else 0.0), ratio


def cluster_pcfs(metas: list[dict], delta_tol: float = 0.05, rate_rtol: float = 0.1, nlogn_tol: float = 0.02,
                 ratio_tol: float = 0.02) -> list[dict]:
    """Single-linkage clusters of PCFs by (delta, convergence rate, eigenvalue ratio).

    Two PCFs are linked when $|\\Delta\\delta| \\le$ ``delta_tol``, their rates agree within the relative
    tolerance ``rate_rtol``, their $n\\log n$ coefficients within ``nlogn_tol`` and their eigenvalue ratios
    within ``ratio_tol``.  Returns a list (largest first) of
    ``{"members": [indices into metas], "features": {"delta": [min, max], ...}, "size": k}``;
    PCFs without finite features form no cluster.
    """
    import networkx as nx

    feats = {i: pcf_features(m) for i, m in enumerate(metas)}
    feats = {i: f for i, f in feats.items() if f is not None}
    g = nx.Graph()
    g.add_nodes_from(feats)
    items = sorted(feats.items(), key=lambda kv: kv[1][0])  # sort by delta: only a window can link
    for k, (i, fi) in enumerate(items):
        for j, fj in items[k + 1:]:
            if fj[0] - fi[0] > delta_tol:
                break
            if abs(fi[1] - fj[1]) > rate_rtol * max(abs(fi[1]), abs(fj[1]), 1e-12):
                continue
            if abs(fi[2] - fj[2]) > nlogn_tol or abs(fi[3] - fj[3]) > ratio_tol:
                continue
            g.add_edge(i, j)
    out = []
    for comp in nx.connected_components(g):
        members = sorted(comp)
        cols = list(zip(*(feats[i] for i in members)))
        names = ("delta", "rate", "nlogn", "eigenvalue_ratio")
        features = {n: [round(min(c), 6), round(max(c), 6)] for n, c in zip(names, cols)}
        features["mean"] = {n: round(sum(c) / len(c), 6) for n, c in zip(names, cols)}
        out.append({"members": members, "features": features, "size": len(members)})
    out.sort(key=lambda c: (-c["size"], c["features"]["mean"]["delta"]))
    return out


def _reduce(m):
    g = 0
    for v in m:
        g = gcd(g, abs(int(v)))
    g = g or 1
    m = [int(v) // g for v in m]
    # sign: first nonzero of the denominator row positive
    lead = m[2] if m[2] != 0 else m[3]
    if lead < 0:
        m = [-v for v in m]
    return tuple(m)


def moebius_relation(m1, m2) -> tuple[int, int, int, int] | None:
    """The reduced integer Möbius map $T$ with $T(M_1(c)) = M_2(c)$, as ``(a, b, d, e)`` for $(a + bx)/(d + ex)$.

    ``m1``, ``m2`` are ``(alpha, beta, gamma, epsilon)`` for $(\\alpha + \\beta c)/(\\gamma + \\epsilon c)$, i.e. the
    matrix $\\begin{pmatrix}\\beta & \\alpha\\\\ \\epsilon & \\gamma\\end{pmatrix}$ acting on $c$.  ``None`` if
    $M_1$ is singular.
    """
    a1, b1, g1, e1 = (int(v) for v in m1)
    a2, b2, g2, e2 = (int(v) for v in m2)
    # matrices acting on (c, 1): M = [[beta, alpha], [eps, gamma]]
    M1 = [[b1, a1], [e1, g1]]
    M2 = [[b2, a2], [e2, g2]]
    det = M1[0][0] * M1[1][1] - M1[0][1] * M1[1][0]
    if det == 0:
        return None
    adj = [[M1[1][1], -M1[0][1]], [-M1[1][0], M1[0][0]]]  # det * M1^{-1}
    T = [[sum(M2[i][k] * adj[k][j] for k in range(2)) for j in range(2)] for i in range(2)]
    # T acts on x: (T00 x + T01)/(T10 x + T11) -> (a + b x)/(d + e x) with a=T01, b=T00, d=T11, e=T10
    return _reduce((T[0][1], T[0][0], T[1][1], T[1][0]))


def pcf_families(metas: list[dict], max_coeff: int = 2) -> list[dict]:
    """Connected families of PCFs whose limits are Möbius-related with coefficients $\\le$ ``max_coeff``.

    Only PCFs of the same target are compared (their ``meta["moebius"]`` express the limits in one constant).
    Returns ``[{"members": [...], "edges": [[i, j, [a, b, d, e]], ...], "size": k}]``, largest first; singletons
    are omitted.
    """
    import networkx as nx

    g = nx.Graph()
    by_target: dict[str, list[int]] = {}
    for i, m in enumerate(metas):
        if m.get("moebius") and len(m["moebius"]) == 4:
            by_target.setdefault(str(m.get("_target", "")), []).append(i)
    for idx in by_target.values():
        for k, i in enumerate(idx):
            for j in idx[k + 1:]:
                t = moebius_relation(metas[i]["moebius"], metas[j]["moebius"])
                if t is not None and max(abs(v) for v in t) <= max_coeff:
                    g.add_edge(i, j, relation=list(t))
    out = []
    for comp in nx.connected_components(g):
        members = sorted(comp)
        edges = [[int(u), int(v), d["relation"]] for u, v, d in g.subgraph(members).edges(data=True)]
        out.append({"members": members, "edges": sorted(edges), "size": len(members)})
    out.sort(key=lambda c: (-c["size"], c["members"]))
    return out
