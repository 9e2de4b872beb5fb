"""Installed as a package, not only from a checkout: the wheel carries the dbt project (with its
manifest) and the seeds, and escalations.config finds them inside the installed package."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["pyproject.toml", "setup.py", "README.md", "escalations", "orchestration", "expectations", "seeds"]

LOCATE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from escalations import config
project = config.DBT_PROJECT_DIR
print(json.dumps({
    "module": config.__file__,
    "project": str(project),
    "seeds": str(config.SEEDS_DIR),
    "seeds_from_project": str((project / "../seeds").resolve()),
    "project_yml": (project / "dbt_project.yml").is_file(),
    "profiles_yml": (project / "profiles.yml").is_file(),
    "manifest": (project / "target" / "manifest.json").is_file(),
    "models": len(list((project / "models").rglob("*.sql"))),
    "macros": len(list((project / "macros").glob("*.sql"))),
    "seed_files": sorted(p.name for p in config.SEEDS_DIR.glob("*.csv")),
}))
"""


def _copy_source(dest: Path) -> None:
    """The checkout's packaged parts, without run folders or caches: building writes build/ and
    *.egg-info beside the sources, never into the worktree."""
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(src, dest / name)
    (dest / "dbt_project").mkdir()
    for item in (ROOT / "dbt_project").iterdir():
        if item.name in ("target", "logs", "dbt_packages"):
            continue
        (shutil.copytree if item.is_dir() else shutil.copy2)(item, dest / "dbt_project" / item.name)
    (dest / "dbt_project" / "target").mkdir()
    shutil.copy2(ROOT / "dbt_project" / "target" / "manifest.json", dest / "dbt_project" / "target")


def test_the_installed_package_carries_and_finds_the_dbt_project(tmp_path):
    if importlib.util.find_spec("wheel") is None or importlib.util.find_spec("setuptools") is None:
        pytest.skip("the build backend (setuptools, wheel) is not installed: `make install` adds it")
    if not (ROOT / "dbt_project" / "target" / "manifest.json").exists():
        pytest.skip("no dbt manifest to package: run `make manifest` first")
    src, dist, site = tmp_path / "src", tmp_path / "dist", tmp_path / "site"
    src.mkdir()
    _copy_source(src)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
    built = subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(dist), str(src)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = dist.glob("escalation_warehouse-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "escalations/_project/dbt_project/dbt_project.yml" in names
    assert "escalations/_project/dbt_project/target/manifest.json" in names
    assert "escalations/_project/dbt_project/models/marts/core/fct_escalations.sql" in names
    assert "escalations/_project/seeds/map_custom_fields.csv" in names
    assert not any("/target/dbt_models" in n or n.endswith("dbt.log") for n in names)

    installed = subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    # a bare interpreter (no site-packages, no checkout on the path), run from elsewhere
    located = subprocess.run(
        [sys.executable, "-I", "-S", "-c", LOCATE, str(site)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert located.returncode == 0, located.stderr[-3000:]
    found = json.loads(located.stdout)
    package = site / "escalations"
    assert Path(found["module"]).parent == package
    assert found["project"] == str(package / "_project" / "dbt_project")
    assert found["seeds"] == found["seeds_from_project"] == str(package / "_project" / "seeds")
    assert found["project_yml"] and found["profiles_yml"] and found["manifest"]
    assert found["models"] == len(list((ROOT / "dbt_project" / "models").rglob("*.sql")))
    assert found["macros"] == len(list((ROOT / "dbt_project" / "macros").glob("*.sql")))
    assert found["seed_files"] == sorted(p.name for p in (ROOT / "seeds").glob("*.csv"))

    # the manifest's seeds (read from ../seeds, as dbt_project.yml says) are there in the install
    manifest = json.loads((Path(found["project"]) / "target" / "manifest.json").read_text())
    seed_paths = [n["original_file_path"] for n in manifest["nodes"].values() if n["resource_type"] == "seed"]
    assert seed_paths and all((Path(found["project"]) / p).resolve().is_file() for p in seed_paths)
