{{ staging_incremental_config('salesforce', 'salesforce_case_milestone') }}

with source as (
    select * from {{ new_raw_records('salesforce', 'salesforce_case_milestone') }}
),

renamed as (
    select
        id as _record_id,
        id as case_milestone_id,
        'salesforce:' || {{ json_text('record', 'CaseId') }} as escalation_key,
        {{ json_text('record', 'CaseId') }} as case_id,
        {{ json_text('record', 'MilestoneTypeId') }} as milestone_type_id,
        {{ to_utc(json_text('record', 'StartDate')) }} as started_at,
        {{ to_utc(json_text('record', 'TargetDate')) }} as target_at,
        {{ to_utc(json_text('record', 'CompletionDate')) }} as completed_at,
        {{ json_text('record', 'IsCompleted') }} = 'true' as is_completed,
        {{ json_text('record', 'IsViolated') }} = 'true' as is_violated,
        cast({{ json_text('record', 'TargetResponseInMins') }} as integer) as target_minutes,
        nullif({{ json_text('record', 'BusinessHoursId') }}, '') as business_hours_id,
        cast({{ json_text('record', 'ElapsedTimeInMins') }} as integer) as elapsed_minutes,
        cast({{ json_text('record', 'StoppedTimeInMins') }} as integer) as stopped_minutes,
        -- Elapsed - Stopped; exported only where the org shows it (Entitlement Settings)
        {{ safe_integer(json_text('record', 'ActualElapsedTimeInMins')) }} as actual_elapsed_minutes,
        _loaded_at
    from source
)

select * from renamed
