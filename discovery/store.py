"""The conjecture store: SQLite through the standard library, one writer (the client process).

Schema (versioned with ``PRAGMA user_version``):

- ``runs``: one row per run (engine, target, parameters as JSON, package version, start, end, status);
- ``tasks``: the run's tasks by deterministic key, with their payload and status, for resume;
- ``conjectures``: every field of the conjecture record (DESIGN.md), unique on a canonical key;
- ``run_conjectures``: which runs found which conjectures (a conjecture found again is linked, not duplicated);
- ``clusters``: groups of conjectures (PCF families), with their features.

Every finished task's results and its ``done`` mark are written in one transaction, so a crash, a Ctrl-C or a killed
worker can never leave a half-written task: a resumed run re-runs exactly the tasks not marked done.
"""

from __future__ import annotations

import json
import math
import sqlite3
import time
import uuid
from importlib import metadata
from pathlib import Path

from discovery.errors import UserError

__all__ = ["Store", "SCHEMA_VERSION", "RECORD_FIELDS", "package_version"]

SCHEMA_VERSION = 1

#: The conjecture record's fields, in the order ``--json`` prints them (DESIGN.md).
RECORD_FIELDS = (
    "id", "run_id", "engine", "target", "kind", "lhs", "rhs", "latex",
    "digits", "max_rel_error", "complexity", "validated", "meta",
)

_SCHEMA = [
    """CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        engine TEXT NOT NULL,
        target TEXT NOT NULL,
        params TEXT NOT NULL,
        version TEXT NOT NULL,
        seed INTEGER NOT NULL,
        digits INTEGER NOT NULL,
        started REAL NOT NULL,
        ended REAL,
        status TEXT NOT NULL CHECK (status IN ('running', 'done', 'interrupted', 'failed'))
    )""",
    """CREATE TABLE tasks (
        run_id TEXT NOT NULL REFERENCES runs(id),
        key TEXT NOT NULL,
        payload TEXT NOT NULL,
        seed INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
        n_candidates INTEGER,
        finished REAL,
        error TEXT,
        PRIMARY KEY (run_id, key)
    )""",
    """CREATE TABLE conjectures (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES runs(id),
        engine TEXT NOT NULL,
        target TEXT NOT NULL,
        kind TEXT NOT NULL,
        lhs TEXT NOT NULL,
        rhs TEXT NOT NULL,
        latex TEXT,
        digits REAL,
        max_rel_error REAL,
        complexity INTEGER,
        validated INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('validated', 'rejected', 'unchecked')),
        note TEXT,
        meta TEXT NOT NULL,
        canonical TEXT NOT NULL UNIQUE,
        created REAL NOT NULL
    )""",
    """CREATE TABLE run_conjectures (
        run_id TEXT NOT NULL REFERENCES runs(id),
        conjecture_id INTEGER NOT NULL REFERENCES conjectures(id),
        PRIMARY KEY (run_id, conjecture_id)
    )""",
    """CREATE TABLE clusters (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES runs(id),
        label TEXT NOT NULL,
        members TEXT NOT NULL,
        features TEXT NOT NULL
    )""",
    "CREATE INDEX conjectures_run ON conjectures(run_id)",
    "CREATE INDEX conjectures_engine ON conjectures(engine)",
]


def package_version() -> str:
    try:
        return metadata.version("discovery-workbench")
    except metadata.PackageNotFoundError:  # running from a source tree without installing
        return "0+unknown"


def _finite_or_none(x):
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


class Store:
    """The SQLite conjecture store.  Use as a context manager, or call :meth:`close`.

    Opening never creates the file when ``create=False`` (read-only commands on a missing store are an error).
    """

    def __init__(self, path: str | Path = "discoveries.sqlite", create: bool = True):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise UserError(f"store not found: {self.path}")
        if self.path.exists() and self.path.is_dir():
            raise UserError(f"store path is a directory: {self.path}")
        if create and not self.path.parent.exists():
            raise UserError(f"store directory does not exist: {self.path.parent}")
        try:
            self.conn = sqlite3.connect(str(self.path), timeout=30.0)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise UserError(f"not a discovery store: {self.path} ({exc})") from None

    # -- schema -----------------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise UserError(f"store {self.path} has schema {version}, newer than this version supports ({SCHEMA_VERSION})")
        if version == 0:
            tables = self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
            if tables:
                raise UserError(f"not a discovery store: {self.path} (unknown tables)")
            with self.conn:
                for stmt in _SCHEMA:
                    self.conn.execute(stmt)
                self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- runs ------------------------------------------------------------------------------------------------
    def create_run(self, engine: str, target: str, params: dict, seed: int, digits: int, tasks) -> str:
        """Create a run and its pending tasks in one transaction; returns the run id."""
        run_id = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
        with self.conn:
            self.conn.execute(
                "INSERT INTO runs (id, engine, target, params, version, seed, digits, started, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running')",
                (run_id, engine, target, json.dumps(params, sort_keys=True), package_version(), seed, digits, time.time()),
            )
            self.conn.executemany(
                "INSERT INTO tasks (run_id, key, payload, seed, status) VALUES (?, ?, ?, ?, 'pending')",
                [(run_id, t.key, json.dumps(t.payload, sort_keys=True, default=str), t.seed) for t in tasks],
            )
        return run_id

    def add_tasks(self, run_id: str, tasks) -> None:
        """Register follow-up tasks (ignored if already known)."""
        with self.conn:
            self.conn.executemany(
                "INSERT OR IGNORE INTO tasks (run_id, key, payload, seed, status) VALUES (?, ?, ?, ?, 'pending')",
                [(run_id, t.key, json.dumps(t.payload, sort_keys=True, default=str), t.seed) for t in tasks],
            )

    def get_run(self, run_id: str) -> dict:
        row = self.conn.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            known = [r[0] for r in self.conn.execute("SELECT id FROM runs ORDER BY started DESC LIMIT 5")]
            hint = f"; recent runs: {', '.join(known)}" if known else "; the store has no runs"
            raise UserError(f"unknown run {run_id!r}{hint}")
        run = dict(row)
        run["params"] = json.loads(run["params"])
        return run

    def runs(self) -> list[dict]:
        out = []
        for row in self.conn.execute("SELECT * FROM runs ORDER BY started"):
            run = dict(row)
            run["params"] = json.loads(run["params"])
            out.append(run)
        return out

    def set_run_status(self, run_id: str, status: str) -> None:
        with self.conn:
            self.conn.execute("UPDATE runs SET status = ?, ended = ? WHERE id = ?", (status, time.time(), run_id))

    def mark_running(self, run_id: str) -> None:
        with self.conn:
            self.conn.execute("UPDATE runs SET status = 'running', ended = NULL WHERE id = ?", (run_id,))

    def task_status(self, run_id: str) -> dict[str, str]:
        return {r["key"]: r["status"] for r in self.conn.execute("SELECT key, status FROM tasks WHERE run_id = ?", (run_id,))}

    def pending_tasks(self, run_id: str) -> list[dict]:
        rows = self.conn.execute(
            "SELECT key, payload, seed FROM tasks WHERE run_id = ? AND status != 'done' ORDER BY rowid", (run_id,)
        )
        return [{"key": r["key"], "payload": json.loads(r["payload"]), "seed": r["seed"]} for r in rows]

    # -- results ---------------------------------------------------------------------------------------------
    def record_task(self, run_id: str, key: str, records: list[dict], error: str | None = None) -> list[dict]:
        """Write one finished task: its conjectures (deduplicated) and its status, in ONE transaction.

        Returns the stored records (with ids); a conjecture already in the store is linked to this run, and
        upgraded if the new evidence is stronger (validated where the old one was not, or more digits).
        """
        stored = []
        now = time.time()
        with self.conn:
            for rec in records:
                row = self.conn.execute("SELECT * FROM conjectures WHERE canonical = ?", (rec["canonical"],)).fetchone()
                if row is None:
                    cur = self.conn.execute(
                        "INSERT INTO conjectures (run_id, engine, target, kind, lhs, rhs, latex, digits, max_rel_error,"
                        " complexity, validated, status, note, meta, canonical, created)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            run_id, rec["engine"], rec["target"], rec["kind"], rec["lhs"], rec["rhs"], rec.get("latex"),
                            _finite_or_none(rec.get("digits")), _finite_or_none(rec.get("max_rel_error")),
                            rec.get("complexity"), int(bool(rec.get("validated"))), rec["status"], rec.get("note"),
                            json.dumps(rec.get("meta") or {}, sort_keys=True, default=str), rec["canonical"], now,
                        ),
                    )
                    cid = cur.lastrowid
                else:
                    cid = row["id"]
                    better = (rec.get("validated") and not row["validated"]) or (
                        bool(rec.get("validated")) == bool(row["validated"])
                        and (_finite_or_none(rec.get("digits")) or 0) > (row["digits"] or 0)
                    )
                    if better:
                        self.conn.execute(
                            "UPDATE conjectures SET digits = ?, max_rel_error = ?, validated = ?, status = ?, note = ?"
                            " WHERE id = ?",
                            (
                                _finite_or_none(rec.get("digits")), _finite_or_none(rec.get("max_rel_error")),
                                int(bool(rec.get("validated"))), rec["status"], rec.get("note"), cid,
                            ),
                        )
                self.conn.execute("INSERT OR IGNORE INTO run_conjectures (run_id, conjecture_id) VALUES (?, ?)", (run_id, cid))
                stored.append(cid)
            self.conn.execute(
                "UPDATE tasks SET status = ?, n_candidates = ?, finished = ?, error = ? WHERE run_id = ? AND key = ?",
                ("failed" if error else "done", len(records), now, error, run_id, key),
            )
        return [self.get(cid) for cid in dict.fromkeys(stored)]

    def add_cluster(self, run_id: str, label: str, members: list[int], features: dict) -> int:
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO clusters (run_id, label, members, features) VALUES (?, ?, ?, ?)",
                (run_id, label, json.dumps(members), json.dumps(features, sort_keys=True, default=str)),
            )
        return cur.lastrowid

    def clusters(self, run_id: str | None = None) -> list[dict]:
        sql, args = "SELECT * FROM clusters", ()
        if run_id:
            sql, args = sql + " WHERE run_id = ?", (run_id,)
        return [
            {**dict(r), "members": json.loads(r["members"]), "features": json.loads(r["features"])}
            for r in self.conn.execute(sql + " ORDER BY id", args)
        ]

    # -- queries ---------------------------------------------------------------------------------------------
    @staticmethod
    def _record(row) -> dict:
        rec = {k: row[k] for k in RECORD_FIELDS if k in row.keys()}
        rec["validated"] = bool(rec["validated"])
        rec["meta"] = json.loads(rec["meta"])
        rec["status"] = row["status"]
        return rec

    def get(self, conjecture_id: int) -> dict:
        row = self.conn.execute("SELECT * FROM conjectures WHERE id = ?", (conjecture_id,)).fetchone()
        if row is None:
            raise UserError(f"no conjecture with id {conjecture_id}")
        return self._record(row)

    def query(self, run_id: str | None = None, engine: str | None = None, validated_only: bool = False,
              kind: str | None = None) -> list[dict]:
        """Conjectures filtered by run (every conjecture the run found), engine, kind and validation."""
        sql = "SELECT c.* FROM conjectures c"
        where, args = [], []
        if run_id:
            self.get_run(run_id)
            sql += " JOIN run_conjectures rc ON rc.conjecture_id = c.id"
            where.append("rc.run_id = ?")
            args.append(run_id)
        if engine:
            where.append("c.engine = ?")
            args.append(engine)
        if kind:
            where.append("c.kind = ?")
            args.append(kind)
        if validated_only:
            where.append("c.validated = 1")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY c.id"
        return [self._record(r) for r in self.conn.execute(sql, args)]
