"""Shared by the extract tests: a small world in two deliveries, fast settings, raw-table readers."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb

from escalations.extract import SOURCES, load_settings, run_extract
from escalations.extract.fake import FakeApis
from escalations.generator import generate
from escalations.generator.delivery import parse_epoch
from escalations.ingestion import TABLES, load_landing

START = "2026-01-05T00:00:00Z"  # the world's first day, and the first pull's --since
CUT1 = "2026-01-25T00:00:00Z"  # the full export, and the first pull
CUT2 = "2026-02-04T00:00:00Z"  # the nightly delta to the world's end, and the incremental pull
T1, T2 = parse_epoch(CUT1), parse_epoch(CUT2)

# small pages, so every API's pagination, cursor and window splitting runs
PAGE_SIZES = {"zendesk": 40, "salesforce": 30, "hubspot": 8, "pagerduty": 3, "jira": 4}


def make_world(out: Path, escalations: int = 220, bad_share: float = 0.005, seed: int = 5) -> Path:
    """A 30-day world exported at CUT1, then the delta to CUT2 (the generator's own deliveries)."""
    generate(out, seed=seed, escalations=escalations, days=30, bad_share=bad_share, cut=CUT1)
    generate(out, seed=seed, escalations=escalations, days=30, bad_share=bad_share, cut=CUT2, delta_from=CUT1)
    return out


def fake_apis(world: Path, now: int = T1, page_sizes: dict | None = None, **kw) -> FakeApis:
    fake = FakeApis(world, now=now, page_sizes={**PAGE_SIZES, **(page_sizes or {})}, **kw)
    fake.state["hubspot_search_cap"] = 24  # a search stops at 24 results here: windows must restart
    fake.state["pagerduty_offset_cap"] = 9  # and PagerDuty pages no further than 9: ranges must split
    fake.state["jira_time_zone"] = "America/Los_Angeles"  # JQL times are in the API user's zone
    return fake


def fast_env(fake: FakeApis, **extra: str) -> dict[str, str]:
    """The variables that point the extract at ``fake``, with waits shrunk and no pacing."""
    env = {
        **fake.env(),
        "ESCALATIONS_EXTRACT_LAG_SECONDS": "0",
        "ESCALATIONS_EXTRACT_POLL_SECONDS": "0.01",
        "ESCALATIONS_EXTRACT_BACKOFF_SECONDS": "0.01",
        "ESCALATIONS_EXTRACT_BACKOFF_MAX_SECONDS": "0.05",
        "ESCALATIONS_EXTRACT_TIMEOUT_SECONDS": "5",
        "ESCALATIONS_HUBSPOT_SEARCH_CAP": "24",
        "ESCALATIONS_PAGERDUTY_OFFSET_CAP": "9",
        "ESCALATIONS_ZENDESK_RATE_LIMIT": "100000/1",
        "ESCALATIONS_ZENDESK_EXPORT_RATE_LIMIT": "100000/1",
        "ESCALATIONS_HUBSPOT_RATE_LIMIT": "100000/1",
        "ESCALATIONS_HUBSPOT_SEARCH_RATE_LIMIT": "100000/1",
        "ESCALATIONS_PAGERDUTY_RATE_LIMIT": "100000/1",
    }
    for source, size in PAGE_SIZES.items():
        env[f"ESCALATIONS_{source.upper()}_PAGE_SIZE"] = str(size)
    env.update(extra)
    return env


def pull(landing: Path, env: dict[str, str], since: str | None = START, sources=None) -> dict:
    results = run_extract(landing, sources, since, load_settings(None, env))
    return results


def pull_twice(world: Path, landing: Path, **env_extra: str) -> dict:
    """The first pull at CUT1 from START, then the incremental pull at CUT2; both must succeed."""
    with fake_apis(world) as fake:
        env = fast_env(fake, **env_extra)
        first = pull(landing, env)
        assert all(r.status == "done" for r in first.values()), {k: r.reason for k, r in first.items()}
        fake.set_now(T2)
        second = pull(landing, env, since=None)
        assert all(r.status == "done" for r in second.values()), {k: r.reason for k, r in second.items()}
    return {"first": first, "second": second}


def load(landing: Path, warehouse: Path) -> dict:
    return load_landing(warehouse, landing)


def raw_tables(warehouse: Path) -> dict[str, list[tuple]]:
    """Every raw table of a source with an API (Avaya's call records only come as files), as
    (id, version_at, version_seq, record text), sorted."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return {
            spec.name: conn.execute(
                f"select id, version_at, version_seq, record::varchar from raw.{spec.name} order by all"
            ).fetchall()
            for spec in TABLES
            if spec.source in SOURCES
        }


def landed_records(landing: Path) -> Counter:
    """Every record in the landing zone's page files, as (table, id, canonical record), counted."""
    import orjson

    from escalations.ingestion.readers import read_csv, read_json_page

    out: Counter = Counter()
    for spec in TABLES:
        for path in sorted(landing.glob(spec.pattern)):
            text = path.read_text(encoding="utf-8")  # what the extract writes is UTF-8
            items = read_json_page(text, spec.array_key) if spec.fmt == "json" else read_csv(text)
            for item in items:
                rec = item.record
                out[
                    (spec.name, str(rec.get(spec.id_field)), orjson.dumps(rec, option=orjson.OPT_SORT_KEYS))
                ] += 1
    return out
