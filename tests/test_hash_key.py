"""Requester keys are keyed hashes with a secret key: no public fallback key, one place that decides
the key, a demo key made at random and kept private, and a run without a key refuses to build.
"""

from __future__ import annotations

import hashlib
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from escalations.config import HASH_KEY_ENV, MissingHashKey, hash_key_file, resolve_hash_key
from escalations.dbt_runner import run_dbt

SAMPLES = Path(__file__).parent / "fixtures" / "samples"
CLI = str(Path(sys.executable).with_name("escalations"))
INLINE = "select {{ keyed_hash(\"'zendesk:1'\") }} as requester_key"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_environment_wins_then_the_key_file(tmp_path, monkeypatch):
    monkeypatch.setenv(HASH_KEY_ENV, "from-the-environment")
    assert resolve_hash_key(tmp_path).value == "from-the-environment"
    monkeypatch.delenv(HASH_KEY_ENV)
    path = hash_key_file(tmp_path)
    path.parent.mkdir()
    path.write_text("from-the-file\n")
    path.chmod(0o644)
    key = resolve_hash_key(tmp_path)
    assert (key.value, key.source) == ("from-the-file", "key file")
    assert _mode(path) == 0o600  # a key others could read is taken back
    assert "from-the-file" not in repr(key)


def test_without_a_key_nothing_resolves_and_the_message_says_what_to_set(tmp_path, monkeypatch):
    monkeypatch.delenv(HASH_KEY_ENV)
    with pytest.raises(MissingHashKey) as err:
        resolve_hash_key(tmp_path)
    assert HASH_KEY_ENV in str(err.value) and str(hash_key_file(tmp_path)) in str(err.value)
    assert not hash_key_file(tmp_path).exists()


def test_the_demo_makes_a_random_private_key_once_and_keeps_it(tmp_path, monkeypatch):
    monkeypatch.delenv(HASH_KEY_ENV)
    first = resolve_hash_key(tmp_path / "a", demo=True)
    again = resolve_hash_key(tmp_path / "a", demo=True)
    other = resolve_hash_key(tmp_path / "b", demo=True)
    assert first.value == again.value != other.value
    assert len(first.value) == 64 and first.source == "new demo key file" and again.source == "key file"
    assert _mode(hash_key_file(tmp_path / "a")) == 0o600
    assert _mode(hash_key_file(tmp_path / "a").parent) == 0o700


def test_dbt_hashes_with_the_key_and_has_no_default(tmp_path, monkeypatch, hash_key):
    """The macro's answer is sha256('<key>:<identifier>') (checked by hand with hashlib); without a
    key the query fails naming the setting instead of hashing with a public default."""
    result = run_dbt(tmp_path, tmp_path / "w.duckdb", "show", "--inline", INLINE)
    got = result.result.results[0].agate_table.rows[0][0]
    assert got == hashlib.sha256(f"{hash_key}:zendesk:1".encode()).hexdigest()
    assert hash_key not in "".join(p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())
    monkeypatch.delenv(HASH_KEY_ENV)
    with pytest.raises(RuntimeError, match=HASH_KEY_ENV):
        run_dbt(tmp_path, tmp_path / "w.duckdb", "show", "--inline", INLINE)


def test_a_run_without_a_key_refuses_before_building_anything(tmp_path, monkeypatch):
    monkeypatch.delenv(HASH_KEY_ENV)
    home = tmp_path / "home"
    shutil.copytree(SAMPLES, home / "landing")
    done = subprocess.run([CLI, "run", "--home", str(home)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr[-2000:]
    assert f"no requester hash key: set {HASH_KEY_ENV}" in done.stderr
    assert str(hash_key_file(home)) in done.stderr
    assert not (home / "warehouse.duckdb").exists() and not (home / "publish").exists()
