-- Week x complaint theme. Themes come from the theme step (escalations/voice: TF-IDF and NMF per
-- language on redacted text, keys kept from night to night); its counts, baselines and emerging
-- verdict are in stg_voice__theme_weeks (docs/voice.md: at least 8 escalations, 3 times the share
-- of the 8 weeks before, and an Anscombe score of 3.5 or more). Added here: the theme's label, a
-- few example escalations of the week, and the split by issue category: how much of the theme
-- agents filed as uncategorized (issue category unknown: the agents' "other").
with weeks as (
    select * from {{ ref('stg_voice__theme_weeks') }}
),

themes as (
    select * from {{ ref('stg_voice__themes') }}
),

requests as (
    select
        t.theme_key,
        {{ week_start('e.created_at') }} as week_start,
        e.escalation_key,
        e.issue_category,
        e.created_at
    from {{ ref('stg_voice__text_themes') }} as t
    inner join {{ ref('fct_escalations') }} as e on t.escalation_key = e.escalation_key
    where t.text_kind = 'request' and t.theme_key is not null and not e.is_restricted
),

by_category as (
    select
        theme_key,
        week_start,
        issue_category,
        count(*) as escalations,
        row_number() over (
            partition by theme_key, week_start order by count(*) desc, issue_category
        ) as category_rank
    from requests
    group by theme_key, week_start, issue_category
),

split as (
    select
        theme_key,
        week_start,
        sum(case when issue_category = 'unknown' then escalations else 0 end) as escalations_uncategorized,
        max(case when category_rank = 1 then issue_category end) as top_issue_category,
        {{ dbt.listagg(
            "issue_category || ' ' || cast(escalations as " ~ dbt.type_string() ~ ")",
            "', '",
            "order by escalations desc, issue_category",
        ) }} as issue_category_split
    from by_category
    group by theme_key, week_start
),

examples as (
    select
        theme_key,
        week_start,
        {{ dbt.listagg("escalation_key", "', '", "order by created_at, escalation_key", 3) }}
            as example_escalation_keys
    from requests
    group by theme_key, week_start
),

flagged as (
    select
        w.*,
        coalesce(
            lag(w.is_emerging) over (partition by w.theme_key order by w.week_start), false
        ) as was_emerging
    from weeks as w
)

select
    cast(f.theme_week_key as {{ dbt.type_string() }}) as theme_week_key,
    cast(f.week_start as date) as week_start,
    cast(f.theme_key as {{ dbt.type_string() }}) as theme_key,
    cast(t.language as {{ dbt.type_string() }}) as language,
    cast(t.label as {{ dbt.type_string() }}) as label,
    cast(f.escalations as {{ dbt.type_int() }}) as escalations,
    cast(f.week_escalations as {{ dbt.type_int() }}) as week_escalations,
    cast(f.share as {{ type_double() }}) as share,
    cast(f.baseline_share as {{ type_double() }}) as baseline_share,
    cast(f.baseline_escalations as {{ dbt.type_int() }}) as baseline_escalations,
    cast(f.expected_escalations as {{ type_double() }}) as expected_escalations,
    cast(f.score as {{ type_double() }}) as score,
    cast(f.is_emerging as {{ dbt.type_boolean() }}) as is_emerging,
    cast(f.is_emerging and not f.was_emerging as {{ dbt.type_boolean() }}) as is_newly_emerging,
    cast(f.first_seen_week as date) as first_seen_week,
    cast(f.is_complete_week as {{ dbt.type_boolean() }}) as is_complete_week,
    cast(coalesce(x.example_escalation_keys, '') as {{ dbt.type_string() }}) as example_escalation_keys,
    cast(coalesce(s.escalations_uncategorized, 0) as {{ dbt.type_int() }}) as escalations_uncategorized,
    cast(
        cast(s.escalations_uncategorized as {{ type_double() }}) / nullif(f.escalations, 0)
        as {{ type_double() }}
    ) as uncategorized_share,
    cast(s.top_issue_category as {{ dbt.type_string() }}) as top_issue_category,
    cast(coalesce(s.issue_category_split, '') as {{ dbt.type_string() }}) as issue_category_split
from flagged as f
inner join themes as t on f.theme_key = t.theme_key
left join split as s on f.theme_key = s.theme_key and f.week_start = s.week_start
left join examples as x on f.theme_key = x.theme_key and f.week_start = x.week_start
