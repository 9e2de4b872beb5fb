with source as (
    select
        cast(id as bigint) as ticket_id,
        {{ json_array_elements('record', 'custom_fields') }} as field
    from {{ source('zendesk', 'zendesk_tickets') }}
),

renamed as (
    select
        ticket_id,
        {{ json_elem_text('field', 'id') }} as field_id,
        {{ json_elem_text('field', 'value') }} as field_value
    from source
)

select * from renamed
