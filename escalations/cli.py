"""``escalations``: generate a demo world, pull the tools' APIs, load a landing zone, run the whole
pipeline, brief a week."""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import os
import sys
import time
from datetime import date
from pathlib import Path

from escalations.config import (
    HASH_KEY_ENV,
    PRIVATE_UMASK,
    MissingHashKey,
    Paths,
    environ,
    export_env,
    hash_key_file,
    parse_instant,
    resolve_hash_key,
    resolve_paths,
)
from escalations.runlock import BUSY_EXIT, RunBusy, hold_run
from escalations.settings import SettingsError

log = logging.getLogger("escalations")


def _add_paths(p: argparse.ArgumentParser) -> None:
    p.add_argument("--home", help="data directory (default: $ESCALATIONS_HOME or ./data)")
    p.add_argument("--landing", help="landing zone (default: $ESCALATIONS_LANDING or HOME/landing)")
    p.add_argument(
        "--warehouse", help="DuckDB file (default: $ESCALATIONS_WAREHOUSE or HOME/warehouse.duckdb)"
    )


def _paths(args: argparse.Namespace) -> Paths:
    paths = resolve_paths(args.home, args.landing, args.warehouse)
    export_env(paths)
    return paths


def cmd_generate(args: argparse.Namespace) -> int:
    from escalations.generator import generate

    out = Path(args.out)
    start = date.fromisoformat(args.start) if args.start else None
    kwargs = {"start": start} if start else {}
    t0 = time.perf_counter()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] >= 2 or done == total:
            last[0] = now
            print(f"  generated {done:,}/{total:,} escalations", file=sys.stderr, flush=True)

    if args.delta_from and not args.cut:
        print("error: --delta-from needs --cut (the end of the delta)", file=sys.stderr)
        return 2
    try:
        summary = generate(
            out,
            seed=args.seed,
            escalations=args.escalations,
            days=args.days,
            bad_share=args.bad_share,
            progress=progress,
            cut=args.cut,
            delta_from=args.delta_from,
            **kwargs,
        )
    except (ValueError, FileNotFoundError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    what = f"Delta delivery {args.delta_from} .. {args.cut}" if args.delta_from else "Demo world"
    if args.cut and not args.delta_from:
        what += f" as exported at {args.cut}"
    print(f"{what} written to {out} in {time.perf_counter() - t0:.1f}s (seed {args.seed}).")
    for key, value in (summary or {}).items():
        if isinstance(value, int | float | str):
            print(f"  {key}: {value}")
    print(f"  ground truth: {out / '_generator'}")
    return 0


def _add_wait(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--wait",
        nargs="?",
        type=float,
        const=math.inf,
        metavar="SECONDS",
        help="when another run holds the home or warehouse, wait for it (as long as it takes, or up to "
        "SECONDS) instead of stopping at once (default: $ESCALATIONS_RUN_LOCK_WAIT or 0)",
    )


def cmd_load(args: argparse.Namespace) -> int:
    from escalations.engines import local_duckdb
    from escalations.ingestion import load_landing

    paths = _paths(args)
    try:
        with hold_run(paths, args.wait):
            results = load_landing(local_duckdb(paths), paths.landing)
    except RunBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return BUSY_EXIT
    width = max(len(n) for n in results)
    print(f"{'table':<{width}}  files  read  loaded  quarantined  superseded  rows")
    for name, r in results.items():
        print(
            f"{name:<{width}}  {r.files_read:>5}  {r.records_read:>4}  {r.records_loaded:>6}  "
            f"{r.records_quarantined:>11}  {r.records_superseded:>10}  {r.rows_in_table}"
        )
    return 0


def ensure_manifest(paths: Paths) -> None:
    """`@dbt_assets` needs dbt's manifest at import; build it once if `make` has not."""
    from escalations.settings import dbt_environment
    from orchestration.project import dbt_project

    if not dbt_project.manifest_path.exists():
        log.info("dbt manifest missing: running dbt parse once")
        with environ(**dbt_environment(paths.warehouse, home=paths.home)):
            dbt_project.preparer.prepare(dbt_project)


def parse_as_of(text: str) -> str:
    """An ISO-8601 instant for ESCALATIONS_AS_OF, normalized to UTC ('...Z'); zone required."""
    from datetime import UTC

    try:
        value = parse_instant(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def run_pipeline(
    paths: Paths,
    as_of: str | None = None,
    full_refresh: bool = False,
    demo: bool = False,
    wait: float | None = None,
    log_file: Path | None = None,
    verbose: bool = False,
):
    """Materialize everything once through the code location's own job; a RunOutcome (true on
    success) that says what the run published, or why it published nothing.

    ``as_of`` (ISO-8601 with zone) fixes the instant open SLA clocks are measured to, so a run can
    be reproduced; without it they are measured to the time of the run. ``full_refresh`` rebuilds
    the incremental models from every raw record. The run holds its home and warehouse
    (escalations/runlock.py): another run there raises RunBusy, at once or after ``wait`` seconds.
    Without a requester hash key it raises MissingHashKey before anything runs; ``demo`` makes a
    random one in the home on first use instead. With ``log_file`` the run's full log (every
    Dagster event, every dbt line) goes to that file and the console shows progress by stage
    (escalations/progress.py); ``verbose`` shows the full log on the console too.
    """
    from escalations.progress import run_console
    from escalations.summary import RunOutcome

    export_env(paths)
    ensure_manifest(paths)
    import dagster as dg

    from orchestration.definitions import defs

    with hold_run(paths, wait):
        key = resolve_hash_key(paths.home, demo=demo)
        if key.source == "new demo key file":
            log.info(f"made a random requester hash key for the demo in {hash_key_file(paths.home)}")
        os.environ["DAGSTER_HOME"] = str(paths.dagster_home)
        job = defs.resolve_job_def("materialize_everything")
        # as_of and the key hold for this run only: a later run in the same process resolves its own
        settings = {HASH_KEY_ENV: key.value, **({"ESCALATIONS_AS_OF": as_of} if as_of else {})}
        run_config: dict = {"ops": {"dbt_models": {"config": {"full_refresh": True}}}} if full_refresh else {}
        with contextlib.ExitStack() as stack:
            stack.enter_context(environ(**settings))
            if log_file is not None:
                job, loggers = stack.enter_context(run_console(job, log_file, verbose))
                run_config["loggers"] = loggers
            # imported here, where what Dagster's storage logs as it loads goes to the run's log
            from orchestration.instance import prepare_dagster_home

            prepare_dagster_home(paths.dagster_home)  # local storage under DAGSTER_HOME
            instance = stack.enter_context(dg.DagsterInstance.get())
            result = job.execute_in_process(
                run_config=run_config or None, instance=instance, raise_on_error=False
            )
    return RunOutcome.from_result(result)


def cmd_run(args: argparse.Namespace) -> int:
    from escalations.summary import print_summary

    paths = _paths(args)
    if not paths.landing.exists():
        print(
            f"error: the landing zone {paths.landing} does not exist. Run `escalations generate --out "
            f"{paths.landing}` for a demo world, or point --landing at your exports.",
            file=sys.stderr,
        )
        return 2
    from escalations.progress import log_path

    t0 = time.perf_counter()
    log_file = log_path(paths.logs)
    print(f"Running the pipeline on {paths.home}; full log: {log_file}", flush=True)
    try:
        outcome = run_pipeline(
            paths,
            args.as_of,
            full_refresh=args.full_refresh,
            demo=args.demo,
            wait=args.wait,
            log_file=log_file,
            verbose=args.verbose,
        )
    except RunBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return BUSY_EXIT
    except MissingHashKey as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"\nPipeline {'succeeded' if outcome else 'FAILED'} in {time.perf_counter() - t0:.1f}s.")
    print_summary(paths, outcome)
    print(f"Run log      : {log_file}  (every Dagster event and dbt line of this run)")
    if not outcome:
        print(f"See the failed step in the Dagster UI (`make dev`) or in {log_file}.", file=sys.stderr)
    return 0 if outcome else 1


def cmd_summary(args: argparse.Namespace) -> int:
    from escalations.summary import print_summary

    print_summary(_paths(args))
    return 0


def parse_week(text: str):
    """An ISO week, ``YYYY-Www``, for ``report --week``."""
    from escalations.report import Week

    try:
        return Week.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def cmd_report(args: argparse.Namespace) -> int:
    from escalations.publish import duckdb_snapshot_path
    from escalations.report import NoDataError, write_brief

    paths = _paths(args)
    try:
        files = write_brief(
            duckdb_snapshot_path(paths.publish), paths.reports, args.week, pdf=not args.no_pdf
        )
    except NoDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Brief for {files.brief.week.label} ({files.brief.week.start} to {files.brief.week.end}):")
    print(f"  HTML   : {files.html}")
    print(f"  JSON   : {files.json}")
    if files.pdf:
        print(f"  PDF    : {files.pdf}  ({files.pdf_pages} page{'s' if files.pdf_pages != 1 else ''})")
    elif not args.no_pdf:
        print(f"  PDF    : skipped: {files.pdf_skipped}")
    if files.latest:
        print(f"  Latest : {files.latest}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="escalations", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    g = sub.add_parser("generate", help="write a deterministic demo world in the vendors' formats")
    g.add_argument("--out", required=True, help="landing-zone folder to write")
    g.add_argument("--seed", type=int, default=7)
    g.add_argument("--escalations", type=int, default=20_000)
    g.add_argument("--days", type=int, default=180)
    g.add_argument("--start", help="first day of the world, YYYY-MM-DD")
    g.add_argument("--bad-share", type=float, default=0.005, help="share of bad records (0 disables)")
    g.add_argument(
        "--cut",
        type=parse_as_of,
        help="write the world as the tools would have exported it at this instant (ISO-8601 with zone); "
        "files are stamped with it",
    )
    g.add_argument(
        "--delta-from",
        type=parse_as_of,
        help="with --cut: add to --out (which holds the deliveries up to this instant) only what was "
        "created or changed from it to --cut, as new stamped files: a nightly incremental delivery",
    )
    g.set_defaults(func=cmd_generate)

    lo = sub.add_parser("load", help="load new landing files into the raw schema (no dbt)")
    _add_paths(lo)
    _add_wait(lo)
    lo.set_defaults(func=cmd_load)

    r = sub.add_parser("run", help="materialize everything once through the Dagster definitions")
    _add_paths(r)
    r.add_argument(
        "--as-of",
        type=parse_as_of,
        help="measure open SLA clocks to this instant (ISO-8601 with zone) instead of now: reproducible runs",
    )
    r.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild the incremental models from every raw record, not only what changed since the last run",
    )
    r.add_argument(
        "--demo",
        action="store_true",
        help=f"without {HASH_KEY_ENV}, make a random requester hash key in HOME/secrets/hash_key on first "
        "use and keep it (the demo; real data needs a key you set)",
    )
    _add_wait(r)
    r.set_defaults(func=cmd_run)

    from escalations.extract.command import add_parser as add_extract_parser

    add_extract_parser(sub, _add_paths, _paths)

    s = sub.add_parser("summary", help="print where the warehouse is and headline counts")
    _add_paths(s)
    s.set_defaults(func=cmd_summary)

    rp = sub.add_parser(
        "report", help="write the weekly executive brief (HTML, JSON, PDF) from the published snapshot"
    )
    _add_paths(rp)
    rp.add_argument(
        "--week",
        type=parse_week,
        help="ISO week to brief, YYYY-Www (e.g. 2026-W43); default: the last complete week of the data",
    )
    rp.add_argument("--no-pdf", action="store_true", help="write HTML and JSON only")
    rp.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO, format="%(levelname)s %(message)s"
    )
    umask = os.umask(
        PRIVATE_UMASK
    )  # what the tool writes is its user's only; published outputs say otherwise
    try:
        return args.func(args)
    except SettingsError as exc:  # a setting that cannot be used: say which, before anything runs
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        os.umask(umask)


if __name__ == "__main__":
    raise SystemExit(main())
