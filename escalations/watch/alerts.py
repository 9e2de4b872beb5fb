"""Metric-change alerts to tell people about: the new ones of ``fct_metric_alerts``, as notices.

Every alert is kept in the mart (the brief and BI read them all); only the ones worth a push go to
the outbox: severity at least ``ESCALATIONS_ALERT_MIN_SEVERITY`` (default ``high``; ``medium`` sends
all) and first detectable within ``ESCALATIONS_ALERT_LOOKBACK_DAYS`` (default 3) before the build's
as-of instant, so a first run over a year of history does not send a year of alerts. The outbox
sends each alert key once, whatever later runs find again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from escalations.labels import alert_metric_label, alert_rule_label
from escalations.publish import mart_tables
from escalations.report.render import alert_value
from escalations.settings import Settings, current
from escalations.watch.delivery import Notice

SEVERITIES = ("medium", "high", "critical")
ALERTS_SQL = """
select alert_key, metric, slice, period, observed, expected, lower_bound, upper_bound, score,
       direction, rule, severity, first_detected_at
from marts.fct_metric_alerts
where severity in ({severities}) and first_detected_at > ? and first_detected_at <= ?
order by first_detected_at, alert_key
"""


@dataclass(frozen=True)
class AlertSettings:
    min_severity: str = "high"
    lookback: timedelta = timedelta(days=3)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> AlertSettings:
        """From the settings (escalations/settings.py) of ``env``, else of the process."""
        s = current() if env is None else Settings.from_env(env)
        return cls(s.alert_min_severity, timedelta(days=s.alert_lookback_days))


def alert_notice(row: dict) -> Notice:
    metric = row["metric"]
    name = alert_metric_label(metric)
    arrow = "up" if row["direction"] == "up" else "down"
    where = f"{row['slice']} ({row['label']})" if row.get("label") else row["slice"]
    subject = f"[{row['severity']}] {name} {arrow} on {where} ({row['period']})"
    body = (
        f"{name} on {where}, {row['period']}: {alert_value(metric, row['observed'])} against an expected "
        f"{alert_value(metric, row['expected'])} (normal band {alert_value(metric, row['lower_bound'])} to "
        f"{alert_value(metric, row['upper_bound'])}); score {row['score']:+.1f} sigma, rule: "
        f"{alert_rule_label(row['rule'])}. First seen {row['first_detected_at']:%Y-%m-%d %H:%M} UTC."
    )
    return Notice(key=f"metric_alert|{row['alert_key']}", kind="metric_alert", subject=subject, body=body)


def new_alert_notices(
    conn: duckdb.DuckDBPyConnection, as_of: datetime, settings: AlertSettings | None = None
) -> list[Notice]:
    """Notices for the alerts of the published snapshot (``conn``) worth a push, first seen in the
    lookback before ``as_of``."""
    settings = settings or AlertSettings()
    wanted = SEVERITIES[SEVERITIES.index(settings.min_severity) :]
    sql = ALERTS_SQL.format(severities=", ".join(f"'{s}'" for s in wanted))
    cursor = conn.execute(sql, [as_of - settings.lookback, as_of])
    columns = [c[0] for c in cursor.description]
    rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    if any(r["metric"] == "emerging_theme" for r in rows) and "fct_emerging_themes" in mart_tables(conn):
        labels = dict(
            conn.execute("select distinct theme_key, label from marts.fct_emerging_themes").fetchall()
        )
        for r in rows:
            if r["metric"] == "emerging_theme":
                r["label"] = labels.get(r["slice"].removeprefix("theme="))
    return [alert_notice(r) for r in rows]
