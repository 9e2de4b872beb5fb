{{ staging_incremental_config('salesforce', 'salesforce_case_history') }}

with source as (
    select * from {{ new_raw_records('salesforce', 'salesforce_case_history') }}
),

renamed as (
    select
        id as _record_id,
        id as case_history_id,
        'salesforce:' || {{ json_text('record', 'CaseId') }} as escalation_key,
        {{ json_text('record', 'CaseId') }} as case_id,
        {{ json_text('record', 'Field') }} as field,
        {{ json_text('record', 'DataType') }} as data_type,
        {{ json_text('record', 'OldValue') }} as old_value,
        {{ json_text('record', 'NewValue') }} as new_value,
        {{ to_utc(json_text('record', 'CreatedDate')) }} as created_at,
        coalesce({{ json_text('record', 'IsDeleted') }} = 'true', false) as is_deleted,
        _loaded_at
    from source
)

select * from renamed
