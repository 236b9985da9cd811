"""Patterns: a small s-expression notation, compiled into Python matching code.

A pattern is written ``(+ (* ?a ?b) (* ?a ?c))``: operators in prefix form, ``?name`` for pattern variables,
rational literals (``2``, ``-1``, ``1/2``) and the named constants ``pi`` and ``E`` (leaves ``("K", name)``).  This notation only
describes rewrite rules; expressions themselves enter through the shared expression core.

E-matching is *compiled* (egg compiles patterns to a small virtual machine): each pattern becomes a generated Python
function of nested loops over the operator index of the clean e-graph, with variable bindings, equality checks for
repeated variables and constant checks against the analysis, so matching runs no interpretive overhead per node.
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["Pattern", "parse_pattern", "compile_pattern", "compile_instantiate", "pattern_vars", "pattern_depth"]

Pattern = tuple  # ("?", name) | ("#", Fraction) | ("K", name) | (op, *subpatterns)


def _tokens(s: str) -> list[str]:
    return s.replace("(", " ( ").replace(")", " ) ").split()


def parse_pattern(s: str) -> Pattern:
    """Parse the s-expression notation into a nested tuple pattern."""
    toks = _tokens(s)
    if not toks:
        raise ValueError("empty pattern")
    pos = 0

    def atom(t: str) -> Pattern:
        if t.startswith("?"):
            if len(t) < 2:
                raise ValueError(f"bad pattern variable {t!r}")
            return ("?", t[1:])
        if t in ("pi", "E"):
            return ("K", "e" if t == "E" else "pi")
        try:
            return ("#", Fraction(t))
        except ValueError:
            raise ValueError(f"bad pattern atom {t!r}") from None

    def rec() -> Pattern:
        nonlocal pos
        if pos >= len(toks):
            raise ValueError(f"unbalanced pattern {s!r}")
        t = toks[pos]
        pos += 1
        if t == "(":
            if pos >= len(toks) or toks[pos] in "()":
                raise ValueError(f"operator expected in pattern {s!r}")
            op = toks[pos]
            pos += 1
            kids = []
            while pos < len(toks) and toks[pos] != ")":
                kids.append(rec())
            if pos >= len(toks):
                raise ValueError(f"unbalanced pattern {s!r}")
            pos += 1
            return (op, *kids)
        if t == ")":
            raise ValueError(f"unbalanced pattern {s!r}")
        return atom(t)

    p = rec()
    if pos != len(toks):
        raise ValueError(f"trailing tokens in pattern {s!r}")
    return p


def _ops_of(p: Pattern) -> set:
    if p[0] in ("?", "#"):
        return set()
    if p[0] == "K":
        return {"K"}
    out = {p[0]}
    for k in p[1:]:
        out |= _ops_of(k)
    return out


def pattern_depth(p: Pattern) -> int:
    """Longest chain of operator nodes below the root (a leaf or variable has depth 0)."""
    if p[0] in ("?", "#", "K"):
        return 0
    return 1 + max((pattern_depth(k) for k in p[1:]), default=0)


def pattern_vars(p: Pattern) -> list[str]:
    """Variables in order of first occurrence (depth first, left to right)."""
    out: list[str] = []

    def rec(q):
        if q[0] == "?":
            if q[1] not in out:
                out.append(q[1])
        elif q[0] not in ("#", "K"):
            for k in q[1:]:
                rec(k)

    rec(p)
    return out


class _Writer:
    """The source lines of a generated matcher, with fresh names (``n1``, ``c2``, ...)."""

    def __init__(self):
        self.lines: list[str] = []
        self._count = 0

    def fresh(self, prefix: str) -> str:
        self._count += 1
        return f"{prefix}{self._count}"

    def emit(self, depth: int, s: str) -> None:
        self.lines.append("    " * depth + s)

    def children(self, node: str, arity: int, depth: int) -> list[str]:
        """Emit ``c = node[i]`` for each child of an e-node variable; return the children's names."""
        kids = []
        for i in range(1, arity + 1):
            v = self.fresh("c")
            self.emit(depth, f"{v} = {node}[{i}]")
            kids.append(v)
        return kids


def _cheap_first(q: Pattern) -> list:
    """A pattern node's (index, sub-pattern) pairs, cheap checks first: constants and named constants, then
    variables, then operator sub-patterns (whose nested loops run last, so a failing constant prunes first)."""
    return sorted(enumerate(q[1:]), key=lambda it: {"#": 0, "K": 0, "?": 1}.get(it[1][0], 2))


def compile_pattern(p: Pattern):
    """Compile a pattern into ``match(egraph, limit, roots=None) -> list[(root_class, bindings_tuple)]``.

    ``roots`` (canonical class ids) restricts the search to matches rooted there (incremental search).

    ``bindings_tuple`` follows :func:`pattern_vars`.  The search stops after ``limit`` matches (the backoff
    scheduler's threshold), so a pattern that explodes costs bounded time.  Requires a clean (rebuilt) e-graph.
    A pattern that is a bare variable matches every class.
    """
    order = pattern_vars(p)
    consts: dict = {}
    w = _Writer()
    lines, fresh, emit = w.lines, w.fresh, w.emit

    bound: dict[str, str] = {}
    const_ids: list = []

    def gen(q: Pattern, cvar: str, depth: int, nodes: str | None = None) -> int:
        """Emit code constraining class variable ``cvar`` to match ``q``; return the new depth.

        ``nodes`` names a variable already holding ``cvar``'s ``q[0]`` nodes (fetched and tested non-empty by the
        parent, see below).
        """
        if q[0] == "?":
            name = q[1]
            if name in bound:
                emit(depth, f"if {cvar} != {bound[name]}: continue")
            else:
                bound[name] = cvar
            return depth
        if q[0] == "#":
            k = fresh("K")
            consts[k] = q[1]
            # a class proved equal to a constant always holds that constant's leaf (egg's `modify`), so the
            # check is one integer comparison with the leaf's class, looked up once per search
            const_ids.append((k, q[1]))
            emit(depth, f"if {cvar} != {k}: continue")
            return depth
        if q[0] == "K":
            emit(depth, f"if {q!r} not in classes[{cvar}].byop.get('K', ()): continue")
            return depth
        n = fresh("n")
        emit(depth, f"for {n} in {nodes if nodes is not None else f'classes[{cvar}].byop.get({q[0]!r}, ())'}:")
        depth += 1
        kids = w.children(n, len(q) - 1, depth)
        # cheap checks first (constants, named constants, repeated or new variables), nested loops last, so a
        # failing constant prunes before any inner loop runs
        subs = _cheap_first(q)
        lists: dict[int, str] = {}
        for i, sub in subs:
            if sub[0] in ("?", "#", "K"):
                depth = gen(sub, kids[i], depth)
        # then fetch every operator child's node list once, here, before any nested loop: a child class without
        # the needed operator prunes this node at once, and the lists are not re-fetched inside sibling loops
        for i, sub in subs:
            if sub[0] not in ("?", "#", "K"):
                lv = fresh("L")
                emit(depth, f"{lv} = classes[{kids[i]}].byop.get({sub[0]!r})")
                emit(depth, f"if {lv} is None: continue")
                lists[i] = lv
        for i, sub in subs:
            if sub[0] not in ("?", "#", "K"):
                depth = gen(sub, kids[i], depth, lists[i])
        return depth

    emit(1, "out = []")
    if p[0] in ("?", "#", "K"):
        emit(1, "for r in (list(classes) if roots is None else roots):")
        depth = 2
    else:
        emit(1, f"_ix = eg.op_index.get({p[0]!r}, ())")
        emit(1, "for r in (_ix if roots is None else [c for c in roots if c in _ix]):")
        depth = 2
    depth = gen(p, "r", depth)
    tup = "(" + "".join(f"{bound[v]}, " for v in order) + ")"
    emit(depth, f"out.append((r, {tup}))")
    emit(depth, "if len(out) >= limit: return out")
    emit(1, "return out")
    pre = ["def match(eg, limit, roots=None):", "    classes = eg.classes", "    ix = eg.op_index"]
    # an operator the pattern needs that no class has: no match, without looping over the root operator's classes
    for op in sorted(_ops_of(p)):
        pre.append(f"    if not ix.get({op!r}): return []")
    for k, _ in const_ids:
        pre.append(f"    {k} = eg.lookup(('#', {k}_value))")
        pre.append(f"    if {k} is None: return []")
    src = "\n".join(pre) + "\n" + "\n".join(lines) + "\n"
    env: dict = {f"{k}_value": v for k, v in const_ids}
    exec(compile(src, f"<pattern {p!r}>", "exec"), env)  # noqa: S102 - generated from our own pattern AST
    fn = env["match"]
    fn.source = src
    return fn


def compile_instantiate(p: Pattern, order: list[str]):
    """Compile a right-hand side into ``build(egraph, bindings_tuple) -> class id`` (straight-line code).

    ``order`` is the left-hand side's variable order (the layout of ``bindings_tuple``).  Each e-node of the
    pattern is first looked up in the hashcons as it stands (a hit on a key whose children went stale after a
    union is still a node of that class, so ``find`` of the hit is sound); only a miss goes through
    :meth:`EGraph.add`, which canonicalises and creates the node.  Most instantiations during saturation rebuild
    nodes that already exist, so the fast path avoids most of the canonicalisation and call overhead.
    """
    idx = {v: i for i, v in enumerate(order)}
    lines: list[str] = []
    consts: dict = {}
    counter = [0]

    def gen(q: Pattern) -> str:
        op = q[0]
        if op == "?":
            return f"b[{idx[q[1]]}]"
        counter[0] += 1
        v = f"v{counter[0]}"
        if op in ("#", "K"):
            k = f"L{counter[0]}"
            consts[k] = q
            lines.append(f"    {v} = hc.get({k})")
            lines.append(f"    if {v} is None: {v} = add({k})")
            lines.append(f"    elif parent[{v}] != {v}: {v} = find({v})")
            return v
        kids = [gen(k) for k in q[1:]]
        key = f"({op!r}, {', '.join(kids)}{',' if len(kids) == 0 else ''})"
        lines.append(f"    k{v} = {key}")
        lines.append(f"    {v} = hc.get(k{v})")
        # most instantiations hit an existing e-node whose class is canonical: no call at all then
        lines.append(f"    if {v} is None: {v} = add(k{v})")
        lines.append(f"    elif parent[{v}] != {v}: {v} = find({v})")
        return v

    res = gen(p)
    src = ("def build(eg, b):\n    hc = eg.hashcons\n    add = eg.add\n    find = eg.find\n    parent = eg.parent\n"
           + "\n".join(lines) + f"\n    return {res}\n")
    env: dict = dict(consts)
    exec(compile(src, f"<rhs {p!r}>", "exec"), env)  # noqa: S102 - generated from our own pattern AST
    fn = env["build"]
    fn.source = src
    # apply(eg, b, root) -> changed: the same, but the root e-node joins the class ``root`` directly
    # (EGraph.add_into) instead of getting a class of its own that is then merged
    if p[0] in ("?", "#", "K"):
        def apply(eg, b, root, _build=fn):
            return eg.union(root, _build(eg, b))
    else:
        lines.clear()
        counter[0] = 0
        kids = [gen(k) for k in p[1:]]
        key = f"({p[0]!r}, {', '.join(kids)}{',' if len(kids) == 0 else ''})"
        # a right-hand side that is already in the root's class (the common case late in a run) returns without
        # calling union
        asrc = ("def apply(eg, b, root):\n    hc = eg.hashcons\n    add = eg.add\n    find = eg.find\n"
                "    parent = eg.parent\n"
                + "\n".join(lines) + f"\n    k = {key}\n    v = hc.get(k)\n"
                + "    if v is not None:\n"
                + "        if parent[v] != v: v = find(v)\n"
                + "        if parent[root] != root: root = find(root)\n"
                + "        if v == root: return False\n"
                + "        return eg.union(root, v)\n    return eg.add_into(k, root)\n")
        aenv: dict = dict(consts)
        exec(compile(asrc, f"<rhs-apply {p!r}>", "exec"), aenv)  # noqa: S102 - generated from our own AST
        apply = aenv["apply"]
        apply.source = asrc
    fn.apply = apply
    return fn


def _atoms(p: Pattern, path: tuple = ()):
    """The operator nodes of a pattern (its *atoms*, in the relational view), as ``(path, subpattern)``.

    ``path`` lists the child positions (1-based, as in an e-node tuple) from the root.
    """
    if p[0] in ("?", "#", "K"):
        return
    yield path, p
    for i, k in enumerate(p[1:], start=1):
        yield from _atoms(k, path + (i,))


def compile_delta(p: Pattern):
    """Compile a pattern into semi-naive ``match(egraph, limit, delta) -> list[(root_class, bindings_tuple)]``.

    ``delta`` maps an operator to the canonical ``(e-node, class)`` pairs that are *new* since the rule's last
    complete search (created, re-canonicalised, or with a child class that was merged or whose analysis data
    changed; see :meth:`EGraph.delta_since`).  A match all of whose atoms (the e-nodes it matches, one per operator
    node of the pattern) are old was found by that earlier search; so each new match has at least one atom in
    ``delta``.  As egglog does, the search runs one variant per atom of the pattern: that atom ranges over
    ``delta`` only, the path from it up to the pattern's root is followed through the class's parent lists
    (filtered by operator and child position), and the rest of the pattern is matched top-down as in
    :func:`compile_pattern`.  A match with several new atoms is found by several variants and reported once.
    Requires a clean (rebuilt) e-graph; the pattern's root must be an operator.
    """
    if p[0] in ("?", "#", "K"):
        raise ValueError("semi-naive matching needs an operator at the pattern's root")
    order = pattern_vars(p)
    const_ids: list = []
    w = _Writer()
    lines, fresh, emit = w.lines, w.fresh, w.emit

    def sub_at(path):
        q = p
        for i in path:
            q = q[i]
        return q

    const_vars: dict = {}

    def const_var(value) -> str:
        k = const_vars.get(value)
        if k is None:
            k = const_vars[value] = fresh("K")
            const_ids.append((k, value))
        return k

    def gen(q: Pattern, path: tuple, cvar: str, depth: int, bound: dict, fixed: dict, nodes: str | None = None,
            done: frozenset = frozenset()):
        if path in done:  # matched already (the new atom's subtree, or the subtree climbed from)
            return depth
        if q[0] == "?":
            name = q[1]
            if name in bound:
                emit(depth, f"if {cvar} != {bound[name]}: continue")
            else:
                bound[name] = cvar
            return depth
        if q[0] == "#":
            emit(depth, f"if {cvar} != {const_var(q[1])}: continue")
            return depth
        if q[0] == "K":
            emit(depth, f"if {q!r} not in classes[{cvar}].byop.get('K', ()): continue")
            return depth
        join = None
        if path in fixed:
            n = fixed[path]
        else:
            n = fresh("n")
            # a child that must equal a class already bound (a repeated variable or a constant): look the nodes
            # up by that child instead of looping over them all
            for i, sub in enumerate(q[1:], start=1):
                if sub[0] == "?" and sub[1] in bound:
                    join = (i, bound[sub[1]])
                    break
                if sub[0] == "#":
                    join = (i, const_var(sub[1]))
                    break
            if join is not None:
                # the per-rebuild index, looked up inline (a call only on its first use in this rebuild)
                jx = fresh("J")
                emit(depth, f"{jx} = ncache.get(({cvar}, {q[0]!r}, {join[0]}))")
                emit(depth, f"if {jx} is None: {jx} = nodes_by_child({cvar}, {q[0]!r}, {join[0]})")
                emit(depth, f"for {n} in {jx}.get({join[1]}, ()):")
            else:
                emit(depth, f"for {n} in {nodes if nodes is not None else f'classes[{cvar}].byop.get({q[0]!r}, ())'}:")
            depth += 1
        kids = w.children(n, len(q) - 1, depth)
        subs = _cheap_first(q)
        lists: dict[int, str] = {}
        for i, sub in subs:
            if sub[0] in ("?", "#", "K"):
                if join is not None and i + 1 == join[0]:
                    continue  # the index lookup already fixed this child to the bound class or the constant
                depth = gen(sub, path + (i + 1,), kids[i], depth, bound, fixed, done=done)
        for i, sub in subs:
            kp = path + (i + 1,)
            if sub[0] not in ("?", "#", "K") and kp not in fixed and kp not in done:
                lv = fresh("L")
                emit(depth, f"{lv} = classes[{kids[i]}].byop.get({sub[0]!r})")
                emit(depth, f"if {lv} is None: continue")
                lists[i] = lv
        for i, sub in subs:
            if sub[0] not in ("?", "#", "K"):
                depth = gen(sub, path + (i + 1,), kids[i], depth, bound, fixed, lists.get(i), done)
        return depth

    atoms = list(_atoms(p))
    for v, (apath, asub) in enumerate(atoms):
        # the variant where this atom is new: it ranges over delta, then climb to the root through parent lists
        na, ca = fresh("n"), fresh("c")
        emit(1, f"for {na}, {ca} in delta.get({asub[0]!r}, ()):")
        fixed = {apath: na}
        bound: dict = {}
        # first the new atom's own subtree (cheap checks prune before any climbing), then one parent step at a
        # time, matching that parent's other children before climbing further
        depth = gen(asub, apath, ca, 2, bound, fixed)
        cur = ca
        for k in range(len(apath) - 1, -1, -1):
            ppath, j = apath[:k], apath[k]
            pq = sub_at(ppath)
            pn, pc = fresh("n"), fresh("c")
            pa = fresh("P")
            emit(depth, f"{pa} = pcache.get({cur})")
            emit(depth, f"if {pa} is None: {pa} = parents_at({cur})")
            emit(depth, f"for {pn}, {pc} in {pa}.get(({pq[0]!r}, {j}), _NONE).items():")
            depth += 1
            emit(depth, f"if len({pn}) != {len(pq)}: continue")
            fixed[ppath] = pn
            depth = gen(pq, ppath, pc, depth, bound, fixed, done=frozenset({apath[:k + 1]}))
            cur = pc
        emit(depth, f"r = {cur}")
        tup = "(" + "".join(f"{bound[v]}, " for v in order) + ")"
        emit(depth, f"m = (r, {tup})")
        # within one variant every match is found once (delta is deduplicated, and a binding fixes every e-node of
        # the match bottom-up through the hashcons), so ``seen`` only removes matches an earlier variant reported:
        # the first variant records without testing, the last tests without recording, a single atom needs neither
        if v > 0:
            emit(depth, "if m in seen: continue")
        if v < len(atoms) - 1:
            emit(depth, "seen.add(m)")
        emit(depth, "out.append(m)")
        emit(depth, "if len(out) >= limit: return out")
    pre = ["def match(eg, limit, delta):", "    classes = eg.classes", "    ix = eg.op_index",
           "    parents_at = eg.parents_at", "    pcache = eg._pcache", "    nodes_by_child = eg.nodes_by_child",
           "    ncache = eg._ncache",
           "    out = []",
           "    seen = set()"]
    for op in sorted(_ops_of(p)):
        pre.append(f"    if not ix.get({op!r}): return []")
    for k, _ in const_ids:
        pre.append(f"    {k} = eg.lookup(('#', {k}_value))")
        pre.append(f"    if {k} is None: return []")
    src = "\n".join(pre) + "\n" + "\n".join(lines) + "\n    return out\n"
    env: dict = {f"{k}_value": v for k, v in const_ids}
    env["_NONE"] = {}  # no parents there (never written)
    exec(compile(src, f"<delta pattern {p!r}>", "exec"), env)  # noqa: S102 - generated from our own pattern AST
    fn = env["match"]
    fn.source = src
    return fn
