{{ staging_incremental_config('zendesk', 'zendesk_tickets') }}

with source as (
    select * from {{ new_raw_records('zendesk', 'zendesk_tickets') }}
),

renamed as (
    select
        id as _record_id,
        'zendesk:' || cast(cast(id as bigint) as {{ type_text() }}) as escalation_key,
        cast(id as bigint) as ticket_id,
        {{ json_text('record', 'status') }} as status,
        {{ json_text('record', 'priority') }} as priority,
        {{ json_text('record', 'via.channel') }} as via_channel,
        {{ json_text('record', 'type') }} as ticket_type,
        cast({{ json_text('record', 'requester_id') }} as bigint) as requester_id,
        cast({{ json_text('record', 'submitter_id') }} as bigint) as submitter_id,
        cast({{ json_text('record', 'assignee_id') }} as bigint) as assignee_id,
        cast({{ json_text('record', 'group_id') }} as bigint) as group_id,
        cast({{ json_text('record', 'problem_id') }} as bigint) as problem_id,
        {{ to_utc(json_text('record', 'created_at')) }} as created_at,
        {{ to_utc(json_text('record', 'updated_at')) }} as updated_at,
        coalesce({{ json_text('record', 'status') }} = 'deleted', false) as is_deleted,
        _loaded_at
    from source
)

select * from renamed
