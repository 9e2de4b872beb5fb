"""Complaint themes: stable keys from night to night, the emerging rule on hand-counted weeks, and
the planted emerging themes of a small generated world found by the theme step."""

from __future__ import annotations

import contextlib
import csv
import json
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import duckdb
import pandas as pd
import pytest

from escalations.generator import generate
from escalations.generator.phrases import THEMES
from escalations.ingestion import load_landing
from escalations.voice.build import build_voice
from escalations.voice.emerging import EmergingRule, theme_weeks
from escalations.voice.text import redact_new_text
from escalations.voice.themes import fit_themes, theme_text

STEADY = (
    "payout_delay_batch_job",
    "login_2fa_failure",
    "false_positive_classifier",
    "appeal_backlog",
    "upload_failure",
    "hijack_sim_swap",
    "copyright_claim_dispute",
    "tax_form_rejected",
)
MONDAY = datetime(2026, 3, 2, tzinfo=UTC)


def _texts(
    themes: tuple[str, ...], weeks: range, per_week: int, seed: int, language: str = "en"
) -> pd.DataFrame:
    """Requests written from the generator's phrases: (text_key, truth, language, text, written_at)."""
    rng = random.Random(seed)
    rows = []
    for week in weeks:
        for theme in themes:
            subjects, bodies = THEMES[theme][language]
            for i in range(per_week):
                body = rng.choice(bodies).format(
                    amount="$120.00", days=rng.randrange(3, 20), version="34.0.1", code="PX-1"
                )
                text = theme_text(
                    rng.choice(subjects).format(version="34.0.1"), f"Hi,\n{body} Thanks in advance."
                )
                at = MONDAY + timedelta(weeks=week, hours=rng.randrange(0, 160))
                rows.append((f"{language}:{theme}:{week}:{i}", theme, language, text, at))
    return pd.DataFrame(rows, columns=["text_key", "truth", "language", "text", "written_at"])


def _majority(texts: pd.DataFrame, assignments: pd.DataFrame) -> dict[str, str]:
    """theme key -> the truth most of its texts have."""
    joined = texts.merge(assignments, on="text_key")
    return {key: group["truth"].value_counts().index[0] for key, group in joined.groupby("theme_key")}


def test_a_theme_keeps_its_key_from_night_to_night_and_a_new_one_gets_its_own():
    first_texts = _texts(STEADY, range(10), 8, seed=1)
    first = fit_themes(first_texts)
    again = fit_themes(first_texts)  # the same data: the same themes, keys and assignments
    assert [t.key for t in again.themes] == [t.key for t in first.themes]
    assert again.assignments.equals(first.assignments)
    before = _majority(first_texts, first.assignments)
    assert sorted(set(before.values())) == sorted(STEADY)  # each steady theme found
    # the next night: a week more of the same complaints, and a new complaint nobody wrote before
    second_texts = pd.concat(
        [
            first_texts,
            _texts(STEADY, range(10, 11), 8, seed=2),
            _texts(("auto_dub_wrong_language",), range(10, 11), 30, 3),
        ]
    )
    second = fit_themes(second_texts, first.themes)
    after = _majority(second_texts, second.assignments)
    old_keys = {truth: {k for k, t in before.items() if t == truth} for truth in STEADY}
    for key, truth in after.items():
        if truth in STEADY:
            assert key in old_keys[truth], (truth, key, old_keys[truth])
    new = [k for k, t in after.items() if t == "auto_dub_wrong_language"]
    assert new and not set(new) & set(before)
    carried = {t.key for t in second.themes}
    assert set(before) <= carried  # a theme not fitted this night is kept (retired) with its key
    kept = [t for t in second.active if t.matched_from]
    assert all(t.similarity is not None and t.similarity >= 0.3 for t in kept)


def test_languages_fitted_side_by_side_give_what_one_after_another_gives(monkeypatch):
    """Above PARALLEL_FROM texts the languages are fitted in worker processes: the same themes,
    keys and assignments as fitted in this process one after the other, the first night and the
    next (with the previous themes of every language to match against)."""
    from escalations.voice import themes as module

    first = pd.concat([_texts(STEADY, range(6), 6, seed=4, language=x) for x in ("en", "es", "ja")])
    second = pd.concat(
        [first, *(_texts(STEADY, range(6, 7), 6, seed=5, language=x) for x in ("en", "es", "ja"))]
    )

    def both_ways(texts, previous=()):
        with monkeypatch.context() as m:
            m.setattr(module, "PARALLEL_FROM", 10**9)
            serial = fit_themes(texts, previous)
        workers = []
        started = module.pool_when_large

        @contextlib.contextmanager
        def recorded(threshold, *args):
            with started(threshold, *args) as executor:
                yield lambda size: workers.append(executor(size)) or workers[-1]

        with monkeypatch.context() as m:
            m.setenv("ESCALATIONS_WORKERS", "2")
            m.setattr(module, "PARALLEL_FROM", 1)
            m.setattr(module, "pool_when_large", recorded)
            side_by_side = fit_themes(texts, previous)
        assert workers and workers[0] is not None  # the worker processes did fit them
        pd.testing.assert_frame_equal(side_by_side.assignments, serial.assignments)
        assert side_by_side.themes == serial.themes
        return serial

    night = both_ways(first)
    assert {t.language for t in night.active} == {"en", "es", "ja"}
    assert all(t.key.startswith(f"{t.language}-") for t in night.themes)
    both_ways(second, night.themes)


def _weeks(counts: dict[str, list[int]], totals: list[int]) -> pd.DataFrame:
    rows = []
    for week, total in enumerate(totals):
        start = MONDAY + timedelta(weeks=week, hours=1)
        named = 0
        for theme, per_week in counts.items():
            rows += [(f"{theme}:{week}:{i}", start, theme) for i in range(per_week[week])]
            named += per_week[week]
        rows += [(f"other:{week}:{i}", start, None) for i in range(total - named)]
    return pd.DataFrame(rows, columns=["escalation_key", "created_at", "theme_key"])


def test_the_emerging_rule_on_hand_counted_weeks():
    # ten weeks of 100 escalations with text each
    counts = {
        "steady": [10] * 10,  # 10% every week: never emerging
        "new": [0, 0, 0, 0, 0, 0, 2, 9, 15, 20],  # appears in week 6, grows
        "doubles": [10] * 8 + [20, 20],  # twice its share: a busy theme, not a new one (ratio < 3)
        "early": [0, 0, 12, 12, 12, 12, 12, 12, 12, 12],  # new in week 2: no baseline yet (warm-up)
        # 2.5 times its share in week 9, beyond noise (2 (sqrt 25.375 - sqrt 10.375) = 3.63): short of 3x
        "busy": [10] * 9 + [25],
        # new in week 9, beyond noise (2 (sqrt 7.375 - sqrt 0.375) = 4.21) but 7: short of 8
        "small": [0] * 9 + [7],
    }
    weeks = theme_weeks(_weeks(counts, [100] * 10), MONDAY + timedelta(weeks=10), EmergingRule())
    flagged = {(r.theme_key, r.week_start) for r in weeks.itertuples() if r.is_emerging}
    week = [(MONDAY + timedelta(weeks=i)).date() for i in range(10)]
    # "new", week 7: 9 of 100 against a baseline of 2 in 700 (expected 0.286):
    # 2 (sqrt 9.375 - sqrt 0.661) = 4.50 >= 3.5, 9 >= 8, 9% >= 3 x 0.29%
    # week 8: 15 against 11 in 800 (expected 1.375): 5.20, 15% >= 3 x 1.375%
    # week 9: 20 against 26 in 800 (expected 3.25): 2 (sqrt 20.375 - sqrt 3.625) = 5.22, 20% >= 9.75%
    assert flagged == {("new", week[7]), ("new", week[8]), ("new", week[9])}
    new = weeks[(weeks.theme_key == "new")].set_index("week_start")
    assert new.loc[week[7], "score"] == pytest.approx(2 * (9.375**0.5 - (2 / 700 * 100 + 0.375) ** 0.5))
    assert new.loc[week[7], "expected_escalations"] == pytest.approx(2 / 7)
    assert new.index.min() == week[7]  # first seen: the first week with 3 or more
    assert (weeks.loc[weeks.theme_key == "new", "first_seen_week"] == week[7]).all()
    busy = weeks[(weeks.theme_key == "busy")].set_index("week_start")
    assert busy.loc[week[9], "score"] == pytest.approx(2 * (25.375**0.5 - 10.375**0.5))  # 3.63
    small = weeks[(weeks.theme_key == "small")].set_index("week_start")
    assert small.loc[week[9], "score"] == pytest.approx(2 * (7.375**0.5 - 0.375**0.5))  # 4.21
    doubles = weeks[(weeks.theme_key == "doubles")].set_index("week_start")
    assert doubles.loc[week[8], "score"] == pytest.approx(2 * (20.375**0.5 - 10.375**0.5))  # 2.59
    assert weeks["is_complete_week"].all()
    partial = theme_weeks(_weeks(counts, [100] * 10), MONDAY + timedelta(weeks=9, days=3), EmergingRule())
    assert not partial[partial.week_start == week[9]]["is_complete_week"].any()


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """A small generated world, loaded and redacted, themed by the theme step; the escalations'
    creation and restricted flag (what the step reads from fct_escalations) from the generator's truth."""
    home = tmp_path_factory.mktemp("planted")
    generate(home / "landing", seed=3, escalations=9000, days=150, bad_share=0)
    load_landing(home / "w.duckdb", home / "landing")
    truth = json.loads((home / "landing/_generator/truth.json").read_text())
    with open(home / "landing/_generator/voice_truth.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with duckdb.connect(str(home / "w.duckdb")) as conn:
        conn.execute("set TimeZone = 'UTC'")
        redact_new_text(conn)
        conn.execute("create schema marts")
        conn.execute(
            "create table marts.fct_escalations (escalation_key varchar, created_at timestamptz, is_restricted boolean)"
        )
        conn.executemany(
            "insert into marts.fct_escalations values (?, ?, ?)",
            [(r["escalation_key"], r["created_at"], r["issue_category"] == "legal") for r in rows],
        )
        end = datetime.fromisoformat(truth["world"]["end"])
        result = build_voice(conn, end)
        weeks = conn.execute(
            "select w.theme_key, w.week_start, w.is_emerging, w.escalations from voice.theme_weeks as w"
        ).df()
        themed = conn.execute(
            "select escalation_key, theme_key from voice.text_themes where text_kind = 'request'"
        ).df()
    return truth, {r["escalation_key"]: r["theme"] for r in rows}, weeks, themed, result


def test_the_planted_emerging_themes_are_found_soon_after_they_start_and_nothing_else(planted):
    truth, theme_of, weeks, themed, result = planted
    themed["truth"] = themed["escalation_key"].map(theme_of)
    majority = {k: g["truth"].value_counts().index[0] for k, g in themed.groupby("theme_key")}
    starts = {m["theme"]: datetime.fromisoformat(m["start"]).date() for m in truth["voice"]["emerging"]}
    found = {}
    for r in weeks[weeks.is_emerging].itertuples():
        planted_theme = majority[r.theme_key]
        assert planted_theme in starts, f"{r.theme_key} flagged in {r.week_start}, but it is {planted_theme}"
        # a week is known at its end (the week still running: on the run's day)
        known = pd.Timestamp(r.week_start).date() + timedelta(days=7)
        found[planted_theme] = min(found.get(planted_theme, known), known)
    assert set(found) == set(starts), found
    for theme, day in found.items():
        assert (day - starts[theme]).days <= 21, (theme, starts[theme], day)
    assert result.themes_active > 20 and result.themes_kept == 0  # a first run: every key is new


def test_restricted_escalations_have_no_theme(planted):
    truth, theme_of, weeks, themed, result = planted
    restricted = {k for k, t in theme_of.items() if t in ("law_enforcement_request", "court_order")}
    assert restricted and not restricted & set(themed["escalation_key"])
    counts = Counter(themed["escalation_key"].map(theme_of))
    assert counts["law_enforcement_request"] == counts["court_order"] == 0
