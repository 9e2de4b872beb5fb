"""Settings every test runs with.

Tests that build marts hash requester identities with a key of their own, set here for the whole
session: there is no default key (escalations.config.resolve_hash_key), and a test never relies on
one. A test about a missing key removes it with monkeypatch.
"""

from __future__ import annotations

import secrets

import pytest

# random per session, so nothing can pass by matching a key written into a test
TEST_HASH_KEY = "test-key-" + secrets.token_hex(16)


@pytest.fixture(scope="session", autouse=True)
def hash_key():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ESCALATIONS_HASH_KEY", TEST_HASH_KEY)
        yield TEST_HASH_KEY
