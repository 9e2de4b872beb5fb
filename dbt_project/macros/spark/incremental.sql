{#
  Incremental models on Spark. Plain Parquet tables refuse DELETE, and every scoped build of the
  nightly path deletes (reloaded records, touched escalations, the bookkeeping): no strategy Spark
  has on Parquet (append, insert_overwrite by partition) replaces one escalation's rows of a
  table partitioned otherwise, so on Spark each incremental model rebuilds whole on every build,
  as with --full-refresh (docs/engines.md). The incremental-equals-full-refresh property holds
  trivially; the watermark is still computed, but no model records state against it.
#}

{% macro spark__incremental_rebuilds_whole() -%}
    {{ return(true) }}
{%- endmacro %}

{% macro spark__per_escalation_strategy(unique_key) -%}
    {{ return('append') }}
{%- endmacro %}

{% macro spark__record_incremental_state_hooks() -%}
    {{ return([]) }}
{%- endmacro %}

{% macro spark__forget_displaced_escalations() -%}
{%- endmacro %}

{# A whole rebuild stamps every row with this build's as-of instant already. #}
{% macro spark__restamp_as_of() -%}
{%- endmacro %}
