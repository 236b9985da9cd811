"""The e-graph: hashcons, union-find, e-classes indexed by operator, deferred rebuilding.

The design follows egg (Willsey et al., POPL 2021):

* an **e-node** is a tuple ``(op, child_class_id, ...)``; leaves are ``("#", Fraction)`` (an exact rational),
  ``("$", name)`` (a variable or opaque symbol), ``("f", float)`` (an inexact constant kept as written) and
  ``("K", name)`` (a named constant such as pi, with its value in ``EGraph.named_values``);
* the **hashcons** maps each canonical e-node to its e-class id; the **union-find** maps ids to representatives;
* each :class:`EClass` keeps its e-nodes, its parents (e-node, class) for repair, and its analysis data;
* **deferred rebuilding**: ``union`` only records the merged class on a worklist; :meth:`EGraph.rebuild` restores
  the congruence invariant (and propagates the analysis) once per iteration, which is what makes equality saturation
  fast: many unions share one repair pass;
* after a rebuild every class's nodes are canonical, deduplicated and **indexed by operator** (``EClass.byop``), and
  ``EGraph.op_index[op]`` lists the classes containing an ``op`` node: compiled patterns start from there;
* **semi-naive matching** (egglog's approach): every e-node that is new as a tuple (created, moved to another class
  by a union, re-keyed because a child was merged, or a parent of a class whose constant, signs or leaves changed) is
  appended to a per-operator log; :meth:`EGraph.delta_since` lists what is new since a mark, and the matchers of
  :func:`search.egraph.pattern.compile_delta` only look for matches that use at least one such e-node, climbing to
  the pattern's root through a per-rebuild parent index (:meth:`EGraph.parents_at`);
* a rule's right-hand side root that is new joins the matched class directly (:meth:`EGraph.add_into`): no class is
  created for it and no union (so no parent repair) is needed, as a node that was in no class cannot break
  congruence.

A *term* (the e-graph's input and output, egg's ``RecExpr``) is a nested tuple with the same leaves and
``(op, subterm, ...)`` for operators.  Conversion to and from SymPy goes through the shared expression core
(:mod:`search.egraph.convert`).
"""

from __future__ import annotations

from fractions import Fraction

from search.egraph.analysis import TOP, make_leaf, make_node, merge

__all__ = ["EGraph", "EClass", "LEAF_OPS"]

#: Operators whose node payload is not a class id.
LEAF_OPS = frozenset({"#", "$", "f", "K"})

# Cap on analysis re-propagations per class per rebuild: intervals can narrow step by step along cycles; stopping
# early keeps a wider interval, which is still sound.
_MAX_ANALYSIS_UPDATES = 6


class EClass:
    """An equivalence class: its e-nodes, the parents that point at it, and its analysis data."""

    __slots__ = ("id", "nodes", "parents", "data", "byop", "nidx")

    def __init__(self, cid: int, node: tuple, data: tuple):
        self.id = cid
        self.nodes = [node]
        self.parents: list = []
        self.data = data
        self.byop: dict = {}
        self.nidx = 0  # how many of ``nodes`` (a prefix) ``byop`` indexes

    def __repr__(self) -> str:
        return f"EClass({self.id}, {len(self.nodes)} nodes, data={self.data})"


class EGraph:
    """An e-graph over real-valued expressions with a constant/interval/sign analysis.

    ``assume_positive`` makes every variable strictly positive in the analysis (the ``--assume positive`` switch).
    """

    def __init__(self, assume_positive: bool = False, named_values: dict | None = None):
        self.assume_positive = assume_positive
        self.named_values = dict(named_values or {"pi": 3.141592653589793, "e": 2.718281828459045})
        self.parent: list[int] = []
        self.classes: dict[int, EClass] = {}
        self.hashcons: dict[tuple, int] = {}
        self.pending: list[int] = []
        self.analysis_pending: list = []
        self.op_index: dict[str, set[int]] = {}
        self.dirty: set[int] = set()  # classes whose node lists are un-indexed (new nodes, merged)
        self.stale: set[int] = set()  # classes whose node lists hold e-nodes re-keyed by a repair
        self.last_touched: set[int] = set()  # the classes the last rebuild re-indexed (for incremental search)
        self.clean = True
        self.n_unions = 0
        self._data_memo: dict = {}
        # semi-naive matching: per operator, an append-only log of (e-node, class) pairs that are new as tuples
        # (created, re-canonicalised by a repair, or a parent of a class whose analysis data changed)
        self.log: dict[str, list] = {}
        self._pcache: dict = {}  # parents_at, valid until the next rebuild
        self._ncache: dict = {}  # nodes_by_child, valid until the next rebuild

    # ----------------------------------------------------------------- union-find
    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]  # path halving
            i = parent[i]
        return i

    def canon(self, node: tuple) -> tuple:
        # specialised by arity: this is the hottest function of the e-graph
        n = len(node)
        if n == 3:
            op = node[0]
            if op in LEAF_OPS:
                return node
            parent = self.parent
            a, b = node[1], node[2]
            if parent[a] == a and parent[b] == b:
                return node  # already canonical: the same object (callers test ``is``)
            if parent[a] != a:
                a = self.find(a)
            if parent[b] != b:
                b = self.find(b)
            return (op, a, b)
        if n == 2:
            op = node[0]
            if op in LEAF_OPS:
                return node
            a = node[1]
            if self.parent[a] != a:
                return (op, self.find(a))
            return node
        if n == 1:
            return node
        find = self.find
        return (node[0], *[find(c) for c in node[1:]])

    # ----------------------------------------------------------------- sizes
    @property
    def total_nodes(self) -> int:
        """Number of distinct e-nodes (the hashcons size, egg's ``total_size``)."""
        return len(self.hashcons)

    @property
    def n_classes(self) -> int:
        return len(self.classes)

    # ----------------------------------------------------------------- adding
    def _data_of(self, node: tuple) -> tuple:
        if len(node) == 1 or node[0] in LEAF_OPS:
            return make_leaf(node, self.assume_positive, self.named_values)
        classes = self.classes
        find = self.find
        kids = tuple([classes[find(c)].data for c in node[1:]])
        # the analysis is a pure function of the operator and the children's data, and few distinct data values
        # occur (most classes are unbounded, [-1, 1], positive, ...): memoise it per e-graph
        key = (node[0], kids)
        d = self._data_memo.get(key)
        if d is None:
            d = make_node(node[0], list(kids))
            if len(self._data_memo) < 200_000:
                self._data_memo[key] = d
        return d

    def add(self, node: tuple) -> int:
        """Add an e-node (children are class ids); return its class id."""
        node = self.canon(node)
        hashcons = self.hashcons
        cid = hashcons.get(node)
        if cid is not None:
            return self.find(cid)
        parent = self.parent
        cid = len(parent)
        parent.append(cid)
        classes = self.classes
        op = node[0]
        if len(node) == 1 or op in LEAF_OPS:
            data = make_leaf(node, self.assume_positive, self.named_values)
        else:
            # the analysis is a pure function of the operator and the children's data, and few distinct data
            # values occur (most classes are unbounded, [-1, 1], positive, ...): memoised per e-graph
            # children are canonical here
            if len(node) == 3:
                key = (op, (classes[node[1]].data, classes[node[2]].data))
            else:
                key = (op, tuple([classes[c].data for c in node[1:]]))
            data = self._data_memo.get(key)
            if data is None:
                data = make_node(op, list(key[1]))
                if len(self._data_memo) < 200_000:
                    self._data_memo[key] = data
            entry = (node, cid)
            if len(node) == 3:
                a, b = node[1], node[2]
                classes[a].parents.append(entry)
                if b != a:
                    classes[b].parents.append(entry)
            else:
                for c in set(node[1:]):
                    classes[c].parents.append(entry)
            lst = self.log.get(op)
            if lst is None:
                self.log[op] = [entry]
            else:
                lst.append(entry)
        classes[cid] = EClass(cid, node, data)
        hashcons[node] = cid
        self.dirty.add(cid)
        self.clean = False
        if data[0] is not None:
            self._modify(cid)
            return self.find(cid)
        return cid

    def add_into(self, node: tuple, cid: int) -> bool:
        """Assert ``node = class cid``: ``union(cid, add(node))`` without creating a class for ``node`` when it is
        new (it joins ``cid`` directly, so no union and no repair of ``cid``'s parents are needed: congruence cannot
        break, as the node was in no class).  Returns True if the e-graph changed.  This is how a rule's right-hand
        side root is applied."""
        node = self.canon(node)
        other = self.hashcons.get(node)
        if other is not None:
            return self.union(cid, other)
        op = node[0]
        if len(node) == 1 or op in LEAF_OPS:
            return self.union(cid, self.add(node))
        cid = self.find(cid)
        classes = self.classes
        cls = classes[cid]
        if len(node) == 3:
            key = (op, (classes[node[1]].data, classes[node[2]].data))
        else:
            key = (op, tuple([classes[c].data for c in node[1:]]))
        data = self._data_memo.get(key)
        if data is None:
            data = make_node(op, list(key[1]))
            if len(self._data_memo) < 200_000:
                self._data_memo[key] = data
        entry = (node, cid)
        if len(node) == 3:
            a, b = node[1], node[2]
            classes[a].parents.append(entry)
            if b != a:
                classes[b].parents.append(entry)
        else:
            for c in set(node[1:]):
                classes[c].parents.append(entry)
        lst = self.log.get(op)
        if lst is None:
            self.log[op] = [entry]
        else:
            lst.append(entry)
        self.hashcons[node] = cid
        cls.nodes.append(node)
        self.dirty.add(cid)
        self.clean = False
        old = cls.data
        new = merge(old, data)
        if new != old:
            # as in union: the class's facts changed, so its parents' analysis is re-propagated, and if a guard
            # could now hold on it its parents are new tuples for semi-naive matching
            cls.data = new
            self.analysis_pending.extend(cls.parents)
            if new[0] != old[0] or new[3] != old[3]:
                log = self.log
                for pn, pc in cls.parents:
                    log.setdefault(pn[0], []).append((pn, pc))
            if new[0] is not None and old[0] is None:
                self._modify(cid)
        return True

    def add_term(self, term: tuple) -> int:
        """Add a term (nested tuples) bottom-up; return the class id of its root."""
        memo: dict = {}

        def rec(t):
            r = memo.get(t)
            if r is not None:
                return r
            if len(t) == 1 or t[0] in LEAF_OPS:
                r = self.add(t)
            else:
                r = self.add((t[0], *[rec(c) for c in t[1:]]))
            memo[t] = r
            return r

        return rec(term)

    def lookup(self, node: tuple) -> int | None:
        cid = self.hashcons.get(self.canon(node))
        return None if cid is None else self.find(cid)

    def _modify(self, cid: int) -> None:
        """egg's ``modify``: a class proved constant gets the constant leaf."""
        c = self.classes[self.find(cid)].data[0]
        if c is not None:
            leaf = ("#", c)
            other = self.hashcons.get(leaf)
            if other is None:
                lid = self.add(leaf)
                self.union(cid, lid)
            elif self.find(other) != self.find(cid):
                self.union(cid, other)

    # ----------------------------------------------------------------- union
    def union(self, a: int, b: int) -> bool:
        """Merge two classes (deferred: congruence is restored by :meth:`rebuild`).  Returns True if they differed."""
        a, b = self.find(a), self.find(b)
        if a == b:
            return False
        ca, cb = self.classes[a], self.classes[b]
        if len(ca.parents) < len(cb.parents):
            a, b, ca, cb = b, a, cb, ca
        self.parent[b] = a
        self.n_unions += 1
        old_a, old_b = ca.data, cb.data
        new = merge(old_a, old_b)
        # semi-naive matching: the tuples that are new after this union are b's e-nodes (their class is now a),
        # b's parents (a child id changed) and, if a gained a leaf (a constant or named-constant check on it may
        # now succeed) or a guard-relevant fact (constant, signs), a's parents as well
        log = self.log
        gained_leaf = False
        for n in cb.nodes:
            if len(n) == 1 or n[0] in LEAF_OPS:
                gained_leaf = True
                continue
            lst = log.get(n[0])
            if lst is None:
                log[n[0]] = [(n, a)]
            else:
                lst.append((n, a))
        for pn, pc in cb.parents:
            lst = log.get(pn[0])
            if lst is None:
                log[pn[0]] = [(pn, pc)]
            else:
                lst.append((pn, pc))
        if gained_leaf or new[0] != old_a[0] or new[3] != old_a[3]:
            for pn, pc in ca.parents:
                log.setdefault(pn[0], []).append((pn, pc))
        ca.nodes.extend(cb.nodes)
        ca.parents.extend(cb.parents)
        ca.data = new
        if new != old_a:
            self.analysis_pending.extend(ca.parents[: len(ca.parents) - len(cb.parents)])
        if new != old_b:
            self.analysis_pending.extend(cb.parents)
        del self.classes[b]
        op_index = self.op_index
        for op in cb.byop:
            op_index[op].discard(b)
        self.dirty.discard(b)
        self.dirty.add(a)
        self.pending.append(a)
        self.clean = False
        if new[0] is not None and (old_a[0] is None or old_b[0] is None):
            self._modify(a)
        return True

    # ----------------------------------------------------------------- rebuilding
    def _repair(self, cid: int) -> None:
        cls = self.classes.get(self.find(cid))
        if cls is None:
            return
        hashcons, find, canon = self.hashcons, self.find, self.canon
        # canonicalise each parent once: re-key it in the hashcons, then merge parents that became equal.  A union
        # made below can leave an entry stale again; the merged class is queued and repaired in the same rebuild.
        # take the parent list out (as egg does): a congruence union below may merge this very class into another,
        # whose own parents must survive; what the unions append lands in the fresh list and is kept
        parents = cls.parents
        cls.parents = []
        fresh = []
        stale = self.stale
        for pnode, pclass in parents:
            node = canon(pnode)
            pclass = find(pclass)
            if node is not pnode:
                # re-keyed: its class's node list holds the old form until _rebuild_classes canonicalises it
                hashcons.pop(pnode, None)
                stale.add(pclass)
            hashcons[node] = pclass
            fresh.append((node, pclass))
        seen: dict = {}
        for pnode, pclass in fresh:
            other = seen.get(pnode)
            if other is not None:
                if find(other) != find(pclass):
                    self.union(other, pclass)
            seen[pnode] = find(pclass)
        self.classes[find(cid)].parents.extend(seen.items())

    def rebuild(self) -> int:
        """Restore congruence and the analysis invariant; re-index classes by operator.  Returns unions made."""
        before = self.n_unions
        updates: dict[int, int] = {}
        while self.pending or self.analysis_pending:
            todo = self.pending
            self.pending = []
            for c in {self.find(c) for c in todo}:
                self._repair(c)
            while self.analysis_pending:
                pnode, pclass = self.analysis_pending.pop()
                pclass = self.find(pclass)
                cls = self.classes[pclass]
                k = updates.get(pclass, 0)
                if k >= _MAX_ANALYSIS_UPDATES:
                    continue
                old = cls.data
                new = merge(old, self._data_of(self.canon(pnode)))
                if new != old:
                    updates[pclass] = k + 1
                    cls.data = new
                    self.analysis_pending.extend(cls.parents)
                    if new[0] != old[0] or new[3] != old[3]:
                        # a guard on this class may now hold (guards read the constant and the signs, not the
                        # interval): its parents are new tuples for semi-naive matching
                        log = self.log
                        for pn, pc in cls.parents:
                            log.setdefault(pn[0], []).append((pn, pc))
                    self._modify(pclass)
        self._rebuild_classes()
        self._pcache = {}
        self._ncache = {}
        self.clean = True
        return self.n_unions - before

    def _rebuild_classes(self) -> None:
        """Canonicalise, deduplicate and index by operator the nodes of the classes touched since the last rebuild."""
        canon, find, classes, op_index = self.canon, self.find, self.classes, self.op_index
        stale = {find(c) for c in self.stale}
        todo = {find(c) for c in self.dirty}
        todo |= stale
        self.dirty = set()
        self.stale = set()
        self.last_touched = todo
        for cid in todo:
            cls = classes[cid]
            if cid in stale:
                nodes = cls.nodes = list(dict.fromkeys([canon(n) for n in cls.nodes]))
                byop: dict = {}
                new = nodes
            else:
                # no e-node of this class was re-keyed: its nodes are canonical and distinct (new, or the
                # disjoint union of two classes' canonical nodes), and the ones indexed before (a prefix: nodes are
                # only ever appended) are still indexed correctly: index the rest
                nodes = cls.nodes
                byop = cls.byop
                new = nodes[cls.nidx:] if cls.nidx else nodes
            for n in new:
                lst = byop.get(n[0])
                if lst is None:
                    byop[n[0]] = [n]
                else:
                    lst.append(n)
            cls.byop = byop
            cls.nidx = len(nodes)
            for op in byop:
                ids = op_index.get(op)
                if ids is None:
                    op_index[op] = {cid}
                else:
                    ids.add(cid)

    # ----------------------------------------------------------------- semi-naive matching
    def nodes_by_child(self, cid: int, op: str, j: int) -> dict:
        """The ``op`` e-nodes of a (canonical) class keyed by their child class at position ``j``: turns a nested
        loop that only checks that child against a bound variable into a lookup (a hash join).  Built on first use
        and kept until the next rebuild."""
        key = (cid, op, j)
        idx = self._ncache.get(key)
        if idx is None:
            idx = {}
            for n in self.classes[cid].byop.get(op, ()):
                lst = idx.get(n[j])
                if lst is None:
                    idx[n[j]] = [n]
                else:
                    lst.append(n)
            self._ncache[key] = idx
        return idx

    def parents_at(self, cid: int) -> dict:
        """The canonical parents of a (canonical) class grouped by ``(operator, child position)``, each group a dict
        ``{parent e-node: its class}``: the index that semi-naive matching climbs through.  Built on first use and
        kept until the next rebuild."""
        idx = self._pcache.get(cid)
        if idx is not None:
            return idx
        idx = {}
        canon, find, parent = self.canon, self.find, self.parent
        for pn, pc in self.classes[cid].parents:
            if len(pn) == 3:
                a, b = pn[1], pn[2]
                if parent[a] != a or parent[b] != b:
                    pn = canon(pn)
                    a, b = pn[1], pn[2]
                if parent[pc] != pc:
                    pc = find(pc)
                if a == cid:
                    key = (pn[0], 1)
                    d = idx.get(key)
                    if d is None:
                        idx[key] = {pn: pc}
                    else:
                        d[pn] = pc
                if b == cid:
                    key = (pn[0], 2)
                    d = idx.get(key)
                    if d is None:
                        idx[key] = {pn: pc}
                    else:
                        d[pn] = pc
                continue
            pn = canon(pn)
            for j in range(1, len(pn)):
                if pn[j] == cid:
                    key = (pn[0], j)
                    d = idx.get(key)
                    if d is None:
                        idx[key] = {pn: find(pc)}
                    else:
                        d[pn] = find(pc)
        self._pcache[cid] = idx
        return idx

    def log_mark(self) -> dict:
        """A position in the tuple log (per operator): :meth:`delta_since` of it lists what is newer."""
        return {op: len(lst) for op, lst in self.log.items()}

    def delta_since(self, mark: dict) -> dict:
        """Per operator, the canonical ``(e-node, class)`` pairs logged since ``mark`` (deduplicated).

        Requires a clean e-graph.  Every tuple present now that was not present (in this canonical form, in this
        class, with these children's classes and analysis data) at ``mark`` is listed; a few old ones may be too.
        """
        canon, find, parent = self.canon, self.find, self.parent
        out = {}
        for op, lst in self.log.items():
            start = mark.get(op, 0)
            if start < len(lst):
                seen: dict = {}
                for n, c in lst[start:]:
                    if len(n) == 3:
                        a, b = n[1], n[2]
                        if parent[a] != a or parent[b] != b:
                            n = canon(n)
                    else:
                        n = canon(n)
                    if parent[c] != c:
                        c = find(c)
                    seen[(n, c)] = None
                out[op] = list(seen)
        return out

    # ----------------------------------------------------------------- queries
    def data(self, cid: int) -> tuple:
        cls = self.classes.get(self.find(cid))
        return TOP if cls is None else cls.data

    def const(self, cid: int) -> Fraction | None:
        return self.data(cid)[0]

    def equiv(self, a: tuple, b: tuple) -> bool:
        """Are two terms in the same e-class (after a rebuild)?"""
        ia, ib = self.lookup_term(a), self.lookup_term(b)
        return ia is not None and ia == ib

    def lookup_term(self, term: tuple) -> int | None:
        if len(term) == 1 or term[0] in LEAF_OPS:
            return self.lookup(term)
        kids = []
        for t in term[1:]:
            k = self.lookup_term(t)
            if k is None:
                return None
            kids.append(k)
        return self.lookup((term[0], *kids))

    def __repr__(self) -> str:
        return f"EGraph({self.n_classes} classes, {self.total_nodes} nodes)"
