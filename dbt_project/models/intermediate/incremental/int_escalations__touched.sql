-- The escalations a scoped build rebuilds: those with records loaded since the last build (and
-- those a replaced record named before), those naming a person (agent, owner) whose record
-- changed since, and those whose rows the as-of instant moves (still open, or an SLA instance not
-- yet fulfilled) as the last build left them. See macros/incremental.sql.
{{ config(tags=['incremental_state'], post_hook=record_incremental_state_hooks()) }}
{%- set escalations = adapter.get_relation(database=this.database, schema='marts', identifier='fct_escalations') %}
{%- set sla_events = adapter.get_relation(database=this.database, schema='marts', identifier='fct_sla_events') %}
{%- set sla_instances = adapter.get_relation(this.database, this.schema, 'int_sla__instances') %}
{%- set displaced = adapter.get_relation(this.database, this.schema, '_incremental_displaced') %}
{%- set staged = [
    'stg_zendesk__tickets', 'stg_zendesk__ticket_audit_events', 'stg_zendesk__ticket_metric_events',
    'stg_zendesk__satisfaction_ratings', 'stg_salesforce__cases', 'stg_salesforce__case_history',
    'stg_salesforce__case_milestones', 'stg_hubspot__tickets',
] %}

with watermark as (
    select previous_loaded_through from {{ ref('int_incremental__watermark') }}
),

zendesk_people as (
    select cast(id as bigint) as user_id from {{ source('zendesk', 'zendesk_users') }}
    where _loaded_at > (select previous_loaded_through from watermark)
),

salesforce_people as (
    select id as user_id from {{ source('salesforce', 'salesforce_user') }}
    where _loaded_at > (select previous_loaded_through from watermark)
),

hubspot_people as (
    select id as owner_id from {{ source('hubspot', 'hubspot_owners') }}
    where _loaded_at > (select previous_loaded_through from watermark)
),

keys as (
    {%- for model_name in staged %}
        select escalation_key from {{ ref(model_name) }}
        where _loaded_at > (select previous_loaded_through from watermark)
        union all
    {%- endfor %}
    select escalation_key from {{ ref('stg_zendesk__ticket_audit_events') }}
    where comment_author_id in (select user_id from zendesk_people)
    union all
    select escalation_key from {{ ref('stg_salesforce__cases') }}
    where owner_id in (select user_id from salesforce_people)
    union all
    select escalation_key from {{ ref('stg_salesforce__case_history') }}
    where new_value in (select user_id from salesforce_people) or old_value in (select user_id from salesforce_people)
    union all
    select escalation_key from {{ ref('stg_hubspot__tickets') }}
    where owner_id in (select owner_id from hubspot_people)
    union all
    select escalation_key from {{ ref('stg_hubspot__ticket_property_history') }}
    where property_name = 'hubspot_owner_id' and property_value in (select owner_id from hubspot_people)
    union all
    {%- if escalations is not none %}
    select escalation_key from {{ escalations }} where is_open
    union all
    {%- endif %}
    {%- if sla_events is not none %}
    select escalation_key from {{ sla_events }} where fulfilled_at is null
    union all
    {%- endif %}
    {%- if sla_instances is not none %}
    select escalation_key from {{ sla_instances }} where fulfilled_at is null
    union all
    {%- endif %}
    {%- if displaced is not none %}
    select escalation_key from {{ displaced }}
    where loaded_through > (select previous_loaded_through from watermark)
    union all
    {%- endif %}
    select cast(null as {{ type_text() }}) as escalation_key
)

select distinct escalation_key
from keys
where escalation_key is not null
