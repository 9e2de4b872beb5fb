with source as (
    select * from {{ source('salesforce', 'salesforce_case_history') }}
),

renamed as (
    select
        id as case_history_id,
        {{ json_text('record', 'CaseId') }} as case_id,
        {{ json_text('record', 'Field') }} as field,
        {{ json_text('record', 'DataType') }} as data_type,
        {{ json_text('record', 'OldValue') }} as old_value,
        {{ json_text('record', 'NewValue') }} as new_value,
        {{ to_utc(json_text('record', 'CreatedDate')) }} as created_at,
        coalesce({{ json_text('record', 'IsDeleted') }} = 'true', false) as is_deleted
    from source
)

select * from renamed
