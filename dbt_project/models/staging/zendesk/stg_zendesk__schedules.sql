-- Kept whole for the SLA engine, which reads the vendor fields it needs.
with source as (
    select * from {{ source('zendesk', 'zendesk_schedules') }}
),

renamed as (
    select
        id as schedule_id,
        record,
        _loaded_at
    from source
)

select * from renamed
