"""The Dagster instance a home keeps: local SQLite storage under ``HOME/dagster``, with an event log
that keeps its database connections open between events.

Dagster's own SQLite event log creates a database engine, opens a connection and disposes of both
for every statement it writes: about 5 per event, 1.5 ms each. A run stores about 3,200 events
(half of them the dbt tests' asset check results), so a 200-escalation run spent about 20 s in it.
`PooledSqliteEventLogStorage` is that same storage, same files and same schema (the Dagster UI and
daemon read it unchanged), with one pooled engine per database file: the same writes, each in its
own committed transaction as before, cost about a fifth.

`prepare_dagster_home` writes the home's ``dagster.yaml`` naming it, unless the operator has put a
``dagster.yaml`` of their own there (Postgres storage, say), which is then left alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SqliteEventLogStorage,
)
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS

# a run writes to its own shard and the index; the webserver reads a few runs at a time
_ENGINES_KEPT = 8
_OURS = "# Escalation Warehouse's Dagster instance"


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's run-sharded SQLite event log with one pooled engine per shard (see the module)."""

    def __init__(self, base_dir: str, inst_data=None):
        self._engines: OrderedDict[str, object] = OrderedDict()
        self._engines_lock = threading.Lock()
        self._tables_found: set[str] = set()
        super().__init__(base_dir, inst_data=inst_data)
        _STORAGES.add(self)

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str):
        with self._engines_lock:
            engine = self._engines.get(shard)
            if engine is not None:
                self._engines.move_to_end(shard)
                return engine
            engine = create_engine(
                self.conn_string_for_shard(shard),
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
                pool_size=1,
            )
            self._engines[shard] = engine
            while len(self._engines) > _ENGINES_KEPT:
                _, old = self._engines.popitem(last=False)
                old.dispose()
            return engine

    @contextlib.contextmanager
    def _connect(self, shard: str) -> Iterator:
        # as Dagster's: one transaction per use, under the storage's lock; only the engine is kept
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        # asked before every asset check event; a table once there stays (migrations only add)
        if table_name in self._tables_found:
            return True
        engine = self._engine(INDEX_SHARD_NAME)
        with engine.connect() as conn:  # as Dagster's, outside the lock (callers may hold it)
            found = bool(engine.dialect.has_table(conn, table_name))
        if found:
            self._tables_found.add(table_name)
        return found

    def _dispose_engines(self) -> None:
        with self._engines_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()

    def _forget_engines_in_child(self) -> None:
        # a forked process must not use (or close) the parent's connections
        for engine in self._engines.values():
            engine.dispose(close=False)
        self._engines = OrderedDict()
        self._engines_lock = threading.Lock()

    def wipe(self) -> None:
        self._dispose_engines()  # it deletes the shards' files
        super().wipe()

    def dispose(self) -> None:
        self._dispose_engines()
        super().dispose()


_STORAGES: weakref.WeakSet[PooledSqliteEventLogStorage] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for storage in list(_STORAGES):
        storage._forget_engines_in_child()


os.register_at_fork(after_in_child=_after_fork_in_child)


def prepare_dagster_home(dagster_home: Path) -> Path:
    """Create ``dagster_home`` and its ``dagster.yaml`` (local SQLite storage with the pooled
    event log); a ``dagster.yaml`` the operator wrote is kept as it is. Returns the file."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    config = dagster_home / "dagster.yaml"
    text = config.read_text() if config.exists() else ""
    if text.strip() and not text.startswith(_OURS):
        return config
    events = (dagster_home / "history" / "runs").resolve()
    wanted = (
        f"{_OURS}: local SQLite storage, rewritten by every run while this line is first.\n"
        "# Replace the file (this line included) to use storage of your own.\n"
        "event_log_storage:\n"
        "  module: orchestration.instance\n"
        "  class: PooledSqliteEventLogStorage\n"
        "  config:\n"
        f"    base_dir: {json.dumps(str(events))}\n"  # a JSON string is a YAML one, any path quoted
    )
    if text != wanted:
        tmp = config.with_name(f".dagster.yaml.{os.getpid()}")
        tmp.write_text(wanted)
        os.replace(tmp, config)
    return config


if __name__ == "__main__":  # make dev: python -m orchestration.instance DAGSTER_HOME
    print(prepare_dagster_home(Path(sys.argv[1])))
