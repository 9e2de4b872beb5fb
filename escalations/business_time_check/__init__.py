"""Checks of the warehouse's business-time SQL from outside it: random business schedules in the
vendors' formats, a brute-force reference the property test (tests/test_business_time.py)
compares the SQL with (``reference.py``), and the benchmark of that SQL over 1M spans
(``python -m escalations.business_time_check.bench``, ``make bench-business-time``). Nothing here
runs in the pipeline: the SLA engine itself is dbt (``dbt_project/macros/business_time.sql``,
``models/intermediate/sla/``)."""
