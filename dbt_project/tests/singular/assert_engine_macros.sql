-- The dispatch macros give the same answers on every engine (DuckDB, Postgres, Spark): a row is a
-- check whose hand-computed expectation the engine missed. The values are exact in binary floating
-- point, so every engine must hit them exactly.
{%- set double = type_double() %}
{%- set document = "'{\"a\": {\"b\": [{\"c\": \"x\"}, {\"c\": \"y\"}]}}'" %}

with checks as (
    select
        'round_double 2.5 to 0 decimals: 3 (half away from zero)' as check_name,
        cast({{ round_double('cast(2.5 as ' ~ double ~ ')', 0) }} as {{ double }}) = 3 as passed
    union all
    select
        'round_double -0.5 to 0 decimals: -1' as check_name,
        cast({{ round_double('cast(-0.5 as ' ~ double ~ ')', 0) }} as {{ double }}) = -1 as passed
    union all
    select
        'round_double 1.25 to 1 decimal: 1.3' as check_name,
        abs({{ round_double('cast(1.25 as ' ~ double ~ ')', 1) }} - 1.3) < 1e-12 as passed
    union all
    select
        'round_double 0.375 to 6 decimals: unchanged' as check_name,
        {{ round_double('cast(0.375 as ' ~ double ~ ')', 6) }} = 0.375 as passed
    union all
    select
        'json_text a.b[1].c: y' as check_name,
        {{ json_text(document, 'a.b[1].c') }} = 'y' as passed
    union all
    select
        'json_text a.b[0].c: x' as check_name,
        {{ json_text(document, 'a.b[0].c') }} = 'x' as passed
    union all
    select
        'type_double holds 1 + 2^-40 (a 4-byte float rounds it to 1)' as check_name,
        cast('1.0000000000009094947017729282379150390625' as {{ double }}) > 1 as passed
    union all
    select
        'type_text of 12: the text 12' as check_name,
        cast(12 as {{ type_text() }}) = '12' as passed
    union all
    select
        'type_timestamptz is an instant' as check_name,
        {{ epoch_s("cast('2026-03-29T01:30:00+01:00' as " ~ type_timestamptz() ~ ")") }} = 1774744200 as passed
    union all
    select
        'from_epoch_s then epoch_s' as check_name,
        {{ epoch_s(from_epoch_s('1774744200')) }} = 1774744200 as passed
    union all
    select
        'minutes_between 09:00 and 10:30: 90' as check_name,
        {{ minutes_between(
            to_utc("'2026-03-02T09:00:00+00:00'"), to_utc("'2026-03-02T10:30:00+00:00'")
        ) }} = 90 as passed
    union all
    select
        'local_date 23:30 UTC before London springs forward: same day' as check_name,
        {{ local_date(to_utc("'2026-03-28T23:30:00+00:00'"), "'Europe/London'") }}
        = cast('2026-03-28' as date) as passed
    union all
    select
        'local_date 23:30 UTC after London springs forward: next day' as check_name,
        {{ local_date(to_utc("'2026-03-29T23:30:00+00:00'"), "'Europe/London'") }}
        = cast('2026-03-30' as date) as passed
    union all
    select
        'known_time_zones has Europe/London' as check_name,
        (
            select count(*) from {{ known_time_zones() }} as z
            where z.name = 'Europe/London'
        ) = 1 as passed
),

-- continuous percentiles of 1, 2, 3, 4: p50 = 2.5, p90 = 3 + 0.7 * (4 - 3) = 3.7
four as (
    select cast(1 as {{ double }}) as v
    union all
    select 2 as v
    union all
    select 3 as v
    union all
    select 4 as v
),

percentiles as (
    select
        {{ percentile('v', 0.5) }} as p50,
        {{ percentile('v', 0.9) }} as p90
    from four
)

select check_name from checks
where not coalesce(passed, false)
union all
select 'percentile p50 of 1..4: 2.5' as check_name from percentiles
where not coalesce(p50 = 2.5, false)
union all
select 'percentile p90 of 1..4: 3.7' as check_name from percentiles
where not coalesce(abs(p90 - 3.7) < 1e-12, false)
