-- The business schedule each escalation's clocks ran on, stretch by stretch: one row per
-- escalation and stretch of one schedule, from its creation on (the last one has no end).
--   Zendesk: the account default (the first schedule listed) until a trigger sets another
--     (a schedule_id change in the audits); each change holds until the next, a cleared one
--     reverts to the default. Zendesk measures each stretch on the schedule that applied then, and
--     so does every clock built on this model.
--   Salesforce: the case's BusinessHoursId (else the default BusinessHours) from creation.
--   HubSpot: the operating hours of the ticket's pipeline (sla_hubspot_business_hours), else the
--     schedule map_default_schedules names for HubSpot.
{{ per_escalation_config() }}

with escalations as (
    select
        escalation_key,
        source_system,
        created_at
    from {{ scoped_ref('int_escalations__unioned') }}
),

schedules as (
    select
        schedule_key,
        source_system,
        is_default
    from {{ ref('int_sla__schedules') }}
),

defaults as (
    select
        source_system,
        min(schedule_key) as schedule_key
    from schedules
    where is_default
    group by source_system
    union all
    select
        m.source_system,
        m.schedule_key
    from {{ ref('map_default_schedules') }} as m
    inner join schedules as s on m.schedule_key = s.schedule_key
),

zendesk_changes as (
    -- the last schedule change at each instant (changes before creation count from creation)
    select
        e.escalation_key,
        greatest(a.created_at, e.created_at) as changed_at,
        a.field_value,
        row_number() over (
            partition by e.escalation_key, greatest(a.created_at, e.created_at) order by a.event_id desc
        ) as recency
    from {{ scoped_ref('stg_zendesk__ticket_audit_events', 'a') }}
    inner join escalations as e on a.escalation_key = e.escalation_key
    where a.field_name = 'schedule_id' and a.event_type in ('Create', 'Change')
),

zendesk_points as (
    select
        e.escalation_key,
        e.created_at as changed_at,
        d.schedule_key,
        'default' as set_by
    from escalations as e
    inner join defaults as d on e.source_system = d.source_system
    where e.source_system = 'zendesk'
    union all
    select
        c.escalation_key,
        c.changed_at,
        coalesce('zendesk:' || nullif(c.field_value, ''), d.schedule_key) as schedule_key,
        'trigger' as set_by
    from zendesk_changes as c
    left join defaults as d on d.source_system = 'zendesk'
    where c.recency = 1
),

zendesk_ordered as (
    -- at one instant a trigger's setting wins over the default
    select
        escalation_key,
        changed_at,
        schedule_key,
        set_by,
        row_number() over (
            partition by escalation_key, changed_at order by case when set_by = 'trigger' then 0 else 1 end
        ) as precedence
    from zendesk_points
),

zendesk_runs as (
    select
        escalation_key,
        changed_at,
        schedule_key,
        set_by,
        lag(schedule_key) over (partition by escalation_key order by changed_at) as previous_schedule_key
    from zendesk_ordered
    where precedence = 1
),

zendesk as (
    select
        escalation_key,
        changed_at as valid_from,
        schedule_key,
        set_by
    from zendesk_runs
    -- a change to the schedule already in force changes nothing
    where previous_schedule_key is null or schedule_key != previous_schedule_key
),

salesforce as (
    select
        e.escalation_key,
        e.created_at as valid_from,
        coalesce('salesforce:' || nullif(c.business_hours_id, ''), d.schedule_key) as schedule_key,
        case when nullif(c.business_hours_id, '') is not null then 'case' else 'default' end as set_by
    from escalations as e
    inner join {{ scoped_ref('stg_salesforce__cases', 'c') }} on e.escalation_key = c.escalation_key
    left join defaults as d on d.source_system = 'salesforce'
),

hubspot as (
    select
        e.escalation_key,
        e.created_at as valid_from,
        coalesce(p.schedule_key, d.schedule_key) as schedule_key,
        case when p.schedule_key is not null then 'pipeline' else 'default' end as set_by
    from escalations as e
    inner join {{ scoped_ref('stg_hubspot__tickets', 't') }} on e.escalation_key = t.escalation_key
    left join schedules as p on p.schedule_key = 'hubspot:pipeline:' || t.pipeline_id
    left join defaults as d on d.source_system = 'hubspot'
),

unioned as (
    select * from zendesk
    union all
    select * from salesforce
    union all
    select * from hubspot
),

stretches as (
    select
        escalation_key,
        cast(row_number() over (partition by escalation_key order by valid_from) as integer) as stretch_number,
        schedule_key,
        set_by,
        valid_from,
        lead(valid_from) over (partition by escalation_key order by valid_from) as valid_to
    from unioned
    where schedule_key is not null
)

select
    *,
    -- the same bounds in epoch seconds for the clocks' range joins, the first stretch from the
    -- beginning of time and the last to its end (every instant of a clock falls in one stretch)
    case when stretch_number = 1 then -{{ 2 ** 40 }} else {{ epoch_s('valid_from') }} end as from_s,
    coalesce({{ epoch_s('valid_to') }}, {{ 2 ** 40 }}) as to_s
from stretches
