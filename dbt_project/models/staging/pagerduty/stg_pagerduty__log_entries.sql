with source as (
    select * from {{ source('pagerduty', 'pagerduty_log_entries') }}
),

renamed as (
    select
        id as log_entry_id,
        {{ json_text('record', 'incident.id') }} as incident_id,
        {{ json_text('record', 'type') }} as entry_type,
        {{ to_utc(json_text('record', 'created_at')) }} as created_at
    from source
)

select * from renamed
