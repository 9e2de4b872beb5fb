-- Zendesk's own metric-event instances paired with ours, and what the tool said of each: when it
-- recorded a breach and a fulfilment. Reply time instance 1 is the first reply and instances 2+
-- the next replies; resolution_time is total resolution. One-instance metrics pair on instance 1;
-- the others on the instant the instance was activated (ties in order). Voided rows are ignored.
{{ per_escalation_config() }}

with events as (
    select
        'zendesk:' || cast(ticket_id as {{ type_text() }}) as escalation_key,
        case
            when metric = 'reply_time' and instance_id = 1 then 'first_reply_time'
            when metric = 'reply_time' then 'next_reply_time'
            when metric = 'resolution_time' then 'total_resolution_time'
            else metric
        end as metric,
        metric as vendor_metric,
        instance_id,
        event_type,
        occurred_at
    from {{ scoped_ref('stg_zendesk__ticket_metric_events') }}
    where not is_deleted and not (metric = 'reply_time' and instance_id = 0)
),

vendor_instances as (
    select
        escalation_key,
        metric,
        vendor_metric,
        instance_id,
        min(case when event_type = 'activate' then occurred_at end) as activated_at,
        min(case when event_type = 'breach' then occurred_at end) as vendor_breached_at,
        max(case when event_type = 'fulfill' then occurred_at end) as vendor_fulfilled_at,
        count(case when event_type = 'apply_sla' then 1 end) as applications
    from events
    group by escalation_key, metric, vendor_metric, instance_id
),

vendor_ranked as (
    select
        *,
        row_number() over (partition by escalation_key, metric, activated_at order by instance_id) as same_start_rank
    from vendor_instances
),

instances as (
    select
        sla_event_key,
        escalation_key,
        metric,
        instance,
        started_at,
        row_number() over (partition by escalation_key, metric, started_at order by instance) as same_start_rank
    from {{ scoped_ref('int_sla__instances') }}
    where escalation_key like 'zendesk:%'
)

select
    i.sla_event_key,
    v.escalation_key,
    v.vendor_metric,
    v.instance_id as vendor_instance_id,
    v.applications,
    v.vendor_breached_at,
    v.vendor_fulfilled_at
from vendor_ranked as v
inner join instances as i
    on
        v.escalation_key = i.escalation_key
        and v.metric = i.metric
        and (
            (
                v.metric in ('first_reply_time', 'requester_wait_time', 'agent_work_time', 'total_resolution_time')
                and i.instance = 1
                and v.instance_id = 1
            )
            or (
                v.metric in ('next_reply_time', 'periodic_update_time', 'pausable_update_time')
                and v.activated_at = i.started_at
                and v.same_start_rank = i.same_start_rank
            )
        )
