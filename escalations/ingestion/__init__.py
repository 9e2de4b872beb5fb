"""Ingestion: landing-zone files to the DuckDB ``raw`` schema, with quarantine and reconciliation."""

from escalations.ingestion.load import LoadResult, ensure_schema, load_landing, load_table
from escalations.ingestion.specs import TABLES, TABLES_BY_NAME, TableSpec

__all__ = [
    "TABLES",
    "TABLES_BY_NAME",
    "LoadResult",
    "TableSpec",
    "ensure_schema",
    "load_landing",
    "load_table",
]
