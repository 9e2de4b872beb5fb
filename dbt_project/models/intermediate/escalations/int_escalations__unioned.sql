-- Zendesk tickets, Salesforce cases and HubSpot tickets in one shape, mapped through the seeds.
-- Unknown values become 'unknown' (or 'other' for channel): they are kept, never dropped.
{{ per_escalation_config() }}

with zendesk as (
    select
        'zendesk' as source_system,
        cast(t.ticket_id as {{ type_text() }}) as native_id,
        t.via_channel as tool_channel,
        t.priority as tool_priority,
        t.status as tool_status,
        g.group_name as team_ref,
        cast(t.requester_id as {{ type_text() }}) as requester_ref,
        t.created_at,
        t.is_deleted
    from {{ scoped_ref('stg_zendesk__tickets', 't') }}
    left join {{ ref('stg_zendesk__groups') }} as g on t.group_id = g.group_id
),

salesforce as (
    select
        'salesforce' as source_system,
        c.case_id as native_id,
        c.origin as tool_channel,
        c.priority as tool_priority,
        c.status as tool_status,
        u.department as team_ref,
        coalesce(c.contact_id, 'case-' || c.case_id) as requester_ref,
        c.created_at,
        c.is_deleted
    from {{ scoped_ref('stg_salesforce__cases', 'c') }}
    left join {{ ref('stg_salesforce__users') }} as u on c.owner_id = u.user_id
),

hubspot_teams as (
    select * from {{ ref('int_escalations__hubspot_owner_teams') }}
),

hubspot as (
    select
        'hubspot' as source_system,
        t.ticket_id as native_id,
        t.source_type as tool_channel,
        t.priority as tool_priority,
        s.stage_label as tool_status,
        o.team_name as team_ref,
        t.requester_ref,
        t.created_at,
        t.is_deleted
    from {{ scoped_ref('stg_hubspot__tickets', 't') }}
    left join {{ ref('stg_hubspot__pipeline_stages') }} as s
        on t.pipeline_id = s.pipeline_id and t.stage_id = s.stage_id
    left join hubspot_teams as o on t.owner_id = o.owner_id
),

tickets as (
    select * from zendesk
    union all
    select * from salesforce
    union all
    select * from hubspot
),

categories as (
    select distinct issue_category from {{ ref('issue_taxonomy') }}
),

root_causes as (
    select distinct root_cause from {{ ref('issue_taxonomy') }}
),

keyed as (
    select
        t.*,
        t.source_system || ':' || t.native_id as escalation_key
    from tickets as t
    where not t.is_deleted
)

select
    k.escalation_key,
    k.source_system,
    k.native_id,
    coalesce(ch_field.channel, ch_any.channel, ch_tool.channel, 'other') as channel,
    coalesce(p.priority, 'unknown') as priority,
    coalesce(st.status_group, 'unknown') as status_group,
    coalesce(cat.issue_category, 'unknown') as issue_category,
    coalesce(rc.root_cause, 'unknown') as root_cause,
    coalesce(mk.market, 'unknown') as market,
    coalesce(rt.requester_type, 'user') as requester_type,
    coalesce(a.escalation_tier_raw, 'unknown') as escalation_tier,
    coalesce(tm.team, 'unassigned') as owning_team,
    {{ keyed_hash("k.source_system || ':' || k.requester_ref") }} as requester_key,
    k.created_at
from keyed as k
left join {{ scoped_ref('int_escalations__attributes', 'a') }} on k.escalation_key = a.escalation_key
left join {{ ref('map_channels') }} as ch_field
    on ch_field.source_system = 'any' and a.intake_channel_raw = ch_field.source_value
left join {{ ref('map_channels') }} as ch_tool
    on k.source_system = ch_tool.source_system and k.tool_channel = ch_tool.source_value
left join {{ ref('map_channels') }} as ch_any
    on ch_any.source_system = 'any' and k.tool_channel = ch_any.source_value and ch_field.channel is null
left join {{ ref('map_priorities') }} as p
    on k.source_system = p.source_system and k.tool_priority = p.source_value
left join {{ ref('map_statuses') }} as st
    on k.source_system = st.source_system and k.tool_status = st.source_value
left join categories as cat
    on a.issue_category_raw = cat.issue_category
left join root_causes as rc
    on a.root_cause_raw = rc.root_cause
left join {{ ref('dim_market') }} as mk on a.market_raw = mk.market
left join {{ ref('map_requester_types') }} as rt on a.creator_tier_raw = rt.source_value
left join {{ ref('map_teams') }} as tm on k.source_system = tm.source_system and k.team_ref = tm.source_value
