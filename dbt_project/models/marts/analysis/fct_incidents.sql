-- One row per PagerDuty incident: first acknowledgement (the incident's acknowledgements or its
-- acknowledge log entries, whichever is first) and resolution, minutes to acknowledge and to
-- resolve, and the escalations opened in its window (from its creation to incident_tail_hours
-- after it resolved) on the issue categories its service backs (issue_taxonomy.pagerduty_service),
-- with the rate in the window against the same categories' rate over the 7 days before.
with incidents as (
    select * from {{ ref('stg_pagerduty__incidents') }}
),

log_acks as (
    select
        incident_id,
        min(case when entry_type = 'acknowledge_log_entry' then created_at end) as acknowledged_at,
        min(case when entry_type = 'resolve_log_entry' then created_at end) as resolved_at
    from {{ ref('stg_pagerduty__log_entries') }}
    group by incident_id
),

timed as (
    select
        i.incident_id,
        i.title,
        i.status,
        i.urgency,
        i.service_name,
        i.created_at,
        case
            when i.first_acknowledged_at is null then l.acknowledged_at
            when l.acknowledged_at is null then i.first_acknowledged_at
            else least(i.first_acknowledged_at, l.acknowledged_at)
        end as acknowledged_at,
        coalesce(i.resolved_at, l.resolved_at) as resolved_at
    from incidents as i
    left join log_acks as l on i.incident_id = l.incident_id
),

categories as (
    select distinct
        pagerduty_service,
        issue_category
    from {{ ref('issue_taxonomy') }}
    where pagerduty_service is not null
),

windowed as (
    select
        t.*,
        coalesce(t.resolved_at, {{ as_of() }}) + interval '{{ var("incident_tail_hours") }} hours' as window_end_at
    from timed as t
),

linked as (
    select
        w.incident_id,
        count(
            distinct case when e.created_at >= w.created_at and e.created_at < w.window_end_at then e.escalation_key end
        )
            as escalations_linked,
        count(distinct case
            when e.created_at >= w.created_at - interval '7 days' and e.created_at < w.created_at then e.escalation_key
        end) as escalations_week_before
    from windowed as w
    inner join categories as c on w.service_name = c.pagerduty_service
    inner join {{ ref('fct_escalations') }} as e
        on
            c.issue_category = e.issue_category
            and e.created_at >= w.created_at - interval '7 days'
            and w.window_end_at > e.created_at
    group by w.incident_id
)

select
    cast(w.incident_id as {{ type_text() }}) as incident_key,
    cast(w.title as {{ type_text() }}) as title,
    cast(w.status as {{ type_text() }}) as status,
    cast(w.urgency as {{ type_text() }}) as urgency,
    cast(w.service_name as {{ type_text() }}) as service,
    cast(w.created_at as {{ type_timestamptz() }}) as created_at,
    cast(w.acknowledged_at as {{ type_timestamptz() }}) as acknowledged_at,
    cast(w.resolved_at as {{ type_timestamptz() }}) as resolved_at,
    cast({{ minutes_between('w.created_at', 'w.acknowledged_at') }} as {{ type_double() }}) as minutes_to_acknowledge,
    cast({{ minutes_between('w.created_at', 'w.resolved_at') }} as {{ type_double() }}) as minutes_to_resolve,
    cast(w.window_end_at as {{ type_timestamptz() }}) as window_end_at,
    cast(coalesce(l.escalations_linked, 0) as integer) as escalations_linked,
    cast(
        coalesce(l.escalations_linked, 0) / nullif({{ minutes_between('w.created_at', 'w.window_end_at') }} / 60.0, 0)
        as {{ type_double() }}
    ) as escalations_per_hour_in_window,
    cast(
        coalesce(l.escalations_week_before, 0) / cast(168 as {{ type_double() }}) as {{ type_double() }}
    ) as escalations_per_hour_week_before,
    cast(
        (coalesce(l.escalations_linked, 0) / nullif({{ minutes_between('w.created_at', 'w.window_end_at') }} / 60.0, 0))
        / nullif(coalesce(l.escalations_week_before, 0) / cast(168 as {{ type_double() }}), 0)
        as {{ type_double() }}
    ) as spike_ratio
from windowed as w
left join linked as l on w.incident_id = l.incident_id
