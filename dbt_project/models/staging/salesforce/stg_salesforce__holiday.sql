-- Kept whole for the SLA engine's business calendars.
with source as (
    select * from {{ source('salesforce', 'salesforce_holiday') }}
),

renamed as (
    select
        id as holiday_id,
        record,
        _loaded_at
    from source
)

select * from renamed
