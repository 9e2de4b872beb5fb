with source as (
    select * from {{ source('salesforce', 'salesforce_user') }}
),

renamed as (
    select
        id as user_id,
        {{ json_text('record', 'Department') }} as department
    from source
)

select * from renamed
