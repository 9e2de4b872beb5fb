-- Every recorded value of the fields the status clock and the SLA engine follow, per escalation:
-- status (as status group), priority (P0-P3), assignee and team. Initial values come from the
-- Zendesk Create event, the first Salesforce history row's old value (or the case itself when the
-- field never changed) and HubSpot's oldest history entry. Duplicate rows collapse.
{{ per_escalation_config() }}

with salesforce_fields as (
    select 'priority' as field
    union all
    select 'assignee' as field
),

hubspot_fields as (
    select 'assignee' as field
    union all
    select 'team' as field
),

priorities as (
    select
        source_system,
        source_value,
        priority
    from {{ ref('map_priorities') }}
),

teams as (
    select
        source_system,
        source_value,
        team
    from {{ ref('map_teams') }}
),

zendesk_events as (
    select
        'zendesk:' || cast(e.ticket_id as {{ type_text() }}) as escalation_key,
        e.created_at as changed_at,
        lpad(cast(e.event_id as {{ type_text() }}), 20, '0') as tie_breaker,
        e.field_name,
        e.field_value
    from {{ scoped_ref('stg_zendesk__ticket_audit_events', 'e') }}
    where e.event_type in ('Create', 'Change') and e.field_name in ('priority', 'assignee_id', 'group_id')
),

zendesk as (
    select
        z.escalation_key,
        z.changed_at,
        z.tie_breaker,
        case z.field_name when 'assignee_id' then 'assignee' when 'group_id' then 'team' else 'priority' end
            as field,
        case
            when z.field_name = 'priority' then coalesce(p.priority, 'unknown')
            when z.field_name = 'group_id' then coalesce(t.team, 'unassigned')
            else z.field_value
        end as field_value
    from zendesk_events as z
    left join priorities as p on p.source_system = 'zendesk' and z.field_value = p.source_value
    left join {{ ref('stg_zendesk__groups') }} as g
        on z.field_name = 'group_id' and z.field_value = cast(g.group_id as {{ type_text() }})
    left join teams as t on t.source_system = 'zendesk' and g.group_name = t.source_value
),

salesforce_changes as (
    select
        'salesforce:' || h.case_id as escalation_key,
        h.created_at as changed_at,
        '1' || h.case_history_id as tie_breaker,
        case when h.field = 'Priority' then 'priority' else 'assignee' end as field,
        h.old_value,
        h.new_value,
        row_number() over (
            partition by h.case_id, h.field order by h.created_at, h.case_history_id
        ) as change_number
    from {{ scoped_ref('stg_salesforce__case_history', 'h') }}
    where
        not h.is_deleted
        and (h.field = 'Priority' or (h.field = 'Owner' and h.data_type = 'EntityId'))
),

salesforce_initial as (
    -- the value at creation: the first change's old value, or the case's value if none
    select
        'salesforce:' || c.case_id as escalation_key,
        c.created_at as changed_at,
        '0' as tie_breaker,
        f.field,
        coalesce(ch.old_value, case f.field when 'priority' then c.priority else c.owner_id end) as new_value
    from {{ scoped_ref('stg_salesforce__cases', 'c') }}
    cross join salesforce_fields as f
    left join salesforce_changes as ch
        on ch.escalation_key = 'salesforce:' || c.case_id and f.field = ch.field and ch.change_number = 1
),

salesforce_values as (
    select
        escalation_key,
        changed_at,
        tie_breaker,
        field,
        new_value
    from salesforce_changes
    union all
    select * from salesforce_initial
),

salesforce as (
    select
        v.escalation_key,
        v.changed_at,
        v.tie_breaker,
        v.field,
        case when v.field = 'priority' then coalesce(p.priority, 'unknown') else v.new_value end as field_value
    from salesforce_values as v
    left join priorities as p on p.source_system = 'salesforce' and v.new_value = p.source_value
),

salesforce_teams as (
    select
        s.escalation_key,
        s.changed_at,
        s.tie_breaker,
        'team' as field,
        coalesce(t.team, 'unassigned') as field_value
    from salesforce as s
    left join {{ ref('stg_salesforce__users') }} as u on s.field_value = u.user_id
    left join teams as t on t.source_system = 'salesforce' and u.department = t.source_value
    where s.field = 'assignee'
),

hubspot_owner_teams as (
    select * from {{ ref('int_escalations__hubspot_owner_teams') }}
),

hubspot_owners as (
    select
        'hubspot:' || h.ticket_id as escalation_key,
        h.changed_at,
        lpad(cast(1000000 - h.history_position as {{ type_text() }}), 20, '0') as tie_breaker,
        h.property_value as owner_id
    from {{ scoped_ref('stg_hubspot__ticket_property_history', 'h') }}
    where h.property_name = 'hubspot_owner_id'
),

hubspot as (
    select
        o.escalation_key,
        o.changed_at,
        o.tie_breaker,
        f.field,
        case when f.field = 'assignee' then o.owner_id else coalesce(t.team, 'unassigned') end as field_value
    from hubspot_owners as o
    cross join hubspot_fields as f
    left join hubspot_owner_teams as ot on o.owner_id = ot.owner_id
    left join teams as t on t.source_system = 'hubspot' and ot.team_name = t.source_value
),

hubspot_priority as (
    -- HubSpot exports no priority history: the current priority holds from creation
    select
        'hubspot:' || tk.ticket_id as escalation_key,
        tk.created_at as changed_at,
        '0' as tie_breaker,
        'priority' as field,
        coalesce(p.priority, 'unknown') as field_value
    from {{ scoped_ref('stg_hubspot__tickets', 'tk') }}
    left join priorities as p on p.source_system = 'hubspot' and tk.priority = p.source_value
),

statuses as (
    select
        escalation_key,
        changed_at,
        tie_breaker,
        'status' as field,
        status_group as field_value
    from {{ scoped_ref('int_escalations__status_changes') }}
),

unioned as (
    select * from zendesk
    union all
    select * from salesforce
    union all
    select * from salesforce_teams
    union all
    select * from hubspot
    union all
    select * from hubspot_priority
    union all
    select * from statuses
)

select distinct
    escalation_key,
    changed_at,
    tie_breaker,
    field,
    field_value
from unioned
