"""Settings every test runs with.

Tests that build marts hash requester identities with a key of their own, set here for the whole
session: there is no default key (escalations.config.resolve_hash_key), and a test never relies on
one. A test about a missing key removes it with monkeypatch. Worlds that several modules share are
built once per session (tests/worlds.py).
"""

from __future__ import annotations

import os
import secrets

import pytest

# random per session, so nothing can pass by matching a key written into a test; the same in every
# pytest-xdist worker of the session (its test run id), so a world one worker built and shares
# (tests/worlds.py) is hashed with the key the others test with
TEST_HASH_KEY = "test-key-" + (os.environ.get("PYTEST_XDIST_TESTRUNUID") or secrets.token_hex(16))


@pytest.fixture(scope="session", autouse=True)
def hash_key():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ESCALATIONS_HASH_KEY", TEST_HASH_KEY)
        yield TEST_HASH_KEY
