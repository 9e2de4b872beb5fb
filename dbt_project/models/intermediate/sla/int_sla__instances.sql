-- One row per escalation, SLA metric and instance: when its clock starts, when it was fulfilled
-- (null while it is not), and in which status groups it runs (running_in).
--   first_reply_time       creation -> first public agent reply (the request is not a reply)
--   next_reply_time        oldest unanswered public requester comment -> next public agent reply
--   periodic_update_time   public agent reply -> next one (or the solve), always running
--   pausable_update_time   the same, running only in new, open and on_hold
--   requester_wait_time    creation -> solve, running in new, open and on_hold
--   agent_work_time        creation -> solve, running in new and open
--   total_resolution_time  creation -> last solve
-- Zendesk instances come from the audits; Salesforce ones are its CaseMilestones, whose clocks run
-- unless the case is stopped ('unless_stopped': int_sla__salesforce_running_stretches); HubSpot has
-- first reply and resolution from the ticket's own dates, running in the status groups its
-- pipeline's goals name (map_hubspot_sla.running_in).
{{ per_escalation_config() }}

with update_metrics as (
    select
        'periodic_update_time' as metric,
        'always' as running_in
    union all
    select
        'pausable_update_time' as metric,
        'requester_wait' as running_in
),

whole_life_metrics as (
    select
        'requester_wait_time' as metric,
        'requester_wait' as running_in
    union all
    select
        'agent_work_time' as metric,
        'agent_work' as running_in
    union all
    select
        'total_resolution_time' as metric,
        'always' as running_in
),

hubspot_metrics as (
    select 'first_reply_time' as metric
    union all
    select 'total_resolution_time' as metric
),

escalations as (
    select
        escalation_key,
        source_system,
        created_at
    from {{ scoped_ref('int_escalations__unioned') }}
),

runs as (
    select
        escalation_key,
        status_group,
        run_from,
        run_to,
        lag(status_group) over (partition by escalation_key order by run_from) as previous_status
    from {{ scoped_ref('int_sla__status_runs') }}
),

current_status as (
    select
        escalation_key,
        status_group
    from runs
    where run_to is null
),

solves as (
    select
        escalation_key,
        run_from as solved_at
    from runs
    where status_group = 'solved'
),

last_done as (
    -- the last time the escalation entered solved or closed from a status still being worked
    select
        r.escalation_key,
        max(r.run_from) as done_at
    from runs as r
    where r.status_group in ('solved', 'closed') and coalesce(r.previous_status, 'new') not in ('solved', 'closed')
    group by r.escalation_key
),

finished as (
    select
        d.escalation_key,
        d.done_at,
        (
            select max(s.solved_at) from solves as s
            where s.escalation_key = d.escalation_key
        ) as last_solved_at
    from last_done as d
    inner join current_status as c on d.escalation_key = c.escalation_key
    where c.status_group in ('solved', 'closed')
),

replies as (
    select
        escalation_key,
        commented_at,
        event_id,
        author_side
    from {{ scoped_ref('int_escalations__public_comments') }}
    where not is_request
),

first_replies as (
    select
        escalation_key,
        min(commented_at) as first_reply_at
    from replies
    where author_side = 'agent'
    group by escalation_key
),

zendesk_first_reply as (
    select
        e.escalation_key,
        'first_reply_time' as metric,
        1 as instance,
        e.created_at as started_at,
        f.first_reply_at as fulfilled_at,
        'always' as running_in
    from escalations as e
    left join first_replies as f on e.escalation_key = f.escalation_key
    where e.source_system = 'zendesk'
),

exchange_items as (
    -- after the first reply: public comments in order, an agent's before a requester's at the
    -- same instant; the first reply itself opens the sequence as an agent item
    select
        r.escalation_key,
        r.commented_at,
        case when r.author_side = 'agent' then 0 else 1 end as side_rank,
        r.event_id
    from replies as r
    inner join first_replies as f on r.escalation_key = f.escalation_key
    where r.commented_at > f.first_reply_at
    union all
    select
        escalation_key,
        first_reply_at as commented_at,
        0 as side_rank,
        -1 as event_id
    from first_replies
),

exchange_ordered as (
    select
        *,
        lag(side_rank) over (partition by escalation_key order by commented_at, side_rank, event_id)
            as previous_rank,
        min(case when side_rank = 0 then commented_at end) over (
            partition by escalation_key order by commented_at, side_rank, event_id
            rows between current row and unbounded following
        ) as next_agent_at
    from exchange_items
),

next_reply as (
    select
        escalation_key,
        'next_reply_time' as metric,
        row_number() over (partition by escalation_key order by commented_at, event_id) as instance,
        commented_at as started_at,
        next_agent_at as fulfilled_at,
        'always' as running_in
    from exchange_ordered
    where side_rank = 1 and previous_rank = 0
),

agent_replies as (
    select
        r.escalation_key,
        r.commented_at,
        lead(r.commented_at) over (partition by r.escalation_key order by r.commented_at, r.event_id)
            as next_reply_at,
        (
            select min(s.solved_at) from solves as s
            where s.escalation_key = r.escalation_key and s.solved_at >= r.commented_at
        ) as solved_at
    from replies as r
    where r.author_side = 'agent'
),

update_windows as (
    select
        escalation_key,
        commented_at as started_at,
        case
            when next_reply_at is null then solved_at
            when solved_at is null then next_reply_at
            else least(next_reply_at, solved_at)
        end as fulfilled_at,
        row_number() over (partition by escalation_key order by commented_at, next_reply_at) as instance
    from agent_replies
    -- a reply made with the solve closes nothing: it opens no update window
    where solved_at is null or solved_at != commented_at
),

updates as (
    select
        escalation_key,
        m.metric,
        instance,
        started_at,
        fulfilled_at,
        m.running_in
    from update_windows
    cross join update_metrics as m
),

whole_life as (
    select
        e.escalation_key,
        m.metric,
        1 as instance,
        e.created_at as started_at,
        case when m.metric = 'total_resolution_time' then coalesce(f.last_solved_at, f.done_at) else f.done_at end
            as fulfilled_at,
        m.running_in
    from escalations as e
    cross join whole_life_metrics as m
    left join finished as f on e.escalation_key = f.escalation_key
    where e.source_system = 'zendesk'
),

salesforce as (
    -- a milestone's clock runs unless the case is stopped (int_sla__salesforce_running_stretches)
    select
        m.escalation_key,
        m.metric,
        m.instance,
        m.started_at,
        m.completed_at as fulfilled_at,
        'unless_stopped' as running_in
    from {{ scoped_ref('int_sla__salesforce_milestones', 'm') }}
),

hubspot_running as (
    -- the statuses a pipeline's SLA goal runs in (HubSpot pauses it in the others)
    select
        hs_pipeline,
        metric,
        min(running_in) as running_in
    from {{ ref('map_hubspot_sla') }}
    group by hs_pipeline, metric
),

hubspot as (
    select
        'hubspot:' || t.ticket_id as escalation_key,
        m.metric,
        1 as instance,
        t.created_at as started_at,
        case when m.metric = 'first_reply_time' then t.first_agent_reply_at else f.done_at end as fulfilled_at,
        coalesce(r.running_in, 'always') as running_in
    from {{ scoped_ref('stg_hubspot__tickets', 't') }}
    cross join hubspot_metrics as m
    left join finished as f on 'hubspot:' || t.ticket_id = f.escalation_key
    left join hubspot_running as r on t.pipeline_id = r.hs_pipeline and m.metric = r.metric
),

unioned as (
    select * from zendesk_first_reply
    union all
    select * from next_reply
    union all
    select * from updates
    union all
    select * from whole_life
    union all
    select * from salesforce
    union all
    select * from hubspot
)

select
    u.escalation_key || ':' || u.metric || ':' || cast(u.instance as {{ dbt.type_string() }}) as sla_event_key,
    u.escalation_key,
    u.metric,
    cast(u.instance as integer) as instance,
    u.started_at,
    u.fulfilled_at,
    u.running_in
from unioned as u
inner join escalations as e on u.escalation_key = e.escalation_key
