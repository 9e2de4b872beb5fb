-- Kept whole for the SLA engine's business calendars.
with source as (
    select * from {{ source('salesforce', 'salesforce_business_hours') }}
),

renamed as (
    select
        id as business_hours_id,
        record,
        _loaded_at
    from source
)

select * from renamed
