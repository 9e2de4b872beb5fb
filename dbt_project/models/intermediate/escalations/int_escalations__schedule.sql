-- The business schedule each escalation's clocks run on. Zendesk: the schedule a trigger set
-- (the last schedule_id change), else the account default (the first schedule listed).
-- Salesforce: the case's BusinessHoursId, else the default BusinessHours. HubSpot: the schedule
-- named for it in the map_default_schedules seed.
{{ per_escalation_config() }}

with schedules as (
    select
        schedule_key,
        source_system,
        is_default
    from {{ ref('int_sla__schedules') }}
),

zendesk_set as (
    select
        'zendesk:' || cast(ticket_id as varchar) as escalation_key,
        'zendesk:' || field_value as schedule_key,
        row_number() over (partition by ticket_id order by created_at desc, event_id desc) as recency
    from {{ scoped_ref('stg_zendesk__ticket_audit_events') }}
    where field_name = 'schedule_id' and field_value is not null
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

cases as (
    select
        'salesforce:' || case_id as escalation_key,
        'salesforce:' || business_hours_id as schedule_key
    from {{ scoped_ref('stg_salesforce__cases') }}
    where business_hours_id is not null and business_hours_id != ''
)

select
    e.escalation_key,
    coalesce(zs.schedule_key, c.schedule_key, d.schedule_key) as schedule_key
from {{ scoped_ref('int_escalations__unioned') }} as e
left join zendesk_set as zs on e.escalation_key = zs.escalation_key and zs.recency = 1
left join cases as c on e.escalation_key = c.escalation_key
left join defaults as d on e.source_system = d.source_system
