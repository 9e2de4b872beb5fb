-- Salesforce CaseMilestones with the SLA metric their type measures (map_salesforce_milestones)
-- and their instance: 1, 2, ... per case and metric in start order. The tool's own clock, on the
-- milestone's business hours: elapsed_minutes from start to completion (or the export), of which
-- stopped_minutes while the case was stopped; actual_elapsed_minutes is the difference (exported as
-- ActualElapsedTimeInMins where the org shows it, else derived).
{{ per_escalation_config() }}

select
    'salesforce:' || m.case_id as escalation_key,
    t.metric,
    t.milestone_name,
    row_number() over (partition by m.case_id, t.metric order by m.started_at, m.case_milestone_id) as instance,
    m.case_milestone_id,
    m.started_at,
    m.completed_at,
    m.target_minutes,
    m.business_hours_id,
    m.is_violated,
    m.elapsed_minutes,
    m.stopped_minutes,
    coalesce(m.actual_elapsed_minutes, m.elapsed_minutes - m.stopped_minutes) as actual_elapsed_minutes,
    m.actual_elapsed_minutes is null as is_actual_elapsed_derived
from {{ scoped_ref('stg_salesforce__case_milestones', 'm') }}
inner join {{ ref('map_salesforce_milestones') }} as t on m.milestone_type_id = t.milestone_type_id
