-- One row per phone call (Avaya ECH), all its segments together: a transferred call is one call.
-- A call is the segments sharing its UCID (the call's universal id), else its callid.
--   answered: a segment the ACD answered (call_disp 1 connected or 2 answered);
--   abandoned: never answered and the caller hung up (call_disp 3); within 5 s: after at most
--     5 seconds in queue and ringing (short abandons, left out of service level and abandon rate);
--   speed of answer: queue and ring seconds of the segments up to the first answered one;
--   handle time: talk + hold + wrap-up (after-call work) of every segment;
--   transfers: segments the call was transferred out of.
-- The linked escalation: the ticket id the agent desktop wrote into the call's user-to-user data
-- (`TKT=<id>`), matched to an escalation's native id in any tool (if two tools share the id, the
-- first by tool name wins and ticket_ref_matches says so). The caller is a keyed hash; the
-- market is the linked escalation's, else the caller's country calling code's.
with segments as (
    select
        s.*,
        coalesce(s.ucid, cast(s.callid as {{ dbt.type_string() }})) as call_ref,
        s.call_disposition in (1, 2) as is_answered_segment
    from {{ ref('stg_avaya__call_segments') }} as s
),

first_answer as (
    select
        call_ref,
        min(case when is_answered_segment then segment end) as first_answered_segment
    from segments
    group by call_ref
),

first_segment as (
    select
        call_ref,
        split as first_split,
        caller_key,
        caller_prefix
    from (
        select
            call_ref,
            split,
            caller_key,
            caller_prefix,
            row_number() over (partition by call_ref order by segment, segment_key) as position
        from segments
    ) as ranked
    where position = 1
),

ticket_refs as (
    select
        call_ref,
        ticket_ref
    from (
        select
            call_ref,
            ticket_ref,
            row_number() over (partition by call_ref order by segment desc, segment_key asc) as position
        from segments
        where ticket_ref is not null
    ) as ranked
    where position = 1
),

calls as (
    select
        s.call_ref,
        min(s.callid) as callid,
        max(s.ucid) as ucid,
        min(s.segment_started_at) as started_at,
        max(s.segment_stopped_at) as ended_at,
        count(*) as segments,
        sum(s.queue_seconds) as queue_seconds,
        sum(s.ring_seconds) as ring_seconds,
        sum(s.talk_seconds) as talk_seconds,
        sum(s.hold_seconds) as hold_seconds,
        sum(s.wrap_seconds) as wrap_seconds,
        sum(case when s.segment <= f.first_answered_segment then s.queue_seconds + s.ring_seconds end)
            as speed_of_answer_seconds,
        max(case when s.is_answered_segment then 1 else 0 end) = 1 as is_answered,
        max(case when s.call_disposition = 3 then 1 else 0 end) = 1 as has_abandoned_segment,
        sum(case when s.is_transferred then 1 else 0 end) as transfers,
        max(case when s.is_conference then 1 else 0 end) = 1 as is_conference,
        count(distinct s.answering_login) as answering_agents,
        max(s.split) as last_split
    from segments as s
    inner join first_answer as f on s.call_ref = f.call_ref
    group by s.call_ref
),

matches as (
    select
        t.call_ref,
        e.escalation_key,
        count(*) over (partition by t.call_ref) as ticket_ref_matches,
        row_number() over (partition by t.call_ref order by e.source_system, e.escalation_key) as position
    from ticket_refs as t
    inner join {{ ref('fct_escalations') }} as e on t.ticket_ref = e.native_id
),

dialing as (
    select
        f.call_ref,
        d.market,
        row_number() over (partition by f.call_ref order by length(d.dialing_code) desc) as position
    from first_segment as f
    inner join {{ ref('map_dialing_codes') }} as d
        on {{ text_prefix('f.caller_prefix', 'length(d.dialing_code)') }} = d.dialing_code
)

select
    cast('avaya:' || c.call_ref as {{ dbt.type_string() }}) as call_key,
    cast(c.callid as {{ dbt.type_bigint() }}) as callid,
    cast(c.ucid as {{ dbt.type_string() }}) as ucid,
    cast(fs.caller_key as {{ dbt.type_string() }}) as caller_key,
    cast(c.started_at as {{ type_timestamptz() }}) as started_at,
    cast(c.ended_at as {{ type_timestamptz() }}) as ended_at,
    cast({{ local_date('c.started_at', "coalesce(mk.time_zone, 'UTC')") }} as date) as started_date_local,
    cast(coalesce(e.market, dl.market, 'unknown') as {{ dbt.type_string() }}) as market,
    cast(coalesce(sp.language, 'unknown') as {{ dbt.type_string() }}) as language,
    cast(fs.first_split as {{ dbt.type_string() }}) as first_split,
    cast(c.last_split as {{ dbt.type_string() }}) as last_split,
    cast(c.segments as {{ dbt.type_int() }}) as segments,
    cast(c.queue_seconds as {{ dbt.type_int() }}) as queue_seconds,
    cast(c.ring_seconds as {{ dbt.type_int() }}) as ring_seconds,
    cast(c.talk_seconds as {{ dbt.type_int() }}) as talk_seconds,
    cast(c.hold_seconds as {{ dbt.type_int() }}) as hold_seconds,
    cast(c.wrap_seconds as {{ dbt.type_int() }}) as wrap_seconds,
    cast(c.talk_seconds + c.hold_seconds + c.wrap_seconds as {{ dbt.type_int() }}) as handle_seconds,
    cast(c.speed_of_answer_seconds as {{ dbt.type_int() }}) as speed_of_answer_seconds,
    cast(c.is_answered as {{ dbt.type_boolean() }}) as is_answered,
    cast(coalesce(c.is_answered and c.speed_of_answer_seconds <= 30, false) as {{ dbt.type_boolean() }})
        as is_answered_within_30s,
    cast(not c.is_answered and c.has_abandoned_segment as {{ dbt.type_boolean() }}) as is_abandoned,
    cast(
        not c.is_answered and c.has_abandoned_segment and c.queue_seconds + c.ring_seconds <= 5
        as {{ dbt.type_boolean() }}
    ) as is_abandoned_within_5s,
    cast(c.transfers as {{ dbt.type_int() }}) as transfers,
    cast(c.is_conference as {{ dbt.type_boolean() }}) as is_conference,
    cast(c.answering_agents as {{ dbt.type_int() }}) as answering_agents,
    cast(t.ticket_ref as {{ dbt.type_string() }}) as ticket_ref,
    cast(m.escalation_key as {{ dbt.type_string() }}) as escalation_key,
    cast(coalesce(m.ticket_ref_matches, 0) as {{ dbt.type_int() }}) as ticket_ref_matches
from calls as c
inner join first_segment as fs on c.call_ref = fs.call_ref
left join ticket_refs as t on c.call_ref = t.call_ref
left join matches as m on c.call_ref = m.call_ref and m.position = 1
left join {{ ref('fct_escalations') }} as e on m.escalation_key = e.escalation_key
left join dialing as dl on c.call_ref = dl.call_ref and dl.position = 1
left join {{ ref('dim_market') }} as mk on coalesce(e.market, dl.market) = mk.market
left join {{ ref('map_avaya_splits') }} as sp on fs.first_split = sp.dispsplit
