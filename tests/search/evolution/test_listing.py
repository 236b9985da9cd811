"""Straight-line listings: costs, exact evaluation, the allowed-construct rule, Python/C/LaTeX export."""

import ast
import shutil
import subprocess

import mpmath
import numpy as np
import pytest

from search.evolution.baselines import horner_listing, rational_listing
from search.evolution.listing import (
    Listing, check_python_source, costs, eval_dd, eval_float, eval_mp, inline_expression, latex_align,
    latex_program, parse_python, to_c, to_python,
)

X_, K_ = ("x",), lambda v: ("k", float(v))


def _sample_listing():
    # v0 = x - 0.5 ; v1 = v0*v0 ; v2 = fma(v1, 0.25, 1) ; v3 = v2 / (x + 3) ; out = v3 * v3
    return Listing((
        ("sub", (X_, K_(0.5))),
        ("mul", (("v", 0), ("v", 0))),
        ("fma", (("v", 1), K_(0.25), K_(1.0))),
        ("add", (X_, K_(3.0))),
        ("div", (("v", 2), ("v", 3))),
        ("mul", (("v", 4), ("v", 4))),
    ), ("v", 5))


def _mp_sample(x):
    v0 = x - mpmath.mpf(0.5)
    v3 = (v0 * v0 * mpmath.mpf(0.25) + 1) / (x + 3)
    return v3 * v3


def test_costs_under_every_model():
    c = costs(_sample_listing())
    assert c["ops"] == 1 + 1 + 2 + 1 + 1 + 1  # the fma counts as two plain operations
    assert c["fma"] == 6
    assert c["cycles"] == 5 * 4 + 13
    # Horner degree d: 2d plain ops, d fma after contraction
    for d in range(1, 8):
        cd = costs(horner_listing(np.arange(1.0, d + 2)))
        assert cd["ops"] == 2 * d and cd["fma"] == d
    # a multiply used twice is not contracted
    sq = Listing((("mul", (X_, X_)), ("add", (("v", 0), K_(1))), ("mul", (("v", 0), ("v", 1)))), ("v", 2))
    assert costs(sq) == {"ops": 3, "fma": 3, "cycles": 12}


def test_eval_dd_and_float_agree_with_mpmath_over_the_range():
    lst = _sample_listing()
    xs = np.concatenate([np.linspace(-2.5, 10, 2001), -np.logspace(-8, 0.3, 200), np.logspace(-8, 3, 300)])
    hi, lo = eval_dd(lst, xs)
    f64 = eval_float(lst, xs)
    with mpmath.workdps(40):
        ref = [_mp_sample(mpmath.mpf(x)) for x in xs]
        rel_dd = max(float(abs((mpmath.mpf(h) + mpmath.mpf(l)) / r - 1)) for h, l, r in zip(hi, lo, ref))
        rel_64 = max(float(abs(mpmath.mpf(y) / r - 1)) for y, r in zip(f64, ref))
        mp_vals = eval_mp(lst, xs[:50])
        rel_mp = max(float(abs(v / r - 1)) for v, r in zip(mp_vals, ref[:50]))
    assert rel_dd < 1e-29
    assert rel_64 < 2e-15
    assert rel_mp < 1e-35


def test_float32_evaluation_rounds_every_operation():
    lst = horner_listing([1.0, 1.0, 0.5, 1 / 6])
    xs = np.linspace(0, 1, 101).astype(np.float32)
    y = eval_float(lst, xs, np.float32)
    assert y.dtype == np.float32
    manual = ((np.float32(1 / 6) * xs + np.float32(0.5)) * xs + np.float32(1.0)) * xs + np.float32(1.0)
    np.testing.assert_array_equal(y, manual)


def _allowed(src):
    """The allowed-construct rule, checked independently with ast: one def of x, assignments of + - * / on
    names and float literals, a return; no calls."""
    mod = ast.parse(src)
    assert len(mod.body) == 1 and isinstance(mod.body[0], ast.FunctionDef)
    fn = mod.body[0]
    assert [a.arg for a in fn.args.args] == ["x"]
    assert isinstance(fn.body[-1], ast.Return)
    for st in fn.body[:-1]:
        assert isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name)
    for node in ast.walk(fn):
        assert not isinstance(node, (ast.Call, ast.Attribute, ast.Subscript, ast.Import, ast.ImportFrom,
                                     ast.If, ast.For, ast.While, ast.Lambda, ast.Pow))
        if isinstance(node, ast.Constant):
            assert isinstance(node.value, float)
        if isinstance(node, ast.BinOp):
            assert isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div))
        if isinstance(node, ast.UnaryOp):
            assert isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant)


def test_python_export_is_allowed_standalone_and_exact():
    for lst in (_sample_listing(), horner_listing([1.0, -2.5e-20, 3.0]), rational_listing([1.0, 2.0], [-3.0])):
        src = to_python(lst)
        _allowed(src)
        check_python_source(src)
        ns = {}
        exec(compile(src, "<t>", "exec"), {"__builtins__": {}}, ns)
        xs = np.linspace(0.1, 2, 50)
        np.testing.assert_array_equal(ns["approx"](xs), eval_float(lst, xs))
        back = parse_python(src)
        np.testing.assert_allclose(eval_float(back, xs), eval_float(lst, xs), rtol=1e-15)


@pytest.mark.parametrize("src,msg", [
    ("import os\ndef approx(x):\n    return x\n", "exactly one function"),
    ("def approx(x):\n    return exp(x)\n", "Call"),
    ("def approx(x):\n    y = x.real\n    return y\n", "Attribute"),
    ("def approx(x):\n    y = x ** 2.0\n    return y\n", "BinOp"),
    ("def approx(x, y):\n    return x\n", "single argument"),
    ("def approx(x):\n    return z\n", "before it is assigned"),
    ("def approx(x):\n    if x:\n        return x\n    return x\n", "assignments"),
    ("def approx(x):\n    y = 'a'\n    return y\n", "float literals"),
    ("def approx(x):\n    y = x + 1.0\n", "return"),
])
def test_allowed_construct_rule_rejects(src, msg):
    with pytest.raises(ValueError, match=msg):
        check_python_source(src)


def test_inline_expression_is_sympy_parsable_and_equal():
    import sympy

    lst = _sample_listing()
    e = sympy.sympify(inline_expression(lst))
    x = sympy.Symbol("x")
    for xv in (0.0, 0.3, 1.7):
        assert abs(float(e.subs(x, xv)) - float(eval_float(lst, np.array([xv]))[0])) < 1e-14


def test_latex_shows_one_equation_per_vertex():
    lst = _sample_listing()
    rows = latex_align(lst).split(" \\\\\n")
    assert len(rows) == lst.n_instr + 1
    assert rows[0] == "v_{0} &= x - 0.5"
    assert rows[4] == "v_{4} &= \\frac{v_{2}}{v_{3}}"
    assert rows[-1] == "f(x) &\\approx v_{5}"
    wrapped = latex_program({"program": to_python(horner_listing([1.0, 2.0]))}, "aligned")
    assert wrapped.startswith("\\begin{aligned}") and wrapped.endswith("\\end{aligned}")


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler on this machine")
def test_c_export_compiles_and_agrees(tmp_path):
    lst = _sample_listing()
    src = to_c(lst) + """
#include <stdio.h>
int main(void) { for (int i = 0; i <= 20; i++) { double x = -2.0 + 0.5 * i; printf("%.17g\\n", approx(x)); } return 0; }
"""
    (tmp_path / "a.c").write_text(src)
    subprocess.run(["cc", "-O0", "-std=c99", "-o", str(tmp_path / "a"), str(tmp_path / "a.c"), "-lm"], check=True)
    out = subprocess.run([str(tmp_path / "a")], capture_output=True, text=True, check=True).stdout.split()
    xs = -2.0 + 0.5 * np.arange(21)
    with mpmath.workdps(40):
        ref = [float(_mp_sample(mpmath.mpf(x))) for x in xs]
    np.testing.assert_allclose([float(v) for v in out], ref, rtol=1e-14)
