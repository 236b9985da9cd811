"""Equality saturation: the runner, its limits and egg's backoff scheduler.

One iteration searches every (unbanned) rule on the clean e-graph, applies all matches whose guards hold, and then
rebuilds once (deferred rebuilding).  The run stops when nothing changes (``saturated``) or at the first limit hit:
``iteration_limit``, ``node_limit`` or ``time_limit``; or ``solved`` when the root class is found to hold a
leaf (nothing is cheaper).  Limits are checked between rules and inside the application
loop, so a blow-up input overshoots the node limit by at most one rule application and the time limit by at most one
rule search (bounded by the scheduler's match limit).
"""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

__all__ = ["Limits", "BackoffScheduler", "SimpleScheduler", "Runner", "IterationStats", "STOP_REASONS", "gc_paused"]

STOP_REASONS = ("saturated", "solved", "no_improvement", "iteration_limit", "node_limit", "time_limit")


@contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector (restored on exit, if it was on).

    Saturation and extraction allocate hundreds of thousands of small tuples and create no reference cycles; the
    collector's repeated scans of the growing heap would cost about a quarter of the run.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                # The objects allocated while paused (the e-graph: ~10^5 tuples, lists and dicts for 10^4 e-nodes)
                # would all be traversed by the young-generation collection that the first allocation after
                # ``gc.enable()`` triggers (7% of a whole simplify run).  Freezing and at once unfreezing moves
                # every tracked object into the oldest generation (two O(1) list splices), where the next full
                # collection still examines them: nothing escapes the collector, it only skips the young passes.
                # Skipped when the program froze objects itself (unfreezing would undo that).
                gc.freeze()
                gc.unfreeze()
            gc.enable()


@dataclass(frozen=True)
class Limits:
    """Run limits (egg's defaults: 30 iterations, 10,000 e-nodes, 5 s)."""

    iterations: int = 30
    nodes: int = 10_000
    time: float = 5.0

    def __post_init__(self) -> None:
        if not (isinstance(self.iterations, int) and self.iterations >= 0):
            raise ValueError(f"iteration limit must be a non-negative integer, got {self.iterations!r}")
        if not (isinstance(self.nodes, int) and self.nodes > 0):
            raise ValueError(f"node limit must be a positive integer, got {self.nodes!r}")
        if not (isinstance(self.time, (int, float)) and self.time > 0 and self.time == self.time):
            raise ValueError(f"time limit must be a positive number of seconds, got {self.time!r}")

    @classmethod
    def coerce(cls, spec) -> Limits:
        if spec is None:
            return cls()
        if isinstance(spec, cls):
            return spec
        if isinstance(spec, dict):
            unknown = set(spec) - {"iterations", "nodes", "time"}
            if unknown:
                raise ValueError(f"unknown limit(s) {sorted(unknown)}; expected iterations, nodes, time")
            return cls(**spec)
        raise ValueError(f"limits must be a Limits or a dict, got {type(spec).__name__}")


class BackoffScheduler:
    """egg's backoff scheduler, keeping the matches it has paid for.

    A rule whose search yields more than ``match_limit * 2**times_banned`` matches is banned for
    ``ban_length * 2**times_banned`` iterations; the search itself stops at the threshold, so an exploding rule
    costs bounded time.  When an iteration changes nothing while rules are banned, the bans are lifted (egg
    fast-forwards) instead of declaring saturation.

    egg discards every match of a search that went over the threshold.  Here (``apply_over_threshold=True``, the
    default) the threshold's worth of matches that search found are applied in the iteration that bans the rule,
    after the matches of every rule that stayed within its threshold (so under a tight node budget they only fill
    the room the others leave): the search is not wasted, and the rule still adds at most
    ``match_limit * 2**times_banned`` instances at once.  On the benchmark corpus this fills egg's 10,000-e-node
    budget in fewer iterations at a lower CPU cost per e-node, with extracted costs lower or equal on every
    expression; at 2,500 e-nodes the costs are unchanged but for one expression (0.5% costlier)
    (``BENCHMARKS.md``).  ``apply_over_threshold=False`` is egg's behaviour.
    """

    def __init__(self, match_limit: int = 1000, ban_length: int = 5, apply_over_threshold: bool = True):
        self.match_limit = match_limit
        self.ban_length = ban_length
        self.apply_over_threshold = apply_over_threshold
        self.stats: dict[str, dict] = {}

    def _st(self, rule) -> dict:
        st = self.stats.get(rule.name)
        if st is None:
            st = self.stats[rule.name] = {"times_banned": 0, "banned_until": 0}
        return st

    def search_limit(self, it: int, rule) -> int:
        """0 if banned this iteration, else the number of matches to look for (threshold + 1)."""
        st = self._st(rule)
        if it < st["banned_until"]:
            return 0
        return (self.match_limit << st["times_banned"]) + 1

    def accept(self, it: int, rule, n_matches: int) -> bool:
        st = self._st(rule)
        threshold = self.match_limit << st["times_banned"]
        if n_matches > threshold:
            st["banned_until"] = it + (self.ban_length << st["times_banned"])
            st["times_banned"] += 1
            return False
        return True

    def any_banned(self, it: int) -> bool:
        return any(it < st["banned_until"] for st in self.stats.values())

    def unban(self, it: int) -> None:
        for st in self.stats.values():
            st["banned_until"] = min(st["banned_until"], it)


class SimpleScheduler:
    """Apply every match every iteration (no bans): for small rule sets and tests."""

    def search_limit(self, it: int, rule) -> int:
        return 1 << 62

    def accept(self, it: int, rule, n_matches: int) -> bool:
        return True

    def any_banned(self, it: int) -> bool:
        return False

    def unban(self, it: int) -> None:
        pass


@dataclass
class IterationStats:
    iteration: int
    nodes: int
    classes: int
    applied: int
    matches: int
    banned: list = field(default_factory=list)
    search_time: float = 0.0
    apply_time: float = 0.0
    rebuild_time: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


class Runner:
    """Run equality saturation on an e-graph with the given rules, scheduler and limits.

    Semi-naive search (on by default, egglog's approach): a rule whose previous search was complete (not truncated
    by the scheduler, not banned) and fully applied is searched again only for matches that involve at least one
    tuple (e-node) that is new since then: created, re-canonicalised by a union, moved into another class, or a
    parent of a class whose constant, signs or leaves changed (see :meth:`EGraph.delta_since` and
    :func:`search.egraph.pattern.compile_delta`).  Every other match was found and applied before.
    ``incremental=False`` searches everything every iteration (egg's behaviour).

    With ``root`` given, the run also stops as ``"solved"`` once the root's class holds a leaf (a variable or a
    constant): no term is cheaper under a cost model whose leaves are its cheapest terms (all built-in models).
    With ``patience=k`` (and ``cost``) it stops as ``"no_improvement"`` when the root's best extracted cost has not
    improved for ``k`` consecutive iterations (a heuristic early stop; off by default, as in egg).
    """

    def __init__(self, egraph, rules, limits: Limits | None = None, scheduler=None, incremental: bool = True,
                 root: int | None = None, cost=None, patience: int | None = None):
        self.egraph = egraph
        self.rules = list(rules)
        self.limits = Limits.coerce(limits)
        self.scheduler = scheduler if scheduler is not None else BackoffScheduler()
        self.iterations: list[IterationStats] = []
        self.stop_reason: str | None = None
        self.elapsed = 0.0
        self._applied: dict[str, set] = {}
        self.incremental = incremental
        self.root = root
        if patience is not None and (root is None or cost is None or patience < 1):
            raise ValueError("patience needs a root class, a cost model and a positive number of iterations")
        self.cost = cost
        self.patience = patience
        self.best_costs: list[float] = []
        self._complete: dict[str, int] = {}  # rule -> iteration of its last complete, fully applied search
        self._marks: list[dict] = []  # per iteration: the e-graph's tuple-log position when its search began

    def run(self) -> Runner:
        with gc_paused():
            return self._run()

    def _run(self) -> Runner:
        eg, lim, sched = self.egraph, self.limits, self.scheduler
        apply_over = getattr(sched, "apply_over_threshold", False)  # (a scheduler that never bans has no such flag)
        t0 = time.perf_counter()
        deadline = t0 + lim.time
        if not eg.clean:
            eg.rebuild()
        it = 0
        stop = None
        while stop is None:
            if it >= lim.iterations:
                stop = "iteration_limit"
                break
            if eg.total_nodes > lim.nodes:
                stop = "node_limit"
                break
            ts = time.perf_counter()
            found = []
            over = []  # matches of rules banned this iteration: applied after everyone else's
            banned = []
            complete: list[str] = []
            deltas: dict = {}
            self._marks.append(eg.log_mark())
            n_matches = 0
            for rule in self.rules:
                if time.perf_counter() > deadline:
                    stop = "time_limit"
                    break
                k = sched.search_limit(it, rule)
                if k == 0:
                    # banned: its last complete search stays the reference point, so when the ban ends it searches
                    # only what is new since then (everything older was found and applied then)
                    banned.append(rule.name)
                    continue
                j = self._complete.get(rule.name)
                if j is None or not rule.seminaive:
                    ms = rule.search(eg, k)
                else:
                    delta = deltas.get(j)
                    if delta is None:
                        delta = deltas[j] = eg.delta_since(self._marks[j])
                    ms = rule.search_delta(eg, k, delta)
                if sched.accept(it, rule, len(ms)):
                    if ms:
                        found.append((rule, ms))
                        n_matches += len(ms)
                    if len(ms) < k:
                        complete.append(rule.name)
                else:
                    # over the threshold (the search stopped there): the rule is banned, and the threshold's worth
                    # of matches the search did find are applied rather than thrown away (egg drops them, which
                    # wastes the search).  Its search was incomplete, so it keeps the reference point of its last
                    # complete search: when the ban ends it looks again at everything since then (the matches
                    # applied now are skipped then as already done).
                    banned.append(rule.name)
                    if ms and apply_over:
                        ms = ms[:k - 1]
                        over.append((rule, ms))
                        n_matches += len(ms)
            ta = time.perf_counter()
            applied = 0
            if stop is None:
                # the exploding rules' matches come last, so that under a tight node budget they only fill the room
                # the other rules leave (they never crowd out a rule that stayed within its threshold)
                for rule, ms in found + over:
                    guard = rule.guard_ok if rule.guard else None
                    rule.compile()
                    apply = rule._builder.apply
                    done = self._applied.setdefault(rule.name, set())
                    add_done = done.add
                    for k, match in enumerate(ms):
                        # a match applied before (same canonical classes) is a no-op: its right-hand side is
                        # already in the root's class, and stays there; skip re-instantiating it
                        if match in done:
                            continue
                        root, binding = match
                        if guard is not None and not guard(eg, binding):
                            continue
                        add_done(match)
                        if apply(eg, binding, root):
                            applied += 1
                        if k & 63 == 63:
                            if time.perf_counter() > deadline:
                                stop = "time_limit"
                                break
                            if eg.total_nodes > lim.nodes:
                                stop = "node_limit"
                                break
                    if stop is not None:
                        break
                    if eg.total_nodes > lim.nodes:
                        stop = "node_limit"
                        break
                    if time.perf_counter() > deadline:
                        stop = "time_limit"
                        break
            tr = time.perf_counter()
            grew = not eg.clean
            unions = eg.n_unions
            eg.rebuild()
            if stop is None and self.incremental:
                for name in complete:
                    self._complete[name] = it
            te = time.perf_counter()
            self.iterations.append(
                IterationStats(it, eg.total_nodes, eg.n_classes, applied, n_matches, banned, ta - ts, tr - ta, te - tr)
            )
            it += 1
            if stop is not None:
                break
            if self.root is not None:
                byop = eg.classes[eg.find(self.root)].byop
                if "#" in byop or "$" in byop or "K" in byop or "f" in byop:
                    stop = "solved"
                    break
            if self.patience is not None:
                from search.egraph.extract import extract_greedy

                self.best_costs.append(extract_greedy(eg, self.root, self.cost).cost)
                k = self.patience
                if len(self.best_costs) > k and self.best_costs[-1] >= self.best_costs[-1 - k]:
                    stop = "no_improvement"
                    break
            changed = grew or applied > 0 or eg.n_unions != unions
            if not changed:
                if sched.any_banned(it):
                    sched.unban(it)
                else:
                    stop = "saturated"
            if stop is None and time.perf_counter() > deadline:
                stop = "time_limit"
        self.stop_reason = stop
        self.elapsed = time.perf_counter() - t0
        return self
