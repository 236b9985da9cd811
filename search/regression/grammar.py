"""The token grammar the tree search walks, with the RSRM masks.

A candidate is built one token at a time in *prefix* order (operator before its operands), which is the order in
which a tree search commits decisions.  Tokens are small integers: the variables first, then the free constant
``C`` (a fittable parameter), then binary and unary operators.  The finished token list is handed to the shared
expression core (:mod:`search.regression.programs`), which turns it into the core's postfix program; this module
never evaluates anything.

Masks (RSRM, ANCHORS §4):

* no trigonometric function anywhere below another one (``sin(cos(x))`` is forbidden);
* no ``exp`` directly applied to ``log`` and vice versa;
* at most ``max_consts`` constants, no constant as the only argument of a unary operator, no binary operator with two
  constant operands (both are fitted away by the linear layer anyway);
* depth at most ``max_depth``: once an open slot is that deep only leaves may fill it;
* length at most ``max_len`` tokens: when the remaining budget only just covers the open slots, leaves are forced.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Grammar", "PartialExpr", "BINARY_OPS", "UNARY_OPS", "DEFAULT_OPERATORS"]

#: Binary operators the grammar knows (all map one-to-one onto the expression core's operators).
BINARY_OPS = ("+", "-", "*", "/")
#: Unary operators the grammar knows.
UNARY_OPS = ("sin", "cos", "exp", "log", "sqrt", "tanh", "neg", "abs")
#: The Nguyen / Koza operator set (``sr_benchmarks.json``).
DEFAULT_OPERATORS = ("+", "-", "*", "/", "sin", "cos", "exp", "log")

_TRIG = frozenset({"sin", "cos", "tanh"})
_ALIASES = {"add": "+", "sub": "-", "mul": "*", "div": "/", "plus": "+", "minus": "-", "times": "*"}


@dataclass(frozen=True)
class Grammar:
    r"""Token vocabulary plus masks for prefix generation of expression trees.

    Vocabulary order: ``n_vars`` variables, then ``C`` (when ``constants``), then the binary and the unary operators.
    ``arity[t]`` is 0, 1 or 2.  A complete expression of $n$ tokens has exactly one more leaf than binary nodes.
    """

    n_vars: int
    operators: tuple[str, ...] = DEFAULT_OPERATORS
    constants: bool = True
    max_depth: int = 5
    max_len: int = 24
    max_consts: int = 3
    const_prob: float = 0.08
    tokens: tuple[str, ...] = field(init=False)
    arity: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.n_vars < 1:
            raise ValueError("the grammar needs at least one variable")
        ops = []
        for op in self.operators:
            op = _ALIASES.get(str(op).strip().lower(), str(op).strip().lower())
            if op not in BINARY_OPS and op not in UNARY_OPS:
                known = ", ".join(BINARY_OPS + UNARY_OPS)
                raise ValueError(f"unknown operator {op!r}; known operators: {known}")
            if op not in ops:
                ops.append(op)
        if not any(op in BINARY_OPS for op in ops):
            raise ValueError("the operator set needs at least one binary operator")
        if self.max_len < 3 or self.max_depth < 1:
            raise ValueError("max_len must be at least 3 and max_depth at least 1")
        binary = [op for op in BINARY_OPS if op in ops]
        unary = [op for op in UNARY_OPS if op in ops]
        toks = [f"x{i}" for i in range(self.n_vars)] + (["C"] if self.constants else []) + binary + unary
        ar = [0] * (self.n_vars + (1 if self.constants else 0)) + [2] * len(binary) + [1] * len(unary)
        object.__setattr__(self, "operators", tuple(binary + unary))
        object.__setattr__(self, "tokens", tuple(toks))
        object.__setattr__(self, "arity", np.asarray(ar, dtype=np.int64))

    # --- vocabulary ---------------------------------------------------------------------------------------------
    @property
    def n_tokens(self) -> int:
        return len(self.tokens)

    @property
    def const_token(self) -> int:
        return self.n_vars if self.constants else -1

    def token(self, name: str) -> int:
        return self.tokens.index(name)

    def is_leaf(self, t: int) -> bool:
        return self.arity[t] == 0

    # --- generation ---------------------------------------------------------------------------------------------
    def start(self) -> "PartialExpr":
        return PartialExpr(self)

    def from_tokens(self, tokens) -> "PartialExpr":
        p = PartialExpr(self)
        for t in tokens:
            p.push(int(t))
        return p

    def random_complete(self, partial: "PartialExpr", rng: np.random.Generator, leaf_bias: float = 0.35) -> list[int]:
        """Complete ``partial`` with uniformly random legal tokens (leaves favoured by ``leaf_bias``)."""
        p = partial.copy()
        while not p.done:
            legal = p.legal()
            t = self.sample(legal, rng, leaf_bias)
            p.push(t)
        return p.tokens

    def sample(self, legal: np.ndarray, rng: np.random.Generator, leaf_bias: float = 0.35) -> int:
        """Pick one legal token; with probability ``leaf_bias`` restrict the draw to legal leaves."""
        leaves = legal[self.arity[legal] == 0]
        if len(leaves) and (len(leaves) == len(legal) or rng.random() < leaf_bias):
            # the constant token is drawn with probability `const_prob` at most: fitted constants are costly
            if self.constants and len(leaves) > 1 and self.const_token in leaves:
                if rng.random() < self.const_prob:
                    return self.const_token
                leaves = leaves[leaves != self.const_token]
            return int(leaves[rng.integers(len(leaves))])
        inner = legal[self.arity[legal] > 0]
        return int(inner[rng.integers(len(inner))])

    def depth(self, tokens) -> int:
        """Depth of a complete prefix expression (a lone leaf has depth 0)."""
        stack = [0]
        best = 0
        for t in tokens:
            d = stack.pop()
            best = max(best, d)
            stack.extend([d + 1] * int(self.arity[t]))
        return best

    def subtree_end(self, tokens, start: int) -> int:
        """Index one past the subtree that starts at ``start`` in a prefix token list."""
        need = 1
        i = start
        while need:
            need += int(self.arity[tokens[i]]) - 1
            i += 1
        return i

    def is_valid(self, tokens) -> bool:
        """Whether a complete token list obeys every mask (used to filter GP offspring)."""
        p = PartialExpr(self)
        for t in tokens:
            if p.done or int(t) not in p.legal():
                return False
            p.push(int(t))
        return p.done

    def to_string(self, tokens, names=None) -> str:
        """Infix text of a prefix token list (for logs and messages only)."""
        names = list(names) if names is not None else [f"x{i}" for i in range(self.n_vars)]

        def rec(i):
            name = self.tokens[tokens[i]]
            a = int(self.arity[tokens[i]])
            if a == 0:
                return (names[tokens[i]] if tokens[i] < self.n_vars else "C"), i + 1
            if a == 1:
                s, j = rec(i + 1)
                return f"{name}({s})", j
            s1, j = rec(i + 1)
            s2, k = rec(j)
            return f"({s1} {name} {s2})", k

        return rec(0)[0]


class _Slot:
    """An open operand position: its depth, the operator that owns it and the masks inherited from above."""

    __slots__ = ("depth", "parent", "parent_pos", "child", "in_trig")

    def __init__(self, depth, parent, parent_pos, child, in_trig):
        self.depth = depth
        self.parent = parent  # operator name of the parent, or None at the root
        self.parent_pos = parent_pos  # index of the parent token in the prefix list
        self.child = child  # 0 for the first operand, 1 for the second
        self.in_trig = in_trig


class PartialExpr:
    """A prefix token list under construction, with the stack of open slots."""

    __slots__ = ("g", "tokens", "slots", "n_consts")

    def __init__(self, g: Grammar):
        self.g = g
        self.tokens: list[int] = []
        self.slots: list[_Slot] = [_Slot(0, None, -1, 0, False)]
        self.n_consts = 0

    def copy(self) -> "PartialExpr":
        p = PartialExpr.__new__(PartialExpr)
        p.g = self.g
        p.tokens = list(self.tokens)
        p.slots = list(self.slots)  # slots are never mutated in place
        p.n_consts = self.n_consts
        return p

    @property
    def done(self) -> bool:
        return not self.slots

    def legal(self) -> np.ndarray:
        """Token ids allowed in the next open slot."""
        g = self.g
        slot = self.slots[-1]
        n_open = len(self.slots)
        # Each open slot needs at least one token; a new operator opens `arity - 1` further slots.
        room = g.max_len - len(self.tokens) - n_open  # tokens we may still spend beyond one leaf per slot
        allowed = []
        for t in range(g.n_tokens):
            a = int(g.arity[t])
            name = g.tokens[t]
            if a == 0:
                if t == g.const_token:
                    if self.n_consts >= g.max_consts or slot.parent is None:
                        continue
                    if slot.parent in UNARY_OPS:
                        continue
                    if slot.child == 1 and self.tokens[slot.parent_pos + 1] == g.const_token:
                        continue
                # x - x and x / x are constants in disguise
                if (slot.child == 1 and slot.parent in ("-", "/") and t < g.n_vars
                        and self.tokens[slot.parent_pos + 1] == t and len(self.tokens) == slot.parent_pos + 2):
                    continue
                allowed.append(t)
                continue
            if slot.depth >= g.max_depth or room < a:
                continue
            if name in _TRIG and slot.in_trig:
                continue
            if (name == "exp" and slot.parent == "log") or (name == "log" and slot.parent == "exp"):
                continue
            allowed.append(t)
        if not allowed:  # every leaf masked (e.g. x - x with no constant left): fall back to the variables
            allowed = list(range(g.n_vars))
        return np.asarray(allowed, dtype=np.int64)

    def push(self, t: int) -> None:
        if not self.slots:
            raise ValueError("expression already complete")
        g = self.g
        slot = self.slots.pop()
        name = g.tokens[t]
        a = int(g.arity[t])
        pos = len(self.tokens)
        self.tokens.append(t)
        if t == g.const_token:
            self.n_consts += 1
            if self.n_consts > g.max_consts:
                raise ValueError("too many constants")
        if a:
            in_trig = slot.in_trig or name in _TRIG
            # push the second operand first so that the first operand is filled next (prefix order)
            for child in range(a - 1, -1, -1):
                self.slots.append(_Slot(slot.depth + 1, name, pos, child, in_trig))
