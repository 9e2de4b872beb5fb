with source as (
    select * from {{ source('pagerduty', 'pagerduty_incidents') }}
),

renamed as (
    select
        id as incident_id,
        {{ json_text('record', 'title') }} as title,
        {{ json_text('record', 'status') }} as status,
        {{ json_text('record', 'urgency') }} as urgency,
        {{ json_text('record', 'service.summary') }} as service_name,
        {{ to_utc(json_text('record', 'created_at')) }} as created_at,
        {{ to_utc(json_text('record', 'resolved_at')) }} as resolved_at,
        {{ to_utc(json_text('record', 'acknowledgements[0].at')) }} as first_acknowledged_at
    from source
)

select * from renamed
