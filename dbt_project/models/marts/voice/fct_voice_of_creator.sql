-- Satisfaction as the voice of creators and users: ISO week (UTC) x requester type (creator tier
-- or user) x market x language x channel. Escalations and repeat contacts count escalations
-- created in the week (a repeat contact: the same requester had another escalation in the 7 days
-- before); CSAT counts the ratings given in the week (the newest good or bad rating of each
-- ticket, as fct_escalations); the top themes of the bad ratings' comments come from the theme
-- step (the three most frequent, with their counts). Language: the escalation's request text
-- (unknown without text, and for restricted escalations, whose text is never read).
with request_languages as (
    select
        escalation_key,
        language
    from {{ ref('stg_voice__text_themes') }}
    where text_kind = 'request'
),

escalations as (
    -- joined on the key alone: a condition on the left side in the join made DuckDB loop over
    -- every pair (64 s at 100k escalations)
    select
        e.escalation_key,
        e.requester_type,
        e.market,
        e.channel,
        e.requester_key,
        e.created_at,
        case when e.is_restricted then 'unknown' else coalesce(t.language, 'unknown') end as language
    from {{ ref('fct_escalations') }} as e
    left join request_languages as t on e.escalation_key = t.escalation_key
),

contacts as (
    select
        *,
        {{ week_start('created_at') }} as week_start,
        coalesce(
            lag(created_at) over (partition by requester_key order by created_at, escalation_key)
            >= {{ dbt.dateadd('day', -7, 'created_at') }},
            false
        ) as is_repeat_contact
    from escalations
),

ratings as (
    select
        r.rating_id,
        r.escalation_key,
        r.score,
        {{ week_start('r.created_at') }} as week_start
    from (
        select
            *,
            row_number() over (partition by ticket_id order by updated_at desc, rating_id desc) as newest
        from {{ ref('stg_zendesk__satisfaction_ratings') }}
    ) as r
    where r.newest = 1 and r.score in ('good', 'bad')
),

rated as (
    select
        r.*,
        e.requester_type,
        e.market,
        e.channel,
        e.language
    from ratings as r
    inner join escalations as e on r.escalation_key = e.escalation_key
),

bad_comment_themes as (
    select
        r.week_start,
        r.requester_type,
        r.market,
        r.language,
        r.channel,
        c.theme_key,
        count(*) as comments,
        row_number() over (
            partition by r.week_start, r.requester_type, r.market, r.language, r.channel
            order by count(*) desc, c.theme_key
        ) as theme_rank
    from rated as r
    inner join {{ ref('stg_voice__text_themes') }} as c
        on cast(r.rating_id as {{ dbt.type_string() }}) = c.record_id
    where r.score = 'bad' and c.text_kind = 'csat_comment' and c.theme_key is not null
    group by r.week_start, r.requester_type, r.market, r.language, r.channel, c.theme_key
),

top_themes as (
    select
        b.week_start,
        b.requester_type,
        b.market,
        b.language,
        b.channel,
        sum(b.comments) as bad_comments,
        {{ dbt.listagg(
            "th.label || ' (' || cast(b.comments as " ~ dbt.type_string() ~ ") || ')'",
            "'; '",
            "order by b.theme_rank",
            3,
        ) }} as top_bad_comment_themes,
        {{ dbt.listagg("b.theme_key", "', '", "order by b.theme_rank", 3) }} as top_bad_comment_theme_keys
    from bad_comment_themes as b
    inner join {{ ref('stg_voice__themes') }} as th on b.theme_key = th.theme_key
    group by b.week_start, b.requester_type, b.market, b.language, b.channel
),

created as (
    select
        week_start,
        requester_type,
        market,
        language,
        channel,
        count(*) as escalations,
        sum(case when is_repeat_contact then 1 else 0 end) as repeat_contacts
    from contacts
    group by week_start, requester_type, market, language, channel
),

csat as (
    select
        week_start,
        requester_type,
        market,
        language,
        channel,
        count(*) as csat_responses,
        sum(case when score = 'good' then 1 else 0 end) as csat_good,
        sum(case when score = 'bad' then 1 else 0 end) as csat_bad
    from rated
    group by week_start, requester_type, market, language, channel
),

slices as (
    select
        week_start,
        requester_type,
        market,
        language,
        channel
    from created
    union
    select
        week_start,
        requester_type,
        market,
        language,
        channel
    from csat
)

select
    cast(
        cast(s.week_start as {{ dbt.type_string() }}) || '|' || s.requester_type || '|' || s.market || '|'
        || s.language || '|' || s.channel
        as {{ dbt.type_string() }}
    ) as voice_key,
    cast(s.week_start as date) as week_start,
    cast(s.requester_type as {{ dbt.type_string() }}) as requester_type,
    cast(s.market as {{ dbt.type_string() }}) as market,
    cast(s.language as {{ dbt.type_string() }}) as language,
    cast(s.channel as {{ dbt.type_string() }}) as channel,
    cast(coalesce(c.escalations, 0) as {{ dbt.type_int() }}) as escalations,
    cast(coalesce(c.repeat_contacts, 0) as {{ dbt.type_int() }}) as repeat_contacts,
    cast(coalesce(r.csat_responses, 0) as {{ dbt.type_int() }}) as csat_responses,
    cast(coalesce(r.csat_good, 0) as {{ dbt.type_int() }}) as csat_good,
    cast(coalesce(r.csat_bad, 0) as {{ dbt.type_int() }}) as csat_bad,
    cast(
        cast(r.csat_good as {{ type_double() }}) / nullif(r.csat_responses, 0) as {{ type_double() }}
    ) as csat_good_rate,
    cast(
        cast(r.csat_bad as {{ type_double() }}) / nullif(r.csat_responses, 0) as {{ type_double() }}
    ) as csat_bad_rate,
    cast(coalesce(t.bad_comments, 0) as {{ dbt.type_int() }}) as bad_comments_themed,
    cast(coalesce(t.top_bad_comment_themes, '') as {{ dbt.type_string() }}) as top_bad_comment_themes,
    cast(coalesce(t.top_bad_comment_theme_keys, '') as {{ dbt.type_string() }}) as top_bad_comment_theme_keys
from slices as s
left join created as c
    on
        s.week_start = c.week_start and s.requester_type = c.requester_type and s.market = c.market
        and s.language = c.language and s.channel = c.channel
left join csat as r
    on
        s.week_start = r.week_start and s.requester_type = r.requester_type and s.market = r.market
        and s.language = r.language and s.channel = r.channel
left join top_themes as t
    on
        s.week_start = t.week_start and s.requester_type = t.requester_type and s.market = t.market
        and s.language = t.language and s.channel = t.channel
