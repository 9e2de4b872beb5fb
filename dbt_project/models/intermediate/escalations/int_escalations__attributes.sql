-- Account-specific custom fields (which id means what comes from the map_custom_fields seed),
-- one row per escalation with one column per meaning.
{{ per_escalation_config() }}

with field_map as (
    select
        source_system,
        field_ref,
        meaning
    from {{ ref('map_custom_fields') }}
),

zendesk as (
    select
        'zendesk:' || cast(f.ticket_id as {{ type_text() }}) as escalation_key,
        m.meaning,
        f.field_value
    from {{ scoped_ref('stg_zendesk__ticket_custom_fields', 'f') }}
    inner join field_map as m on m.source_system = 'zendesk' and f.field_id = m.field_ref
),

salesforce as (
    select
        'salesforce:' || c.case_id as escalation_key,
        m.meaning,
        {{ json_text_dynamic('c.record', 'm.field_ref') }} as field_value
    from {{ scoped_ref('stg_salesforce__cases', 'c') }}
    inner join field_map as m on m.source_system = 'salesforce'
),

hubspot as (
    select
        'hubspot:' || t.ticket_id as escalation_key,
        m.meaning,
        {{ json_text_dynamic('t.record', 'm.field_ref', 'properties.') }} as field_value
    from {{ scoped_ref('stg_hubspot__tickets', 't') }}
    inner join field_map as m on m.source_system = 'hubspot'
),

unioned as (
    select * from zendesk
    union all
    select * from salesforce
    union all
    select * from hubspot
)

select
    escalation_key,
    max(case when meaning = 'issue_category' then field_value end) as issue_category_raw,
    max(case when meaning = 'root_cause' then field_value end) as root_cause_raw,
    max(case when meaning = 'market' then field_value end) as market_raw,
    max(case when meaning = 'creator_tier' then field_value end) as creator_tier_raw,
    max(case when meaning = 'escalation_tier' then field_value end) as escalation_tier_raw,
    max(case when meaning = 'intake_channel' then field_value end) as intake_channel_raw
from unioned
where field_value is not null and field_value != ''
group by escalation_key
