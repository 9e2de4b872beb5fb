-- Phone calls per local day x priority x issue category x market, in the grain of the daily KPIs
-- (channel phone): a linked call takes its escalation's priority and category, any other call
-- `unknown`. The day is the call's start in its market's zone.
with calls as (
    select
        c.*,
        coalesce(e.priority, 'unknown') as priority,
        coalesce(e.issue_category, 'unknown') as issue_category
    from {{ ref('fct_calls') }} as c
    left join {{ ref('fct_escalations') }} as e on c.escalation_key = e.escalation_key
)

select
    cast(started_date_local as {{ dbt.type_string() }}) || '|' || priority || '|' || issue_category || '|' || market
        as calls_daily_key,
    started_date_local as date_day,
    'phone' as channel,
    priority,
    issue_category,
    market,
    count(*) as calls_offered,
    sum(case when is_answered then 1 else 0 end) as calls_answered,
    sum(case when is_answered_within_30s then 1 else 0 end) as calls_answered_within_30s,
    sum(case when is_abandoned then 1 else 0 end) as calls_abandoned,
    sum(case when is_abandoned_within_5s then 1 else 0 end) as calls_abandoned_within_5s,
    sum(case when is_answered then handle_seconds else 0 end) as handle_seconds_answered
from calls
group by started_date_local, priority, issue_category, market
