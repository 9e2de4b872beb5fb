-- Every open period of every business schedule as UTC epoch seconds, with the open seconds of the
-- schedule before it: the lookup table behind the business-time macros (macros/business_time.sql).
--
-- A period is one schedule piece on one local date, less what holidays close that date (all of
-- it, or a part of the day: a partial Salesforce holiday), open for exactly the UTC instants
-- whose local wall time lies in [start, end). The calendar's dates come from
-- int_sla__calendar_days. Each zone's UTC offset is known as
-- regimes (stretches of one offset between transitions, found to the minute); a piece maps to
-- [start - offset, end - offset) within each regime it meets. So 09:00-17:00 is 480 minutes on
-- the days the clocks change, a start inside the skipped hour opens at the transition, and a piece
-- over the repeated hour counts both passes of it, with no per-minute work.
with days as (
    select
        local_date,
        day_s,
        day_of_week
    from {{ ref('int_sla__calendar_days') }}
    where is_in_calendar
),

zones as (
    select distinct time_zone from {{ ref('int_sla__schedule_pieces') }}
),

daily_offsets as (
    select
        z.time_zone,
        d.day_s,
        {{ epoch_s(utc_to_local(from_epoch_s('d.day_s + 43200'), 'z.time_zone')) }}
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
    cross join {{ integer_series(1, 1440, 'k', 'minute_offset') }}
    where c.next_offset_s != c.offset_s
),

transitions as (
    select
        time_zone,
        min(candidate_s) as transition_s
    from transition_candidates
    where
        {{ epoch_s(utc_to_local(from_epoch_s('candidate_s'), 'time_zone')) }} - candidate_s
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
        {{ epoch_s(utc_to_local(from_epoch_s('probe_s'), 'time_zone')) }} - probe_s as offset_s
    from regime_probes
),

closures as (
    -- what holidays close on each date, overlapping stretches merged
    select * from {{ merged_intervals(ref('int_sla__schedule_holidays'), ['schedule_key', 'holiday_date'],
        'start_minute', 'end_minute') }} as merged
),

openings as (
    -- on a date with closures, the stretches between them: the only times a piece may be open
    select
        schedule_key,
        holiday_date,
        coalesce(lag(end_minute) over (partition by schedule_key, holiday_date order by start_minute), 0)
            as open_from,
        start_minute as open_to
    from closures
    union all
    select
        schedule_key,
        holiday_date,
        max(end_minute) as open_from,
        1440 as open_to
    from closures
    group by schedule_key, holiday_date
),

open_pieces as (
    -- each weekly piece on each date, less what a holiday closes that date (a date without one
    -- keeps the whole piece)
    select
        p.schedule_key,
        p.time_zone,
        d.local_date,
        d.day_s,
        greatest(p.start_minute, coalesce(o.open_from, 0)) as start_minute,
        least(p.end_minute, coalesce(o.open_to, 1440)) as end_minute
    from {{ ref('int_sla__schedule_pieces') }} as p
    inner join days as d on p.day_of_week = d.day_of_week
    left join openings as o on p.schedule_key = o.schedule_key and d.local_date = o.holiday_date
),

walls as (
    select
        schedule_key,
        time_zone,
        local_date,
        day_s + start_minute * 60 as start_wall_s,
        day_s + end_minute * 60 as end_wall_s
    from open_pieces
    where end_minute > start_minute
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
