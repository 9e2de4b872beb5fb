-- Every status change of every escalation, mapped to a status group, duplicates removed.
{{ per_escalation_config() }}

with statuses as (
    select
        source_system,
        source_value,
        status_group
    from {{ ref('map_statuses') }}
),

zendesk as (
    select
        'zendesk:' || cast(e.ticket_id as {{ type_text() }}) as escalation_key,
        e.created_at as changed_at,
        lpad(cast(e.event_id as {{ type_text() }}), 20, '0') as tie_breaker,
        e.field_value as source_status,
        'zendesk' as source_system
    from {{ scoped_ref('stg_zendesk__ticket_audit_events', 'e') }}
    where e.field_name = 'status' and e.event_type in ('Create', 'Change') and e.field_value != 'deleted'
),

salesforce_created as (
    select
        'salesforce:' || case_id as escalation_key,
        created_at as changed_at,
        '0' as tie_breaker,
        'New' as source_status,
        'salesforce' as source_system
    from {{ scoped_ref('stg_salesforce__cases') }}
),

salesforce as (
    select
        'salesforce:' || case_id as escalation_key,
        created_at as changed_at,
        '1' || case_history_id as tie_breaker,
        new_value as source_status,
        'salesforce' as source_system
    from {{ scoped_ref('stg_salesforce__case_history') }}
    where field = 'Status' and not is_deleted
),

hubspot as (
    select
        'hubspot:' || h.ticket_id as escalation_key,
        h.changed_at,
        lpad(cast(1000000 - h.history_position as {{ type_text() }}), 20, '0') as tie_breaker,
        s.stage_label as source_status,
        'hubspot' as source_system
    from {{ scoped_ref('stg_hubspot__ticket_property_history', 'h') }}
    inner join {{ scoped_ref('stg_hubspot__tickets', 't') }} on h.ticket_id = t.ticket_id
    left join {{ ref('stg_hubspot__pipeline_stages') }} as s
        on t.pipeline_id = s.pipeline_id and h.property_value = s.stage_id
    where h.property_name = 'hs_pipeline_stage'
),

unioned as (
    select * from zendesk
    union all
    select * from salesforce_created
    union all
    select * from salesforce
    union all
    select * from hubspot
),

distinct_changes as (
    select distinct
        escalation_key,
        changed_at,
        tie_breaker,
        source_status,
        source_system
    from unioned
)

select
    c.escalation_key,
    c.changed_at,
    c.tie_breaker,
    c.source_status,
    coalesce(s.status_group, 'unknown') as status_group
from distinct_changes as c
left join statuses as s on c.source_system = s.source_system and c.source_status = s.source_value
