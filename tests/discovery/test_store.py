import sqlite3

import pytest

from discovery.errors import UserError
from discovery.store import RECORD_FIELDS, SCHEMA_VERSION, Store
from search.base import Task


def _rec(rhs="pi", canonical="k1", validated=True, digits=50.0):
    return {"engine": "identify", "target": "x", "kind": "identity", "lhs": "x", "rhs": rhs, "latex": "x = \\pi",
            "digits": digits, "max_rel_error": None, "complexity": 1, "validated": validated,
            "status": "validated" if validated else "rejected", "meta": {"a": 1}, "canonical": canonical}


def test_schema_is_versioned(tmp_path):
    path = tmp_path / "s.sqlite"
    Store(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"runs", "tasks", "conjectures", "run_conjectures", "clusters"} <= tables
    cols = {r[1] for r in conn.execute("PRAGMA table_info(conjectures)")}
    assert set(RECORD_FIELDS) <= cols


def test_run_tasks_and_dedup(tmp_path):
    with Store(tmp_path / "s.sqlite") as st:
        tasks = [Task("k-a", "identify", {"i": 1}, 7), Task("k-b", "identify", {"i": 2}, 8)]
        run = st.create_run("identify", "x", {"p": 1}, 0, 50, tasks)
        assert st.get_run(run)["status"] == "running"
        assert [t["key"] for t in st.pending_tasks(run)] == ["k-a", "k-b"]
        out = st.record_task(run, "k-a", [_rec(), _rec(canonical="k2", rhs="2*pi")])
        assert [r["rhs"] for r in out] == ["pi", "2*pi"]
        # the same conjecture again: linked, not duplicated; stronger evidence upgrades it
        st.record_task(run, "k-b", [_rec(digits=60.0)])
        assert len(st.query()) == 2
        assert st.query()[0]["digits"] == 60.0
        assert st.pending_tasks(run) == []
        st.set_run_status(run, "done")
        assert st.get_run(run)["status"] == "done"
        assert st.get_run(run)["params"] == {"p": 1}


def test_failed_transaction_leaves_nothing(tmp_path):
    with Store(tmp_path / "s.sqlite") as st:
        run = st.create_run("identify", "x", {}, 0, 50, [Task("k-a", "identify", {}, 1)])
        bad = _rec()
        bad["kind"] = None  # violates NOT NULL after the first insert succeeded
        with pytest.raises(sqlite3.IntegrityError):
            st.record_task(run, "k-a", [_rec(canonical="good"), bad])
        assert st.query() == []
        assert [t["key"] for t in st.pending_tasks(run)] == ["k-a"]


def test_errors_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="store not found"):
        Store(tmp_path / "missing.sqlite", create=False)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(UserError, match="not a discovery store"):
        Store(junk)
    with Store(tmp_path / "s.sqlite") as st:
        with pytest.raises(UserError, match="unknown run"):
            st.get_run("nope")
        with pytest.raises(UserError, match="no conjecture"):
            st.get(99)
