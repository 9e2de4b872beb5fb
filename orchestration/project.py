"""The one dbt project of the code location, and where its manifest comes from."""

from __future__ import annotations

from dagster_dbt import DbtProject

from escalations.config import DBT_PROJECT_DIR, environ, resolve_paths
from escalations.settings import current as settings
from escalations.settings import dbt_environment

dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    profiles_dir=DBT_PROJECT_DIR,
    target=settings().target,
)
# `dagster dev` re-parses on reload (dbt's profile reads the settings handed to it here);
# everything else uses the manifest that `dagster-dbt project prepare-and-package` wrote (the
# Makefile runs it).
with environ(**dbt_environment(resolve_paths().warehouse)):
    dbt_project.prepare_if_dev()
