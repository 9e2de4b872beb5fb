"""Engine-specific steps of the pipeline (DuckDB is the default; docs/engines.md)."""
