-- Every open period of every business schedule as UTC epoch seconds, with the open seconds of the
-- schedule before it: the lookup table behind the business-time macros (macros/business_time.sql).
--
-- A period is one schedule piece on one local date that is not a holiday, open for exactly the
-- UTC instants whose local wall time lies in [start, end). Each zone's UTC offset is known as
-- regimes (stretches of one offset between transitions, found to the minute); a piece maps to
-- [start - offset, end - offset) within each regime it meets. So 09:00-17:00 is 480 minutes on
-- the days the clocks change, a start inside the skipped hour opens at the transition, and a piece
-- over the repeated hour counts both passes of it, with no per-minute work.
with escalation_span as (
    -- escalations created inside the plausible window only: one far-off timestamp loaded before
    -- the loader checked the window must not stretch the calendar over centuries
    select
        min(created_at) as first_at,
        greatest(max(created_at), {{ as_of() }}) as last_at
    from {{ ref('int_escalations__unioned') }}
    where created_at between {{ plausible_from() }} and {{ plausible_to() }}
),

calendar_range as (
    select
        cast(cast(coalesce(first_at, {{ as_of() }}) as date) - {{ var('calendar_days_before') }} as timestamp)
            as first_day,
        cast(cast(coalesce(last_at, {{ as_of() }}) as date) + {{ var('calendar_days_after') }} as timestamp)
            as last_day
    from escalation_span
),

days as (
    select
        cast(g.day_start as date) as local_date,
        {{ epoch_s('g.day_start') }} as day_s
    from calendar_range as r
    cross join generate_series(r.first_day, r.last_day, interval '1 day') as g (day_start)
),

zones as (
    select distinct time_zone from {{ ref('int_sla__schedule_pieces') }}
),

daily_offsets as (
    select
        z.time_zone,
        d.day_s,
        {{ epoch_s("(" ~ from_epoch_s('d.day_s + 43200') ~ ") at time zone z.time_zone") }}
        - (d.day_s + 43200) as offset_s
    from zones as z
    cross join days as d
),

changes as (
    select
        time_zone,
        day_s,
        offset_s,
        lead(offset_s) over (partition by time_zone order by day_s) as next_offset_s
    from daily_offsets
),

transition_candidates as (
    select
        c.time_zone,
        c.day_s,
        c.day_s + 43200 + k.minute_offset * 60 as candidate_s,
        c.next_offset_s
    from changes as c
    cross join generate_series(1, 1440) as k (minute_offset)
    where c.next_offset_s != c.offset_s
),

transitions as (
    select
        time_zone,
        min(candidate_s) as transition_s
    from transition_candidates
    where
        {{ epoch_s("(" ~ from_epoch_s('candidate_s') ~ ") at time zone time_zone") }} - candidate_s
        = next_offset_s
    group by time_zone, day_s
),

bounds as (
    select
        time_zone,
        transition_s as regime_start_s
    from transitions
    union all
    select
        time_zone,
        -{{ 2 ** 40 }} as regime_start_s
    from zones
),

regimes as (
    select
        b.time_zone,
        b.regime_start_s,
        coalesce(lead(b.regime_start_s) over (partition by b.time_zone order by b.regime_start_s), {{ 2 ** 40 }})
            as regime_end_s
    from bounds as b
),

regime_probes as (
    -- an instant safely inside each regime (regimes last far longer than an hour)
    select
        r.time_zone,
        r.regime_start_s,
        r.regime_end_s,
        case
            when r.regime_start_s > -{{ 2 ** 39 }} then r.regime_start_s + 3600
            when r.regime_end_s < {{ 2 ** 39 }} then r.regime_end_s - 3600
            else (select min(day_s) from days)
        end as probe_s
    from regimes as r
),

regime_offsets as (
    select
        time_zone,
        regime_start_s,
        regime_end_s,
        {{ epoch_s("(" ~ from_epoch_s('probe_s') ~ ") at time zone time_zone") }} - probe_s as offset_s
    from regime_probes
),

walls as (
    select
        p.schedule_key,
        p.time_zone,
        d.local_date,
        d.day_s + p.start_minute * 60 as start_wall_s,
        d.day_s + p.end_minute * 60 as end_wall_s
    from {{ ref('int_sla__schedule_pieces') }} as p
    inner join days as d on p.day_of_week = extract(dow from d.local_date)
    where not exists (
        select 1
        from {{ ref('int_sla__schedule_holidays') }} as h
        where h.schedule_key = p.schedule_key and h.holiday_date = d.local_date
    )
),

periods as (
    select
        w.schedule_key,
        w.local_date,
        greatest(w.start_wall_s - r.offset_s, r.regime_start_s) as start_s,
        least(w.end_wall_s - r.offset_s, r.regime_end_s) as end_s
    from walls as w
    inner join regime_offsets as r
        on
            w.time_zone = r.time_zone
            and w.start_wall_s - r.offset_s < r.regime_end_s
            and w.end_wall_s - r.offset_s > r.regime_start_s
),

open_periods as (
    select
        schedule_key,
        local_date,
        start_s,
        end_s
    from periods
    where end_s > start_s
)

select
    schedule_key,
    local_date,
    start_s,
    end_s,
    {{ from_epoch_s('start_s') }} as period_start_at,
    {{ from_epoch_s('end_s') }} as period_end_at,
    coalesce(sum(end_s - start_s) over (
        partition by schedule_key order by start_s rows between unbounded preceding and 1 preceding
    ), 0) as open_before_s
from open_periods
