"""How well the theme step finds what the demo generator planted: a backtest of nightly runs.

The themes of a run depend on what was known that night, so the measure replays the nights: from
the warehouse's redacted text and the generator's truth (``_generator/voice_truth.csv``,
``truth.json``), it runs the theme step as it would have run on each night (texts written before
the night only, the previous night's themes as the state, so keys carry over), every
``--every-days`` days, and every night during the ``--daily-days`` after each planted emerging
theme started. For each night it notes the themes the emerging rule flags in the week running or
the week just ended (what the brief and the alerts show that day).

- Found: a planted emerging theme is found on the first night a flagged theme holds mostly its
  escalations (in the flagged week); the figure is the days from its start to that night.
- Precision: of the themes ever flagged (distinct keys), the share whose flagged weeks hold mostly
  a planted emerging theme; also per flagged episode.
- Stability: the share of a night's themes that kept the previous night's key.
- Purity (last night): the share of escalations whose theme's majority is their own planted theme.
- Language: the share of requests whose detected language is the one they were written in.

    python -m escalations.voice.evaluate --home data
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from escalations.config import resolve_paths
from escalations.engines import local_duckdb
from escalations.voice.build import read_texts
from escalations.voice.emerging import EmergingRule, theme_weeks
from escalations.voice.themes import fit_themes

WINDOW_WEEKS = 2  # a flag counts on a night when its week is the running one or the one just ended


def _nights(
    start: datetime, end: datetime, emerging: dict[str, datetime], every: int, daily: int
) -> list[datetime]:
    nights = set()
    night = start + timedelta(weeks=5)
    while night <= end:
        nights.add(night)
        night += timedelta(days=every)
    for begun in emerging.values():
        nights.update(
            begun + timedelta(days=d) for d in range(1, daily + 1) if begun + timedelta(days=d) <= end
        )
    return sorted(nights)


def evaluate(home: Path, every_days: int = 7, daily_days: int = 28, rule: EmergingRule | None = None) -> dict:
    rule = rule or EmergingRule()
    paths = resolve_paths(home)
    truth = json.loads((paths.landing / "_generator" / "truth.json").read_text())
    with open(paths.landing / "_generator" / "voice_truth.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    theme_of = {r["escalation_key"]: r["theme"] for r in rows}
    language_of = {r["escalation_key"]: r["language"] for r in rows}
    emerging = {m["theme"]: datetime.fromisoformat(m["start"]) for m in truth["voice"]["emerging"]}
    # the theme step's own file: the warehouse, or on Postgres and Spark the staging file it wrote
    with duckdb.connect(str(local_duckdb(paths)), read_only=True) as conn:
        conn.execute("set TimeZone = 'UTC'")
        texts = read_texts(conn)
        detected = conn.execute(
            "select escalation_key, language from restricted.redacted_text where text_kind = 'request'"
        ).fetchall()
    texts["truth"] = texts["escalation_key"].map(theme_of)
    start = datetime.fromisoformat(truth["world"]["start"])
    end = datetime.fromisoformat(truth["world"]["end"])
    state: list = []
    found: dict[str, dict] = {}
    flagged_keys: dict[str, Counter] = {}
    episodes: list[dict] = []
    kept, active = 0, 0
    last = None
    started = time.perf_counter()
    for night in _nights(start, end, emerging, every_days, daily_days):
        known = texts[texts["written_at"] < night]
        run = fit_themes(known.drop(columns=["truth"]), state)
        kept += sum(1 for t in run.active if t.matched_from)
        active += len(run.active) if state else 0
        state = run.themes
        themed = known.merge(run.assignments, on="text_key")
        requests = themed[themed["text_kind"] == "request"]
        weeks = theme_weeks(requests[["escalation_key", "created_at", "theme_key"]], night, rule)
        recent = weeks[weeks["is_emerging"] & (pd.to_datetime(weeks["week_start"]) >= pd.Timestamp(
            (night - timedelta(weeks=WINDOW_WEEKS)).date()))]  # fmt: skip
        week_of = requests.assign(week=pd.to_datetime(requests["created_at"], utc=True).dt.tz_convert(None))
        for row in recent.itertuples():
            lo = pd.Timestamp(row.week_start)
            members = week_of[(week_of["theme_key"] == row.theme_key) & (week_of["week"] >= lo)
                              & (week_of["week"] < lo + pd.Timedelta(days=7))]  # fmt: skip
            majority = members["truth"].value_counts().index[0] if len(members) else None
            flagged_keys.setdefault(row.theme_key, Counter())[majority] += 1
            episode = (row.theme_key, row.week_start)
            if not any((e["theme_key"], e["week_start"]) == episode for e in episodes):
                episodes.append(
                    {"theme_key": row.theme_key, "week_start": str(row.week_start), "night": night.isoformat(),
                     "majority": majority, "escalations": int(row.escalations), "score": round(row.score, 2)}
                )  # fmt: skip
            if majority in emerging and majority not in found:
                label = next(t.label for t in run.active if t.key == row.theme_key)
                found[majority] = {
                    "night": night.isoformat(),
                    "days_after_start": (night - emerging[majority]).days,
                    "theme_key": row.theme_key,
                    "label": label,
                    "language": row.theme_key.split("-", 1)[0],
                }
        last = requests
    keys = {k: c.most_common(1)[0][0] for k, c in flagged_keys.items()}
    true_keys = sum(1 for m in keys.values() if m in emerging)
    true_episodes = sum(1 for e in episodes if e["majority"] in emerging)
    purity = 0.0
    if last is not None and len(last):
        majority = last.groupby("theme_key")["truth"].agg(lambda s: s.value_counts().index[0])
        purity = float((last["theme_key"].map(majority) == last["truth"]).mean())
    correct = sum(1 for key, lang in detected if language_of.get(key) == lang)
    return {
        "home": str(paths.home),
        "escalations": int(sum(truth["escalations_non_deleted"].values())),
        "nights_replayed": len(_nights(start, end, emerging, every_days, daily_days)),
        "rule": rule.__dict__,
        "planted_emerging": {k: v.date().isoformat() for k, v in emerging.items()},
        "found": found,
        "missed": sorted(set(emerging) - set(found)),
        "themes_flagged": len(keys),
        "themes_flagged_planted": true_keys,
        "precision_themes": round(true_keys / len(keys), 3) if keys else None,
        "episodes_flagged": len(episodes),
        "precision_episodes": round(true_episodes / len(episodes), 3) if episodes else None,
        "false_alarms": [e for e in episodes if e["majority"] not in emerging],
        "keys_kept_night_to_night": round(kept / active, 3) if active else None,
        "purity_last_night": round(purity, 3),
        "language_accuracy": round(correct / len(detected), 4) if detected else None,
        "seconds": round(time.perf_counter() - started, 1),
        "as_of": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", default="data", help="the data directory of a run on a demo world")
    parser.add_argument("--every-days", type=int, default=7)
    parser.add_argument("--daily-days", type=int, default=28)
    parser.add_argument("--out", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    paths = resolve_paths(args.home)
    if not (paths.landing / "_generator" / "voice_truth.csv").exists():
        parser.error(f"no generator truth under {paths.landing}: the measure needs a demo world")
    result = evaluate(Path(args.home), args.every_days, args.daily_days)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
