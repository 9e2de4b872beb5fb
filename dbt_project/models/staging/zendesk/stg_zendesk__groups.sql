with source as (
    select * from {{ source('zendesk', 'zendesk_groups') }}
),

renamed as (
    select
        cast(id as bigint) as group_id,
        {{ json_text('record', 'name') }} as group_name
    from source
)

select * from renamed
