-- depends_on: {{ ref('map_custom_fields') }}
-- Jira remediation issues (plans are Epics, their actions the issues whose parent is one), with
-- the account's custom fields resolved through map_custom_fields (root cause, owning team,
-- partner teams) and the status history from the changelog.
with root_causes as (
    select distinct root_cause from {{ ref('issue_taxonomy') }}
),

issues as (
    select
        issue_key,
        issue_type,
        summary,
        status,
        {{ json_text('record', 'fields.status.statusCategory.key') }} as status_category,
        parent_key,
        created_at,
        resolved_at,
        due_date,
        {{ json_text('record', 'fields.' ~ custom_field_ref('jira', 'root_cause')) }} as root_cause_raw,
        {{ json_text('record', 'fields.' ~ custom_field_ref('jira', 'owning_team')) }} as owning_team,
        record
    from {{ ref('stg_jira__issues') }}
),

partner_values as (
    select
        issue_key,
        {{ json_array_elements('record', 'fields.' ~ custom_field_ref('jira', 'partner_teams')) }}
            as partner
    from issues
),

partners as (
    select
        issue_key,
        {{ ordered_string_agg(json_elem_text('partner', 'value'), "', '", json_elem_text('partner', 'value')) }}
            as partner_teams,
        count(*) as partner_team_count
    from partner_values
    group by issue_key
),

transitions as (
    select
        issue_key,
        {{ json_array_elements('record', 'changelog.histories') }} as history
    from issues
),

status_moves as (
    select
        t.issue_key,
        {{ to_utc(json_elem_text('t.history', 'created')) }} as moved_at,
        {{ json_array_elements('t.history', 'items') }} as item
    from transitions as t
),

status_history as (
    select
        issue_key,
        min(case when {{ json_elem_text('item', 'toString') }} = 'In Progress' then moved_at end) as started_at,
        max(case when {{ json_elem_text('item', 'toString') }} = 'Done' then moved_at end) as done_at,
        count(case when {{ json_elem_text('item', 'field') }} = 'status' then 1 end) as status_changes
    from status_moves
    where {{ json_elem_text('item', 'field') }} = 'status'
    group by issue_key
)

select
    i.issue_key,
    i.issue_type,
    i.summary,
    i.status,
    i.status_category,
    i.parent_key,
    i.created_at,
    i.resolved_at,
    i.due_date,
    coalesce(rc.root_cause, 'unknown') as root_cause,
    i.owning_team,
    p.partner_teams,
    coalesce(p.partner_team_count, 0) as partner_team_count,
    h.started_at,
    coalesce(h.done_at, case when i.status_category = 'done' then i.resolved_at end) as done_at,
    coalesce(h.status_changes, 0) as status_changes,
    i.record
from issues as i
left join partners as p on i.issue_key = p.issue_key
left join status_history as h on i.issue_key = h.issue_key
left join root_causes as rc on i.root_cause_raw = rc.root_cause
