"""Helpers shared by the CLI tests."""

import hashlib
import sqlite3
from pathlib import Path


def store_digest(path: Path):
    """A digest of the store's whole content (every table, every row), or None if there is no store."""
    if not Path(path).exists():
        return None
    conn = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()
