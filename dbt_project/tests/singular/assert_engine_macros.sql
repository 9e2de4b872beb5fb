-- The dispatch macros give the same answers on every engine (DuckDB, Postgres, Spark): each row
-- is a check whose hand-computed expectation the engine missed. Values are chosen exactly
-- representable in binary floating point, so every engine must hit them exactly.
with checks as (
    -- round half away from zero, as DuckDB rounds (Postgres' round(float8) rounds half to even)
    select
        'round_double 2.5' as check_name,
        cast({{ round_double('cast(2.5 as ' ~ type_double() ~ ')', 0) }} as {{ type_double() }}) = 3 as passed
    union all
    select
        'round_double -0.5',
        cast({{ round_double('cast(-0.5 as ' ~ type_double() ~ ')', 0) }} as {{ type_double() }}) = -1
    union all
    select
        'round_double 1.25 to 1 decimal',
        abs({{ round_double('cast(1.25 as ' ~ type_double() ~ ')', 1) }} - 1.3) < 1e-12
    union all
    select
        'round_double 0.375 to 6 decimals',
        {{ round_double('cast(0.375 as ' ~ type_double() ~ ')', 6) }} = 0.375
    -- a JSON path with an array subscript (Postgres needs it as a path element)
    union all
    select
        'json_text a.b[1].c',
        {{ json_text("'{\"a\": {\"b\": [{\"c\": \"x\"}, {\"c\": \"y\"}]}}'", 'a.b[1].c') }} = 'y'
    union all
    select
        'json_text a.b[0].c',
        {{ json_text("'{\"a\": {\"b\": [{\"c\": \"x\"}, {\"c\": \"y\"}]}}'", 'a.b[0].c') }} = 'x'
    -- the type names
    union all
    select
        'type_double holds 1 + 2^-40 (8 bytes: a 4-byte float rounds it to 1)',
        cast('1.0000000000009094947017729282379150390625' as {{ type_double() }}) > 1
    union all
    select
        'type_text of 12',
        cast(12 as {{ type_text() }}) = '12'
    union all
    select
        'type_timestamptz is an instant',
        {{ epoch_s("cast('2026-03-29T01:30:00+01:00' as " ~ type_timestamptz() ~ ")") }} = 1774744200
    -- epoch seconds both ways, minutes between instants
    union all
    select
        'from_epoch_s then epoch_s',
        {{ epoch_s(from_epoch_s('1774744200')) }} = 1774744200
    union all
    select
        'minutes_between 90',
        {{ minutes_between(to_utc("'2026-03-02T09:00:00+00:00'"), to_utc("'2026-03-02T10:30:00+00:00'")) }} = 90
    -- London's clocks went forward at 01:00 UTC on 2026-03-29: 00:30 UTC is still 28 March there
    union all
    select
        'local_date before the London spring-forward',
        {{ local_date(to_utc("'2026-03-28T23:30:00+00:00'"), "'Europe/London'") }} = cast('2026-03-28' as date)
    union all
    select
        'local_date after the London spring-forward',
        {{ local_date(to_utc("'2026-03-29T23:30:00+00:00'"), "'Europe/London'") }} = cast('2026-03-30' as date)
    union all
    select
        'known_time_zones has Europe/London',
        (select count(*) from {{ known_time_zones() }} where name = 'Europe/London') = 1
),

-- continuous percentiles of 1, 2, 3, 4: p50 = 2.5, p90 = 3 + 0.7 * (4 - 3) = 3.7
percentiles as (
    select
        {{ percentile('v', 0.5) }} as p50,
        {{ percentile('v', 0.9) }} as p90
    from (
        select cast(1 as {{ type_double() }}) as v
        union all select 2
        union all select 3
        union all select 4
    ) as four
)

select check_name from checks where not coalesce(passed, false)
union all
select 'percentile p50 of 1..4' from percentiles where not coalesce(p50 = 2.5, false)
union all
select 'percentile p90 of 1..4' from percentiles where not coalesce(abs(p90 - 3.7) < 1e-12, false)
