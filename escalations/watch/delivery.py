"""Deliver notices (metric alerts, SLA-watch hits, failed runs) once each, with retries.

Notices wait in an outbox, a SQLite file under ``<home>/watch/`` (not the DuckDB warehouse, so a
sensor delivering them never contends with a run for its write lock). Each notice has a key: the
same key is queued once, so a notice is sent once, and a restart reads the same file, so nothing
is re-sent. A failed send is recorded and retried on the next delivery, up to ``MAX_ATTEMPTS``,
per channel: a notice that reached Slack but not email is retried for email only.

Channels come from the environment:
- ``ESCALATIONS_ALERT_WEBHOOK_URL``: a Slack-compatible incoming webhook (JSON ``{"text": ...}``).
- ``ESCALATIONS_SMTP_HOST`` (+ ``_PORT``, ``_USER``, ``_PASSWORD``, ``_STARTTLS``),
  ``ESCALATIONS_ALERT_EMAIL_FROM`` and ``ESCALATIONS_ALERT_EMAIL_TO`` (comma-separated).
With none configured, notices are logged and kept in the outbox as delivered to ``log``.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import sqlite3
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from escalations.config import PRIVATE_FILE, secure
from escalations.settings import current as settings

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10
CLAIM_LEASE = timedelta(minutes=10)  # a delivery holds a notice this long at most
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Notice:
    key: str
    kind: str  # metric_alert, sla_watch, run_failure
    subject: str
    body: str


class Channel(Protocol):
    name: str

    def send(self, notice: Notice) -> None: ...


@dataclass
class WebhookChannel:
    url: str
    name: str = "webhook"

    def send(self, notice: Notice) -> None:
        payload = json.dumps({"text": f"*{notice.subject}*\n{notice.body}"}).encode()
        request = urllib.request.Request(
            self.url, data=payload, headers={"Content-Type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            if not 200 <= response.status < 300:
                raise OSError(f"webhook answered {response.status}")


@dataclass
class SmtpChannel:
    host: str
    port: int
    sender: str
    recipients: list[str]
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    name: str = "email"

    def send(self, notice: Notice) -> None:
        message = EmailMessage()
        message["Subject"] = notice.subject
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        message.set_content(notice.body)
        with smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)


def channels_from_env() -> list[Channel]:
    channels: list[Channel] = []
    s = settings()
    if s.alert_webhook_url:
        channels.append(WebhookChannel(s.alert_webhook_url))
    if s.smtp_host and s.alert_email_to:
        channels.append(
            SmtpChannel(
                host=s.smtp_host,
                port=s.smtp_port,
                sender=s.alert_email_from,
                recipients=list(s.alert_email_to),
                user=s.smtp_user,
                password=s.smtp_password,
                starttls=s.smtp_starttls,
            )
        )
    return channels


class Outbox:
    """Notices waiting to be delivered, and what happened to each, in one SQLite file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # notices name escalations and owners: the outbox is its user's only, whichever process
        # (a run, a sensor in the daemon) makes it
        os.close(os.open(path, os.O_CREAT | os.O_RDWR, PRIVATE_FILE))
        secure(path.parent)
        with self._connect() as db:
            db.executescript(
                """
                create table if not exists notices (
                    key text primary key, kind text not null, subject text not null, body text not null,
                    queued_at text not null, delivered_at text
                );
                create table if not exists attempts (
                    key text not null, channel text not null, attempted_at text not null,
                    succeeded integer not null, error text
                );
                """
            )
            columns = {r[1] for r in db.execute("pragma table_info(notices)")}
            if "claimed_at" not in columns:  # outboxes made before claims existed
                db.execute("alter table notices add column claimed_at text")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def enqueue(self, notice: Notice) -> bool:
        """Queue a notice; False if one with its key was queued before (it is sent once)."""
        with self._connect() as db:
            cursor = db.execute(
                "insert or ignore into notices (key, kind, subject, body, queued_at) values (?, ?, ?, ?, ?)",
                (notice.key, notice.kind, notice.subject, notice.body, _now()),
            )
            return cursor.rowcount == 1

    def pending(self) -> list[Notice]:
        with self._connect() as db:
            rows = db.execute(
                "select key, kind, subject, body from notices where delivered_at is null order by queued_at, key"
            ).fetchall()
        return [Notice(*r) for r in rows]

    def _state(self, db: sqlite3.Connection, key: str) -> tuple[set[str], int]:
        done = {
            r[0] for r in db.execute("select channel from attempts where key = ? and succeeded = 1", (key,))
        }
        failures = db.execute(
            "select count(*) from attempts where key = ? and succeeded = 0", (key,)
        ).fetchone()[0]
        return done, failures

    def deliver(self, channels: list[Channel] | None = None) -> dict[str, int]:
        """Send every pending notice on every channel it has not reached yet. Returns counts."""
        channels = channels_from_env() if channels is None else channels
        counts = {"delivered": 0, "failed": 0, "gave_up": 0}
        for notice in self.pending():
            if not self._claim(notice.key):
                continue  # another delivery (the sensor, or a run's own) is sending it right now
            try:
                self._send(notice, channels, counts)
            finally:
                with self._connect() as db:
                    db.execute("update notices set claimed_at = null where key = ?", (notice.key,))
        return counts

    def _claim(self, key: str) -> bool:
        """Take a pending notice for this delivery, so two deliveries at once never both send it.

        A claim older than CLAIM_LEASE (a delivery that died mid-send) no longer holds."""
        now = datetime.now(UTC)
        with self._connect() as db:
            cursor = db.execute(
                "update notices set claimed_at = ? where key = ? and delivered_at is null "
                "and (claimed_at is null or claimed_at < ?)",
                (now.isoformat(), key, (now - CLAIM_LEASE).isoformat()),
            )
            return cursor.rowcount == 1

    def _send(self, notice: Notice, channels: list[Channel], counts: dict[str, int]) -> None:
        with self._connect() as db:
            done, failures = self._state(db, notice.key)
        if failures >= MAX_ATTEMPTS * max(len(channels), 1):
            counts["gave_up"] += 1
            return
        if not channels:
            log.warning("alert (no delivery channel configured): %s: %s", notice.subject, notice.body)
            self._record(notice.key, "log", None)
            done = {"log"}
        for channel in channels:
            if channel.name in done:
                continue
            try:
                channel.send(notice)
            except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
                self._record(notice.key, channel.name, f"{type(exc).__name__}: {exc}")
                counts["failed"] += 1
            else:
                self._record(notice.key, channel.name, None)
                done.add(channel.name)
        wanted = {c.name for c in channels} or {"log"}
        if wanted <= done:
            with self._connect() as db:
                db.execute("update notices set delivered_at = ? where key = ?", (_now(), notice.key))
            counts["delivered"] += 1

    def _record(self, key: str, channel: str, error: str | None) -> None:
        with self._connect() as db:
            db.execute(
                "insert into attempts (key, channel, attempted_at, succeeded, error) values (?, ?, ?, ?, ?)",
                (key, channel, _now(), 1 if error is None else 0, error),
            )


def _now() -> str:
    return datetime.now(UTC).isoformat()
