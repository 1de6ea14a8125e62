"""Answers of model servers kept on disk, so that no request is paid for twice.

One SQLite database (standard library) in WAL mode: every answer is committed as it
arrives, readers never block the writer, and several processes (the ranks of a
``torchrun`` job, two runs at once) share one file. A process killed at any moment leaves
every committed answer readable and nothing half-written; a request killed before its
answer arrived is simply not in the store, so a rerun sends it again.

Keys are the SHA-256 of a request's canonical JSON (:func:`request_key`); values are the
server's response body as it came (JSON text). The store holds no credentials: neither the
key nor the server's address is part of a row.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from mmx.errors import InputError

__all__ = ["ResponseCache", "default_cache_dir", "request_key"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    endpoint TEXT NOT NULL,
    model TEXT NOT NULL,
    response TEXT NOT NULL,
    created REAL NOT NULL
)
"""


def default_cache_dir() -> Path:
    """``$MMX_CACHE/responses`` (mmx's cache folder: :func:`mmx.render.fonts.cache_dir`)."""
    from mmx.render.fonts import cache_dir

    return cache_dir() / "responses"


def request_key(material: Any) -> str:
    """The SHA-256 of ``material`` as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(material, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResponseCache:
    """A key -> response store in ``folder/responses.sqlite3`` (see the module docstring).

    Safe to use from several threads of one process (one connection behind a lock) and from
    several processes (SQLite's own locking; a writer waits up to 60 s for another)."""

    FILE = "responses.sqlite3"

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder).expanduser()
        self.path = self.folder / self.FILE
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # check_same_thread=False: the adapter's event loop thread writes, the caller reads counts
            self._db = sqlite3.connect(self.path, timeout=60.0, check_same_thread=False, isolation_level=None)
            _setup(self._db)
        except (OSError, sqlite3.Error) as exc:
            raise InputError(f"cache_dir={self.folder}: cannot open the response cache ({exc}); "
                             "choose another cache_dir=DIR or turn it off with cache=false") from None
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        """The stored response of ``key``, or None."""
        with self._lock:
            row = self._db.execute("SELECT response FROM responses WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, endpoint: str, model: str, response: str) -> None:
        """Store ``response`` under ``key``, committed before this returns."""
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?)",
                             (key, endpoint, model, response, time.time()))

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _setup(db: sqlite3.Connection, wait_s: float = 60.0) -> None:
    """WAL mode and the table, retried while another process sets up the same file.

    Switching the journal mode needs an exclusive lock, and SQLite answers "database is
    locked" at once there instead of calling its busy handler (the ``timeout`` of connect), so
    the ranks of a ``torchrun`` opening one new cache together would otherwise race."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a committed row survives the process being killed (not a power cut,
            # which would lose at most the last answers: they are asked again, never double-counted)
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(_SCHEMA)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
