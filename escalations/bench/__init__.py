"""``make bench``: the whole pipeline timed on demo worlds of 10k, 100k and 1M escalations.

For each size it

1. generates (once; cached under ``bench/cache/<size>/``) a world of N escalations over ``--days``
   days as two deliveries: the full export cut one day before the world's end, and the nightly
   delta of the last day (new and updated records, ``escalations generate --delta-from``); the
   generator's seconds, peak RSS and RSS at 25/50/75/100% of the escalations are recorded;
2. times the floor: one DuckDB scan that reads every landing file of the delivery and parses
   every record (JSON records validated as JSON, CSV parsed by DuckDB's CSV reader);
3. runs the whole pipeline (the Dagster job ``materialize_everything``, as ``escalations run``
   does) on a fresh home holding the full delivery, with ESCALATIONS_FRESHNESS_HOURS=0 and
   ESCALATIONS_AS_OF set to the cut, so runs are reproducible;
4. lands the nightly delta in the same home and runs again (the nightly incremental run).

Every measured piece runs in a child process of its own (``--worker``), so the figures hold only
that piece: imports, Dagster start-up and the dbt subprocess included, nothing of the bench or of
an earlier piece. A sampling thread reads the resident memory of the child's whole process tree
from /proc every 0.1 s (dbt runs as a grandchild through dagster-dbt); the kernel's high-water
mark of the largest single process is recorded as well. Stage times come from the run's own
Dagster event log (STEP_START .. STEP_SUCCESS per step): ``raw__<table>`` steps are ingestion,
``dbt_models`` is the dbt build (models and dbt tests), ``publish__*`` is publishing, and every
other step is a quality check (Great Expectations suites, personal-data scans, reconciliations,
freshness). The peak RSS of a stage is the highest sample taken while one of its steps ran;
"other" is what lies outside the steps (interpreter start, imports, loading the definitions).
Rows per second are raw records read by that run's ingestion divided by seconds.

The pieces: ``sizes`` (the worlds and targets), ``child`` (each piece in a child process),
``sampler`` (memory of a process tree), ``events`` (the run's event log and dbt's), ``runner``
(one size), ``report`` (the table and the verdicts), ``__main__`` (the command line).

Prints a table and writes ``bench/results.json`` with the machine's cores and memory, versions,
the date, the slowest dbt models of each run (from dbt's run_results.json), each whole run as a
multiple of the full delivery's floor (the nightly run also of the delta's), and the verdict on each
target of ``sizes.TARGETS`` (printed beside the figures it judges).
"""

from escalations.bench.events import slowest_models, stage_of
from escalations.bench.sampler import descendants, stop_tree, tree_rss
from escalations.bench.sizes import parse_size

__all__ = ["descendants", "parse_size", "slowest_models", "stage_of", "stop_tree", "tree_rss"]
