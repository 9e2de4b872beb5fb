{{ staging_incremental_config('hubspot', 'hubspot_tickets') }}

with source as (
    select * from {{ new_raw_records('hubspot', 'hubspot_tickets') }}
),

renamed as (
    select
        id as _record_id,
        'hubspot:' || id as escalation_key,
        id as ticket_id,
        {{ json_text('record', 'properties.hs_pipeline') }} as pipeline_id,
        {{ json_text('record', 'properties.hs_pipeline_stage') }} as stage_id,
        {{ json_text('record', 'properties.hs_ticket_priority') }} as priority,
        {{ json_text('record', 'properties.source_type') }} as source_type,
        {{ json_text('record', 'properties.hubspot_owner_id') }} as owner_id,
        {{ to_utc(json_text('record', 'createdAt')) }} as created_at,
        {{ to_utc(json_text('record', 'properties.first_agent_reply_date')) }} as first_agent_reply_at,
        {{ to_utc(json_text('record', 'properties.closed_date')) }} as closed_at,
        coalesce({{ json_text('record', 'archived') }} = 'true', false) as is_deleted,
        coalesce(
            {{ json_text('record', 'associations.contacts.results[0].id') }}, 'ticket-' || id
        ) as requester_ref,
        -- for the account's custom properties; free text stays in raw
        {{ json_without('record', ['properties.subject', 'properties.content']) }} as record,
        _loaded_at
    from source
)

select * from renamed
