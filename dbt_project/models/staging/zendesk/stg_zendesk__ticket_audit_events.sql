{{ staging_incremental_config('zendesk', 'zendesk_ticket_audits') }}

with source as (
    select
        id as _record_id,
        _loaded_at,
        cast(id as bigint) as audit_id,
        cast({{ json_text('record', 'ticket_id') }} as bigint) as ticket_id,
        cast({{ json_text('record', 'author_id') }} as bigint) as audit_author_id,
        {{ to_utc(json_text('record', 'created_at')) }} as created_at,
        {{ json_array_elements('record', 'events') }} as event
    from {{ new_raw_records('zendesk', 'zendesk_ticket_audits') }}
),

renamed as (
    select
        _record_id,
        _loaded_at,
        'zendesk:' || cast(ticket_id as {{ type_text() }}) as escalation_key,
        audit_id,
        ticket_id,
        audit_author_id,
        created_at,
        cast({{ json_elem_text('event', 'id') }} as bigint) as event_id,
        {{ json_elem_text('event', 'type') }} as event_type,
        {{ json_elem_text('event', 'field_name') }} as field_name,
        {{ json_elem_text('event', 'value') }} as field_value,
        {{ json_elem_text('event', 'previous_value') }} as previous_value,
        cast({{ json_elem_text('event', 'public') }} as boolean) as is_public,
        cast(coalesce({{ json_elem_text('event', 'author_id') }}, cast(audit_author_id as {{ type_text() }})) as bigint)
            as comment_author_id
    from source
)

select * from renamed
