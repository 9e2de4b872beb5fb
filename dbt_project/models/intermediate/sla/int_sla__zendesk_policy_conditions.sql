-- Conditions of each Zendesk SLA policy (filter.all / filter.any), one row per condition.
-- Supported fields: priority (is, is_not, less_than, greater_than), current_tags (includes,
-- not_includes), group_id, type and via_id (is, is_not). is_supported is false for any other, and
-- a warning test names it: such a condition never matches.
with policies as (
    select
        sla_policy_id,
        cast({{ json_text('record', 'position') }} as integer) as policy_position,
        record
    from {{ ref('stg_zendesk__sla_policies') }}
),

all_conditions as (
    select
        sla_policy_id,
        policy_position,
        'all' as condition_set,
        {{ json_array_elements('record', 'filter.all') }} as condition
    from policies
),

any_conditions as (
    select
        sla_policy_id,
        policy_position,
        'any' as condition_set,
        {{ json_array_elements('record', 'filter.any') }} as condition
    from policies
),

conditions as (
    select * from all_conditions
    union all
    select * from any_conditions
)

select
    sla_policy_id,
    policy_position,
    condition_set,
    {{ json_elem_text('condition', 'field') }} as field,
    {{ json_elem_text('condition', 'operator') }} as operator,
    {{ json_elem_text('condition', 'value') }} as condition_value,
    (
        (
            {{ json_elem_text('condition', 'field') }} = 'priority'
            and {{ json_elem_text('condition', 'operator') }} in ('is', 'is_not', 'less_than', 'greater_than')
        )
        or (
            {{ json_elem_text('condition', 'field') }} = 'current_tags'
            and {{ json_elem_text('condition', 'operator') }} in ('includes', 'not_includes')
        )
        or (
            {{ json_elem_text('condition', 'field') }} in ('group_id', 'type', 'via_id')
            and {{ json_elem_text('condition', 'operator') }} in ('is', 'is_not')
        )
    ) as is_supported
from conditions
