-- One row per non-deleted escalation (Zendesk ticket, Salesforce case, HubSpot ticket).
-- Business minutes count the escalation's own schedule, each stretch of a clock on the schedule
-- in force then (int_escalations__schedule_stretches); schedule_key is the one in force now. The
-- SLA columns summarize its instances in fct_sla_events.
{{ per_escalation_config() }}

with escalations as (
    select * from {{ scoped_ref('int_escalations__unioned') }}
),

lifecycle as (
    select * from {{ scoped_ref('int_escalations__lifecycle') }}
),

zendesk_replies as (
    select * from {{ scoped_ref('int_escalations__replies') }}
),

salesforce_first_reply as (
    select
        'salesforce:' || m.case_id as escalation_key,
        min(m.completed_at) as first_reply_at
    from {{ scoped_ref('stg_salesforce__case_milestones', 'm') }}
    inner join {{ ref('map_salesforce_milestones') }} as t
        on m.milestone_type_id = t.milestone_type_id and t.metric = 'first_reply_time'
    group by m.case_id
),

hubspot_first_reply as (
    select
        'hubspot:' || ticket_id as escalation_key,
        first_agent_reply_at as first_reply_at
    from {{ scoped_ref('stg_hubspot__tickets') }}
),

csat as (
    select
        'zendesk:' || cast(ticket_id as {{ type_text() }}) as escalation_key,
        score
    from (
        select
            ticket_id,
            score,
            row_number() over (partition by ticket_id order by updated_at desc, rating_id desc) as newest
        from {{ scoped_ref('stg_zendesk__satisfaction_ratings') }}
    ) as ranked
    where newest = 1 and score in ('good', 'bad')
),

sla as (
    select
        escalation_key,
        bool_or(is_breached) as any_sla_breached,
        count(*) as sla_instances,
        count(case when is_breached then 1 end) as sla_breaches
    from {{ scoped_ref('fct_sla_events') }}
    group by escalation_key
),

joined as (
    select
        e.*,
        sc.schedule_key,
        sla.any_sla_breached,
        coalesce(sla.sla_instances, 0) as sla_instances,
        coalesce(sla.sla_breaches, 0) as sla_breaches,
        coalesce(zr.first_reply_at, sr.first_reply_at, hr.first_reply_at) as first_reply_at,
        zr.agent_reply_count as zendesk_reply_count,
        l.first_resolved_at,
        l.last_resolved_at,
        l.closed_at,
        coalesce(l.reopen_count, 0) as reopen_count,
        coalesce(l.reassignment_count, 0) as reassignment_count,
        c.score as csat_score
    from escalations as e
    left join lifecycle as l on e.escalation_key = l.escalation_key
    left join zendesk_replies as zr on e.escalation_key = zr.escalation_key
    left join salesforce_first_reply as sr on e.escalation_key = sr.escalation_key
    left join hubspot_first_reply as hr on e.escalation_key = hr.escalation_key
    left join csat as c on e.escalation_key = c.escalation_key
    left join {{ scoped_ref('int_escalations__schedule', 'sc') }} on e.escalation_key = sc.escalation_key
    left join sla on e.escalation_key = sla.escalation_key
),

timed as (
    select
        j.*,
        coalesce(sg.is_open, true) as is_open_status,
        {{ epoch_s('j.created_at') }} as created_s,
        {{ epoch_s('j.first_reply_at') }} as first_reply_s,
        case when not coalesce(sg.is_open, true) then {{ epoch_s('j.last_resolved_at') }} end as resolved_s
    from joined as j
    left join {{ ref('dim_status_group') }} as sg on j.status_group = sg.status_group
),

spans as (
    -- the two clocks from creation, each measured in business time below
    select
        escalation_key,
        'first_reply' as span,
        created_s as start_s,
        first_reply_s as end_s
    from timed
    where first_reply_s >= created_s
    union all
    select
        escalation_key,
        'resolution' as span,
        created_s as start_s,
        resolved_s as end_s
    from timed
    where resolved_s >= created_s
),

span_parts as (
    -- each clock cut at the escalation's schedule changes: a part counts on the schedule in force
    select
        s.escalation_key,
        s.span,
        st.schedule_key,
        greatest(s.start_s, st.from_s) as part_start_s,
        least(s.end_s, st.to_s) as part_end_s
    from spans as s
    inner join {{ scoped_ref('int_escalations__schedule_stretches', 'st') }}
        on s.escalation_key = st.escalation_key and s.end_s >= st.from_s and s.start_s < st.to_s
),

part_business as (
    select
        p.escalation_key,
        p.span,
        ({{ open_s_at('pe', 'p.part_end_s') }} - {{ open_s_at('ps', 'p.part_start_s') }})
        / cast(60 as {{ type_double() }}) as minutes
    from span_parts as p
    {{ period_at_join('p.schedule_key', 'p.part_start_s', 'ps') }}
    {{ period_at_join('p.schedule_key', 'p.part_end_s', 'pe') }}
),

business as (
    select
        escalation_key,
        sum(case when span = 'first_reply' then minutes end) as first_reply_minutes_business,
        sum(case when span = 'resolution' then minutes end) as full_resolution_minutes_business
    from part_business
    group by escalation_key
)

select
    cast(j.escalation_key as {{ type_text() }}) as escalation_key,
    cast(j.source_system as {{ type_text() }}) as source_system,
    cast(j.native_id as {{ type_text() }}) as native_id,
    cast(j.channel as {{ type_text() }}) as channel,
    cast(j.priority as {{ type_text() }}) as priority,
    cast(j.status_group as {{ type_text() }}) as status_group,
    cast(coalesce(sg.is_open, true) as boolean) as is_open,
    cast(j.issue_category as {{ type_text() }}) as issue_category,
    cast(j.root_cause as {{ type_text() }}) as root_cause,
    cast(j.market as {{ type_text() }}) as market,
    cast(j.requester_type as {{ type_text() }}) as requester_type,
    cast(j.escalation_tier as {{ type_text() }}) as escalation_tier,
    cast(j.owning_team as {{ type_text() }}) as owning_team,
    cast(j.requester_key as {{ type_text() }}) as requester_key,
    cast(j.created_at as {{ type_timestamptz() }}) as created_at,
    {{ local_date('j.created_at', "coalesce(mk.time_zone, 'UTC')") }} as created_date_local,
    cast(j.first_reply_at as {{ type_timestamptz() }}) as first_reply_at,
    cast(j.first_resolved_at as {{ type_timestamptz() }}) as first_resolved_at,
    cast(case when not coalesce(sg.is_open, true) then j.last_resolved_at end as {{ type_timestamptz() }})
        as last_resolved_at,
    cast(j.closed_at as {{ type_timestamptz() }}) as closed_at,
    cast(
        {{ minutes_between('j.created_at', 'j.first_reply_at') }} as {{ type_double() }}
    ) as first_reply_minutes_calendar,
    cast(b.first_reply_minutes_business as {{ type_double() }}) as first_reply_minutes_business,
    cast(
        case when not coalesce(sg.is_open, true) then {{ minutes_between('j.created_at', 'j.last_resolved_at') }} end
        as {{ type_double() }}
    ) as full_resolution_minutes_calendar,
    cast(b.full_resolution_minutes_business as {{ type_double() }}) as full_resolution_minutes_business,
    cast(j.reopen_count as integer) as reopen_count,
    cast(j.reassignment_count as integer) as reassignment_count,
    cast(case when j.source_system = 'zendesk' then coalesce(j.zendesk_reply_count, 0) end as integer)
        as agent_reply_count,
    cast(
        case
            when j.source_system != 'zendesk' or coalesce(sg.is_open, true) then null
            else coalesce(j.zendesk_reply_count, 0) = 1 and j.reopen_count = 0
        end as boolean
    ) as is_one_touch,
    cast(j.csat_score as {{ type_text() }}) as csat_score,
    cast(j.any_sla_breached as boolean) as any_sla_breached,
    cast(j.sla_instances as integer) as sla_instances,
    cast(j.sla_breaches as integer) as sla_breaches,
    cast(j.schedule_key as {{ type_text() }}) as schedule_key,
    cast(coalesce(ch.is_restricted, false) as boolean) as is_restricted
from joined as j
left join business as b on j.escalation_key = b.escalation_key
left join {{ ref('dim_status_group') }} as sg on j.status_group = sg.status_group
left join {{ ref('channels') }} as ch on j.channel = ch.channel
left join {{ ref('dim_market') }} as mk on j.market = mk.market
