"""``discover regress``: front printed best first, SymPy-clashing column names, checkpoints, bad input, validator."""

from __future__ import annotations

import json

import numpy as np
import pytest

from discovery.cli import main


def _csv(path, cols: dict):
    names = list(cols)
    n = len(cols[names[0]])
    with open(path, "w") as fh:
        fh.write(",".join(names) + "\n")
        for i in range(n):
            fh.write(",".join(repr(float(cols[c][i])) for c in names) + "\n")
    return str(path)


@pytest.fixture(scope="module")
def clash_run(tmp_path_factory):
    """One small run whose columns are all SymPy names: gamma, beta, E, I, S, N (target N)."""
    d = tmp_path_factory.mktemp("regress")
    rng = np.random.default_rng(0)
    cols = {k: rng.uniform(0.5, 2.0, 30) for k in ("gamma", "beta", "E", "I", "S")}
    cols["N"] = cols["gamma"] * cols["E"] + 2 * cols["S"]
    data = _csv(d / "clash.csv", cols)
    store = str(d / "s.db")
    return data, store


def test_regress_prints_front_best_first_with_clashing_names(clash_run, capsys):
    data, store = clash_run
    rc = main(["regress", data, "--target", "N", "--store", store, "--no-cluster", "--no-progress", "--json",
               "--max-evals", "3000", "--searches", "1", "--rounds", "1", "--time-limit", "60"])
    assert rc == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert out, "no models printed"
    best = out[0]
    assert best["kind"] == "model" and best["lhs"] == "N"
    import sympy as sp

    syms = {k: sp.Symbol(k) for k in ("gamma", "beta", "E", "I", "S")}
    e = sp.parse_expr(best["rhs"], local_dict=dict(syms))
    assert sp.simplify(e - (syms["gamma"] * syms["E"] + 2 * syms["S"])) == 0
    assert best["validated"] and best["max_rel_error"] < 1e-12
    assert best["complexity"] == min(r["complexity"] for r in out if r["max_rel_error"] <= best["max_rel_error"])
    # every printed model was re-checked with mpmath on the data
    assert all(r["max_rel_error"] is not None for r in out)


def test_each_finished_task_is_checkpointed_in_the_store(clash_run):
    data, store = clash_run
    import sqlite3

    con = sqlite3.connect(store)
    try:
        tasks = con.execute("select status from tasks").fetchall()
        n_models = con.execute("select count(*) from conjectures where kind = 'model'").fetchone()[0]
    finally:
        con.close()
    assert tasks and all(s == "done" for (s,) in tasks)
    assert n_models >= 1


@pytest.mark.parametrize("argv,msg", [
    (["--target", "nope"], "not a column"),
    (["--target", "N", "--time-limit", "0"], "--time-limit"),
    (["--target", "N", "--max-complexity", "0"], "--max-complexity"),
    (["--target", "N", "--operators", "+,gamma"], "unknown operator"),
])
def test_bad_arguments_exit_2_with_one_line(clash_run, capsys, argv, msg):
    data, store = clash_run
    rc = main(["regress", data, "--store", store + ".bad", "--no-cluster", "--no-progress", *argv])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and msg in err and len(err.splitlines()) == 1


def test_bad_data_files(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n2,oops\n3,4\n4,5\n5,6\n")
    rc = main(["regress", str(bad), "--target", "y", "--store", str(tmp_path / "s.db"), "--no-cluster"])
    assert rc == 2 and "non-numeric" in capsys.readouterr().err
    nan = tmp_path / "nan.csv"
    nan.write_text("x,y\n1,2\n2,nan\n3,4\n4,5\n5,6\n")
    rc = main(["regress", str(nan), "--target", "y", "--store", str(tmp_path / "s.db"), "--no-cluster"])
    assert rc == 2 and "NaN or inf" in capsys.readouterr().err
    few = tmp_path / "few.csv"
    few.write_text("x,y\n1,2\n2,3\n")
    rc = main(["regress", str(few), "--target", "y", "--store", str(tmp_path / "s.db"), "--no-cluster"])
    assert rc == 2 and "too few rows" in capsys.readouterr().err
    rc = main(["regress", str(tmp_path / "missing.csv"), "--target", "y", "--store", str(tmp_path / "s.db")])
    assert rc == 2 and "no such data file" in capsys.readouterr().err


def test_model_validator_recomputes_and_rejects_a_wrong_claim(tmp_path):
    from discovery.validators.model import validate
    from search.base import Candidate

    x = np.linspace(0.1, 2, 25)
    path = _csv(tmp_path / "d.csv", {"x": x, "gamma": x, "y": 3 * x**2 * x + 1})
    check = {"type": "model", "path": path, "target": "y", "variables": ["x", "gamma"]}
    good = Candidate("regress", "y", "model", "y", "3*x**2*gamma + 1", max_rel_error=0.0, check=check)
    v = validate(good, 30)
    assert v.validated and v.max_rel_error < 1e-15
    off = Candidate("regress", "y", "model", "y", "3*x**2*gamma + 1.001", max_rel_error=0.0, check=check)
    v = validate(off, 30)
    assert not v.validated and v.max_rel_error > 1e-5 and "disagrees" in v.note
    honest = Candidate("regress", "y", "model", "y", "3*x**2*gamma + 1.001", max_rel_error=v.max_rel_error,
                       check=check)
    assert validate(honest, 30).validated
    unknown = Candidate("regress", "y", "model", "y", "3*z", max_rel_error=0.0, check=check)
    assert not validate(unknown, 30).validated


def test_constants_named_like_a_column_are_written_unambiguously(tmp_path):
    """A column called E (or pi, I) and the constant e in one model: the rhs text parses back to the same model."""
    import sympy as sp

    from discovery.validators.model import validate
    from search.base import Candidate
    from search.regression.models import model_text

    E, pi_, I_, x = sp.symbols("E pi I x")
    for expr in (E * x + sp.E, sp.pi * pi_ + sp.E, I_ * sp.exp(x) + sp.pi + sp.E, sp.E * x + sp.pi):
        names = {str(s): s for s in expr.free_symbols}
        back = sp.parse_expr(model_text(expr), local_dict=dict(names))
        assert sp.simplify(back - expr) == 0, model_text(expr)
    assert model_text(sp.E * x + sp.pi) == str(sp.E * x + sp.pi)  # no clash: SymPy's own text

    rng = np.random.default_rng(3)
    e_col, g = rng.uniform(1, 3, 30), rng.uniform(1, 3, 30)
    path = _csv(tmp_path / "e.csv", {"E": e_col, "gamma": g, "y": e_col * g + np.e})
    check = {"type": "model", "path": path, "target": "y", "variables": ["E", "gamma"]}
    rhs = model_text(sp.Symbol("E") * sp.Symbol("gamma") + sp.E)
    assert rhs == "E*gamma + exp(1)"
    v = validate(Candidate("regress", "y", "model", "y", rhs, max_rel_error=0.0, check=check), 30)
    assert v.validated and v.max_rel_error < 1e-15
