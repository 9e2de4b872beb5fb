{{ staging_incremental_config('hubspot', 'hubspot_tickets') }}

with stage as (
    select
        id as _record_id,
        _loaded_at,
        id as ticket_id,
        'hs_pipeline_stage' as property_name,
        {{ json_array_elements_numbered(
            'record', 'propertiesWithHistory.hs_pipeline_stage', 'change', 'history_position'
        ) }}
    from {{ new_raw_records('hubspot', 'hubspot_tickets') }}
),

owner as (
    select
        id as _record_id,
        _loaded_at,
        id as ticket_id,
        'hubspot_owner_id' as property_name,
        {{ json_array_elements_numbered(
            'record', 'propertiesWithHistory.hubspot_owner_id', 'change', 'history_position'
        ) }}
    from {{ new_raw_records('hubspot', 'hubspot_tickets') }}
),

renamed as (
    select
        _record_id,
        _loaded_at,
        'hubspot:' || ticket_id as escalation_key,
        ticket_id,
        property_name,
        {{ json_elem_text('change', 'value') }} as property_value,
        {{ to_utc(json_elem_text('change', 'timestamp')) }} as changed_at,
        -- HubSpot lists history newest first: a higher position is an older change
        history_position
    from (
        select * from stage
        union all
        select * from owner
    ) as changes
)

select * from renamed
