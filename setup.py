"""Packaging beyond pyproject.toml: the dbt project and its seeds ship inside the package.

An installed wheel carries ``dbt_project/`` (with the manifest ``make manifest`` wrote) and
``seeds/`` as ``escalations/_project/dbt_project`` and ``escalations/_project/seeds``, side by side
as in the checkout (dbt_project.yml reads ``../seeds``); escalations.config finds them there when
it does not run from a checkout.
"""

from setuptools import find_namespace_packages, setup

PROJECT = {"escalations._project.dbt_project": "dbt_project", "escalations._project.seeds": "seeds"}

setup(
    packages=[
        *find_namespace_packages(
            include=["escalations*", "orchestration*", "expectations*"], exclude=["*.__pycache__"]
        ),
        *PROJECT,
    ],
    package_dir=PROJECT,
    package_data={
        "expectations": ["suites/*.json"],
        "escalations": ["report/templates/*.html"],
        "escalations._project.dbt_project": [
            "*.yml",
            "models/**/*.sql",
            "models/**/*.yml",
            "macros/**/*.sql",
            "tests/**/*.sql",
            "tests/**/*.yml",
            "target/manifest.json",
        ],
        "escalations._project.seeds": ["*.csv"],
    },
)
