"""Extraction: the cheapest term of an e-class.

* :func:`extract_greedy`: egg's bottom-up fixpoint: each class's best cost is the minimum over its nodes of the node's
  own cost plus its children's best costs; computed with a worklist (a class that improves re-queues its parents).
  Optimal for tree cost.
* :func:`extract_ilp`: exact **DAG** extraction, where a subterm shared by several parents is paid for once, as an
  integer linear programme solved with ``scipy.optimize.milp`` (HiGHS):

  minimise $\\sum_n c_n x_n$ over binary $x_n$ (node $n$ chosen), subject to
  $\\sum_{n \\in \\text{root}} x_n = 1$; $x_n \\le \\sum_{m \\in d} x_m$ for every child class $d$ of $n$;
  and acyclicity by class levels $t$: $t_c - t_d \\ge 1 - M (1 - x_n)$ for $n \\in c$ with child $d$.
  Falls back to greedy above ``max_nodes`` e-nodes or when the solver does not prove a solution in ``time_limit``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from search.egraph.egraph import LEAF_OPS

__all__ = ["Extraction", "extract_greedy", "extract_ilp", "tree_cost", "dag_cost"]


@dataclass
class Extraction:
    term: tuple
    cost: float  # tree cost
    dag_cost: float  # cost with shared subterms paid once
    method: str
    note: str = ""


def _is_leaf(node):
    return len(node) == 1 or node[0] in LEAF_OPS


def _term_from_choice(eg, root: int, choice: dict) -> tuple:
    memo: dict = {}
    find = eg.find

    def rec(cid, depth=0):
        cid = find(cid)
        t = memo.get(cid)
        if t is not None:
            return t
        node = choice[cid]
        if _is_leaf(node):
            t = node
        else:
            t = (node[0], *[rec(c) for c in node[1:]])
        memo[cid] = t
        return t

    return rec(root)


def tree_cost(eg, root: int, choice: dict, cost) -> float:
    memo: dict = {}
    find = eg.find

    def rec(cid):
        cid = find(cid)
        v = memo.get(cid)
        if v is not None:
            return v
        node = choice[cid]
        v = cost.node_cost(eg, node) + (0 if _is_leaf(node) else sum(rec(c) for c in node[1:]))
        memo[cid] = v
        return v

    return rec(root)


def dag_cost(eg, root: int, choice: dict, cost) -> float:
    seen: set = set()
    total = 0.0
    stack = [eg.find(root)]
    while stack:
        cid = stack.pop()
        if cid in seen:
            continue
        seen.add(cid)
        node = choice[cid]
        total += cost.node_cost(eg, node)
        if not _is_leaf(node):
            stack.extend(eg.find(c) for c in node[1:])
    return total


class _ClassTable:
    """Per-class results of the compiled fixpoint, read like the dicts ``{class id: value}`` they replace
    (only classes with a finite-cost term are present)."""

    __slots__ = ("pos", "values")

    def __init__(self, pos: dict, values):
        self.pos = pos
        self.values = values

    def __contains__(self, cid) -> bool:
        i = self.pos.get(cid)
        return i is not None and self.values(i) is not None

    def __getitem__(self, cid):
        v = self.values(self.pos[cid])
        if v is None:
            raise KeyError(cid)
        return v

    def get(self, cid, default=None):
        i = self.pos.get(cid)
        if i is None:
            return default
        v = self.values(i)
        return default if v is None else v


def _greedy_choice(eg, cost):
    """``(best, choice)``: per class its least ``(tree cost, tree size)`` and the node chosen for it.

    The e-graph's nodes are flattened into arrays in one pass and the fixpoint runs compiled
    (:func:`search.egraph._extract_kernel.greedy_fixpoint`, which also says how ties are broken).
    """
    from search.egraph._extract_kernel import greedy_fixpoint

    if not eg.clean:
        eg.rebuild()
    classes = eg.classes
    pos = {c: i for i, c in enumerate(classes)}
    flat: list = []
    own: list = []
    kids: list = []
    kstart = [0]
    start = [0]
    add_node, add_own, add_kid = flat.append, own.append, kids.append
    add_kstart, add_start = kstart.append, start.append
    per_op: dict = {}
    by_op = type(cost).__dict__.get("by_operator", False)
    node_cost = cost.node_cost
    leaf_ops = LEAF_OPS
    for cls in classes.values():
        for n in cls.nodes:  # canonical (the e-graph is clean): children are class ids as they stand
            if by_op:
                c = per_op.get(n[0])
                if c is None:
                    c = per_op[n[0]] = node_cost(eg, n)
            else:
                c = node_cost(eg, n)
            ln = len(n)
            if ln == 3 and n[0] not in leaf_ops:
                add_kid(pos[n[1]])
                add_kid(pos[n[2]])
            elif ln == 2 and n[0] not in leaf_ops:
                add_kid(pos[n[1]])
            elif ln > 3:  # an opaque function of several arguments
                kids.extend([pos[k] for k in n[1:]])
            add_kstart(len(kids))
            add_node(n)
            add_own(c)
        add_start(len(flat))
    integral = all(type(c) is int for c in (per_op.values() if by_op else own))
    bc, bs, ch = greedy_fixpoint(np.asarray(start, np.int64), np.asarray(own, np.float64),
                                 np.asarray(kstart, np.int64), np.asarray(kids, np.int64))
    big = np.iinfo(np.int64).max
    bcl, bsl, chl = bc.tolist(), bs.tolist(), ch.tolist()
    if integral:
        def best_of(i):
            return None if bsl[i] == big else (int(bcl[i]), bsl[i])
    else:
        def best_of(i):
            return None if bsl[i] == big else (bcl[i], bsl[i])

    def choice_of(i):
        j = chl[i]
        return None if j < 0 else flat[j]

    return _ClassTable(pos, best_of), _ClassTable(pos, choice_of)


def extract_greedy(eg, root: int, cost) -> Extraction:
    """Greedy bottom-up extraction (optimal for tree cost)."""
    best, choice = _greedy_choice(eg, cost)
    root = eg.find(root)
    if root not in best:
        raise ValueError("the root class has no finite-cost term")
    term = _term_from_choice(eg, root, choice)
    return Extraction(term, best[root][0], dag_cost(eg, root, choice, cost), "greedy")


def extract_ilp(eg, root: int, cost, time_limit: float = 5.0, max_nodes: int = 3000) -> Extraction:
    """Exact DAG extraction by ILP (``scipy.optimize.milp``); greedy fallback with a note when not possible."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    greedy = extract_greedy(eg, root, cost)
    root = eg.find(root)
    find = eg.find
    # classes reachable from the root
    reach: list[int] = []
    seen = {root}
    stack = [root]
    while stack:
        c = stack.pop()
        reach.append(c)
        for n in eg.classes[c].nodes:
            if not _is_leaf(n):
                for k in n[1:]:
                    k = find(k)
                    if k not in seen:
                        seen.add(k)
                        stack.append(k)
    nodes: list[tuple[int, tuple]] = [(c, n) for c in reach for n in eg.classes[c].nodes]
    if len(nodes) > max_nodes:
        greedy.note = f"ILP skipped: {len(nodes)} e-nodes > max_nodes={max_nodes}; greedy result"
        return greedy
    cidx = {c: i for i, c in enumerate(reach)}
    nn, nc = len(nodes), len(reach)
    big = nc + 1
    nvar = nn + nc  # x_n then t_c
    obj = np.zeros(nvar)
    lb = np.zeros(nvar)
    ub = np.ones(nvar)
    ub[nn:] = big
    integrality = np.zeros(nvar)
    integrality[:nn] = 1
    rows, cols, vals, lo, hi = [], [], [], [], []
    r = 0
    members: dict[int, list[int]] = {c: [] for c in reach}
    for j, (c, n) in enumerate(nodes):
        members[c].append(j)
        obj[j] = cost.node_cost(eg, n)
    # root chosen
    for j in members[root]:
        rows.append(r)
        cols.append(j)
        vals.append(1.0)
    lo.append(1.0)
    hi.append(1.0)
    r += 1
    for j, (c, n) in enumerate(nodes):
        if _is_leaf(n):
            continue
        kids = {find(k) for k in n[1:]}
        if c in kids:
            ub[j] = 0  # a node that contains its own class can never be part of a finite term
            continue
        for d in kids:
            # x_n - sum_{m in d} x_m <= 0
            rows.append(r)
            cols.append(j)
            vals.append(1.0)
            for m in members[d]:
                rows.append(r)
                cols.append(m)
                vals.append(-1.0)
            lo.append(-np.inf)
            hi.append(0.0)
            r += 1
            # t_c - t_d - M x_n >= 1 - M
            rows += [r, r, r]
            cols += [nn + cidx[c], nn + cidx[d], j]
            vals += [1.0, -1.0, -float(big)]
            lo.append(1.0 - big)
            hi.append(np.inf)
            r += 1
    a = coo_matrix((vals, (rows, cols)), shape=(r, nvar)).tocsr()
    res = milp(
        obj,
        constraints=LinearConstraint(a, np.array(lo), np.array(hi)),
        integrality=integrality,
        bounds=Bounds(lb, ub),
        options={"time_limit": float(time_limit), "disp": False},
    )
    if res.x is None:
        greedy.note = f"ILP found no solution ({res.message.strip()}); greedy result"
        return greedy
    x = res.x
    choice: dict[int, tuple] = {}
    for c in reach:
        js = [j for j in members[c] if x[j] > 0.5]
        if js:
            choice[c] = min((nodes[j][1] for j in js), key=lambda n: cost.node_cost(eg, n))
    try:
        term = _term_from_choice(eg, root, choice)
    except (KeyError, RecursionError):
        greedy.note = "ILP solution incomplete; greedy result"
        return greedy
    dc = dag_cost(eg, root, choice, cost)
    if dc > greedy.dag_cost + 1e-9:
        greedy.note = "ILP (time-limited) did not beat greedy; greedy result"
        return greedy
    note = "" if res.status == 0 else f"ILP stopped early ({res.message.strip()}): best found, not proven optimal"
    return Extraction(term, tree_cost(eg, root, choice, cost), dc, "ilp", note)
