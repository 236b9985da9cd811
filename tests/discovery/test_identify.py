"""identify: closed forms rediscovered from their digits, through the library and the CLI."""

import json

import mpmath
import pytest

from discovery import constants
from discovery.cli import main
from discovery.commands.identify import build_engine, prepare

# Expressions typed by a user; each is searched over a basis holding its constants and decoys (pi, e, log2, catalan).
KNOWN = [
    "(pi**2 - 4*log2)/5",
    "8*catalan/pi",
    "3*zeta3/2 - 1/7",
    "sqrt_e*pi/3",
    "golden*sqrt2 + 3",
    "euler_gamma**2 - 2*log2",
    "pi**2/log3",
]
DECOYS = ["pi", "e", "log2", "catalan"]


def _identify(text, dps=70):
    value = mpmath.nstr(constants.evaluate(text, dps), dps)
    needed = [n for n in constants.names() if n in text.replace("sqrt_e", "e")]
    params = prepare(value, sorted(set(DECOYS + needed)), 50)
    engine = build_engine("identify", params)
    found = []
    for task in engine.tasks():
        found.extend(engine.run_task(task))
    return value, found


@pytest.mark.parametrize("text", KNOWN)
def test_rediscovered_from_digits(text):
    value, found = _identify(text)
    assert found, f"nothing found for {text}"
    with mpmath.workdps(80):
        target = constants.evaluate(text, 80)
        best = min(abs(constants.evaluate(c.rhs, 80) - target) for c in found)
        assert best < mpmath.mpf(10) ** -60 * abs(target)


def test_no_false_relation_for_a_random_number():
    # 60 random digits are related to nothing in the basis with small coefficients
    value = "0.731059826153842095216643078541278465129380026571963118404702"
    params = prepare(value, ["pi", "e", "log2", "catalan"], 50)
    engine = build_engine("identify", params)
    assert [c for t in engine.tasks() for c in engine.run_task(t)] == []


def test_cli_identify_stores_validated_conjecture(tmp_path, capsys):
    store = tmp_path / "s.sqlite"
    value = "1.41940313576991547623311250280868897260233977395995392198613"
    rc = main(["identify", value, "--store", str(store), "--no-cluster", "--json", "--no-progress",
               "--basis", "pi,log2,e"])
    assert rc == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(lines) == 1
    rec = lines[0]
    assert rec["validated"] and rec["digits"] >= 50 and rec["kind"] == "identity"
    assert set(rec) == {"id", "run_id", "engine", "target", "kind", "lhs", "rhs", "latex", "digits",
                        "max_rel_error", "complexity", "validated", "meta"}
    import sympy

    assert sympy.simplify(sympy.sympify(rec["rhs"]) - (sympy.pi**2 - 4 * sympy.log(2)) / 5) == 0
