{{ staging_incremental_config('zendesk', 'zendesk_satisfaction_ratings') }}

with source as (
    select * from {{ new_raw_records('zendesk', 'zendesk_satisfaction_ratings') }}
),

renamed as (
    select
        id as _record_id,
        cast(id as bigint) as rating_id,
        'zendesk:'
        || cast(cast({{ json_text('record', 'ticket_id') }} as bigint) as {{ type_text() }}) as escalation_key,
        cast({{ json_text('record', 'ticket_id') }} as bigint) as ticket_id,
        {{ json_text('record', 'score') }} as score,
        {{ to_utc(json_text('record', 'created_at')) }} as created_at,
        {{ to_utc(json_text('record', 'updated_at')) }} as updated_at,
        _loaded_at
    from source
)

select * from renamed
