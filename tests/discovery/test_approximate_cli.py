"""``discover approximate``: bad input gives one line and exit 2; a short run prints a validated front as JSON."""

import json

import pytest

from discovery.cli import main


@pytest.mark.parametrize("argv,message", [
    (["approximate", "exp", "--interval", "1,1"], "empty interval"),
    (["approximate", "exp", "--interval", "2,0"], "empty interval"),
    (["approximate", "nosuch", "--interval", "0,1"], "unknown target name 'nosuch'"),
    (["approximate", "exp(y)", "--interval", "0,1"], "unknown name 'y'"),
    (["approximate", "1/(x-0.5)", "--interval", "0,1"], "pole"),
    (["approximate", "tan(x)", "--interval", "1,2"], "pole"),
    (["approximate", "exp", "--interval", "0,1", "--max-ops", "0"], "--max-ops"),
    (["approximate", "exp", "--interval", "0,1", "--time-limit", "-1"], "--time-limit"),
])
def test_bad_input_one_line_exit_2(tmp_path, argv, message, capsys):
    store = tmp_path / "s.sqlite"
    rc = main([*argv, "--store", str(store), "--no-progress", "--no-cluster"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    assert len(err) == 1, err
    assert message in err[0]


def test_short_run_prints_front_with_programs_and_baselines(tmp_path, capsys):
    store = tmp_path / "s.sqlite"
    rc = main(["approximate", "exp2", "--interval", "0,1", "--max-ops", "6", "--time-limit", "3", "--rounds", "1",
               "--islands", "1", "--population", "12", "--json", "--store", str(store), "--no-progress",
               "--no-cluster", "--digits", "30"])
    assert rc == 0
    recs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert len(recs) >= 3
    for r in recs:
        assert r["kind"] == "approximation" and r["engine"] == "approximate" and r["validated"]
        m = r["meta"]
        assert m["program"].startswith("def approx(x):")
        assert set(m["ops"]) == {"ops", "fma", "cycles"} and r["complexity"] == m["ops"]["ops"]
        assert m["baseline"]["max_rel_error"] > 0 and m["baseline"]["ops"]["ops"] <= m["ops"]["ops"]
        assert m["program_latex"].count("&=") == m["program"].count(" = ")
    errs = [r["max_rel_error"] for r in recs]
    assert errs == sorted(errs, reverse=True)
    # 6 ops: the degree-3 minimax polynomial of 2^x has 7.5e-5 (ANCHORS §5); the front is at least as good
    assert min(errs) <= 7.6e-5
