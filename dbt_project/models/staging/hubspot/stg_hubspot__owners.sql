with source as (
    select
        id as owner_id,
        {{ json_array_elements('record', 'teams') }} as team
    from {{ source('hubspot', 'hubspot_owners') }}
),

renamed as (
    select
        owner_id,
        {{ json_elem_text('team', 'name') }} as team_name,
        coalesce(cast({{ json_elem_text('team', 'primary') }} as boolean), false) as is_primary
    from source
)

select * from renamed
