{#
  The field id that carries a meaning for a source (map_custom_fields seed), read when the model
  runs, so a model can use a static JSON path. Before the seed exists (parsing, linting a fresh
  checkout) it returns a placeholder that matches nothing.
#}
{% macro custom_field_ref(source_system, meaning) -%}
    {%- set field = 'unmapped_' ~ meaning -%}
    {%- if execute -%}
        {%- set seed = load_relation(ref('map_custom_fields')) -%}
        {%- if seed is not none -%}
            {%- set rows = run_query(
                "select field_ref from " ~ seed ~ " where source_system = '" ~ source_system
                ~ "' and meaning = '" ~ meaning ~ "'"
            ) -%}
            {%- if rows | length > 0 -%}{%- set field = rows[0][0] -%}{%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {{- return(field) -}}
{%- endmacro %}
