-- Current tags per Zendesk ticket (SLA policy conditions read them).
{{ staging_incremental_config('zendesk', 'zendesk_tickets') }}

with source as (
    select
        id as _record_id,
        _loaded_at,
        cast(id as bigint) as ticket_id,
        {{ json_array_elements('record', 'tags') }} as tag
    from {{ new_raw_records('zendesk', 'zendesk_tickets') }}
)

select distinct
    _record_id,
    _loaded_at,
    'zendesk:' || cast(ticket_id as {{ type_text() }}) as escalation_key,
    ticket_id,
    trim(both '"' from cast(tag as {{ type_text() }})) as tag
from source
