-- One row per escalation, SLA metric and instance that a policy held to a target.
--
-- The clock runs over the instance's running stretches (its status groups, or for a Salesforce
-- milestone the stretches its case was not stopped, from its start to its fulfilment or the as-of
-- instant). Elapsed time is counted on each application's clock (calendar, a Salesforce
-- milestone's business hours, or the escalation's schedule: each stretch on the schedule then in
-- force, as a trigger may move a ticket to another): the target is crossed at the first instant
-- the elapsed time exceeds it, pauses excluded. Paused time is what the same clock counted between
-- the start and the window's end while the instance's clock did not run. A re-application
-- (priority change) keeps the clock's start and holds it to the new target from then on; if the
-- elapsed time is already past it, the breach is at the re-application. All lookups go through
-- macros/business_time.sql: the cost grows with the number of stretches, not with their length.
{{ per_escalation_config(post_hook=["{{ restamp_as_of() }}"]) }}

with instances as (
    select
        i.*,
        {{ epoch_s('i.started_at') }} as start_s,
        {{ epoch_s('coalesce(i.fulfilled_at, ' ~ as_of() ~ ')') }} as window_end_s
    from {{ scoped_ref('int_sla__instances', 'i') }}
),

segments as (
    select
        s.*,
        {{ epoch_s('s.applied_at') }} as applied_s,
        {{ epoch_s('s.applied_until') }} as applied_until_s,
        cast(s.target_minutes as bigint) * 60 as target_s
    from {{ scoped_ref('int_sla__segments', 's') }}
),

targeted as (
    select * from segments
    where target_minutes is not null
),

current_segment as (
    -- the last application with a target: what the instance is held to now
    select *
    from (
        select
            *,
            row_number() over (partition by sla_event_key order by segment_number desc) as recency
        from targeted
    ) as t
    where recency = 1
),

first_segment as (
    select
        sla_event_key,
        min(applied_at) as applied_at
    from targeted
    group by sla_event_key
),

running_states as (
    select
        running_in,
        status_group
    from {{ ref('sla_running_states') }}
),

running_stretches as (
    -- when each kind of clock (running_in) of an escalation runs: in the status groups it names
    -- (Zendesk, HubSpot), or while a Salesforce case is not stopped ('unless_stopped')
    select
        r.escalation_key,
        rs.running_in,
        r.run_from,
        r.run_to
    from {{ scoped_ref('int_sla__status_runs', 'r') }}
    inner join running_states as rs on r.status_group = rs.status_group
    union all
    select
        escalation_key,
        'unless_stopped' as running_in,
        run_from,
        run_to
    from {{ scoped_ref('int_sla__salesforce_running_stretches') }}
),

runs as (
    -- the stretches in which each instance's clock runs, clipped to its window
    select
        i.sla_event_key,
        greatest({{ epoch_s('r.run_from') }}, i.start_s) as run_start_s,
        least(coalesce({{ epoch_s('r.run_to') }}, i.window_end_s), i.window_end_s) as run_end_s
    from instances as i
    inner join running_stretches as r
        on
            i.escalation_key = r.escalation_key
            and i.running_in = r.running_in
            and r.run_from < coalesce(i.fulfilled_at, {{ as_of() }})
            and i.started_at < {{ open_end('r.run_to') }}
    where i.sla_event_key in (select sla_event_key from targeted)
),

schedule_stretches as (
    -- the escalation's schedule stretch by stretch, in epoch seconds
    select
        escalation_key,
        schedule_key,
        from_s,
        to_s
    from {{ scoped_ref('int_escalations__schedule_stretches') }}
),

split_runs as (
    -- each running stretch on each application's clock; on the escalation's own schedule, split
    -- where the schedule changed, each part on the schedule then in force
    select
        s.sla_event_key,
        s.segment_number,
        s.clock_key,
        s.target_s,
        s.applied_s,
        s.applied_until_s,
        r.run_start_s,
        r.run_end_s
    from targeted as s
    inner join runs as r on s.sla_event_key = r.sla_event_key
    where not coalesce(s.follows_schedule, false)
    union all
    select
        s.sla_event_key,
        s.segment_number,
        st.schedule_key as clock_key,
        s.target_s,
        s.applied_s,
        s.applied_until_s,
        greatest(r.run_start_s, st.from_s) as run_start_s,
        least(r.run_end_s, st.to_s) as run_end_s
    from targeted as s
    inner join runs as r on s.sla_event_key = r.sla_event_key
    inner join schedule_stretches as st
        on s.escalation_key = st.escalation_key and r.run_end_s > st.from_s and r.run_start_s < st.to_s
    where s.follows_schedule
),

clocked as (
    select * from split_runs
    where run_end_s > run_start_s
),

measured as (
    select
        c.*,
        {{ open_s_at('pa', 'c.run_start_s') }} as open_start_s,
        {{ open_s_at('pb', 'c.run_end_s') }} - {{ open_s_at('pa', 'c.run_start_s') }} as run_open_s
    from clocked as c
    {{ period_at_join('c.clock_key', 'c.run_start_s', 'pa') }}
    {{ period_at_join('c.clock_key', 'c.run_end_s', 'pb') }}
),

accumulated as (
    select
        *,
        coalesce(sum(run_open_s) over (
            partition by sla_event_key, segment_number order by run_start_s
            rows between unbounded preceding and 1 preceding
        ), 0) as elapsed_before_s
    from measured
),

crossing_runs as (
    select
        *,
        open_start_s + target_s - elapsed_before_s as reach_s
    from accumulated
    where elapsed_before_s <= target_s and elapsed_before_s + run_open_s > target_s
),

crossings as (
    -- reached: the instant the elapsed time reached the target; exceeded: the first instant it was
    -- above it (later only when the target was reached exactly as the clock closed or stopped)
    select
        c.sla_event_key,
        c.segment_number,
        greatest({{ instant_at_open_s('pr', 'c.reach_s') }}, c.applied_s) as crossed_s,
        greatest({{ instant_at_open_s('px', 'c.reach_s + 1') }} - 1, c.applied_s) as exceeded_s,
        c.applied_until_s
    from crossing_runs as c
    {{ period_reaching_join('c.clock_key', 'c.reach_s', 'pr') }}
    {{ period_reaching_join('c.clock_key', 'c.reach_s + 1', 'px') }}
),

breaches as (
    select
        sla_event_key,
        min(crossed_s) as breached_s,
        min(exceeded_s) as exceeded_s
    from crossings
    where applied_until_s is null or crossed_s < applied_until_s
    group by sla_event_key
),

elapsed as (
    -- elapsed time on the current application's clock, over every running stretch
    select
        m.sla_event_key,
        sum(m.run_open_s) as elapsed_s,
        max(m.run_end_s) as last_run_end_s
    from measured as m
    inner join current_segment as cs on m.sla_event_key = cs.sla_event_key and m.segment_number = cs.segment_number
    group by m.sla_event_key
),

windows as (
    -- the instance's whole window (start to fulfilment or the as-of instant) on the current
    -- application's clock, split where the escalation's schedule changed
    select
        i.sla_event_key,
        cs.clock_key,
        i.start_s as from_s,
        i.window_end_s as to_s,
        true as is_last
    from instances as i
    inner join current_segment as cs on i.sla_event_key = cs.sla_event_key
    where not coalesce(cs.follows_schedule, false)
    union all
    select
        i.sla_event_key,
        st.schedule_key as clock_key,
        greatest(i.start_s, st.from_s) as from_s,
        least(i.window_end_s, st.to_s) as to_s,
        i.window_end_s < st.to_s as is_last
    from instances as i
    inner join current_segment as cs on i.sla_event_key = cs.sla_event_key
    inner join schedule_stretches as st
        on i.escalation_key = st.escalation_key and i.window_end_s >= st.from_s and i.start_s < st.to_s
    where cs.follows_schedule
),

window_clocks as (
    -- open time of the window on its clock, and the clock in force at its end (the one a due time
    -- is projected on)
    select
        w.sla_event_key,
        sum(greatest({{ open_s_at('wb', 'w.to_s') }} - {{ open_s_at('wa', 'w.from_s') }}, 0)) as window_open_s,
        max(case when w.is_last then w.clock_key end) as end_clock_key
    from windows as w
    {{ period_at_join('w.clock_key', 'w.from_s', 'wa') }}
    {{ period_at_join('w.clock_key', 'w.to_s', 'wb') }}
    group by w.sla_event_key
),

verdicts as (
    select
        i.sla_event_key,
        i.escalation_key,
        i.metric,
        i.instance,
        i.started_at,
        i.fulfilled_at,
        i.window_end_s,
        cs.policy_key,
        cs.policy_name,
        cs.priority,
        cs.target_minutes,
        cs.target_s,
        cs.is_business_hours,
        coalesce(wc.end_clock_key, cs.clock_key) as clock_key,
        cs.applied_by,
        fs.applied_at,
        coalesce(e.elapsed_s, 0) as elapsed_s,
        greatest(coalesce(wc.window_open_s, 0) - coalesce(e.elapsed_s, 0), 0) as paused_s,
        e.last_run_end_s = i.window_end_s as is_running_at_end,
        b.breached_s,
        b.exceeded_s
    from instances as i
    inner join current_segment as cs on i.sla_event_key = cs.sla_event_key
    inner join first_segment as fs on i.sla_event_key = fs.sla_event_key
    left join elapsed as e on i.sla_event_key = e.sla_event_key
    left join breaches as b on i.sla_event_key = b.sla_event_key
    left join window_clocks as wc on i.sla_event_key = wc.sla_event_key
),

projected as (
    -- where the target is (or would be) reached if the clock ran on from the window's end
    select
        v.*,
        {{ open_s_at('pe', 'v.window_end_s') }} + greatest(v.target_s - v.elapsed_s, 0) as due_open_s
    from verdicts as v
    {{ period_at_join('v.clock_key', 'v.window_end_s', 'pe') }}
),

dated as (
    select
        p.*,
        coalesce(p.breached_s, {{ instant_at_open_s('pd', 'p.due_open_s') }}) as due_s
    from projected as p
    {{ period_reaching_join('p.clock_key', 'p.due_open_s', 'pd') }}
),

salesforce_verdicts as (
    select
        escalation_key,
        metric,
        instance,
        is_violated,
        actual_elapsed_minutes,
        stopped_minutes
    from {{ scoped_ref('int_sla__salesforce_milestones') }}
)

select
    d.sla_event_key,
    d.escalation_key,
    d.metric,
    d.instance,
    d.policy_key,
    d.policy_name,
    d.priority,
    cast(d.target_minutes as integer) as target_minutes,
    d.is_business_hours,
    d.clock_key,
    d.applied_by,
    d.applied_at,
    d.started_at,
    {{ from_epoch_s('d.due_s') }} as due_at,
    d.fulfilled_at,
    cast(d.elapsed_s / cast(60 as {{ type_double() }}) as {{ type_double() }}) as elapsed_minutes,
    cast(d.paused_s / cast(60 as {{ type_double() }}) as {{ type_double() }}) as paused_minutes,
    case
        when d.breached_s is not null then 'breached'
        when d.fulfilled_at is not null then 'achieved'
        when d.is_running_at_end then 'active'
        else 'paused'
    end as sla_status,
    d.breached_s is not null as is_breached,
    {{ from_epoch_s('d.breached_s') }} as breached_at,
    {{ from_epoch_s('d.exceeded_s') }} as exceeded_at,
    cast(case
        when d.breached_s is null and d.fulfilled_at is null
            then (d.target_s - d.elapsed_s) / cast(60 as {{ type_double() }})
    end as {{ type_double() }}) as minutes_to_breach,
    case
        when zv.sla_event_key is not null then zv.vendor_breached_at is not null
        else sv.is_violated
    end as vendor_is_breached,
    zv.vendor_breached_at,
    sv.actual_elapsed_minutes as vendor_elapsed_minutes,
    sv.stopped_minutes as vendor_stopped_minutes,
    {{ as_of() }} as as_of
from dated as d
left join {{ scoped_ref('int_sla__zendesk_vendor_instances', 'zv') }} on d.sla_event_key = zv.sla_event_key
left join salesforce_verdicts as sv
    on d.escalation_key = sv.escalation_key and d.metric = sv.metric and d.instance = sv.instance
