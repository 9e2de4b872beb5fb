"""Resources: the warehouse location and the dbt CLI, configured from the environment in one place."""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource

from escalations.config import duckdb_config, resolve_paths
from orchestration.project import dbt_project


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse and the landing zone. Empty fields fall back to ESCALATIONS_* variables."""

    home: str = ""
    landing: str = ""
    warehouse: str = ""

    def paths(self):
        return resolve_paths(self.home or None, self.landing or None, self.warehouse or None)

    @property
    def landing_path(self) -> Path:
        return self.paths().landing

    @property
    def warehouse_path(self) -> Path:
        return self.paths().warehouse

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        """A connection that the caller must close; only one step writes at a time (in-process executor)."""
        path = self.warehouse_path
        path.parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(str(path), read_only=read_only, config=duckdb_config())


def build_resources() -> dict:
    return {
        "warehouse": WarehouseResource(),
        "dbt": DbtCliResource(
            project_dir=dbt_project,
            profiles_dir=str(dbt_project.profiles_dir),
            # the dbt of this environment, even when the venv is not activated
            dbt_executable=str(Path(sys.executable).parent / "dbt"),
        ),
    }
