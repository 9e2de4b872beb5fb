with source as (
    select * from {{ source('zendesk', 'zendesk_users') }}
),

renamed as (
    select
        cast(id as bigint) as user_id,
        {{ json_text('record', 'role') }} as role,
        {{ json_text('record', 'role') }} in ('agent', 'admin') as is_agent,
        cast({{ json_text('record', 'default_group_id') }} as bigint) as default_group_id
    from source
)

select * from renamed
