-- Every business schedule: Zendesk schedules (the first listed is the account default) and
-- Salesforce BusinessHours (IsDefault).
with zendesk as (
    select
        'zendesk:' || cast(schedule_id as varchar) as schedule_key,
        'zendesk' as source_system,
        cast(schedule_id as varchar) as schedule_id,
        {{ json_text('record', 'name') }} as schedule_name,
        row_number() over (order by _position) = 1 as is_default
    from {{ ref('stg_zendesk__schedules') }}
),

salesforce as (
    select
        'salesforce:' || business_hours_id as schedule_key,
        'salesforce' as source_system,
        business_hours_id as schedule_id,
        {{ json_text('record', 'Name') }} as schedule_name,
        coalesce({{ json_text('record', 'IsDefault') }}, 'false') = 'true' as is_default
    from {{ ref('stg_salesforce__business_hours') }}
),

schedules as (
    select * from zendesk
    union all
    select * from salesforce
)

select * from schedules
