with source as (
    select * from {{ source('zendesk', 'zendesk_satisfaction_ratings') }}
),

renamed as (
    select
        cast(id as bigint) as rating_id,
        cast({{ json_text('record', 'ticket_id') }} as bigint) as ticket_id,
        {{ json_text('record', 'score') }} as score,
        {{ to_utc(json_text('record', 'created_at')) }} as created_at,
        {{ to_utc(json_text('record', 'updated_at')) }} as updated_at
    from source
)

select * from renamed
