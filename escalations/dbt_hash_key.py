"""A dbt-duckdb plugin: the requester hash key as a DuckDB variable, never as SQL text.

``keyed_hash`` (dbt_project/macros/json.sql) reads ``getvariable('escalations_hash_key')``. This
plugin sets that variable on every cursor dbt opens, from ``ESCALATIONS_HASH_KEY`` in dbt's
environment, through a bound parameter: the key is in no compiled model, no dbt log line, no
``target/`` artifact and no run metadata. Without the variable, the macro makes DuckDB fail with a
message naming the setting (escalations.config.resolve_hash_key says how to set it).
"""

from __future__ import annotations

from dbt.adapters.duckdb.plugins import BasePlugin

from escalations.settings import current as settings

VARIABLE = "escalations_hash_key"


class Plugin(BasePlugin):
    def configure_cursor(self, cursor) -> None:
        key = settings().hash_key
        if key:
            cursor.execute(f"set variable {VARIABLE} = ?", [key])
