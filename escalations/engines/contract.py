"""The marts' column types as their dbt contracts state them, in one spelling (DuckDB's).

Each engine names a type its own way (Postgres ``double precision``/``text``, Spark
``double``/``string``/``timestamp``); what BI tools read is the contract's type, so publishing
casts every mart column to it and the published Parquet has the same schema whichever engine built
it (docs/engines.md). The contract is read from dbt's manifest (``make manifest`` writes it).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from escalations.config import DBT_PROJECT_DIR

# every spelling the engines or the contracts use -> DuckDB's name (what the published Parquet holds)
CANONICAL = {
    "varchar": "VARCHAR",
    "text": "VARCHAR",
    "string": "VARCHAR",
    "character varying": "VARCHAR",
    "double": "DOUBLE",
    "double precision": "DOUBLE",
    "float8": "DOUBLE",
    "float": "DOUBLE",
    "integer": "INTEGER",
    "int": "INTEGER",
    "int4": "INTEGER",
    "bigint": "BIGINT",
    "int8": "BIGINT",
    "long": "BIGINT",
    "boolean": "BOOLEAN",
    "bool": "BOOLEAN",
    "date": "DATE",
    "timestamp with time zone": "TIMESTAMP WITH TIME ZONE",
    "timestamptz": "TIMESTAMP WITH TIME ZONE",
    # Spark's timestamp is an instant shown in the session zone (UTC here): the contract's timestamptz
    "timestamp": "TIMESTAMP WITH TIME ZONE",
}


def canonical(type_name: str) -> str:
    """A type as DuckDB spells it (``varchar(20)`` -> ``VARCHAR``; unknown types upper-cased)."""
    name = re.sub(r"\(.*\)$", "", type_name.strip().lower()).strip()
    return CANONICAL.get(name, type_name.strip().upper())


def manifest_path() -> Path:
    return DBT_PROJECT_DIR / "target" / "manifest.json"


@cache
def _contracts(path: Path, mtime: float) -> dict[str, list[tuple[str, str]]]:
    manifest = json.loads(path.read_text())
    out = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model" or node.get("schema") != "marts":
            continue
        columns = [
            (c["name"], canonical(c["data_type"]))
            for c in node.get("columns", {}).values()
            if c.get("data_type")
        ]
        if columns:
            out[node["name"]] = columns
    return out


def mart_contracts() -> dict[str, list[tuple[str, str]]]:
    """(column, DuckDB type) of every mart whose contract states its types, by mart name; empty
    without a manifest."""
    path = manifest_path()
    if not path.is_file():
        return {}
    return _contracts(path, path.stat().st_mtime)
