with source as (
    select * from {{ source('jira', 'jira_issues') }}
),

renamed as (
    select
        id as issue_id,
        {{ json_text('record', 'key') }} as issue_key,
        {{ json_text('record', 'fields.summary') }} as summary,
        {{ json_text('record', 'fields.issuetype.name') }} as issue_type,
        {{ json_text('record', 'fields.status.name') }} as status,
        {{ json_text('record', 'fields.parent.key') }} as parent_key,
        {{ to_utc(json_text('record', 'fields.created')) }} as created_at,
        {{ to_utc(json_text('record', 'fields.resolutiondate')) }} as resolved_at,
        cast({{ json_text('record', 'fields.duedate') }} as date) as due_date,
        record
    from source
)

select * from renamed
