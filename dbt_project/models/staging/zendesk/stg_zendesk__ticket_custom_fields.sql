{{ staging_incremental_config('zendesk', 'zendesk_tickets') }}

with source as (
    select
        id as _record_id,
        _loaded_at,
        cast(id as bigint) as ticket_id,
        {{ json_array_elements('record', 'custom_fields') }} as field
    from {{ new_raw_records('zendesk', 'zendesk_tickets') }}
),

renamed as (
    select
        _record_id,
        _loaded_at,
        'zendesk:' || cast(ticket_id as {{ type_text() }}) as escalation_key,
        ticket_id,
        {{ json_elem_text('field', 'id') }} as field_id,
        {{ json_elem_text('field', 'value') }} as field_value
    from source
)

select * from renamed
