-- Kept whole for the SLA engine, which reads the vendor fields it needs. The first schedule
-- listed (lowest position) is the account default.
with source as (
    select * from {{ source('zendesk', 'zendesk_schedules') }}
),

renamed as (
    select
        id as schedule_id,
        record,
        _position,
        _loaded_at
    from source
)

select * from renamed
