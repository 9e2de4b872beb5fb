"""One run of the theme step: redacted text in, themes and week x theme counts out.

Reads ``restricted.redacted_text`` for escalations that are not restricted (``marts.fct_escalations``
says which: the text of law-enforcement and executive escalations is never themed, so it cannot
reach a label or a mart), fits the themes (``themes.fit_themes``) against the previous run's (kept
in ``voice.theme_terms``), and writes, in one transaction:

- ``voice.text_themes``: one row per text (an escalation's request, a satisfaction comment) with its
  theme and language; no text.
- ``voice.themes``: one row per theme, active or retired: label, top terms, when its key was
  first made, counts.
- ``voice.theme_terms``: each theme's top terms and weights: what the next run matches against.
- ``voice.theme_weeks``: week x theme counts, shares, baselines and the emerging flag
  (``emerging.theme_weeks``).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import duckdb
import pandas as pd

from escalations.voice.emerging import EmergingRule, theme_weeks
from escalations.voice.text import TABLE as REDACTED_TEXT
from escalations.voice.themes import Theme, fit_themes, theme_text

log = logging.getLogger(__name__)

SCHEMA = "voice"
# what the theme step reads of marts.fct_escalations (on Postgres and Spark copied from the engine)
ESCALATION_COLUMNS = ("escalation_key", "created_at", "is_restricted")
TEXTS_SQL = f"""
with texts as (
    select r.*, e.created_at
    from {REDACTED_TEXT} as r
    inner join marts.fct_escalations as e on r.escalation_key = e.escalation_key
    where not e.is_restricted
),
requests as (
    select escalation_key, language from texts where text_kind = 'request'
)
select
    t.text_key, t.escalation_key, t.text_kind, t.record_id, t.subject, t.body, t.score,
    t.written_at, t.created_at,
    -- a comment too short to tell its language is in its escalation's
    case when t.language = 'unknown' then coalesce(q.language, 'unknown') else t.language end as language
from texts as t
left join requests as q on t.escalation_key = q.escalation_key
"""


@dataclass
class VoiceResult:
    texts: int = 0
    escalations: int = 0
    themes_active: int = 0
    themes_kept: int = 0
    themes_new: int = 0
    themes_retired: int = 0
    emerging_now: list[str] = field(default_factory=list)
    data_through: datetime | None = None
    seconds: float = 0.0

    def metadata(self) -> dict:
        return {
            "texts_themed": self.texts,
            "escalations_themed": self.escalations,
            "themes_active": self.themes_active,
            "themes_kept_their_key": self.themes_kept,
            "themes_new": self.themes_new,
            "themes_retired": self.themes_retired,
            "emerging_in_the_last_week": self.emerging_now,
            "data_through": self.data_through.isoformat() if self.data_through else None,
            "seconds": round(self.seconds, 2),
        }


def _exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def previous_themes(conn: duckdb.DuckDBPyConnection) -> tuple[list[Theme], dict[str, datetime]]:
    """The last run's themes (the matching state) and when each key was first made."""
    if not (_exists(conn, SCHEMA, "theme_terms") and _exists(conn, SCHEMA, "themes")):
        return [], {}
    terms: dict[str, dict[str, float]] = {}
    for key, term, weight in conn.execute(
        f"select theme_key, term, weight from {SCHEMA}.theme_terms"
    ).fetchall():
        terms.setdefault(key, {})[term] = weight
    themes, made = [], {}
    for key, language, label, first_made_at in conn.execute(
        f"select theme_key, language, label, first_made_at from {SCHEMA}.themes order by theme_key"
    ).fetchall():
        themes.append(Theme(key, language, terms.get(key, {}), label))
        made[key] = first_made_at
    return themes, made


def read_texts(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    if not _exists(conn, "restricted", "redacted_text"):
        return pd.DataFrame(
            columns=["text_key", "escalation_key", "text_kind", "record_id", "language", "text", "written_at"]
        )
    texts = conn.execute(TEXTS_SQL).df()
    texts["text"] = [theme_text(s, b) for s, b in zip(texts["subject"], texts["body"], strict=True)]
    return texts.drop(columns=["subject", "body"])


DEFAULT_RULE = EmergingRule()


def build_voice(
    conn: duckdb.DuckDBPyConnection, as_of: datetime, rule: EmergingRule = DEFAULT_RULE
) -> VoiceResult:
    """Fit the themes, count them by week and write the ``voice`` tables."""
    started = time.perf_counter()
    result = VoiceResult()
    previous, made = previous_themes(conn)
    texts = read_texts(conn)
    run = fit_themes(texts, previous)
    themed = texts.merge(run.assignments, on="text_key", how="left")
    requests = themed[themed["text_kind"] == "request"]
    last = requests["created_at"].max() if len(requests) else None
    data_through = (
        as_of if last is None or pd.isna(last) else min(as_of, last.to_pydatetime() + timedelta(days=1))
    )
    weeks = theme_weeks(requests[["escalation_key", "created_at", "theme_key"]], data_through, rule)
    first_seen = weeks.groupby("theme_key")["first_seen_week"].min().to_dict() if len(weeks) else {}
    escalations = requests["theme_key"].value_counts().to_dict()
    now = datetime.now(UTC)
    active = {t.key for t in run.active}
    theme_rows = pd.DataFrame(
        [
            {
                "theme_key": t.key,
                "language": t.language,
                "label": t.label,
                "top_terms": ", ".join(sorted(t.terms, key=lambda k: (-t.terms[k], k))[:12]),
                "texts": t.texts,
                "escalations": int(escalations.get(t.key, 0)),
                "first_seen_week": first_seen.get(t.key),
                "is_active": t.key in active,
                "continues_key": t.matched_from,
                "similarity_to_previous": t.similarity,
                "first_made_at": made.get(t.key, now),
            }
            for t in run.themes
        ],
        columns=[
            "theme_key", "language", "label", "top_terms", "texts", "escalations", "first_seen_week",
            "is_active", "continues_key", "similarity_to_previous", "first_made_at",
        ],
    )  # fmt: skip
    term_rows = pd.DataFrame(
        [(t.key, term, weight) for t in run.themes for term, weight in t.terms.items()],
        columns=["theme_key", "term", "weight"],
    )
    text_rows = themed[
        [
            "text_key",
            "escalation_key",
            "text_kind",
            "record_id",
            "language",
            "theme_key",
            "theme_weight",
            "written_at",
        ]
    ]
    _write(conn, text_rows, theme_rows, term_rows, weeks)
    result.texts = len(texts)
    result.escalations = int(requests["escalation_key"].nunique()) if len(requests) else 0
    result.themes_active = len(active)
    result.themes_kept = sum(1 for t in run.active if t.matched_from)
    result.themes_new = result.themes_active - result.themes_kept
    result.themes_retired = len(run.themes) - len(active)
    if len(weeks):
        latest = weeks[weeks["week_start"] == weeks["week_start"].max()]
        labels = dict(zip(theme_rows["theme_key"], theme_rows["label"], strict=True))
        result.emerging_now = [labels[k] for k in latest.loc[latest["is_emerging"], "theme_key"]]
    result.data_through = data_through
    result.seconds = time.perf_counter() - started
    log.info("themes: %s", result.metadata())
    return result


TYPES = {
    "text_themes": {
        "text_key": "varchar", "escalation_key": "varchar", "text_kind": "varchar", "record_id": "varchar",
        "language": "varchar", "theme_key": "varchar", "theme_weight": "double", "written_at": "timestamptz",
    },
    "themes": {
        "theme_key": "varchar", "language": "varchar", "label": "varchar", "top_terms": "varchar",
        "texts": "integer", "escalations": "integer", "first_seen_week": "date", "is_active": "boolean",
        "continues_key": "varchar", "similarity_to_previous": "double", "first_made_at": "timestamptz",
    },
    "theme_terms": {"theme_key": "varchar", "term": "varchar", "weight": "double"},
    "theme_weeks": {
        "week_start": "date", "theme_key": "varchar", "escalations": "integer", "week_escalations": "integer",
        "share": "double", "baseline_escalations": "integer", "baseline_week_escalations": "integer",
        "baseline_share": "double", "expected_escalations": "double", "score": "double",
        "history_weeks": "integer", "first_seen_week": "date", "is_emerging": "boolean",
        "is_complete_week": "boolean",
    },
}  # fmt: skip


def _write(conn, texts: pd.DataFrame, themes: pd.DataFrame, terms: pd.DataFrame, weeks: pd.DataFrame) -> None:
    conn.execute(f"create schema if not exists {SCHEMA}")
    conn.execute("begin transaction")
    try:
        for name, frame in (
            ("text_themes", texts),
            ("themes", themes),
            ("theme_terms", terms),
            ("theme_weeks", weeks),
        ):
            conn.register("_frame", frame)
            casts = ", ".join(f"cast({c} as {t}) as {c}" for c, t in TYPES[name].items())
            conn.execute(f"create or replace table {SCHEMA}.{name} as select {casts} from _frame")
            conn.unregister("_frame")
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
