{#
  Engine type names. Models cast through these macros, never through an engine's own name for a
  type, so the same SQL builds on DuckDB, Postgres and Spark:

  | macro              | DuckDB                   | Postgres                 | Spark     |
  |--------------------|--------------------------|--------------------------|-----------|
  | type_double()      | double precision (DOUBLE)| double precision         | double    |
  | type_text()        | varchar                  | text                     | string    |
  | type_timestamptz() | timestamp with time zone | timestamp with time zone | timestamp |

  dbt's own type_float() is a 4-byte REAL on DuckDB. Contracts (`data_type` in a models .yml)
  cannot call macros: a text column is `string` (dbt's type alias: `text` on DuckDB and
  Postgres, `string` on Spark); a double and an instant name the engine's type by `target.type`.
#}

{# An 8-byte floating-point number. #}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'escalation_warehouse')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{# Text of any length. #}
{% macro type_text() -%}
    {{ return(adapter.dispatch('type_text', 'escalation_warehouse')()) }}
{%- endmacro %}

{% macro default__type_text() -%}
    varchar
{%- endmacro %}

{% macro postgres__type_text() -%}
    text
{%- endmacro %}

{% macro spark__type_text() -%}
    string
{%- endmacro %}

{# An instant (UTC): timestamp with time zone, or the engine's equivalent (Spark's `timestamp` is
   an instant shown in the session's zone). #}
{% macro type_timestamptz() -%}
    {{ return(adapter.dispatch('type_timestamptz', 'escalation_warehouse')()) }}
{%- endmacro %}

{% macro default__type_timestamptz() -%}
    timestamp with time zone
{%- endmacro %}

{% macro spark__type_timestamptz() -%}
    timestamp
{%- endmacro %}
