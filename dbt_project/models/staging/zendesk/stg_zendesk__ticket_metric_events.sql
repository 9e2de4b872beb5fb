-- Kept whole for the SLA engine, which reads the vendor fields it needs.
with source as (
    select * from {{ source('zendesk', 'zendesk_ticket_metric_events') }}
),

renamed as (
    select
        id as metric_event_id,
        record,
        _loaded_at
    from source
)

select * from renamed
