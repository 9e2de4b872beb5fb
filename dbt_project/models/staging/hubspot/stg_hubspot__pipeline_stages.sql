with source as (
    select
        id as pipeline_id,
        {{ json_array_elements('record', 'stages') }} as stage
    from {{ source('hubspot', 'hubspot_pipelines') }}
),

renamed as (
    select
        pipeline_id,
        {{ json_elem_text('stage', 'id') }} as stage_id,
        {{ json_elem_text('stage', 'label') }} as stage_label,
        {{ json_elem_text('stage', 'metadata.ticketState') }} as ticket_state
    from source
)

select * from renamed
