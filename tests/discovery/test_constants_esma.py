"""``discover constants --method esma``: the reference run end to end, the scf validator, resume, bad input."""

from __future__ import annotations

import json

import mpmath
import pytest

from discovery.cli import main
from discovery.commands import constants as cmd
from search.base import Candidate
from tests.discovery.helpers import store_digest

REFERENCE_ARGS = ["constants", "e", "--method", "esma", "--sign-period", "2..2", "--depth", "105", "--poly-deg", "1",
                  "--coeff-limit", "2"]



def _records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


@pytest.fixture(scope="module")
def reference_store(tmp_path_factory):
    return tmp_path_factory.mktemp("esma") / "ref.sqlite"


def test_reference_run_in_process(reference_store, capsys):
    rc = main(REFERENCE_ARGS + ["--store", str(reference_store), "--no-cluster", "--no-progress", "--json"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    recs = _records(out)
    assert len(recs) == 13 and all(r["validated"] and r["engine"] == "esma" for r in recs)
    assert len({r["lhs"] for r in recs}) == 13
    by = {r["lhs"]: r for r in recs}
    assert by["e/(e - 1)"]["meta"]["signs"] == [1, -1] and by["e/(e - 2)"]["meta"]["signs"] == [1, 1]
    r = by["e/(e - 1)"]
    assert r["meta"]["partial_denominators"][:9] == [1, 2, 3, 2, 5, 2, 7, 2, 9]
    assert r["meta"]["register_length"] == 4 and r["meta"]["pattern"]["polynomials"] == ["n + 1", "2"]
    assert r["digits"] >= 50 and r["kind"] == "identity"
    assert r"\cfrac" in r["latex"] and "1 + \\cfrac{1}{2 - \\cfrac{1}{3 +" in r["latex"]
    assert "13 ESMA formulas (13 validated)" in err


def test_reference_run_on_dask_gives_the_same_13(tmp_path, capsys):
    rc = main(REFERENCE_ARGS + ["--store", str(tmp_path / "d.sqlite"), "--workers", "2", "--no-progress", "--json"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    recs = _records(out)
    assert len(recs) == 13 and all(r["validated"] for r in recs)


def test_resume_rebuilds_the_engine_from_stored_params(reference_store, capsys):
    from discovery.store import Store

    store = Store(str(reference_store))
    try:
        run = next(r for r in store.runs() if r["engine"] == "esma")
        keys = set(store.task_status(run["id"]))
        # interrupt the run after the fact: forget two tasks, as a killed client would have
        lost = sorted(keys)[:2]
        with store.conn:
            store.conn.executemany("UPDATE tasks SET status = 'pending' WHERE run_id = ? AND key = ?",
                                   [(run["id"], k) for k in lost])
            store.conn.execute("UPDATE runs SET status = 'interrupted' WHERE id = ?", (run["id"],))
    finally:
        store.close()
    eng = cmd.build_engine("esma", run["params"])
    assert {t.key for t in eng.tasks()} == keys and len(keys) == 7
    rc = main(["resume", run["id"], "--store", str(reference_store), "--no-cluster", "--no-progress", "--json"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    store = Store(str(reference_store))
    try:
        assert set(store.task_status(run["id"]).values()) == {"done"}
        recs = store.query(run_id=run["id"])
        assert len(recs) == 13  # the re-run tasks found the same formulas: nothing new, nothing duplicated
    finally:
        store.close()


def test_expression_target_tan1(tmp_path, capsys):
    rc = main(["constants", "tan(1)", "--sign-period", "1..1", "--depth", "60", "--enum-dps", "200",
               "--store", str(tmp_path / "t.sqlite"), "--no-cluster", "--no-progress", "--json"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    recs = _records(out)
    lhs = {r["lhs"] for r in recs if r["validated"]}
    assert "tan(1)" in lhs  # tan 1 = [1; 1, 1, 3, 1, 5, ...]
    assert all(r["validated"] for r in recs)


def _candidate_from(rec_meta, lhs, signs):
    rec = rec_meta["recurrence"]
    return Candidate(engine="esma", target="e", kind="identity", lhs=lhs, rhs="",
                     check={"type": "scf", "lhs": lhs, "signs": signs, "connection": rec["connection"],
                            "initial": rec["initial"], "terms": 1000})


def test_scf_validator_accepts_true_and_rejects_tampered():
    from discovery.validators.scf import validate

    meta = {"recurrence": {"connection": [1, 0, -2, 0, 1], "initial": [1, 2, 3, 2]}}
    good = _candidate_from(meta, "e/(e - 1)", [1, -1])
    for digits in (30, 300):
        v = validate(good, digits)
        assert v.validated and v.digits >= digits
    bad = _candidate_from({"recurrence": {"connection": [1, 0, -2, 0, 1], "initial": [1, 2, 3, 3]}},
                          "e/(e - 1)", [1, -1])
    v = validate(bad, 30)
    assert not v.validated and v.digits < 5
    wrong_signs = _candidate_from(meta, "e/(e - 1)", [1, 1])
    assert not validate(wrong_signs, 30).validated
    # a slowly converging fraction (all a_n = 1: 0.42 digits per term) still settles within the term cap
    golden = Candidate(engine="esma", target="golden", kind="identity", lhs="golden", rhs="",
                       check={"type": "scf", "lhs": "golden", "signs": [1], "connection": [1, -1], "initial": [1],
                              "terms": 100})
    assert validate(golden, 400).validated
    malformed = Candidate(engine="esma", target="e", kind="identity", lhs="e", rhs="",
                          check={"type": "scf", "signs": [1], "connection": [2, 1], "initial": [1]})
    assert not validate(malformed, 30).validated


def test_scf_validator_uses_constant_and_coefficients_for_mpmath_only_targets():
    from discovery.validators.scf import validate

    with mpmath.workdps(300):
        x = mpmath.ellipk(mpmath.mpf(1) / 2)
        from numerics.recurrence import signed_cf_expand

        a = signed_cf_expand(x, [1], 40)
    # not a recurrence-generated CF: only the first 40 terms agree, so validating 200 digits must fail
    cand = Candidate(engine="esma", target="ellipk(0.5)", kind="identity", lhs="ellipk(0.5)", rhs="",
                     check={"type": "scf", "signs": [1], "connection": [1] + [0] * 39 + [0], "initial": a,
                            "constant": "ellipk(0.5)", "numerator": [1, 0], "denominator": [0, 1], "terms": 40})
    v = validate(cand, 200)
    assert not v.validated


BAD = [
    (["constants", "pii"], "did you mean pi"),
    (["constants", "e", "--sign-period", "3..2"], "empty range"),
    (["constants", "e", "--sign-period", ""], "--sign-period is empty"),
    (["constants", "e", "--sign-period", "a..b"], "must be LO..HI"),
    (["constants", "e", "--sign-period", "0..2"], "at least 1"),
    (["constants", "e", "--depth", "105", "--enum-dps", "60"], "too little precision for the depth"),
    (["constants", "e", "--verify-dps", "100"], "too little precision"),
    (["constants", "e", "--depth", "3"], "--depth must be at least 8"),
    (["constants", "e", "--coeff-limit", "0"], "--coeff-limit must be at least 1"),
    (["constants", "e", "--prime", "91"], "prime"),
    (["constants", "e-e"], "is zero"),
    (["constants", "1/(e-e)"], "1/(e-e)"),
    (["constants", "sqrt(-e)"], "not real"),
]


@pytest.mark.parametrize("argv,message", BAD, ids=[" ".join(b[0][1:]) for b in BAD])
def test_bad_input_is_one_line_exit_2_store_unchanged(argv, message, tmp_path, capsys):
    path = tmp_path / "s.sqlite"
    before = store_digest(path)
    rc = main(argv + ["--store", str(path), "--no-cluster", "--no-progress"])
    out, err = capsys.readouterr()
    assert rc == 2
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert store_digest(path) == before


def test_parse_range():
    assert cmd.parse_range("2..4", "--x") == (2, 4) and cmd.parse_range(" 3 ", "--x") == (3, 3)
    assert cmd.parse_range("-1..1", "--x") == (-1, 1)
