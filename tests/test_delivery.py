"""Delivery of notices: each is sent once, survives a restart without re-sending, and a failed
send is retried, against a local HTTP server (a Slack-style webhook) and a local SMTP server."""

from __future__ import annotations

import json
import socketserver
import sqlite3
import threading
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from escalations.watch.delivery import Notice, Outbox, SmtpChannel, WebhookChannel, channels_from_env


class _Webhook(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        server = self.server
        if server.failures_left > 0:
            server.failures_left -= 1
            self.send_response(500)
            self.end_headers()
            return
        server.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Webhook)
    server.received, server.failures_left = [], 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    def handle(self):
        self.wfile.write(b"220 localhost ESMTP test\r\n")
        while line := self.rfile.readline():
            verb = line.decode().strip().split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250 localhost\r\n")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self.wfile.write(b"250 OK\r\n")
            elif verb == "DATA":
                self.wfile.write(b"354 go ahead\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.received.append(message_from_bytes(data))
                self.wfile.write(b"250 queued\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"502 not implemented\r\n")


@pytest.fixture
def smtp():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    server.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


ALERT = Notice(
    "metric_alert|escalation_volume|issue_category=monetization|2026-08-24",
    "metric_alert",
    "Escalation volume up: monetization",
    "38 escalations against 23.5 expected (z 3.0)",
)


def test_a_notice_is_sent_once_even_when_queued_twice_and_after_a_restart(tmp_path, webhook):
    channel = WebhookChannel(f"http://127.0.0.1:{webhook.server_address[1]}/hook")
    outbox = Outbox(tmp_path / "outbox.sqlite")
    assert outbox.enqueue(ALERT)
    assert not outbox.enqueue(ALERT)  # the same key is queued once
    assert outbox.deliver([channel])["delivered"] == 1
    restarted = Outbox(tmp_path / "outbox.sqlite")  # a new process reads the same file
    assert not restarted.enqueue(ALERT)
    assert restarted.deliver([channel]) == {"delivered": 0, "failed": 0, "gave_up": 0}
    assert len(webhook.received) == 1
    assert "monetization" in webhook.received[0]["text"]


def test_a_failed_send_is_retried_not_lost(tmp_path, webhook):
    webhook.failures_left = 2
    channel = WebhookChannel(f"http://127.0.0.1:{webhook.server_address[1]}/hook")
    outbox = Outbox(tmp_path / "outbox.sqlite")
    outbox.enqueue(ALERT)
    assert outbox.deliver([channel]) == {"delivered": 0, "failed": 1, "gave_up": 0}
    assert [n.key for n in outbox.pending()] == [ALERT.key]
    assert outbox.deliver([channel])["failed"] == 1
    assert outbox.deliver([channel])["delivered"] == 1
    assert outbox.pending() == []
    assert len(webhook.received) == 1


def test_email_over_smtp_and_only_the_missing_channel_is_retried(tmp_path, webhook, smtp):
    hook = WebhookChannel(f"http://127.0.0.1:{webhook.server_address[1]}/hook")
    mail = SmtpChannel("127.0.0.1", smtp.server_address[1], "warehouse@example.com", ["oncall@example.com"])
    down = SmtpChannel("127.0.0.1", 1, "warehouse@example.com", ["oncall@example.com"])  # nothing listens
    outbox = Outbox(tmp_path / "outbox.sqlite")
    outbox.enqueue(ALERT)
    assert outbox.deliver([hook, down])["failed"] == 1  # Slack got it, email did not
    assert outbox.deliver([hook, mail])["delivered"] == 1  # email retried; Slack not sent again
    assert len(webhook.received) == 1
    (message,) = smtp.received
    assert message["Subject"] == ALERT.subject and message["To"] == "oncall@example.com"
    assert "23.5 expected" in message.get_payload()


def test_without_channels_notices_are_logged_and_kept(tmp_path, monkeypatch, caplog):
    for name in ("ESCALATIONS_ALERT_WEBHOOK_URL", "ESCALATIONS_SMTP_HOST", "ESCALATIONS_ALERT_EMAIL_TO"):
        monkeypatch.delenv(name, raising=False)
    assert channels_from_env() == []
    outbox = Outbox(tmp_path / "outbox.sqlite")
    outbox.enqueue(ALERT)
    assert outbox.deliver()["delivered"] == 1
    assert "monetization" in caplog.text
    assert outbox.pending() == []


def test_the_delivery_sensor_retries_what_is_queued(tmp_path, webhook, monkeypatch):
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.notify import deliver_notices
    from orchestration.resources import WarehouseResource

    assert {"notify_failed_runs", "deliver_notices"} <= {s.name for s in defs.sensors}
    monkeypatch.setenv("ESCALATIONS_ALERT_WEBHOOK_URL", f"http://127.0.0.1:{webhook.server_address[1]}/hook")
    Outbox(tmp_path / "watch" / "outbox.sqlite").enqueue(ALERT)
    webhook.failures_left = 1
    resources = {"warehouse": WarehouseResource(home=str(tmp_path))}
    first = deliver_notices(dg.build_sensor_context(resources=resources))
    assert "failed 1" in first.skip_message
    second = deliver_notices(dg.build_sensor_context(resources=resources))
    assert "delivered 1" in second.skip_message
    assert len(webhook.received) == 1


def test_a_failed_run_is_queued_and_logged_once(tmp_path, monkeypatch):
    import dagster as dg

    from orchestration.notify import notify_failed_runs
    from orchestration.resources import WarehouseResource

    for name in ("ESCALATIONS_ALERT_WEBHOOK_URL", "ESCALATIONS_SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)

    @dg.op
    def breaks():
        raise RuntimeError("planted failure")

    @dg.job
    def nightly_stand_in():
        breaks()

    instance = dg.DagsterInstance.ephemeral()
    result = nightly_stand_in.execute_in_process(instance=instance, raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_FAILURE)
    resources = {"warehouse": WarehouseResource(home=str(tmp_path))}
    for _ in range(2):  # evaluated twice (a restart), queued and delivered once
        context = dg.build_run_status_sensor_context(
            sensor_name="notify_failed_runs",
            dagster_instance=instance,
            dagster_run=result.dagster_run,
            dagster_event=failure,
            resources=resources,
        ).for_run_failure()
        notify_failed_runs(context)
    outbox = Outbox(tmp_path / "watch" / "outbox.sqlite")
    assert outbox.pending() == []
    assert not outbox.enqueue(Notice(f"run_failure|{result.run_id}", "run_failure", "x", "y"))


def test_two_deliveries_at_once_send_a_notice_once(tmp_path):
    """The every-minute sensor and a run's own delivery can overlap: a notice one of them is
    sending is claimed, so the other skips it; a claim left by a delivery that died expires."""
    outbox = Outbox(tmp_path / "outbox.sqlite")
    outbox.enqueue(Notice("k1", "metric_alert", "subject", "body"))
    sent = []

    class Overlapping:
        name = "webhook"

        def send(self, notice):
            sent.append(notice.key)
            # a second delivery starts while this one is still sending
            assert outbox.deliver([Recording()]) == {"delivered": 0, "failed": 0, "gave_up": 0}

    class Recording:
        name = "webhook"

        def send(self, notice):
            sent.append(notice.key)

    assert outbox.deliver([Overlapping()])["delivered"] == 1
    assert sent == ["k1"]

    # a delivery that died mid-send leaves its claim; after the lease another delivery takes over
    outbox.enqueue(Notice("k2", "metric_alert", "subject", "body"))
    stale = "2000-01-01T00:00:00+00:00"
    with sqlite3.connect(outbox.path) as db:
        db.execute("update notices set claimed_at = ? where key = 'k2'", (stale,))
    assert outbox.deliver([Recording()])["delivered"] == 1
    assert sent == ["k1", "k2"]
