-- Intraday volume spikes: an incident floods a few root causes for hours, which a day's total can
-- hide in a big slice and which the desk needs to hear about the same day, not the next morning.
--
-- Escalations created per UTC hour, per slice (overall, issue category, root cause, channel),
-- summed over a rolling window of alert_spike_window_hours. Baseline: the same window of the week
-- (same weekday and hour) over the previous alert_baseline_weeks weeks (at least three), by
-- trimmed mean (highest and lowest week left out). Score: Anscombe z, 2 (sqrt(x + 3/8) - sqrt(expected + 3/8)), whose
-- sigma is 1 for a Poisson count. A spike is a window with z above alert_spike_z and at least
-- alert_spike_min_count escalations; 24 windows a day are tested per slice, so the bar is higher
-- than the daily rules' 3 sigma. One alert per slice and episode: the first window of a run of
-- spiking windows (a gap of up to a window's length continues it). period is the UTC day the
-- window ends; first_detected_at is the end of that window.
{% set window_hours = var('alert_spike_window_hours') %}
{% set dimensions = ['overall', 'issue_category', 'root_cause', 'channel'] %}
with escalations as (
    -- inside the plausible window only: one far-off timestamp would make the hourly grid span years
    select
        created_at,
        channel,
        issue_category,
        coalesce(root_cause, 'unknown') as root_cause
    from {{ ref('fct_escalations') }}
    where created_at between {{ plausible_from() }} and {{ plausible_to() }}
),

hourly as (
    {% for dimension in dimensions %}
        select
            '{{ dimension }}' as slice_dimension,
            {{ "'all'" if dimension == 'overall' else dimension }} as slice_value,
            date_trunc('hour', created_at) as hour_start,
            count(*) as created
        from escalations
        group by 1, 2, 3
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

bounds as (
    -- up to the last hour that has ended before the run's as-of instant
    select
        min(hour_start) as first_hour,
        least(max(hour_start), date_trunc('hour', {{ as_of() }}) - interval '1 hour') as last_hour
    from hourly
),

hours as (
    select {{ from_epoch_s(epoch_s('b.first_hour') ~ ' + 3600 * h.n') }} as hour_start
    from bounds as b
    cross join {{ integer_series(
        '0', 'cast((' ~ epoch_s('b.last_hour') ~ ' - ' ~ epoch_s('b.first_hour') ~ ') / 3600 as integer)', 'h', 'n'
    ) }}
),

slices as (
    select distinct
        slice_dimension,
        slice_value
    from hourly
),

grid as (
    select
        s.slice_dimension,
        s.slice_value,
        h.hour_start,
        coalesce(c.created, 0) as created
    from slices as s
    cross join hours as h
    left join hourly as c
        on
            s.slice_dimension = c.slice_dimension
            and s.slice_value = c.slice_value
            and h.hour_start = c.hour_start
),

windows as (
    select
        slice_dimension,
        slice_value,
        hour_start + interval '1 hour' as window_end,
        sum(created) over (
            partition by slice_dimension, slice_value order by hour_start
            rows between {{ window_hours - 1 }} preceding and current row
        ) as observed
    from grid
),

baselined as (
    select
        *,
        -- in doubles on every engine (Postgres would sum integers to numeric, and take numeric roots)
        cast(
            sum(observed) over same_window_of_week
            - max(observed) over same_window_of_week
            - min(observed) over same_window_of_week
            as {{ type_double() }}
        ) / nullif(count(observed) over same_window_of_week - 2, 0) as expected,
        count(observed) over same_window_of_week as baseline_weeks
    from windows
    window same_window_of_week as (
        partition by slice_dimension, slice_value, {{ iso_day_of_week('window_end') }}, extract(hour from window_end)
        order by window_end rows between {{ var('alert_baseline_weeks') }} preceding and 1 preceding
    )
),

scored as (
    select
        *,
        2 * (sqrt(cast(observed as {{ type_double() }}) + 0.375) - sqrt(expected + 0.375)) as z
    from baselined
    where baseline_weeks >= 3
),

spikes as (
    select
        *,
        lag(window_end) over (partition by slice_dimension, slice_value order by window_end) as previous_spike_end
    from scored
    where z > {{ var('alert_spike_z') }} and observed >= {{ var('alert_spike_min_count') }}
)

select
    slice_dimension,
    slice_value,
    cast(window_end as date) as period,
    cast(observed as {{ type_double() }}) as observed,
    cast(expected as {{ type_double() }}) as expected,
    cast(
        greatest(power(greatest(sqrt(expected + 0.375) - 1.5, 0), 2) - 0.375, 0) as {{ type_double() }}
    ) as lower_bound,
    cast(power(sqrt(expected + 0.375) + 1.5, 2) - 0.375 as {{ type_double() }}) as upper_bound,
    cast(z as {{ type_double() }}) as score,
    cast(observed as {{ type_double() }}) as volume,
    window_end
from spikes
where
    previous_spike_end is null
    or previous_spike_end < window_end - interval '{{ window_hours }} hours'
