-- depends_on: {{ ref('map_custom_fields') }}
-- The escalations each remediation issue links to (the custom field map_custom_fields names
-- linked_escalations), one row per issue and escalation key.
with links as (
    select
        issue_key,
        {{ json_array_elements('record', 'fields.' ~ custom_field_ref('jira', 'linked_escalations')) }} as linked
    from {{ ref('stg_jira__issues') }}
)

select distinct
    issue_key,
    trim(both '"' from cast(linked as {{ type_text() }})) as escalation_key
from links
