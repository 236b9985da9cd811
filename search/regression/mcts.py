r"""Monte-Carlo tree search over the token grammar, guided by double Q-learning (RSRM, ANCHORS §4).

One *episode* builds one expression token by token.  Before each commit the search runs ``n_rollouts`` rollouts
from the current prefix:

1. **selection** descends through fully expanded nodes by UCT on the *maximum* reward seen below a child,
   $\max_r(c) + k\sqrt{\ln N(p)/N(c)}$;
2. **expansion** adds one untried legal token, the one the double-Q tables rate highest (ties at random);
3. **simulation** completes the expression: with probability ``q_greedy`` a token is the double-Q greedy choice,
   otherwise it is drawn at random among the legal tokens;
4. the completed expression is fitted and scored (reward $0.99^{\text{tokens}}/(1+\text{NRMSE})$), and the reward
   is backed up as a running **maximum** along the path.

The commit picks the child with the largest max-reward.  Double Q-learning (van Hasselt 2010) keeps two tables
$Q_A, Q_B$ over (state, token), where the state is the slot being filled (its depth, its parent token and the
previous token); after every rollout one table, chosen at random, moves towards the reward through the other
table's value of its own greedy action, which removes the maximisation bias of a single table.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["MCTS"]


class _Node:
    __slots__ = ("children", "untried", "visits", "max_r")

    def __init__(self, legal):
        self.children: dict[int, _Node] = {}
        self.untried = list(legal)
        self.visits = 0
        self.max_r = 0.0


class MCTS:
    """The RSRM tree search for one scorer (one data set, optionally inside a form)."""

    def __init__(self, g, scorer, rng, *, n_rollouts=64, c_uct=1.0 / math.sqrt(2), q_greedy=0.35, alpha=0.3,
                 form=None, on_result=None, should_stop=None):
        self.g = g
        self.scorer = scorer
        self.rng = rng
        self.n_rollouts = n_rollouts
        self.c_uct = c_uct
        self.q_greedy = q_greedy
        self.alpha = alpha
        self.form = form
        self.on_result = on_result or (lambda fr: None)
        self.should_stop = should_stop or (lambda: False)
        self.qa: dict = {}
        self.qb: dict = {}

    # --- double Q-learning --------------------------------------------------------------------------------------
    def _state(self, partial):
        slot = partial.slots[-1]
        parent = partial.tokens[slot.parent_pos] if slot.parent_pos >= 0 else -1
        prev = partial.tokens[-1] if partial.tokens else -1
        return (min(slot.depth, 6), parent, slot.child, prev)

    def _q(self, s, a):
        return 0.5 * (self.qa.get((s, a), 0.0) + self.qb.get((s, a), 0.0))

    def _greedy(self, s, legal, table=None):
        best, bv = None, -1.0
        for a in legal:
            v = self._q(s, a) if table is None else table.get((s, a), 0.0)
            v += 1e-9 * self.rng.random()  # random tie-break
            if v > bv:
                best, bv = a, v
        return int(best)

    def _learn(self, traj, reward):
        """Double-Q update along one rollout's (state, action, next-state-legal) trajectory; reward at the end."""
        for i, (s, a, _) in enumerate(traj):
            upd, other = (self.qa, self.qb) if self.rng.random() < 0.5 else (self.qb, self.qa)
            if i + 1 < len(traj):
                s2, _, legal2 = traj[i + 1]
                # the other table evaluates this table's greedy action in the next state
                a2 = self._greedy(s2, legal2, upd)
                target = other.get((s2, a2), reward)
            else:
                target = reward
            old = upd.get((s, a), 0.0)
            upd[(s, a)] = old + self.alpha * (target - old)

    # --- one rollout --------------------------------------------------------------------------------------------
    def _rollout(self, root, root_partial):
        node = root
        partial = root_partial.copy()
        path = [node]
        traj = []
        # selection
        while not partial.done and not node.untried and node.children:
            logn = math.log(max(node.visits, 1))
            best, bv = None, -1.0
            for a, ch in node.children.items():
                v = ch.max_r + self.c_uct * math.sqrt(logn / (ch.visits + 1e-9)) + 1e-12 * self.rng.random()
                if v > bv:
                    best, bv = a, v
            traj.append((self._state(partial), best, list(node.children)))
            partial.push(best)
            node = node.children[best]
            path.append(node)
        # expansion
        if not partial.done and node.untried:
            s = self._state(partial)
            if self.rng.random() < self.q_greedy:
                a = self._greedy(s, node.untried)
            else:
                a = int(node.untried[self.rng.integers(len(node.untried))])
            traj.append((s, a, list(node.untried) + list(node.children)))
            node.untried.remove(a)
            partial.push(a)
            child = _Node(partial.legal() if not partial.done else [])
            node.children[a] = child
            node = child
            path.append(node)
        # simulation
        while not partial.done:
            legal = partial.legal()
            s = self._state(partial)
            if self.rng.random() < self.q_greedy:
                a = self._greedy(s, legal)
            else:
                a = self.g.sample(legal, self.rng)
            traj.append((s, a, legal))
            partial.push(a)
        fr = self.scorer.score(partial.tokens, self.form)
        reward = 0.0 if fr is None else fr.reward
        if fr is not None:
            self.on_result(fr)
        for nd in path:
            nd.visits += 1
            if reward > nd.max_r:
                nd.max_r = reward
        self._learn(traj, reward)
        return reward

    def episode(self, time_up=None):
        """Build one expression by committing tokens after ``n_rollouts`` rollouts each; return the best reward.

        ``time_up()`` (optional) is polled after every rollout; the episode ends when it returns true."""
        partial = self.g.start()
        root = _Node(partial.legal())
        best = 0.0
        while not partial.done:
            for _ in range(self.n_rollouts):
                best = max(best, self._rollout(root, partial))
                if self.should_stop() or (time_up is not None and time_up()):
                    return best
                if not root.untried and not root.children:
                    break
            if not root.children:
                break
            a = max(root.children, key=lambda k: (root.children[k].max_r, -k))
            partial.push(a)
            root = root.children[a]
        return best
