"""The shared expression core: one term representation for every engine, and fast batch evaluation.

- Terms (``terms``): immutable, hash-consed ``Expr`` DAGs with leaves (variables, int/rational/float constants,
  named constants, fittable parameters) and the operators + - * / pow powi neg sqrt exp log sin cos tan tanh
  asin atan abs fma.
- SymPy at the boundary (``sympy_io``): ``parse``, ``from_sympy``, ``to_sympy``, ``to_latex``.
- Postfix programs (``postfix``, ``opcodes``): ``encode``/``decode``, ``Program``, padded ``ProgramBatch``.
- Functional hashing (``hashing``): ``functional_hash``, ``functional_hashes``, ``FunctionalCache`` (LRU).
- Evaluation (``evaluate``): ``compile`` -> callable; ``evaluate_batch`` and ``jacobian``/``jacobian_batch``, all
  run by ONE cached Numba stack machine (``_kernel``): a new candidate costs no compilation.

See CONTRIBUTING.md, "Expression core API (search.expr)", for the contract.
"""

from search.expr.codegen import numba_source, to_numba
from search.expr.evaluate import (
    BACKENDS,
    NUMPY_FROM_ROWS,
    CompiledExpr,
    as_expr,
    compile,
    evaluate,
    evaluate_batch,
    jacobian,
    jacobian_batch,
)
from search.expr.generate import DEFAULT_OP_WEIGHTS, random_expr
from search.expr.hashing import (
    DEFAULT_DOMAIN,
    DIGITS,
    N_PROBES,
    FunctionalCache,
    functional_hash,
    functional_hashes,
    probe_points,
)
from search.expr.opcodes import OP_ARITY, OPCODES, OPNAMES
from search.expr.postfix import Program, ProgramBatch, decode, encode, pack
from search.expr.sympy_io import from_sympy, parse, to_latex, to_sympy
from search.expr.terms import (
    ARITY,
    LEAF_KINDS,
    NAMED_CONSTANTS,
    OPERATORS,
    Expr,
    add,
    asin,
    atan,
    complexity,
    const,
    cos,
    div,
    exp,
    fabs,
    fma,
    log,
    make,
    mul,
    named,
    neg,
    param,
    params_of,
    power,
    powi,
    register_constant,
    sin,
    sqrt,
    sub,
    subterms,
    tan,
    tanh,
    var,
    variables_of,
)

__all__ = [
    "ARITY", "BACKENDS", "NUMPY_FROM_ROWS", "CompiledExpr", "DEFAULT_DOMAIN", "DEFAULT_OP_WEIGHTS", "DIGITS", "FunctionalCache", "N_PROBES", "Expr", "LEAF_KINDS", "NAMED_CONSTANTS", "OPCODES", "OPERATORS", "OPNAMES", "OP_ARITY",
    "Program", "ProgramBatch",
    "add", "as_expr", "asin", "atan", "compile", "complexity", "const", "cos", "decode", "div", "encode",
    "evaluate", "evaluate_batch", "exp", "fabs", "fma", "from_sympy", "functional_hash", "functional_hashes", "jacobian", "jacobian_batch", "log", "make",
    "mul", "named", "neg", "pack", "param", "params_of", "parse", "power", "powi", "probe_points", "random_expr", "register_constant", "sin",
    "sqrt", "sub", "subterms", "tan", "tanh", "to_latex", "to_numba", "numba_source", "to_sympy", "var", "variables_of",
]
