"""The opcode table of the postfix (RPN) stack machine.

A program is two parallel ``int32`` arrays ``ops`` and ``args`` plus a ``float64`` constant pool ``consts``.
Instruction ``i`` is ``(ops[i], args[i])``; ``args[i]`` is only read by the opcodes that say so below, and is 0
otherwise.  Operands are popped right-most last: ``SUB`` computes ``second_from_top - top``.

=====  ======  =====  ===  ==========================================================================
code   name    pops   arg  effect
=====  ======  =====  ===  ==========================================================================
0      NOP     0      -    nothing (padding after the end of a program in a batch)
1      VAR     0      k    push column ``k`` of X (index into the ``variables`` list)
2      CONST   0      j    push ``consts[j]`` (ints, rationals, floats and named constants all live here)
3      PARAM   0      i    push fittable parameter ``i`` (``params[i]``)
4      LOAD    0      r    push register ``r`` (a shared DAG vertex computed earlier)
5      STORE   0      r    copy the top of the stack into register ``r`` (does not pop)
6      ADD     2      -    a + b
7      SUB     2      -    a - b
8      MUL     2      -    a * b
9      DIV     2      -    a / b        (x/0 -> +-inf, 0/0 -> nan)
10     POW     2      -    a ** b       (real power: negative a with non-integer b -> nan)
11     POWI    1      n    a ** n       (integer n in args, any sign; |n| <= 4 by multiplication, else pow)
12     NEG     1      -    -a
13     SQRT    1      -    sqrt(a)      (a < 0 -> nan)
14     EXP     1      -    exp(a)       (overflow -> inf)
15     LOG     1      -    log(a)       (a < 0 -> nan, a == 0 -> -inf)
16     SIN     1      -    sin(a)
17     COS     1      -    cos(a)
18     TAN     1      -    tan(a)
19     TANH    1      -    tanh(a)
20     ASIN    1      -    asin(a)      (|a| > 1 -> nan)
21     ATAN    1      -    atan(a)
22     ABS     1      -    abs(a)
23     FMA     3      -    a * b + c    (pops c, then b, then a)
=====  ======  =====  ===  ==========================================================================
"""

from __future__ import annotations

__all__ = [
    "NOP", "VAR", "CONST", "PARAM", "LOAD", "STORE", "ADD", "SUB", "MUL", "DIV", "POW", "POWI", "NEG", "SQRT",
    "EXP", "LOG", "SIN", "COS", "TAN", "TANH", "ASIN", "ATAN", "ABS", "FMA",
    "OPCODES", "OPNAMES", "OP_ARITY", "OP_OF_TERM", "TERM_OF_OP",
]

NOP, VAR, CONST, PARAM, LOAD, STORE = 0, 1, 2, 3, 4, 5
ADD, SUB, MUL, DIV, POW, POWI = 6, 7, 8, 9, 10, 11
NEG, SQRT, EXP, LOG, SIN, COS, TAN, TANH, ASIN, ATAN, ABS = 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22
FMA = 23

#: name -> code
OPCODES = {
    "NOP": NOP, "VAR": VAR, "CONST": CONST, "PARAM": PARAM, "LOAD": LOAD, "STORE": STORE,
    "ADD": ADD, "SUB": SUB, "MUL": MUL, "DIV": DIV, "POW": POW, "POWI": POWI, "NEG": NEG, "SQRT": SQRT,
    "EXP": EXP, "LOG": LOG, "SIN": SIN, "COS": COS, "TAN": TAN, "TANH": TANH, "ASIN": ASIN, "ATAN": ATAN,
    "ABS": ABS, "FMA": FMA,
}
#: code -> name
OPNAMES = {v: k for k, v in OPCODES.items()}

#: code -> (pops, pushes)
OP_ARITY = {NOP: (0, 0), VAR: (0, 1), CONST: (0, 1), PARAM: (0, 1), LOAD: (0, 1), STORE: (0, 0),
            ADD: (2, 1), SUB: (2, 1), MUL: (2, 1), DIV: (2, 1), POW: (2, 1), POWI: (1, 1), FMA: (3, 1)}
for _c in (NEG, SQRT, EXP, LOG, SIN, COS, TAN, TANH, ASIN, ATAN, ABS):
    OP_ARITY[_c] = (1, 1)

#: term operator name -> opcode
OP_OF_TERM = {
    "add": ADD, "sub": SUB, "mul": MUL, "div": DIV, "pow": POW, "powi": POWI, "neg": NEG, "sqrt": SQRT,
    "exp": EXP, "log": LOG, "sin": SIN, "cos": COS, "tan": TAN, "tanh": TANH, "asin": ASIN, "atan": ATAN,
    "abs": ABS, "fma": FMA,
}
#: opcode -> term operator name
TERM_OF_OP = {v: k for k, v in OP_OF_TERM.items()}
