{{ staging_incremental_config('salesforce', 'salesforce_case') }}

with source as (
    select * from {{ new_raw_records('salesforce', 'salesforce_case') }}
),

renamed as (
    select
        id as _record_id,
        'salesforce:' || id as escalation_key,
        id as case_id,
        {{ json_text('record', 'CaseNumber') }} as case_number,
        {{ json_text('record', 'Status') }} as status,
        {{ json_text('record', 'Priority') }} as priority,
        {{ json_text('record', 'Origin') }} as origin,
        {{ json_text('record', 'OwnerId') }} as owner_id,
        {{ json_text('record', 'ContactId') }} as contact_id,
        {{ json_text('record', 'BusinessHoursId') }} as business_hours_id,
        {{ json_text('record', 'EntitlementId') }} as entitlement_id,
        {{ to_utc(json_text('record', 'CreatedDate')) }} as created_at,
        {{ to_utc(json_text('record', 'ClosedDate')) }} as closed_at,
        {{ to_utc(json_text('record', 'LastModifiedDate')) }} as last_modified_at,
        coalesce({{ json_text('record', 'IsDeleted') }} = 'true', false) as is_deleted,
        -- for the account's custom fields; free text and what the sender typed stay in raw
        {{ json_without('record', ['Subject', 'Description', 'SuppliedName', 'SuppliedEmail', 'SuppliedPhone']) }}
            as record,
        _loaded_at
    from source
)

select * from renamed
