-- The state of every escalation (status group, priority, assignee, team) from each instant one of
-- them changed until the next: the history tiled without gaps or overlaps. Rows at the same
-- instant resolve to the last one by the source's own order; history stamped before creation
-- counts from creation; each field carries its last value forward.
{{ per_escalation_config() }}

with escalations as (
    select
        escalation_key,
        created_at
    from {{ scoped_ref('int_escalations__unioned') }}
),

changes as (
    select
        h.escalation_key,
        greatest(h.changed_at, e.created_at) as changed_at,
        h.tie_breaker,
        h.field,
        h.field_value
    from {{ scoped_ref('int_escalations__field_history', 'h') }}
    inner join escalations as e on h.escalation_key = e.escalation_key
),

last_per_instant as (
    select
        escalation_key,
        changed_at,
        field,
        field_value,
        row_number() over (
            partition by escalation_key, field, changed_at order by tie_breaker desc, field_value desc
        ) as recency
    from changes
),

instants as (
    select
        escalation_key,
        created_at as changed_at
    from escalations
    union
    select
        escalation_key,
        changed_at
    from changes
),

wide as (
    select
        i.escalation_key,
        i.changed_at,
        max(case when c.field = 'status' then c.field_value end) as status_group,
        max(case when c.field = 'priority' then c.field_value end) as priority,
        max(case when c.field = 'assignee' then c.field_value end) as assignee,
        max(case when c.field = 'team' then c.field_value end) as team
    from instants as i
    left join last_per_instant as c
        on i.escalation_key = c.escalation_key and i.changed_at = c.changed_at and c.recency = 1
    group by i.escalation_key, i.changed_at
),

grouped as (
    -- each field's value holds until its next recorded value (a running count marks the groups)
    select
        *,
        count(status_group) over (partition by escalation_key order by changed_at) as status_run,
        count(priority) over (partition by escalation_key order by changed_at) as priority_run,
        count(assignee) over (partition by escalation_key order by changed_at) as assignee_run,
        count(team) over (partition by escalation_key order by changed_at) as team_run,
        lead(changed_at) over (partition by escalation_key order by changed_at) as next_changed_at
    from wide
)

select
    escalation_key,
    changed_at as valid_from,
    next_changed_at as valid_to,
    coalesce(max(status_group) over (partition by escalation_key, status_run), 'new') as status_group,
    coalesce(max(priority) over (partition by escalation_key, priority_run), 'unknown') as priority,
    max(assignee) over (partition by escalation_key, assignee_run) as assignee,
    coalesce(max(team) over (partition by escalation_key, team_run), 'unassigned') as team
from grouped
