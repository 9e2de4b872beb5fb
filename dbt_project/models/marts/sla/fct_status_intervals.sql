-- One row per escalation and stretch of one status group, assignee and team: the status clock.
-- The stretches of an escalation tile its life from creation to the as-of instant; the current
-- one ends at the as-of instant (is_current). Business minutes count each part of a stretch on the
-- escalation's schedule then in force (a trigger may move a Zendesk ticket to another schedule);
-- schedule_key is the one in force when the stretch began.
-- A scoped build rebuilds the touched escalations and moves every other current stretch's end.
{{ per_escalation_config('status_interval_key') }}

with states as (
    select
        escalation_key,
        valid_from,
        valid_to,
        status_group,
        assignee,
        team,
        lag(status_group) over (partition by escalation_key order by valid_from) as previous_status,
        lag(assignee) over (partition by escalation_key order by valid_from) as previous_assignee,
        lag(team) over (partition by escalation_key order by valid_from) as previous_team,
        row_number() over (partition by escalation_key order by valid_from) as state_number
    from {{ scoped_ref('int_escalations__states') }}
),

marked as (
    select
        *,
        state_number = 1
        or status_group != previous_status
        or coalesce(assignee, '') != coalesce(previous_assignee, '')
        or team != previous_team as starts_stretch,
        state_number > 1 and coalesce(assignee, '') != coalesce(previous_assignee, '') as owner_changed
    from states
),

numbered as (
    select
        *,
        sum(case when starts_stretch then 1 else 0 end) over (
            partition by escalation_key order by valid_from rows between unbounded preceding and current row
        ) as stretch_number
    from marked
),

stretches as (
    select
        escalation_key,
        stretch_number,
        min(valid_from) as valid_from,
        max(coalesce(valid_to, {{ as_of() }})) as valid_to,
        bool_or(valid_to is null) as is_current,
        min(status_group) as status_group,
        min(assignee) as assignee,
        min(team) as team,
        bool_or(owner_changed and starts_stretch) as is_handoff
    from numbered
    group by escalation_key, stretch_number
    {%- if is_scoped() %}
    -- the current stretch of every escalation not touched now runs to the new as-of instant (the
    -- touched ones' rows are already deleted; the rest keep their key and are replaced)
    union all
    select
        escalation_key,
        interval_number as stretch_number,
        valid_from,
        {{ as_of() }} as valid_to,
        is_current,
        status_group,
        assignee,
        team,
        is_handoff
    from {{ this }}
    where is_current
    {%- endif %}
),

bounded as (
    select
        s.*,
        {{ epoch_s('s.valid_from') }} as from_s,
        greatest({{ epoch_s('s.valid_to') }}, {{ epoch_s('s.valid_from') }}) as to_s
    from stretches as s
),

schedule_stretches as (
    -- whole, not scoped: the moved current stretches of untouched escalations need theirs too
    select
        escalation_key,
        schedule_key,
        from_s,
        to_s
    from {{ ref('int_escalations__schedule_stretches') }}
),

parts as (
    -- each stretch cut where the schedule changed; a stretch of no length keeps the schedule then
    select
        b.escalation_key,
        b.stretch_number,
        sc.schedule_key,
        sc.from_s <= b.from_s as is_first_part,
        greatest(b.from_s, sc.from_s) as part_from_s,
        least(b.to_s, sc.to_s) as part_to_s
    from bounded as b
    inner join schedule_stretches as sc
        on
            b.escalation_key = sc.escalation_key
            and b.from_s + greatest(b.to_s - b.from_s - 1, 0) >= sc.from_s
            and b.from_s < sc.to_s
),

business as (
    select
        p.escalation_key,
        p.stretch_number,
        max(case when p.is_first_part then p.schedule_key end) as schedule_key,
        sum({{ open_s_at('pt', 'p.part_to_s') }} - {{ open_s_at('pf', 'p.part_from_s') }}) as open_s
    from parts as p
    {{ period_at_join('p.schedule_key', 'p.part_from_s', 'pf') }}
    {{ period_at_join('p.schedule_key', 'p.part_to_s', 'pt') }}
    group by p.escalation_key, p.stretch_number
)

select
    b.escalation_key || ':' || cast(b.stretch_number as {{ dbt.type_string() }}) as status_interval_key,
    b.escalation_key,
    cast(b.stretch_number as integer) as interval_number,
    b.status_group,
    b.assignee,
    b.team,
    b.valid_from,
    b.valid_to,
    b.is_current,
    cast(b.to_s - b.from_s as {{ type_double() }}) / 60 as minutes_calendar,
    cast(bu.open_s as {{ type_double() }}) / 60 as minutes_business,
    b.is_handoff,
    bu.schedule_key
from bounded as b
left join business as bu on b.escalation_key = bu.escalation_key and b.stretch_number = bu.stretch_number
