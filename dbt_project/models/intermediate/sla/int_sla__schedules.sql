-- Every business schedule: Zendesk schedules (the first listed is the account default),
-- Salesforce BusinessHours (IsDefault) and the HubSpot desk's operating hours per pipeline (the
-- account's sla_hubspot_business_hours seed; HubSpot exports none).
with zendesk as (
    select
        'zendesk:' || cast(schedule_id as {{ dbt.type_string() }}) as schedule_key,
        'zendesk' as source_system,
        cast(schedule_id as {{ dbt.type_string() }}) as schedule_id,
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

hubspot as (
    select distinct
        'hubspot:pipeline:' || hs_pipeline as schedule_key,
        'hubspot' as source_system,
        cast(hs_pipeline as {{ dbt.type_string() }}) as schedule_id,
        'HubSpot pipeline ' || hs_pipeline || ' operating hours' as schedule_name,
        false as is_default
    from {{ ref('sla_hubspot_business_hours') }}
),

schedules as (
    select * from zendesk
    union all
    select * from salesforce
    union all
    select * from hubspot
)

select * from schedules
