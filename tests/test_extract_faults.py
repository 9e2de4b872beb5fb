"""The extract when things go wrong: 429s, 5xx, stalls and connections cut mid-page; a stream that
keeps failing; rate limits counted per window by the fake; a pull killed at every commit point and
by SIGKILL mid-stream, then resumed; secrets kept out of logs, run metadata and the landing zone."""

from __future__ import annotations

import base64
import logging
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import dagster as dg
import pytest
from extract_support import START, T2, fake_apis, fast_env, landed_records, make_world, pull, pull_twice

from escalations.extract import landing as landing_mod
from escalations.extract.landing import Landing


class Killed(BaseException):
    """Stops a pull the way a kill would, wherever it is raised (not an Exception: nothing catches it)."""


@pytest.fixture(scope="module")
def clean_world(tmp_path_factory):
    return make_world(tmp_path_factory.mktemp("clean") / "landing", bad_share=0)


@pytest.fixture(scope="module")
def reference(clean_world, tmp_path_factory):
    """What an undisturbed first and incremental pull land: every record, each once."""
    landing = tmp_path_factory.mktemp("reference") / "landing"
    pull_twice(clean_world, landing)
    return landed_records(landing)


def _finish(fake, landing, env) -> None:
    """Resume at the first cut (nothing passed to since: cursors rule), then the incremental pull."""
    first = pull(landing, env)
    assert all(r.status == "done" for r in first.values()), {k: r.reason for k, r in first.items()}
    fake.set_now(T2)
    second = pull(landing, env, since=None)
    assert all(r.status == "done" for r in second.values()), {k: r.reason for k, r in second.items()}


def test_429_5xx_stalls_and_cut_connections_are_retried(clean_world, reference, tmp_path):
    landing = tmp_path / "landing"
    with fake_apis(clean_world) as fake:
        fake.inject("zendesk", "/incremental/tickets/cursor", "429", retry_after=2)
        fake.inject("zendesk", "/incremental/ticket_metric_events", "cut", skip=2)
        fake.inject("zendesk", "/audits.json", "503", times=2, skip=5)
        fake.inject("salesforce", "/results", "503")
        fake.inject("hubspot", "/crm/v3/objects/tickets", "cut")
        fake.inject("pagerduty", "/log_entries", "500", times=2)
        fake.inject("jira", "/search/jql", "stall", stall=2.5)
        env = fast_env(fake, ESCALATIONS_EXTRACT_SLEEP_SCALE="0.25", ESCALATIONS_EXTRACT_TIMEOUT_SECONDS="1")
        first = pull(landing, env)
        assert all(r.status == "done" for r in first.values()), {k: r.reason for k, r in first.items()}
        assert {k for k, r in first.items() if r.retries} == set(first), (
            "every source met a fault and retried"
        )
        assert {f.kind for f in fake.faults if f.fired} == {"429", "cut", "503", "500", "stall"}
        # the retry after the 429 waited what Retry-After asked (2 s, scaled by 0.25 here)
        t429 = next(t for s, p, k, t in fake.fault_log if k == "429")
        retry = next(t for s, p, t in fake.retries_seen if p.endswith("tickets/cursor.json") and t > t429)
        assert retry - t429 >= 2 * 0.25
        fake.set_now(T2)
        second = pull(landing, env, since=None)
        assert all(r.status == "done" for r in second.values())
    assert landed_records(landing) == reference


def test_after_the_last_try_a_stream_fails_naming_stream_cursor_and_response(
    clean_world, reference, tmp_path
):
    landing = tmp_path / "landing"
    with fake_apis(clean_world) as fake:
        fake.inject("zendesk", "/incremental/ticket_metric_events", "500", times=3, skip=2)
        env = fast_env(fake, ESCALATIONS_EXTRACT_MAX_ATTEMPTS="3")
        zendesk = pull(landing, env, sources=["zendesk"])["zendesk"]
        assert zendesk.status == "failed"
        error = zendesk.streams["ticket_metric_events"].error
        assert "zendesk/ticket_metric_events" in error
        assert (
            "gave up after 3 tries" in error
            and "last response 500" in error
            and "Internal Server Error" in error
        )
        assert "start_time" in error, "the message shows the cursor the stream stays at"
        assert "/api/v2/incremental/ticket_metric_events.json" in error
        assert zendesk.streams["ticket_metric_events"].pages == 2, "two pages landed before the failure"
        assert zendesk.streams["ticket_audits"].status == "done", "the other streams went on"
        _finish(fake, landing, env)  # the next runs resume from the saved cursor
    assert landed_records(landing) == reference


def test_requests_stay_within_each_apis_limits(clean_world, tmp_path):
    limits = {
        "zendesk": {"api": (60, 1.0), "export": (3, 1.0)},
        "hubspot": {"api": (6, 1.0), "search": (2, 1.0)},
        "pagerduty": {"api": (4, 1.0)},
    }
    paced = {
        "ESCALATIONS_ZENDESK_RATE_LIMIT": "60/1",
        "ESCALATIONS_ZENDESK_EXPORT_RATE_LIMIT": "3/1",
        "ESCALATIONS_HUBSPOT_RATE_LIMIT": "6/1",
        "ESCALATIONS_HUBSPOT_SEARCH_RATE_LIMIT": "2/1",
        "ESCALATIONS_PAGERDUTY_RATE_LIMIT": "4/1",
    }
    sources = ["zendesk", "hubspot", "pagerduty"]
    with fake_apis(clean_world, limits=limits, page_sizes={"zendesk": 400}) as fake:
        env = fast_env(fake, ESCALATIONS_ZENDESK_PAGE_SIZE="400", **paced)
        assert all(r.status == "done" for r in pull(tmp_path / "a", env, sources=sources).values())
        fake.set_now(T2)
        assert all(
            r.status == "done" for r in pull(tmp_path / "a", env, since=None, sources=sources).values()
        )
        assert fake.violations == [], "a paced pull is never throttled"
        for source, buckets in limits.items():
            for bucket, (count, seconds) in buckets.items():
                assert fake.max_in_window(source, bucket, seconds) <= count, (source, bucket)
                assert len(fake.arrivals[(source, bucket)]) > count, (
                    f"{source}/{bucket}: pacing had nothing to do"
                )

        # the control: the same pull without pacing goes over the limits (and survives on Retry-After)
        fake.set_now(T2)
        fake.violations.clear()
        unpaced = fast_env(fake)  # Retry-After honoured in full
        results = pull(tmp_path / "b", unpaced, sources=["pagerduty"])
        assert results["pagerduty"].status == "done"
        assert fake.violations and results["pagerduty"].retries > 0


@pytest.mark.parametrize(
    ("point", "nth"),
    [
        ("pages_written", 1),
        ("pages_written", 17),
        ("state_saved", 4),
        ("state_saved", 33),
        ("pages_renamed", 9),
    ],
)
def test_a_pull_stopped_at_a_commit_point_resumes_without_loss_or_duplicates(
    clean_world, reference, tmp_path, monkeypatch, point, nth
):
    calls: Counter = Counter()

    def crash(name: str) -> None:
        calls[name] += 1
        if name == point and calls[name] == nth:
            raise Killed(f"{name} #{nth}")

    landing = tmp_path / "landing"
    with fake_apis(clean_world) as fake:
        env = fast_env(fake)
        monkeypatch.setattr(landing_mod, "_crash_point", crash)
        with pytest.raises(Killed):
            pull(landing, env)
        monkeypatch.setattr(landing_mod, "_crash_point", lambda name: None)
        _finish(fake, landing, env)
    assert landed_records(landing) == reference
    assert not list(landing.rglob("*.part"))


def test_a_kill_between_saving_the_cursor_and_renaming_is_completed_by_the_next_run(tmp_path, monkeypatch):
    """Killed after the commit point: the next run makes the pages visible; killed before it, the
    next run deletes them (their cursor was never saved, they will be pulled again)."""

    def crash_at(point):
        def crash(name):
            if name == point:
                raise Killed(name)

        return crash

    landing = Landing(tmp_path, "jira")
    monkeypatch.setattr(landing_mod, "_crash_point", crash_at("state_saved"))
    with pytest.raises(Killed):
        landing.commit("issues", [("jira/issues/a.json", b'{"issues": []}\n', 0)], cursor=100)
    assert (tmp_path / "jira/issues/a.json.part").exists() and not (tmp_path / "jira/issues/a.json").exists()
    monkeypatch.setattr(landing_mod, "_crash_point", crash_at("pages_written"))
    again = Landing(tmp_path, "jira")  # a new run: recovery
    assert again.recovered == {"made_visible": 1, "deleted": 0}
    assert (tmp_path / "jira/issues/a.json").exists() and again.cursor("issues") == 100
    with pytest.raises(Killed):
        again.commit("issues", [("jira/issues/b.json", b'{"issues": []}\n', 0)], cursor=200)
    third = Landing(tmp_path, "jira")
    assert third.recovered == {"made_visible": 0, "deleted": 1}
    assert (
        not (tmp_path / "jira/issues/b.json.part").exists() and not (tmp_path / "jira/issues/b.json").exists()
    )
    assert third.cursor("issues") == 100, "the cursor of an uncommitted page was never saved"


def test_a_pull_killed_by_sigkill_mid_stream_resumes_without_loss_or_duplicates(
    clean_world, reference, tmp_path
):
    landing = tmp_path / "landing"
    with fake_apis(clean_world) as fake:
        env = fast_env(fake, ESCALATIONS_ZENDESK_RATE_LIMIT="60/1")  # slow enough to be caught mid-stream
        proc = subprocess.Popen(
            [sys.executable, "-m", "escalations.cli", "extract", "--home", str(tmp_path / "home"),
             "--landing", str(landing), "--since", START, "--source", "zendesk"],
            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while fake.requests["zendesk"] < 150 and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
            assert proc.poll() is None, "the pull ended before it could be killed"
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.kill()
            proc.wait()
        assert proc.returncode == -signal.SIGKILL
        partial = landed_records(landing)
        assert 0 < sum(partial.values()) < sum(reference.values())
        _finish(fake, landing, fast_env(fake))
    assert landed_records(landing) == reference
    assert not list(landing.rglob("*.part"))


def test_secrets_never_reach_logs_run_metadata_or_the_landing_zone(
    clean_world, tmp_path, monkeypatch, caplog, capfd
):
    from escalations.cli import main
    from escalations.watch.delivery import Outbox
    from orchestration.definitions import defs

    home = tmp_path / "home"
    with fake_apis(clean_world) as fake:
        env = fast_env(fake, ESCALATIONS_EXTRACT_MAX_ATTEMPTS="2")
        zendesk_token = env.pop("ESCALATIONS_ZENDESK_API_TOKEN")
        secrets = home / "secrets" / "extract.env"
        secrets.parent.mkdir(parents=True)
        secrets.write_text(f"ESCALATIONS_ZENDESK_API_TOKEN={zendesk_token}\n")
        os.chmod(secrets, 0o600)
        for k, v in {**env, "ESCALATIONS_HOME": str(home), "ESCALATIONS_EXTRACT_SINCE": START}.items():
            monkeypatch.setenv(k, v)
        monkeypatch.delenv("ESCALATIONS_LANDING", raising=False)
        fake.inject("zendesk", "/groups.json", "500")  # retried requests: warnings with their URLs
        fake.inject("hubspot", "/pipelines/tickets", "503")
        fake.inject("jira", "/search/jql", "500", times=99)  # a failed source: an error with the response
        caplog.set_level(logging.DEBUG)
        with dg.DagsterInstance.ephemeral() as instance:
            result = defs.resolve_job_def("extract").execute_in_process(
                instance=instance, raise_on_error=False
            )
            events = "\n".join(repr(e) for e in instance.all_logs(result.run_id))
        fake.set_now(T2)
        main(["-v", "extract", "--home", str(home)])
        printed = capfd.readouterr()
    # a failed source does not stop the night: its check fails and people are told
    assert result.success, "one source's failed pull must not fail the run"
    checks = {e.asset_key.path[-1]: e for e in result.get_asset_check_evaluations()}
    assert not checks["jira"].passed and checks["jira"].severity == dg.AssetCheckSeverity.ERROR
    assert all(checks[s].passed for s in ("zendesk", "salesforce", "hubspot", "pagerduty"))
    notices = Outbox(home / "watch" / "outbox.sqlite").pending()
    assert [(n.kind, "jira/issues" in n.body and "500" in n.body) for n in notices] == [
        ("extract_failure", True)
    ]
    assert "jira/issues" in events and "500" in events and "zendesk" in events
    materialized = {e.asset_key.path[-1] for e in result.get_asset_materialization_events()}
    assert {"zendesk", "salesforce", "hubspot", "pagerduty"} <= materialized, (
        "the token from the file was used"
    )
    files = "\n".join(p.read_text(errors="replace") for p in home.rglob("*") if p.is_file() and p != secrets)
    logs = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    assert "retry 1 of 1" in logs
    issued = list(fake.state["salesforce"]["tokens"])
    assert issued, "Salesforce issued session tokens to leak, if anything leaked"
    creds = fake.credentials
    basic = [  # what a leaked Authorization: Basic header would show
        base64.b64encode(f"{creds.zendesk[0]}/token:{creds.zendesk[1]}".encode()).decode(),
        base64.b64encode(f"{creds.jira[0]}:{creds.jira[1]}".encode()).decode(),
    ]
    for secret in [*creds.secrets(), *issued, *basic]:
        for where, text in (
            ("logs", logs),
            ("run events", events),
            ("CLI output", printed.out + printed.err),
            ("files", files),
        ):
            assert secret not in text, f"a secret appears in the {where}"
