-- Zendesk ticket metric events, typed. Rows the tool voided (deleted = true) are flagged here and
-- ignored downstream; apply_sla rows carry the target and the policy the tool applied.
{{ staging_incremental_config('zendesk', 'zendesk_ticket_metric_events') }}

with source as (
    select * from {{ new_raw_records('zendesk', 'zendesk_ticket_metric_events') }}
),

renamed as (
    select
        id as _record_id,
        id as metric_event_id,
        'zendesk:'
        || cast(cast({{ json_text('record', 'ticket_id') }} as bigint) as {{ type_text() }}) as escalation_key,
        cast({{ json_text('record', 'ticket_id') }} as bigint) as ticket_id,
        {{ json_text('record', 'metric') }} as metric,
        cast({{ json_text('record', 'instance_id') }} as integer) as instance_id,
        {{ json_text('record', 'type') }} as event_type,
        {{ to_utc(json_text('record', 'time')) }} as occurred_at,
        coalesce({{ json_text('record', 'deleted') }} = 'true', false) as is_deleted,
        cast({{ json_text('record', 'sla.target') }} as integer) as sla_target_minutes,
        {{ json_text('record', 'sla.business_hours') }} = 'true' as sla_is_business_hours,
        {{ json_text('record', 'sla.policy.id') }} as sla_policy_id,
        {{ json_text('record', 'sla.policy.title') }} as sla_policy_title,
        _loaded_at
    from source
)

select * from renamed
