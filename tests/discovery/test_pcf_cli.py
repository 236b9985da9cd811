"""``discover constants --method pcf`` end to end: records, meta, validation, clusters, resume, bad input."""

import json
import sqlite3

import pytest

from discovery.cli import main
from discovery.store import Store
from search.base import Candidate
from tests.discovery.helpers import store_digest

BOX = ["--a-coeffs", "0..3,-2..2", "--b-coeffs", "-2..2,-2..2,-2..2"]  # a SPEC may start with "-"



@pytest.fixture(scope="module")
def pi_run(tmp_path_factory):
    path = tmp_path_factory.mktemp("pcf") / "s.sqlite"
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = main(["constants", "pi", "--method", "pcf", *BOX, "--cluster", "--json", "--store", str(path),
                   "--no-cluster", "--no-progress", "--digits", "60"])
    assert rc == 0
    recs = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    return path, recs


def test_pcf_run_records(pi_run):
    path, recs = pi_run
    by = {(r["lhs"], r["rhs"]): r for r in recs}
    r = by[("4/pi", "PCF(2*n + 1, n**2)")]
    assert r["validated"] and r["engine"] == "pcf" and r["kind"] == "identity" and r["digits"] >= 60
    m = r["meta"]
    assert m["a"] == "2*n + 1" and m["b"] == "n**2" and m["moebius"] == [4, 0, 0, 1]
    assert m["depth"] >= 1000 and len(m["delta"]) == 2 and m["delta"][1] == pytest.approx(-0.20, abs=0.01)
    assert m["convergence_rate"] > 0.7 and m["eigenvalue_ratio"] == pytest.approx(0.1716, abs=1e-3)
    assert r"\cfrac" in r["latex"] and r"\pi" in r["latex"]
    assert all(x["validated"] for x in recs) and len(recs) == 4


def test_pcf_clusters_recorded(pi_run):
    path, recs = pi_run
    with Store(path) as st:
        run_id = st.runs()[0]["id"]
        clusters = st.clusters(run_id)
    ids = {r["id"] for r in recs}
    labels = {c["label"] for c in clusters}
    assert any(lab.startswith("dynamics-") for lab in labels) and any(lab.startswith("family-") for lab in labels)
    for c in clusters:
        assert set(c["members"]) <= ids
    dyn = [c for c in clusters if c["features"]["kind"] == "dynamics"]
    # 2/pi, 2/(pi-2), (pi+4)/(pi+2) share delta ~ -0.65 and eigenvalue ratio 1/2; 4/pi is alone
    assert sorted(len(c["members"]) for c in dyn) == [1, 3]


def test_cluster_existing_run(pi_run, capsys):
    path, _ = pi_run
    with Store(path) as st:
        run_id = st.runs()[0]["id"]
        before = len(st.clusters(run_id))
    rc = main(["constants", "pi", "--cluster", "--cluster-run", run_id, "--store", str(path), "--no-cluster"])
    assert rc == 0
    with Store(path) as st:
        assert len(st.clusters(run_id)) == 2 * before


def test_resume_rebuilds_the_same_engine(pi_run):
    from discovery.commands.constants import build_engine

    path, _ = pi_run
    with Store(path) as st:
        run = st.runs()[0]
        run = st.get_run(run["id"])
        keys = set(st.task_status(run["id"]))
    eng = build_engine("pcf", run["params"])
    assert {t.key for t in eng.tasks()} == keys


def _cand(a, b, lhs, moebius, target="pi", depth=2000):
    from search.constants.pcf import poly_str

    return Candidate(engine="pcf", target=target, kind="identity", lhs=lhs, rhs=f"PCF({poly_str(a)}, {poly_str(b)})",
                     check={"type": "pcf", "a_coeffs": a, "b_coeffs": b, "lhs": lhs, "target": target,
                            "moebius": moebius, "depth": depth, "max_depth": 4 * depth})


def test_validator():
    from discovery.validators.pcf import validate

    ok = validate(_cand([2, 1], [1, 0, 0], "4/pi", [4, 0, 0, 1]), 80)
    assert ok.validated and ok.digits >= 80
    # a wrong claim: the same PCF is not 4/pi + 1
    bad = validate(_cand([2, 1], [1, 0, 0], "4/pi + 1", [4, 1, 0, 1]), 50)
    assert not bad.validated
    # a near miss that matches 10 digits is rejected at 50
    near = validate(_cand([2, 1], [1, 0, 0], "1.2732395447", None), 50)
    assert not near.validated
    # slow (algebraic) convergence: the digits it reaches are recorded, but it is not validated below --digits
    slow = validate(_cand([6], [4, -4, 1], "pi + 3", [3, 1, 1, 0], depth=2000), 50)
    assert not slow.validated and 12 <= slow.digits < 50 and "slow convergence" in slow.note
    # an mpmath-only target expression
    tan = validate(_cand([2, 1], [-1], "1/tan(1)", [1, 0, 0, 1], target="tan(1)"), 50)
    assert tan.validated


BAD = [
    (["--a-coeffs", "", "--b-coeffs", "1"], "needs both"),
    (["--a-coeffs", "0..2"], "needs both"),
    (["--a-coeffs", "3..1", "--b-coeffs", "1"], "inverted"),
    (["--a-coeffs", "1..x", "--b-coeffs", "1"], "bad --a-coeffs item"),
    (["--a-coeffs", "1,,2", "--b-coeffs", "1"], "bad --a-coeffs item"),
    (["--a-coeffs", "0..2,1", "--b-coeffs", "1", "--digits", "10"], "too little precision"),
    (["--a-coeffs", "0..2,1", "--b-coeffs", "1", "--scan-depth", "1000000"], "too little precision for the depth"),
    (["--a-coeffs", "0..2,1", "--b-coeffs", "1", "--depth", "200"], "--depth must be >= 1000"),
    (["--a-coeffs", "0..2,1", "--b-coeffs", "1", "--lhs-coeff-limit", "0"], "lhs-coeff-limit"),
]


@pytest.mark.parametrize("extra,message", BAD, ids=[m for _, m in BAD])
def test_bad_input(tmp_path, extra, message, capsys, pi_run):
    path, _ = pi_run
    before = store_digest(path)
    rc = main(["constants", "pi", "--method", "pcf", *extra, "--store", str(path), "--no-cluster", "--no-progress"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and message in err[0], err
    assert store_digest(path) == before


def test_unknown_constant(tmp_path, capsys):
    path = tmp_path / "x.sqlite"
    rc = main(["constants", "pii", "--method", "pcf", "--a-coeffs", "1", "--b-coeffs", "1", "--store", str(path),
               "--no-cluster"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "pi" in err[0]
    assert not path.exists()


def test_cluster_needs_pcf(tmp_path, capsys):
    rc = main(["constants", "e", "--cluster", "--store", str(tmp_path / "y.sqlite"), "--no-cluster"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and "--method pcf" in err[0]


def test_resume_reruns_only_pending_slices(tmp_path, capsys):
    """A run interrupted after some slices: ``discover resume`` finishes the rest and finds the same formulas."""
    path = tmp_path / "r.sqlite"
    argv = ["constants", "pi", "--method", "pcf", *BOX, "--pcf-chunk", "500", "--store", str(path),
            "--no-cluster", "--no-progress", "--json"]
    assert main(argv) == 0
    first = {json.loads(line)["rhs"] for line in capsys.readouterr().out.splitlines() if line.strip()}
    conn = sqlite3.connect(path)
    run_id = conn.execute("SELECT id FROM runs").fetchone()[0]
    keys = [k for (k,) in conn.execute("SELECT key FROM tasks WHERE run_id = ? ORDER BY key", (run_id,))]
    assert len(keys) == 5
    with conn:  # simulate an interruption: two slices never finished, their conjecture links lost
        conn.execute("UPDATE tasks SET status = 'pending' WHERE key IN (?, ?)", keys[:2])
        conn.execute("UPDATE runs SET status = 'interrupted' WHERE id = ?", (run_id,))
    conn.close()
    assert main(["resume", run_id, "--store", str(path), "--no-cluster", "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "2 tasks completed now" in err
    with Store(path) as st:
        assert set(st.task_status(run_id).values()) == {"done"}
        assert {r["rhs"] for r in st.query(run_id=run_id)} == first
