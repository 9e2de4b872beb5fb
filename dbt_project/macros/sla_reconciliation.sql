{#
  What rpt_sla_vendor_reconciliation and rpt_sla_vendor_agreement share: when each tool's export
  was taken, and which instances' elapsed minutes can be held against the tool's.
#}

{# A select of (source_system, exported_at): the newest instant in each tool's export stands
   for when it was taken. #}
{% macro sla_vendor_exports() -%}
    select
        'zendesk' as source_system,
        greatest(
            (select max(occurred_at) from {{ ref('stg_zendesk__ticket_metric_events') }}),
            (select max(updated_at) from {{ ref('stg_zendesk__tickets') }})
        ) as exported_at
    union all
    select
        'salesforce' as source_system,
        greatest(
            (select max(last_modified_at) from {{ ref('stg_salesforce__cases') }}),
            (select max(created_at) from {{ ref('stg_salesforce__case_history') }})
        ) as exported_at
{%- endmacro %}

{# True for an fct_sla_events row (alias `e`) whose elapsed and paused minutes compare with the
   tool's: a Salesforce milestone completed by the export (`exported_at`) and measured on its own
   clock (not re-applied after a priority change), with the tool's minutes exported. #}
{% macro sla_elapsed_is_compared(e, exported_at) -%}
    (
        {{ e }}.escalation_key like 'salesforce:%'
        and {{ e }}.applied_by = 'tool_record'
        and {{ e }}.fulfilled_at is not null
        and {{ e }}.fulfilled_at <= {{ exported_at }}
        and {{ e }}.vendor_elapsed_minutes is not null
        and {{ e }}.vendor_stopped_minutes is not null
    )
{%- endmacro %}

{# True when such a row's minutes agree with the tool's, which rounds down to whole minutes:
   exactly, or within a minute when ActualElapsedTimeInMins was not exported but derived as
   Elapsed - Stopped (`derived`, a boolean expression). #}
{% macro sla_elapsed_agrees(e, derived) -%}
    (
        floor({{ e }}.paused_minutes) = {{ e }}.vendor_stopped_minutes
        and (
            floor({{ e }}.elapsed_minutes) = {{ e }}.vendor_elapsed_minutes
            or (coalesce({{ derived }}, false) and abs(floor({{ e }}.elapsed_minutes) - {{ e }}.vendor_elapsed_minutes) <= 1)
        )
    )
{%- endmacro %}
