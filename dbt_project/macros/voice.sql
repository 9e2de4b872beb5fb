{# Engine differences of the voice and phone models (Avaya ECH, themes). #}

{# The digits of a phone number as written ("+1 (415) 555-0123" -> 14155550123): what is hashed. #}
{% macro digits_only(expr) -%}
    {{ return(adapter.dispatch('digits_only', 'escalation_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__digits_only(expr) -%}
    regexp_replace({{ expr }}, '[^0-9]', '', 'g')
{%- endmacro %}

{% macro spark__digits_only(expr) -%}
    regexp_replace({{ expr }}, '[^0-9]', '')
{%- endmacro %}

{# The ticket id an agent desktop wrote into Avaya's user-to-user data (`TKT=<id>`), or null. #}
{% macro uui_ticket_ref(expr) -%}
    {{ return(adapter.dispatch('uui_ticket_ref', 'escalation_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__uui_ticket_ref(expr) -%}
    nullif(regexp_extract({{ expr }}, 'TKT=([A-Za-z0-9]+)', 1), '')
{%- endmacro %}

{% macro postgres__uui_ticket_ref(expr) -%}
    substring({{ expr }} from 'TKT=([A-Za-z0-9]+)')
{%- endmacro %}

{# The Monday of an instant's ISO week (UTC sessions: the profiles set the zone). #}
{% macro week_start(expr) -%}
    cast({{ dbt.date_trunc('week', expr) }} as date)
{%- endmacro %}

{# The first `n` characters of a text. #}
{% macro text_prefix(expr, n) -%}
    substring({{ expr }} from 1 for {{ n }})
{%- endmacro %}

{# A JSON record without the fields at `paths` (dotted): staging keeps a vendor record for the
   account's custom fields, never its free text or personal data (they are redacted first, in
   restricted.redacted_text, and read from there). #}
{% macro json_without(column, paths) -%}
    {{ return(adapter.dispatch('json_without', 'escalation_warehouse')(column, paths)) }}
{%- endmacro %}

{# The dotted `paths` as a tree of nested dicts whose leaves are none ('a.b', 'c' ->
   {'a': {'b': none}, 'c': none}): a JSON merge patch removing them, or what a walk removes. #}
{% macro json_path_tree(paths) -%}
    {%- set tree = {} -%}
    {%- for path in paths -%}
        {%- set parts = path.split('.') -%}
        {%- set node = namespace(d=tree) -%}
        {%- for part in parts[:-1] -%}
            {%- if part not in node.d -%}{%- do node.d.update({part: {}}) -%}{%- endif -%}
            {%- set node.d = node.d[part] -%}
        {%- endfor -%}
        {%- do node.d.update({parts[-1]: none}) -%}
    {%- endfor -%}
    {{ return(tree) }}
{%- endmacro %}

{% macro default__json_without(column, paths) -%}
    json_merge_patch({{ column }}, '{{ tojson(json_path_tree(paths)) }}')
{%- endmacro %}

{% macro postgres__json_without(column, paths) -%}
    ({{ column }}::jsonb
    {%- for path in paths %} #- {{ pg_json_path(path) }}{% endfor -%})
{%- endmacro %}

{# A source another step of the run writes (the theme step's voice.* tables): when it does not
   exist yet (dbt run on its own, before any theme step), an empty relation of its columns, so the
   models after it build empty instead of failing (aliased: Postgres needs a name for a subquery).
   `columns`: name -> type. #}
{% macro optional_source(source_name, table_name, columns) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if execute and adapter.get_relation(relation.database, relation.schema, relation.identifier) is none -%}
        (select
        {%- for name, type in columns.items() %}
            cast(null as {{ type }}) as {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
        where 1 = 0) as {{ table_name }}_not_yet_made
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}
