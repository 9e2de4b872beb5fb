-- Current tags per Zendesk ticket (SLA policy conditions read them).
with source as (
    select
        cast(id as bigint) as ticket_id,
        {{ json_array_elements('record', 'tags') }} as tag
    from {{ source('zendesk', 'zendesk_tickets') }}
)

select distinct
    ticket_id,
    trim(both '"' from cast(tag as varchar)) as tag
from source
