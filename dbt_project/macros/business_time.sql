{#
  Business time without fan-out. `int_sla__clock_periods` holds every open period of every
  schedule (and one for calendar time) in UTC epoch seconds with the open seconds before it
  (`open_before_s`). The open
  seconds of a schedule at an instant come from one as-of lookup (the last period starting at or
  before the instant), so business time between two instants is two lookups, whatever the span's
  length; the instant at which N open seconds have passed is one lookup the other way.
  DuckDB does the lookups with ASOF joins; Postgres with an indexed LATERAL ... LIMIT 1.
#}

{# Whole epoch seconds of a timestamptz. #}
{% macro epoch_s(expr) -%}
    {{ return(adapter.dispatch('epoch_s', 'escalation_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__epoch_s(expr) -%}
    cast(floor(epoch({{ expr }})) as bigint)
{%- endmacro %}

{% macro postgres__epoch_s(expr) -%}
    cast(floor(extract(epoch from {{ expr }})) as bigint)
{%- endmacro %}

{# The timestamptz of whole epoch seconds. #}
{% macro from_epoch_s(expr) -%}
    {{ return(adapter.dispatch('from_epoch_s', 'escalation_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__from_epoch_s(expr) -%}
    to_timestamp(cast({{ expr }} as {{ type_double() }}))
{%- endmacro %}

{% macro postgres__from_epoch_s(expr) -%}
    to_timestamp({{ expr }})
{%- endmacro %}

{# A local wall time (timestamp without zone) in an IANA zone, as an instant. #}
{% macro local_to_utc(local_ts, zone) -%}
    {{ return(adapter.dispatch('local_to_utc', 'escalation_warehouse')(local_ts, zone)) }}
{%- endmacro %}

{% macro default__local_to_utc(local_ts, zone) -%}
    ({{ local_ts }} at time zone {{ zone }})
{%- endmacro %}

{#
  The two readings of a local wall time. In the hour a fall-back repeats, a wall time happens
  twice: `local_reading(t, zone, 'earlier')` is the first (summer time), 'later' the second
  (standard time); any other wall time has one reading, and both give it. The candidates are t an
  hour either side, which is never in the same repeated hour or skipped hour, turned into an
  instant and moved back; a candidate that reads as t again in the zone is a reading. A wall
  time in the hour a spring-forward skips has none: its two candidates (t read in the offset
  before the jump and in the one after) stand for its readings, the earlier instant first, so
  the result never rests on how an engine reads a time that did not happen.
#}
{% macro local_reading(local_ts, zone, which) -%}
    {%- set before = add_hours(local_to_utc(add_hours(local_ts, -1), zone), 1) -%}
    {%- set after = add_hours(local_to_utc(add_hours(local_ts, 1), zone), -1) -%}
    {%- set first, second = (before, after) if which == 'earlier' else (after, before) -%}
    (case
        when {{ utc_to_local(first, zone) }} = {{ local_ts }} then {{ first }}
        when {{ utc_to_local(second, zone) }} = {{ local_ts }} then {{ second }}
        else {{ 'least' if which == 'earlier' else 'greatest' }}({{ before }}, {{ after }})
    end)
{%- endmacro %}

{#
  The instants of a span given as two local wall times (a call segment's start and stop), from
  their readings (`local_reading`: start earlier and later, stop earlier and later): whichever
  readings make it end at or after it starts, the shortest such span, and of equal ones the
  later readings. A call that starts at 01:52 before the clocks go back and stops at 01:08 after
  is 16 minutes long, not minus 44. `part` is 'start' or 'stop'. A span that ends before it
  starts in every reading keeps the later readings (the checks then flag it).
#}
{% macro span_reading(start_earlier, start_later, stop_earlier, stop_later, part) -%}
    {%- set chosen = [
        (stop_earlier ~ ' >= ' ~ start_later, start_later, stop_earlier),
        (stop_later ~ ' >= ' ~ start_later, start_later, stop_later),
        (stop_earlier ~ ' >= ' ~ start_earlier, start_earlier, stop_earlier),
        (stop_later ~ ' >= ' ~ start_earlier, start_earlier, stop_later),
    ] -%}
    case
        {%- for condition, start, stop in chosen %}
        when {{ condition }} then {{ start if part == 'start' else stop }}
        {%- endfor %}
        else {{ start_later if part == 'start' else stop_later }}
    end
{%- endmacro %}

{# Join clause: `alias` is the period of schedule `key_expr` in force at epoch second `at_s`. #}
{% macro period_at_join(key_expr, at_s, alias, periods=none) -%}
    {{ return(adapter.dispatch('period_at_join', 'escalation_warehouse')(key_expr, at_s, alias, periods)) }}
{%- endmacro %}

{% macro default__period_at_join(key_expr, at_s, alias, periods) -%}
    asof left join {{ periods or ref('int_sla__clock_periods') }} as {{ alias }}
        on {{ key_expr }} = {{ alias }}.schedule_key and {{ at_s }} >= {{ alias }}.start_s
{%- endmacro %}

{% macro postgres__period_at_join(key_expr, at_s, alias, periods) -%}
    {#- its own alias: a model's alias used in key_expr (say `p`) must not name the candidate -#}
    {%- set candidate = alias ~ '__candidate' %}
    left join lateral (
        select {{ candidate }}.* from {{ periods or ref('int_sla__clock_periods') }} as {{ candidate }}
        where {{ candidate }}.schedule_key = {{ key_expr }} and {{ candidate }}.start_s <= {{ at_s }}
        order by {{ candidate }}.start_s desc
        limit 1
    ) as {{ alias }} on true
{%- endmacro %}

{# Open seconds of the schedule before epoch second `at_s`, given its period_at_join alias. #}
{% macro open_s_at(alias, at_s) -%}
    coalesce({{ alias }}.open_before_s + least(greatest({{ at_s }} - {{ alias }}.start_s, 0), {{ alias }}.end_s - {{ alias }}.start_s), 0)
{%- endmacro %}

{# Join clause: `alias` is the period in which the schedule's open seconds reach `open_s`. #}
{% macro period_reaching_join(key_expr, open_s, alias, periods=none) -%}
    {{ return(adapter.dispatch('period_reaching_join', 'escalation_warehouse')(key_expr, open_s, alias, periods)) }}
{%- endmacro %}

{% macro default__period_reaching_join(key_expr, open_s, alias, periods) -%}
    asof left join {{ periods or ref('int_sla__clock_periods') }} as {{ alias }}
        on {{ key_expr }} = {{ alias }}.schedule_key and {{ open_s }} > {{ alias }}.open_before_s
{%- endmacro %}

{% macro postgres__period_reaching_join(key_expr, open_s, alias, periods) -%}
    {#- its own alias: a model's alias used in key_expr (say `p`) must not name the candidate -#}
    {%- set candidate = alias ~ '__candidate' %}
    left join lateral (
        select {{ candidate }}.* from {{ periods or ref('int_sla__clock_periods') }} as {{ candidate }}
        where {{ candidate }}.schedule_key = {{ key_expr }} and {{ candidate }}.open_before_s < {{ open_s }}
        order by {{ candidate }}.open_before_s desc
        limit 1
    ) as {{ alias }} on true
{%- endmacro %}

{#
  The epoch second at which open seconds reach `open_s`, given its period_reaching_join alias.
  Past the last precomputed period it is null (the calendar must be extended, which the periods
  model does to well beyond any target).
#}
{% macro instant_at_open_s(alias, open_s) -%}
    case
        when {{ open_s }} <= {{ alias }}.open_before_s then {{ alias }}.start_s
        when {{ open_s }} <= {{ alias }}.open_before_s + ({{ alias }}.end_s - {{ alias }}.start_s)
            then {{ alias }}.start_s + ({{ open_s }} - {{ alias }}.open_before_s)
    end
{%- endmacro %}

{#
  The instant open clocks are measured to: ESCALATIONS_AS_OF (an ISO-8601 instant with zone) when
  set, so a run can be reproduced, else the current time. A unit test (or `--vars`) may set the
  `as_of` var instead. The variable is read only when dbt executes, never while it parses: a
  value read at parse time would be recorded in the parse state, and a run's new as-of would make
  dbt parse again every file that reads it (it is not a project var for the same reason: a
  changed project var makes dbt parse the whole project again), so each run reuses the home's
  partial-parse state (orchestration/resources.py).
#}
{% macro as_of() -%}
    {%- set value = var('as_of', '') -%}
    {%- if not value and execute -%}
        {%- set value = env_var('ESCALATIONS_AS_OF', '') -%}
    {%- endif -%}
    {%- if value -%}
        cast('{{ value }}' as {{ type_timestamptz() }})
    {%- else -%}
        current_timestamp
    {%- endif -%}
{%- endmacro %}

{#
  The plausible window (docs/raw_layer.md): the loader quarantines timestamps outside it as
  out_of_range, and calendars and series count only escalations created inside it, so a far-off
  value loaded before the check existed cannot make them span centuries. The same settings as the loader's:
  ESCALATIONS_PLAUSIBLE_FROM (a date or an instant; default 2000-01-01) and
  ESCALATIONS_PLAUSIBLE_YEARS_AHEAD (default 10) years after the as-of instant.
#}
{% macro plausible_from() -%}
    {%- set value = var('plausible_from', '2000-01-01') | string | trim -%}
    {%- if value | length == 10 -%}{%- set value = value ~ 'T00:00:00Z' -%}{%- endif -%}
    cast('{{ value }}' as {{ type_timestamptz() }})
{%- endmacro %}

{% macro plausible_to() -%}
    {{ dbt.dateadd('year', var('plausible_years_ahead', 10) | int, as_of()) }}
{%- endmacro %}

{#
  A continuous percentile of expr (0 <= p <= 1) as an aggregate, the same double on every
  engine: DuckDB's quantile_cont interpolates between the values at positions floor(RN) and
  ceil(RN), RN = (n - 1) * p in doubles, as lo * (1 - d) + hi * d with d = RN - floor(RN);
  Postgres' percentile_cont computes lo + d * (hi - lo), which differs in the last bit, so
  Postgres does DuckDB's arithmetic on the sorted values.
#}
{% macro percentile(expr, p) -%}
    {{ return(adapter.dispatch('percentile', 'escalation_warehouse')(expr, p)) }}
{%- endmacro %}

{% macro default__percentile(expr, p) -%}
    quantile_cont({{ expr }}, {{ p }})
{%- endmacro %}

{% macro postgres__percentile(expr, p) -%}
    {%- set rn = '(cast(count(' ~ expr ~ ') - 1 as double precision) * cast(' ~ p ~ ' as double precision))' -%}
    {%- set d = '(' ~ rn ~ ' - floor(' ~ rn ~ '))' -%}
    {%- set sorted = '(array_agg(cast(' ~ expr ~ ' as double precision) order by ' ~ expr ~ ')'
        ~ ' filter (where ' ~ expr ~ ' is not null))' -%}
    ({{ sorted }}[cast(floor({{ rn }}) as integer) + 1] * (1 - {{ d }})
        + {{ sorted }}[cast(ceil({{ rn }}) as integer) + 1] * {{ d }})
{%- endmacro %}

{# The local calendar date of an instant in an IANA zone. #}
{% macro local_date(instant, zone) -%}
    {{ return(adapter.dispatch('local_date', 'escalation_warehouse')(instant, zone)) }}
{%- endmacro %}

{% macro default__local_date(instant, zone) -%}
    cast(({{ instant }} at time zone {{ zone }}) as date)
{%- endmacro %}

{# DuckDB converts with a zone named per row about ten times slower than with a constant zone (it
   looks the zone up for every row: 6.1 s against 0.7 s for the 5.1M status runs of the 1M bench
   world), so the markets' zones (and UTC) are spelled out as constants, each the same conversion;
   any other zone, or none, takes the same per-row conversion as elsewhere. #}
{% macro duckdb__local_date(instant, zone) -%}
    {%- set zones = market_time_zones() -%}
    {%- if zones -%}
    case {{ zone }}
        {%- for z in zones %}
        when '{{ z }}' then cast(({{ instant }} at time zone '{{ z }}') as date)
        {%- endfor %}
        else {{ default__local_date(instant, zone) }}
    end
    {%- else -%}
    {{ default__local_date(instant, zone) }}
    {%- endif -%}
{%- endmacro %}

{# The time zones of the markets (the dim_market seed) and UTC, when a build runs; none while dbt
   parses or in a unit test (whose inputs are fixtures). #}
{% macro market_time_zones() -%}
    {%- set markets = ref('dim_market') -%}  {#- a dependency of the model, known when dbt parses -#}
    {%- if not execute or in_unit_test() -%}
        {{ return([]) }}
    {%- endif -%}
    {%- if adapter.get_relation(markets.database, markets.schema, markets.identifier) is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set found = run_query('select distinct time_zone from ' ~ markets ~ ' where time_zone is not null order by 1') -%}
    {%- set zones = ['UTC'] -%}
    {%- for z in found.columns[0].values() if z != 'UTC' and "'" not in z -%}
        {%- do zones.append(z) -%}
    {%- endfor -%}
    {{ return(zones) }}
{%- endmacro %}

{#
  The end of local day `date_day` in time zone `zone`, as an instant: where a day's backlog is
  measured (fct_escalation_kpis_daily and the test that reconciles it with the status clock).
#}
{% macro day_end_at(date_day, zone) -%}
    {{ local_to_utc('cast(' ~ date_day ~ ' + 1 as timestamp)', zone) }}
{%- endmacro %}

{# The time zone names the engine knows, as a relation with a `name` column. #}
{% macro known_time_zones() -%}
    {{ return(adapter.dispatch('known_time_zones', 'escalation_warehouse')()) }}
{%- endmacro %}

{% macro default__known_time_zones() -%}
    (select name from pg_timezone_names())
{%- endmacro %}

{# Postgres 15 wants an alias on a subquery in FROM: the catalog view itself is the relation. #}
{% macro postgres__known_time_zones() -%}
    pg_catalog.pg_timezone_names
{%- endmacro %}

{# The end of a half-open range whose open end (null) means "not yet": infinity. A range join
   written `valid_to is null or t < valid_to` puts an `or` in the join condition, which DuckDB
   plans as a nested-loop join (quadratic: 437 s at 100k escalations); `t < coalesce(valid_to,
   infinity)` keeps it a hash join on the key with a range filter. #}
{% macro open_end(expr) -%}
    {{ return(adapter.dispatch('open_end', 'escalation_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__open_end(expr) -%}
    coalesce({{ expr }}, cast('infinity' as {{ type_timestamptz() }}))
{%- endmacro %}

{#
  A double rounded to `digits` decimals, the same on every engine: DuckDB's round(x, n) is
  round-half-away-from-zero of x * 10^n in binary floating point, divided back; Postgres has
  round(numeric, n) only (decimal rounding of a 15-digit conversion, not the same value), so it
  does DuckDB's arithmetic in double precision. y - floor(y) is exact, so the half is exact too.
#}
{% macro round_double(expr, digits) -%}
    {{ return(adapter.dispatch('round_double', 'escalation_warehouse')(expr, digits)) }}
{%- endmacro %}

{% macro default__round_double(expr, digits) -%}
    round({{ expr }}, {{ digits }})
{%- endmacro %}

{% macro postgres__round_double(expr, digits) -%}
    {%- set scale = 'cast(1e' ~ digits ~ ' as double precision)' -%}
    {%- set scaled = 'abs(' ~ expr ~ ') * ' ~ scale -%}
    (sign({{ expr }}) * (floor({{ scaled }})
        + case when {{ scaled }} - floor({{ scaled }}) >= 0.5 then 1 else 0 end) / {{ scale }})
{%- endmacro %}
