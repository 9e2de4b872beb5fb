-- The Zendesk SLA policy whose conditions match each ticket from each instant its priority was
-- set: the first by position whose `all` conditions all hold and, if it has `any` conditions, one
-- of them holds. Tags, group, type and channel are the ticket's current ones (Zendesk exports no
-- tag history). Used where the tool recorded no apply_sla, and to check the ones it recorded.
{{ per_escalation_config() }}

with priority_points as (
    select
        escalation_key,
        valid_from as applied_from,
        priority,
        lag(priority) over (partition by escalation_key order by valid_from) as previous_priority
    from {{ scoped_ref('int_escalations__states') }}
    where escalation_key like 'zendesk:%'
),

points as (
    select
        p.escalation_key,
        cast(substr(p.escalation_key, 9) as bigint) as ticket_id,
        p.applied_from,
        p.priority,
        lead(p.applied_from) over (partition by p.escalation_key order by p.applied_from) as applied_until
    from priority_points as p
    where p.previous_priority is null or p.previous_priority != p.priority
),

tickets as (
    select
        t.ticket_id,
        cast(t.group_id as {{ type_text() }}) as group_id,
        t.ticket_type,
        t.via_channel
    from {{ scoped_ref('stg_zendesk__tickets', 't') }}
),

priority_ranks as (
    -- urgency rank: urgent 4 > high 3 > normal 2 > low 1
    select
        source_value as zendesk_priority,
        priority,
        case priority when 'P0' then 4 when 'P1' then 3 when 'P2' then 2 when 'P3' then 1 end as urgency
    from {{ ref('map_priorities') }}
    where source_system = 'zendesk'
),

policies as (
    select distinct
        sla_policy_id,
        cast({{ json_text('record', 'position') }} as integer) as policy_position
    from {{ ref('stg_zendesk__sla_policies') }}
),

evaluated as (
    select
        pt.escalation_key,
        pt.applied_from,
        c.sla_policy_id,
        c.condition_set,
        case
            when not c.is_supported then false
            when c.field = 'priority' and c.operator = 'is' then pr.priority = pt.priority
            when c.field = 'priority' and c.operator = 'is_not' then pr.priority != pt.priority
            when c.field = 'priority' and c.operator = 'less_than' then cur.urgency < pr.urgency
            when c.field = 'priority' and c.operator = 'greater_than' then cur.urgency > pr.urgency
            when c.field = 'current_tags' and c.operator = 'includes'
                then exists (
                    select 1 from {{ scoped_ref('stg_zendesk__ticket_tags', 'tg') }}
                    where
                        tg.ticket_id = pt.ticket_id and (' ' || c.condition_value || ' ') like ('% ' || tg.tag || ' %')
                )
            when c.field = 'current_tags' and c.operator = 'not_includes'
                then not exists (
                    select 1 from {{ scoped_ref('stg_zendesk__ticket_tags', 'tg') }}
                    where
                        tg.ticket_id = pt.ticket_id and (' ' || c.condition_value || ' ') like ('% ' || tg.tag || ' %')
                )
            when c.field = 'group_id' and c.operator = 'is' then coalesce(t.group_id = c.condition_value, false)
            when c.field = 'group_id' and c.operator = 'is_not' then coalesce(t.group_id != c.condition_value, true)
            when c.field = 'type' and c.operator = 'is' then coalesce(t.ticket_type = c.condition_value, false)
            when c.field = 'type' and c.operator = 'is_not' then coalesce(t.ticket_type != c.condition_value, true)
            when c.field = 'via_id' and c.operator = 'is' then coalesce(t.via_channel = c.condition_value, false)
            when c.field = 'via_id' and c.operator = 'is_not' then coalesce(t.via_channel != c.condition_value, true)
            else false
        end as holds
    from points as pt
    cross join {{ ref('int_sla__zendesk_policy_conditions') }} as c
    left join tickets as t on pt.ticket_id = t.ticket_id
    left join priority_ranks as pr on c.condition_value = pr.zendesk_priority
    left join priority_ranks as cur on pt.priority = cur.priority
),

verdicts as (
    select
        escalation_key,
        applied_from,
        sla_policy_id,
        coalesce(bool_and(case when condition_set = 'all' then holds end), true)
        and coalesce(bool_or(case when condition_set = 'any' then holds end), true) as matches
    from evaluated
    group by escalation_key, applied_from, sla_policy_id
),

candidates as (
    select
        pt.escalation_key,
        pt.applied_from,
        pt.applied_until,
        pt.priority,
        p.sla_policy_id,
        p.policy_position,
        coalesce(v.matches, true) as matches
    from points as pt
    cross join policies as p
    left join verdicts as v
        on
            pt.escalation_key = v.escalation_key
            and pt.applied_from = v.applied_from
            and p.sla_policy_id = v.sla_policy_id
),

ranked as (
    select
        *,
        row_number() over (
            partition by escalation_key, applied_from order by policy_position, sla_policy_id
        ) as match_rank
    from candidates
    where matches
)

select
    escalation_key,
    applied_from,
    applied_until,
    priority,
    sla_policy_id
from ranked
where match_rank = 1
