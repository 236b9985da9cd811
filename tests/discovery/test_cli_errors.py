"""Bad input: one clear line on stderr, exit code 2, no traceback, and the store unchanged."""

import subprocess
import sys

import pytest

from discovery.cli import main
from tests.discovery.helpers import store_digest



@pytest.fixture
def store(tmp_path):
    path = tmp_path / "s.sqlite"
    rc = main(["identify", "8*catalan/pi", "--store", str(path), "--no-cluster", "--no-progress",
               "--basis", "pi,catalan", "--digits", "30"])
    assert rc == 0
    return path


BAD = [
    (["identify", "3.14abc15926535897932384626"], "cannot parse"),
    (["identify", "1.2345"], "at least 20"),
    (["identify", "ctalan*2"], "did you mean catalan"),
    (["identify", "8*catalan/pi", "--basis", "pi,zeta7"], "unknown constant 'zeta7'"),
    (["identify", "8*catalan/pi", "--digits", "-5"], "positive integer"),
    (["identify", "8*catalan/pi", "--scheduler", "tcp://127.0.0.1:9"], "cannot reach scheduler"),
    (["identify", "8*catalan/pi", "--scheduler-file", "/nonexistent/sched.json"], "scheduler file not found"),
    (["show", "999"], "no conjecture with id 999"),
    (["show", "abc"], "must be an integer"),
    (["resume", "no-such-run"], "unknown run"),
    (["export", "--format", "latex", "-o", "/nonexistent/dir/out.tex"], "output directory does not exist"),
    (["list", "--run", "nope"], "unknown run"),
    (["demo", "--only", "nosuchstep"], "unknown demo step"),
    (["simplify", "x +* 2"], "cannot parse"),
    (["simplify", "x", "--rules", "bogus"], "unknown rule set 'bogus'"),
    (["simplify", "x", "--nodes", "0"], "--nodes must be positive"),
]


@pytest.mark.parametrize("argv,message", BAD, ids=[" ".join(a[:2]) for a, _ in BAD])
def test_bad_input_one_line_exit_2_store_unchanged(store, argv, message, capsys):
    before = store_digest(store)
    rc = main([*argv, "--store", str(store), "--no-progress", "--no-cluster"]
              if "--scheduler" not in " ".join(argv) else [*argv, "--store", str(store), "--no-progress"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    assert len(err) == 1, err
    assert message in err[0]
    assert "Traceback" not in err[0]
    assert store_digest(store) == before


def test_missing_store_is_not_created(tmp_path, capsys):
    path = tmp_path / "absent.sqlite"
    assert main(["list", "--store", str(path)]) == 2
    assert "store not found" in capsys.readouterr().err
    assert not path.exists()


def test_bad_value_does_not_create_store(tmp_path, capsys):
    path = tmp_path / "new.sqlite"
    assert main(["identify", "nonsense_constant", "--store", str(path), "--no-cluster"]) == 2
    assert not path.exists()


def test_usage_error_is_one_line_exit_2():
    out = subprocess.run([sys.executable, "-m", "discovery.cli", "identify", "--digits", "x", "1.0"],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1


def test_help_is_instant_and_imports_nothing_heavy():
    code = ("import sys, discovery.cli as c; c.build_parser(); "
            "heavy = [m for m in ('dask', 'distributed', 'numba', 'sympy', 'scipy', 'pandas', 'sklearn') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"heavy imports at --help: {out.stdout}"
    out = subprocess.run([sys.executable, "-m", "discovery.cli", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "identify" in out.stdout


def test_negative_values_are_values_not_options():
    from discovery.cli import build_parser

    args = build_parser().parse_args(["approximate", "exp", "--interval", "-1,1"])
    assert args.interval == "-1,1"
    args = build_parser().parse_args(["constants", "pi", "--method", "pcf", "--a-coeffs", "-2..2", "--b-coeffs", "-1e0,0"])
    assert args.a_coeffs == "-2..2" and args.b_coeffs == "-1e0,0"
    args = build_parser().parse_args(["identify", "-0.123456789012345678901234"])
    assert args.value.startswith("-0.1")
