-- Salesforce milestone clocks stop while a case is stopped. An account stops its cases in the
-- statuses it lists in sla_salesforce_stopped_statuses (its entitlement process or the flow that
-- sets Case.IsStopped does so on them); stopping is case-wide, so it pauses every milestone of
-- the case. One row per case and stretch in which its clocks run (not stopped), from creation on;
-- the last has no end while it runs. Statuses come from CaseHistory (int_escalations__status_changes).
{{ per_escalation_config() }}

with escalations as (
    select
        escalation_key,
        created_at
    from {{ scoped_ref('int_escalations__unioned') }}
    where source_system = 'salesforce'
),

stopped as (
    select distinct status from {{ ref('sla_salesforce_stopped_statuses') }}
),

changes as (
    -- the status after each instant it changed (the last at one instant; none before creation)
    select
        c.escalation_key,
        greatest(c.changed_at, e.created_at) as changed_at,
        c.source_status,
        row_number() over (
            partition by c.escalation_key, greatest(c.changed_at, e.created_at) order by c.tie_breaker desc
        ) as recency
    from {{ scoped_ref('int_escalations__status_changes', 'c') }}
    inner join escalations as e on c.escalation_key = e.escalation_key
),

flagged as (
    select
        c.escalation_key,
        c.changed_at,
        s.status is not null as is_stopped
    from changes as c
    left join stopped as s on c.source_status = s.status
    where c.recency = 1
),

marked as (
    select
        *,
        lag(is_stopped) over (partition by escalation_key order by changed_at) as was_stopped
    from flagged
),

edges as (
    -- the instants the clock starts or stops
    select
        escalation_key,
        changed_at,
        is_stopped,
        lead(changed_at) over (partition by escalation_key order by changed_at) as next_edge_at
    from marked
    where was_stopped is null or was_stopped != is_stopped
)

select
    escalation_key,
    changed_at as run_from,
    next_edge_at as run_to
from edges
where not is_stopped
