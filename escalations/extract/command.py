"""``escalations extract``: pull the configured tools' APIs into the landing zone, with a table of
what each source did."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from escalations.extract.settings import SOURCES


def add_parser(sub, add_paths: Callable, resolve_paths: Callable) -> None:
    p = sub.add_parser(
        "extract",
        help="pull Zendesk, Salesforce, HubSpot, PagerDuty and Jira into the landing zone, from each stream's cursor",
        description="Pull each configured source's APIs into the landing zone, incrementally from each "
        "stream's saved cursor (docs/extract.md). Sources without credentials are skipped.",
    )
    add_paths(p)
    p.add_argument("--source", action="append", choices=SOURCES, help="only this source (repeatable)")
    p.add_argument(
        "--since",
        help="start of the first pull (ISO-8601 with zone, e.g. 2026-01-01T00:00:00Z) for streams that have "
        "no cursor yet; streams with a cursor continue from it",
    )
    p.set_defaults(func=lambda args: cmd_extract(args, resolve_paths))


def _num(value) -> str:
    return "-" if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def cmd_extract(args: argparse.Namespace, resolve_paths: Callable) -> int:
    from escalations.extract import SettingsError, load_settings, run_extract

    if not args.verbose:
        logging.getLogger("httpx").setLevel(logging.WARNING)
    paths = resolve_paths(args)
    try:
        settings = load_settings(paths.home)
        results = run_extract(paths.landing, args.source, args.since, settings)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"\nExtract into {paths.landing} (cursors in {paths.landing / '_extract'}):")
    print(
        f"{'source':<11} {'status':<8} {'records':>8} {'pages':>6} {'requests':>8} {'retries':>7} {'seconds':>8} {'rec/s':>7}  note"
    )
    for name, r in results.items():
        skipped = r.status == "skipped"
        rate = round(r.records / r.seconds) if r.seconds > 0 and not skipped else None
        note = r.reason or (f"API usage {r.api_usage} today" if r.api_usage else "")
        print(
            f"{name:<11} {r.status:<8} {_num(None if skipped else r.records):>8} {_num(None if skipped else r.pages):>6} "
            f"{_num(None if skipped else r.requests):>8} {_num(None if skipped else r.retries):>7} "
            f"{'-' if skipped else f'{r.seconds:.1f}':>8} {_num(rate):>7}  {note}"
        )
    failed = [n for n, r in results.items() if r.status == "failed"]
    if failed:
        print(f"\n{', '.join(failed)} failed: cursors stay where the last committed page left them; run again "
              "to resume.", file=sys.stderr)  # fmt: skip
        return 1
    return 0
