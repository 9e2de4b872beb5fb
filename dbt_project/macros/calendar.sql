{#
  Calendar arithmetic the business calendars need, one macro per construct the engines spell
  differently (or may: Spark comes later). Each has a `default__` version that DuckDB and
  Postgres share; an engine that differs adds `<adapter>__` beside it.
#}

{# A from-clause item: one row per day from `first_day` to `last_day` (inclusive, timestamps
   without zone), in a column `day_start` of relation `alias`. May refer to earlier items. #}
{% macro day_series(first_day, last_day, alias) -%}
    {{ return(adapter.dispatch('day_series', 'escalation_warehouse')(first_day, last_day, alias)) }}
{%- endmacro %}

{% macro default__day_series(first_day, last_day, alias) -%}
    generate_series({{ first_day }}, {{ last_day }}, interval '1 day') as {{ alias }} (day_start)
{%- endmacro %}

{# A from-clause item: the integers `low`..`high` (inclusive) in column `column` of `alias`. #}
{% macro integer_series(low, high, alias, column) -%}
    {{ return(adapter.dispatch('integer_series', 'escalation_warehouse')(low, high, alias, column)) }}
{%- endmacro %}

{% macro default__integer_series(low, high, alias, column) -%}
    generate_series({{ low }}, {{ high }}) as {{ alias }} ({{ column }})
{%- endmacro %}

{# Day of the week of a date as an integer, 0 = Sunday .. 6 = Saturday. #}
{% macro day_of_week(date_expr) -%}
    {{ return(adapter.dispatch('day_of_week', 'escalation_warehouse')(date_expr)) }}
{%- endmacro %}

{% macro default__day_of_week(date_expr) -%}
    cast(extract(dow from {{ date_expr }}) as integer)
{%- endmacro %}

{# A whole-number field (year, month, day) of a date. #}
{% macro date_field(part, date_expr) -%}
    {{ return(adapter.dispatch('date_field', 'escalation_warehouse')(part, date_expr)) }}
{%- endmacro %}

{% macro default__date_field(part, date_expr) -%}
    cast(extract({{ part }} from {{ date_expr }}) as integer)
{%- endmacro %}

{# The date `days` (an integer expression) after a date. #}
{% macro add_days(date_expr, days) -%}
    {{ return(adapter.dispatch('add_days', 'escalation_warehouse')(date_expr, days)) }}
{%- endmacro %}

{% macro default__add_days(date_expr, days) -%}
    cast({{ date_expr }} + cast({{ days }} as integer) as date)
{%- endmacro %}

{# A timestamp (with or without zone) `hours` (a whole number) later; null stays null. #}
{% macro add_hours(ts_expr, hours) -%}
    {{ return(adapter.dispatch('add_hours', 'escalation_warehouse')(ts_expr, hours)) }}
{%- endmacro %}

{% macro default__add_hours(ts_expr, hours) -%}
    ({{ ts_expr }} + ({{ hours }}) * interval '1 hour')
{%- endmacro %}

{# Whole days from one date to another (negative when `to_date` is earlier). #}
{% macro days_between(from_date, to_date) -%}
    {{ return(adapter.dispatch('days_between', 'escalation_warehouse')(from_date, to_date)) }}
{%- endmacro %}

{% macro default__days_between(from_date, to_date) -%}
    cast(cast({{ to_date }} as date) - cast({{ from_date }} as date) as integer)
{%- endmacro %}

{# True when the bit of value `bit` (1, 2, 4, ...) is set in the integer `mask`. #}
{% macro bit_is_set(mask, bit) -%}
    {{ return(adapter.dispatch('bit_is_set', 'escalation_warehouse')(mask, bit)) }}
{%- endmacro %}

{% macro default__bit_is_set(mask, bit) -%}
    ((cast({{ mask }} as integer) & cast({{ bit }} as integer)) != 0)
{%- endmacro %}

{# Minutes from midnight of a "HH:MM..." text (Salesforce's "09:00:00.000Z", a seed's "17:30");
   "24:00" is 1440; null when the text is not a time (listed by assert_sla_account_settings_understood). #}
{% macro clock_text_minutes(text_expr) -%}
    (
        {{ safe_integer('substr(' ~ text_expr ~ ', 1, 2)') }} * 60
        + {{ safe_integer('substr(' ~ text_expr ~ ', 4, 2)') }}
    )
{%- endmacro %}

{# A text as an integer, or null when it is not one (a malformed cell of an account export must
   not stop the build: the rows it leaves unusable are listed by a warning test). #}
{% macro safe_integer(text_expr) -%}
    {{ return(adapter.dispatch('safe_integer', 'escalation_warehouse')(text_expr)) }}
{%- endmacro %}

{% macro default__safe_integer(text_expr) -%}
    try_cast({{ text_expr }} as integer)
{%- endmacro %}

{% macro postgres__safe_integer(text_expr) -%}
    case when {{ text_expr }} ~ '^\s*-?[0-9]{1,9}\s*$' then cast({{ text_expr }} as integer) end
{%- endmacro %}

{# A "YYYY-MM-DD" text as a date, or null when it is not one. #}
{% macro safe_date(text_expr) -%}
    {{ return(adapter.dispatch('safe_date', 'escalation_warehouse')(text_expr)) }}
{%- endmacro %}

{% macro default__safe_date(text_expr) -%}
    try_cast({{ text_expr }} as date)
{%- endmacro %}

{% macro postgres__safe_date(text_expr) -%}
    case when {{ text_expr }} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then cast({{ text_expr }} as date) end
{%- endmacro %}

{# A subquery: the intervals [`start_col`, `end_col`) of `relation`, overlapping or touching ones
   merged, per value of the `partition_by` columns (a list). Columns: the partition columns,
   `start_col` and `end_col`. #}
{% macro merged_intervals(relation, partition_by, start_col, end_col) -%}
    {%- set keys = partition_by | join(', ') -%}
    (
        select
            {{ keys }},
            min({{ start_col }}) as {{ start_col }},
            max({{ end_col }}) as {{ end_col }}
        from (
            select
                *,
                sum(case when reach_before is null or {{ start_col }} > reach_before then 1 else 0 end) over (
                    partition by {{ keys }} order by {{ start_col }}, {{ end_col }}
                    rows between unbounded preceding and current row
                ) as merged_number
            from (
                select
                    {{ keys }},
                    {{ start_col }},
                    {{ end_col }},
                    max({{ end_col }}) over (
                        partition by {{ keys }} order by {{ start_col }}, {{ end_col }}
                        rows between unbounded preceding and 1 preceding
                    ) as reach_before
                from {{ relation }}
            ) as reached
        ) as numbered
        group by {{ keys }}, merged_number
    )
{%- endmacro %}

{# Day, week and month numbers of a date, for "every Nth day/week/month" arithmetic: days since
   1970-01-01; weeks Sunday to Saturday (1970-01-01 was a Thursday); months year * 12 + month - 1. #}
{% macro day_number(date_expr) -%}
    {{ days_between("cast('1970-01-01' as date)", date_expr) }}
{%- endmacro %}

{% macro week_number(date_expr) -%}
    cast(floor(({{ day_number(date_expr) }} + 4) / 7.0) as integer)
{%- endmacro %}

{% macro month_number(date_expr) -%}
    ({{ date_field('year', date_expr) }} * 12 + {{ date_field('month', date_expr) }} - 1)
{%- endmacro %}

{# ISO day of the week of a date or instant, 1 = Monday .. 7 = Sunday. #}
{% macro iso_day_of_week(expr) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'escalation_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(expr) -%}
    extract(isodow from {{ expr }})
{%- endmacro %}

{# The ISO week-numbering year of a date. #}
{% macro iso_year(expr) -%}
    {{ return(adapter.dispatch('iso_year', 'escalation_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__iso_year(expr) -%}
    extract(isoyear from {{ expr }})
{%- endmacro %}

{# The local wall time (timestamp without zone) of an instant in an IANA zone. #}
{% macro utc_to_local(instant, zone) -%}
    {{ return(adapter.dispatch('utc_to_local', 'escalation_warehouse')(instant, zone)) }}
{%- endmacro %}

{% macro default__utc_to_local(instant, zone) -%}
    ({{ instant }} at time zone {{ zone }})
{%- endmacro %}

{# string_agg(expr, separator order by order_by) as an aggregate, nulls skipped; `order_by` is an
   expression or a list of them. #}
{% macro ordered_string_agg(expr, separator, order_by) -%}
    {{ return(adapter.dispatch('ordered_string_agg', 'escalation_warehouse')(expr, separator, order_by)) }}
{%- endmacro %}

{% macro default__ordered_string_agg(expr, separator, order_by) -%}
    string_agg({{ expr }}, {{ separator }} order by {{ order_by if order_by is string else order_by | join(', ') }})
{%- endmacro %}
