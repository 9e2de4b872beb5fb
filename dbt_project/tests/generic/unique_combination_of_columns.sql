{#
  A compound primary key: no two rows share the combination of these columns. dbt's own `unique`
  takes one column and dbt_utils is not installed, so this is the project's own, in SQL every
  engine runs (a group by; no concatenation, so no type casts and no separator that could collide).
  Pair it with `not_null` on each key column: a group by puts all nulls in one group.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as rows_with_this_key
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
