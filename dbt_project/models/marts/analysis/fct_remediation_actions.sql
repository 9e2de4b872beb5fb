-- One row per remediation action (a Jira issue whose parent is a remediation plan).
select
    cast(a.issue_key as {{ type_text() }}) as action_key,
    cast(a.parent_key as {{ type_text() }}) as plan_key,
    cast(a.summary as {{ type_text() }}) as title,
    cast(a.issue_type as {{ type_text() }}) as action_type,
    cast(a.status as {{ type_text() }}) as status,
    cast(a.status_category = 'done' as boolean) as is_done,
    cast(a.created_at as {{ type_timestamptz() }}) as created_at,
    cast(a.started_at as {{ type_timestamptz() }}) as started_at,
    cast(a.done_at as {{ type_timestamptz() }}) as done_at,
    cast(a.due_date as date) as due_at,
    cast(a.status_category != 'done' and a.due_date < cast({{ as_of() }} as date) as boolean) as is_overdue,
    cast({{ json_text('a.record', 'fields.assignee.accountId') }} is not null as boolean) as is_assigned,
    cast(p.root_cause as {{ type_text() }}) as root_cause,
    cast(p.owning_team as {{ type_text() }}) as owning_team
from {{ ref('int_remediation__issues') }} as a
inner join {{ ref('int_remediation__issues') }} as p on a.parent_key = p.issue_key
where p.issue_type = 'Epic'
