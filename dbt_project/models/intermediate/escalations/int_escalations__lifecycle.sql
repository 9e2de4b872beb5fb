-- Resolution, reopen and reassignment facts per escalation, from the status and owner history.
{{ per_escalation_config() }}

with ordered as (
    select
        escalation_key,
        changed_at,
        status_group,
        lag(status_group) over (
            partition by escalation_key order by changed_at, tie_breaker
        ) as previous_group
    from {{ scoped_ref('int_escalations__status_changes') }}
),

status_facts as (
    select
        escalation_key,
        min(case
            when status_group in ('solved', 'closed') and coalesce(previous_group, '') not in ('solved', 'closed')
                then changed_at
        end) as first_resolved_at,
        max(case
            when status_group in ('solved', 'closed') and coalesce(previous_group, '') not in ('solved', 'closed')
                then changed_at
        end) as last_resolved_at,
        min(case when status_group = 'closed' then changed_at end) as closed_at,
        count(case
            when status_group not in ('solved', 'closed') and previous_group in ('solved', 'closed') then 1
        end) as reopen_count
    from ordered
    group by escalation_key
),

owner_changes as (
    select
        'zendesk:' || cast(ticket_id as {{ type_text() }}) as escalation_key,
        created_at as changed_at,
        lpad(cast(event_id as {{ type_text() }}), 20, '0') as tie_breaker,
        field_value as owner
    from {{ scoped_ref('stg_zendesk__ticket_audit_events') }}
    where field_name = 'assignee_id' and field_value is not null
    union
    select
        'salesforce:' || case_id as escalation_key,
        created_at as changed_at,
        case_history_id as tie_breaker,
        new_value as owner
    from {{ scoped_ref('stg_salesforce__case_history') }}
    -- an owner change writes two rows (names and ids): the EntityId row is the one to count
    where field = 'Owner' and data_type = 'EntityId' and not is_deleted
    union
    select
        'hubspot:' || ticket_id as escalation_key,
        changed_at,
        lpad(cast(1000000 - history_position as {{ type_text() }}), 20, '0') as tie_breaker,
        property_value as owner
    from {{ scoped_ref('stg_hubspot__ticket_property_history') }}
    where property_name = 'hubspot_owner_id' and property_value is not null
),

owner_ordered as (
    select
        escalation_key,
        owner,
        lag(owner) over (partition by escalation_key order by changed_at, tie_breaker) as previous_owner
    from owner_changes
),

owner_facts as (
    select
        escalation_key,
        count(case when previous_owner is not null and owner != previous_owner then 1 end) as reassignment_count
    from owner_ordered
    group by escalation_key
)

select
    s.escalation_key,
    s.first_resolved_at,
    s.last_resolved_at,
    s.closed_at,
    s.reopen_count,
    coalesce(o.reassignment_count, 0) as reassignment_count
from status_facts as s
left join owner_facts as o on s.escalation_key = o.escalation_key
