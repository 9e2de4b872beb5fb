{#
  None of these columns is ever null: dbt's `not_null` for a list of columns, in one scan of the
  model and one dbt node. A model declares its never-null columns in one such test instead of a
  `not_null` per column: dbt pays about 20-40 ms per test node whatever the data (compiling,
  logging, the asset check's events), and the per-column tests were two thirds of the project's
  test nodes (docs/quality.md, "One node per model for not-null").

  It returns one row per column that holds nulls, with how many; the test fails with their sum,
  the same count the per-column tests added up to (`dbt test --store-failures` keeps the rows).
#}
{% test not_null_columns(model, column_names) %}
{{ config(fail_calc="coalesce(sum(null_rows), 0)") }}

with null_counts as (
    select
    {%- for column in column_names %}
        sum(case when {{ column }} is null then 1 else 0 end) as null_rows_{{ loop.index }}
        {{- "," if not loop.last }}
    {%- endfor %}
    from {{ model }}
)

{% for column in column_names -%}
select
    '{{ column }}' as column_name,
    null_rows_{{ loop.index }} as null_rows
from null_counts
where null_rows_{{ loop.index }} > 0
{% if not loop.last %}union all
{% endif %}
{%- endfor %}

{% endtest %}
