{# Adapter-neutral JSON access: the same staging SQL runs on DuckDB and Postgres. #}

{% macro json_text(column, path) -%}
    {{ return(adapter.dispatch('json_text', 'escalation_warehouse')(column, path)) }}
{%- endmacro %}

{% macro default__json_text(column, path) -%}
    json_extract_string({{ column }}, '$.{{ path }}')
{%- endmacro %}

{% macro postgres__json_text(column, path) -%}
    ({{ column }}::jsonb #>> {{ pg_json_path(path) }})
{%- endmacro %}

{# A dotted JSON path with array subscripts (`a.b[0].c`) as a Postgres text-array path literal
   ('{a,b,0,c}') for the #> and #>> operators: a subscript is one more element of the path. #}
{% macro pg_json_path(path) -%}
    '{{ "{" ~ path.replace("[", ".").replace("]", "").replace(".", ",") ~ "}" }}'
{%- endmacro %}

{# Text at a path computed from a column (e.g. a custom field name from a mapping seed). #}
{% macro json_text_dynamic(column, key_expr, prefix='') -%}
    {{ return(adapter.dispatch('json_text_dynamic', 'escalation_warehouse')(column, key_expr, prefix)) }}
{%- endmacro %}

{% macro default__json_text_dynamic(column, key_expr, prefix) -%}
    json_extract_string({{ column }}, '$.{{ prefix }}"' || {{ key_expr }} || '"')
{%- endmacro %}

{% macro postgres__json_text_dynamic(column, key_expr, prefix) -%}
    ({{ column }}::jsonb #>> string_to_array('{{ prefix.replace(".", ",") }}' || {{ key_expr }}, ','))
{%- endmacro %}

{# Unnest a JSON array at a path into one row per element (use in a select list). #}
{% macro json_array_elements(column, path) -%}
    {{ return(adapter.dispatch('json_array_elements', 'escalation_warehouse')(column, path)) }}
{%- endmacro %}

{% macro default__json_array_elements(column, path) -%}
    unnest(json_extract({{ column }}, '$.{{ path }}[*]'))
{%- endmacro %}

{% macro postgres__json_array_elements(column, path) -%}
    jsonb_array_elements({{ column }}::jsonb #> {{ pg_json_path(path) }})
{%- endmacro %}

{# Element text of an unnested element. #}
{% macro json_elem_text(column, key) -%}
    {{ return(adapter.dispatch('json_elem_text', 'escalation_warehouse')(column, key)) }}
{%- endmacro %}

{% macro default__json_elem_text(column, key) -%}
    json_extract_string({{ column }}, '$.{{ key }}')
{%- endmacro %}

{% macro postgres__json_elem_text(column, key) -%}
    ({{ column }} ->> '{{ key }}')
{%- endmacro %}

{# A zoned ISO-8601 text timestamp as timestamptz (ingestion guarantees the zone). #}
{% macro to_utc(expr) -%}
    cast({{ expr }} as {{ type_timestamptz() }})
{%- endmacro %}

{# Keyed hash of a person identifier: marts never carry the identifier itself. The key is never
   written into SQL (it would land in compiled models and dbt's logs): DuckDB reads it from a
   variable the profile's plugin sets (escalations/dbt_hash_key.py), Postgres from the session
   setting escalations.hash_key the dbt step passes in PGOPTIONS (config.dbt_key_environment).
   There is no default key: without ESCALATIONS_HASH_KEY the model fails when it runs (not when it
   compiles, so linting needs no key). #}
{% macro keyed_hash(expr) -%}
    {{ return(adapter.dispatch('keyed_hash', 'escalation_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__keyed_hash(expr) -%}
    case
        when getvariable('escalations_hash_key') is null
            then error('ESCALATIONS_HASH_KEY is not set: there is no default requester hash key (docs/operations.md)')
        else sha256(getvariable('escalations_hash_key') || ':' || {{ expr }})
    end
{%- endmacro %}

{% macro postgres__keyed_hash(expr) -%}
    encode(sha256(convert_to(current_setting('escalations.hash_key') || ':' || {{ expr }}, 'UTF8')), 'hex')
{%- endmacro %}

{# Minutes between two instants, as a double. #}
{% macro minutes_between(start_at, end_at) -%}
    {{ return(adapter.dispatch('minutes_between', 'escalation_warehouse')(start_at, end_at)) }}
{%- endmacro %}

{% macro default__minutes_between(start_at, end_at) -%}
    (epoch({{ end_at }}) - epoch({{ start_at }})) / 60.0
{%- endmacro %}

{# In doubles, as DuckDB's epoch() gives them: Postgres' extract(epoch) is numeric, whose exact
   difference and quotient can land one bit away from DuckDB's. #}
{% macro postgres__minutes_between(start_at, end_at) -%}
    (cast(extract(epoch from {{ end_at }}) as double precision)
        - cast(extract(epoch from {{ start_at }}) as double precision)) / cast(60 as double precision)
{%- endmacro %}

{# 1-based position of each element produced by json_array_elements on the same path (same select). #}
{% macro json_array_positions(column, path) -%}
    {{ return(adapter.dispatch('json_array_positions', 'escalation_warehouse')(column, path)) }}
{%- endmacro %}

{% macro default__json_array_positions(column, path) -%}
    generate_subscripts(json_extract({{ column }}, '$.{{ path }}[*]'), 1)
{%- endmacro %}

{% macro postgres__json_array_positions(column, path) -%}
    generate_series(1, jsonb_array_length({{ column }}::jsonb #> {{ pg_json_path(path) }}))
{%- endmacro %}

{# Select-list items: the elements of the JSON array at `path` as column `element`, and their
   1-based positions as column `position` (one generator: Spark allows no second in a select). #}
{% macro json_array_elements_numbered(column, path, element, position) -%}
    {{ return(adapter.dispatch('json_array_elements_numbered', 'escalation_warehouse')(column, path, element, position)) }}
{%- endmacro %}

{% macro default__json_array_elements_numbered(column, path, element, position) -%}
    {{ json_array_elements(column, path) }} as {{ element }},
    {{ json_array_positions(column, path) }} as {{ position }}
{%- endmacro %}
