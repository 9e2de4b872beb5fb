-- Handoffs and rework per month (of creation) x owning team x channel x priority: reassignments,
-- ping-pong (an escalation handed back to an assignee it had two owners before: A -> B -> A),
-- reopens and one-touch resolutions.
with owners as (
    select
        escalation_key,
        valid_from,
        assignee,
        lag(assignee) over (partition by escalation_key order by valid_from) as previous_assignee
    from {{ ref('fct_status_intervals') }}
),

changes as (
    select
        escalation_key,
        valid_from,
        assignee,
        previous_assignee,
        lag(previous_assignee) over (partition by escalation_key order by valid_from) as assignee_before_previous
    from owners
    where assignee is not null and previous_assignee is not null and assignee != previous_assignee
),

per_escalation as (
    select
        escalation_key,
        count(case when assignee = assignee_before_previous then 1 end) as ping_pongs
    from changes
    group by escalation_key
)

select
    cast(
        cast(cast(date_trunc('month', e.created_at) as date) as {{ type_text() }})
        || '|' || e.owning_team || '|' || e.channel
        || '|' || e.priority as {{ type_text() }}
    ) as handoff_key,
    cast(date_trunc('month', e.created_at) as date) as month_start,
    cast(e.owning_team as {{ type_text() }}) as team,
    cast(e.channel as {{ type_text() }}) as channel,
    cast(e.priority as {{ type_text() }}) as priority,
    cast(count(*) as integer) as escalations,
    cast(sum(e.reassignment_count) as integer) as reassignments,
    cast(count(case when e.reassignment_count > 0 then 1 end) as integer) as reassigned_escalations,
    cast(sum(coalesce(p.ping_pongs, 0)) as integer) as ping_pongs,
    cast(count(case when p.ping_pongs > 0 then 1 end) as integer) as ping_pong_escalations,
    cast(count(case when p.ping_pongs > 0 then 1 end) as {{ type_double() }}) / count(*) as ping_pong_rate,
    cast(count(case when e.reopen_count > 0 then 1 end) as integer) as reopened_escalations,
    cast(count(case when e.reopen_count > 0 then 1 end) as {{ type_double() }}) / count(*) as reopen_rate,
    cast(count(case when e.is_one_touch then 1 end) as integer) as one_touch_escalations
from {{ ref('fct_escalations') }} as e
left join per_escalation as p on e.escalation_key = p.escalation_key
group by
    cast(date_trunc('month', e.created_at) as date), e.owning_team, e.channel, e.priority
