"""discover simplify, the equiv validator and e-graph canonical keys."""

import json

import pytest

from discovery.canonical import canonical_key
from discovery.cli import main
from discovery.validators.equiv import check_equivalent


def _run(capsys, tmp_path, *args):
    rc = main(["simplify", *args, "--no-cluster", "--no-progress", "--store", str(tmp_path / "s.db"), "--json"])
    out, err = capsys.readouterr()
    return rc, out, err


def test_cli_prints_one_validated_simplification(capsys, tmp_path):
    rc, out, err = _run(capsys, tmp_path, "sin(x)**2 + cos(x)**2", "--cost", "cycles")
    assert rc == 0
    lines = [json.loads(line) for line in out.strip().splitlines()]
    assert len(lines) == 1
    r = lines[0]
    assert r["kind"] == "simplification" and r["engine"] == "simplify"
    assert r["lhs"] == "sin(x)**2 + cos(x)**2" and r["rhs"] == "1"
    assert r["validated"] is True
    m = r["meta"]
    assert m["cost_model"] == "cycles" and m["cost_before"] == 469 and m["cost_after"] == 0
    for key in ("iterations", "nodes", "time", "stop_reason"):
        assert key in m["report"]


def test_cli_assume_positive(capsys, tmp_path):
    rc, out, _ = _run(capsys, tmp_path, "log(x*y) - log(y)", "--assume", "positive")
    assert rc == 0
    r = json.loads(out.strip().splitlines()[0])
    assert r["rhs"] == "log(x)" and r["validated"]
    rc, out, _ = _run(capsys, tmp_path, "log(x*y) - log(y)")
    assert json.loads(out.strip().splitlines()[0])["rhs"] != "log(x)"


@pytest.mark.parametrize("args", [["x +* 2"], [""], ["x", "--nodes", "0"], ["x", "--time-limit", "-1"],
                                  ["x", "--rules", "bogus"], ["x < 1"]])
def test_cli_bad_input_one_line_exit_2(capsys, tmp_path, args):
    rc, out, err = _run(capsys, tmp_path, *args)
    assert rc == 2
    assert len(err.strip().splitlines()) == 1 and "error" in err


def test_equiv_validator_accepts_identities_and_rejects_near_misses():
    assert check_equivalent("sin(x)**2 + cos(x)**2", "1", 50).validated
    assert check_equivalent("cosh(x)**2 - sinh(x)**2", "1", 30).validated
    assert check_equivalent("log(x*y)", "log(x) + log(y)", 50, assume="positive").validated
    v = check_equivalent("sin(x)", "x - x**3/6", 30)
    assert not v.validated and v.digits < 5
    v = check_equivalent("exp(x)", "exp(x)*(1 + 10**-40)", 50)
    assert not v.validated and 35 < v.digits < 45
    # log1p / expm1 print and parse back
    assert check_equivalent("log(1 + x)", "log1p(x)", 50).validated


def test_canonical_keys_merge_equivalent_forms():
    k = lambda rhs: canonical_key("identity", "t", "x", rhs)  # noqa: E731
    assert k("2*sin(y)*cos(y)") == k("sin(2*y)")
    assert k("exp(a)*exp(b)") == k("exp(a + b)")
    assert k("pi/8 + 1") == k("1 + pi/8")
    assert k("sin(y)") != k("cos(y)")
    # high-precision decimals are kept whole (no float64 truncation in the key)
    assert k("1.23456789012345678901234567890") != k("1.23456789012345678901234567891")
    # not SymPy syntax: still a key
    assert k("[1, 2; 3]") == k("[1, 2;  3]")


def test_canonical_form_is_deterministic_across_hash_seeds():
    import os
    import subprocess
    import sys

    code = ("from discovery.canonical import canonical_form;"
            "print(canonical_form('2*sin(y)*cos(y) + x**2*exp(x)*exp(y) - (x + 1)**2'))")
    outs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        outs.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                check=True).stdout)
    assert len(outs) == 1


def test_engine_contract_and_resume_params():
    import json as _json

    from discovery.commands.simplify import build_engine
    from discovery.errors import UserError
    from search.egraph.engine import SimplifyEngine

    params = {"expr": "sin(x)/cos(x)", "cost": "cycles", "assume": None, "rules": "all",
              "limits": {"iterations": 10, "nodes": 2000, "time": 2.0}, "extract": "ilp"}
    eng = build_engine("simplify", _json.loads(_json.dumps(params)))
    (task,) = eng.tasks()
    assert task.key == SimplifyEngine(**{k: params[k] for k in params}).tasks()[0].key  # deterministic key
    (cand,) = eng.run_task(task)
    assert cand.kind == "simplification" and cand.rhs == "tan(x)"
    assert cand.meta["report"]["extraction"] == "ilp" and cand.meta["cost_after"] == 156
    with pytest.raises(UserError):
        build_engine("simplify", dict(params, expr="sin(("))
    for bad in [dict(expr="x", cost="fast"), dict(expr="x", assume="negative"), dict(expr="x", extract="best")]:
        with pytest.raises(ValueError):
            SimplifyEngine(**bad)
