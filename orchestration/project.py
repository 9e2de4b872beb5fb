"""The one dbt project of the code location, and where its manifest comes from."""

from __future__ import annotations

from dagster_dbt import DbtProject

from escalations.config import DBT_PROJECT_DIR
from escalations.settings import current as settings

dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    profiles_dir=DBT_PROJECT_DIR,
    target=settings().target,
)
# `dagster dev` re-parses on reload; everything else uses the manifest that
# `dagster-dbt project prepare-and-package` wrote (the Makefile runs it).
dbt_project.prepare_if_dev()
