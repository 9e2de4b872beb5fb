-- Work in progress for issue 7 (metric-change alerts), disabled until it is good enough: on the
-- demo world, daily same-weekday baselines catch 1 of 7 planted incident spikes (which last hours,
-- not days) with 1 of 27 upward volume alerts on issue categories matching one.
{{ config(enabled=false) }}
-- One row per detected metric change: the first day of each episode, per metric and slice.
--
-- Baseline: the median of the same weekday over the previous alert_baseline_weeks weeks (so a
-- quiet Sunday is compared with Sundays), with a robust sigma of 1.4826 x their median absolute
-- deviation, floored at the sampling noise of the day (Poisson for counts, binomial for rates,
-- a tenth of the baseline for the median), so small slices and flat histories do not cry wolf. Control-chart rules on the score z:
--   beyond_3_sigma      |z| > 3 on the day
--   two_of_three_2sigma two of the last three days beyond 2 sigma on the same side
--   eight_in_a_row      eight days in a row on the same side of the baseline
-- A slice must carry alert_min_volume on the day (escalations, or a rate's denominator; for
-- volume, the baseline or the day) and have at least four baseline weeks. An ongoing shift is
-- reported once, on the day it starts (no alert the day before in the same direction).
with series as (
    select * from {{ ref('int_alerts__daily_series') }}
),

baselined as (
    select
        *,
        extract(isodow from date_day) as weekday,
        median(observed) over same_weekday as expected,
        mad(observed) over same_weekday as deviation,
        count(observed) over same_weekday as baseline_weeks
    from series
    window same_weekday as (
        partition by metric, slice_dimension, slice_value, extract(isodow from date_day)
        order by date_day rows between {{ var('alert_baseline_weeks') }} preceding and 1 preceding
    )
),

scored as (
    select
        *,
        greatest(
            1.4826 * coalesce(deviation, 0),
            -- sampling noise: Poisson for counts, binomial for rates, 10% for a median
            case
                when metric = 'escalation_volume' then sqrt(greatest(expected, 1.0))
                when metric = 'median_first_reply' then 0.1 * abs(expected)
                else sqrt(least(greatest(expected, 0.05), 0.95) * (1 - least(greatest(expected, 0.05), 0.95))
                    / greatest(volume, 1.0))
            end
        ) as sigma
    from baselined
),

eligible as (
    select
        *,
        (observed - expected) / sigma as z,
        baseline_weeks >= 4
        and observed is not null
        and expected is not null
        and (
            (metric = 'escalation_volume' and greatest(expected, observed) >= {{ var('alert_min_volume') }} / 4.0)
            or (metric != 'escalation_volume' and volume >= {{ var('alert_min_volume') }})
        ) as is_eligible
    from scored
),

ruled as (
    select
        *,
        sum(case when is_eligible and z > 2 then 1 else 0 end) over recent_three as high_2sigma,
        sum(case when is_eligible and z < -2 then 1 else 0 end) over recent_three as low_2sigma,
        sum(case when is_eligible and observed > expected then 1 else 0 end) over recent_eight as above,
        sum(case when is_eligible and observed < expected then 1 else 0 end) over recent_eight as below
    from eligible
    window
        recent_three as (
            partition by metric, slice_dimension, slice_value order by date_day
            rows between 2 preceding and current row
        ),
        recent_eight as (
            partition by metric, slice_dimension, slice_value order by date_day
            rows between 7 preceding and current row
        )
),

fired as (
    select
        *,
        case
            when not is_eligible then null
            when abs(z) > 3 then 'beyond_3_sigma'
            when (z > 2 and high_2sigma >= 2) or (z < -2 and low_2sigma >= 2) then 'two_of_three_2sigma'
            when above = 8 or below = 8 then 'eight_in_a_row'
        end as rule,
        case when observed >= expected then 'up' else 'down' end as direction
    from ruled
),

episodes as (
    select
        *,
        lag(case when rule is not null then direction end) over (
            partition by metric, slice_dimension, slice_value order by date_day
        ) as previous_direction
    from fired
)

select
    cast(metric || '|' || slice_dimension || '=' || slice_value || '|' || cast(date_day as varchar) as varchar)
        as alert_key,
    cast(metric as varchar) as metric,
    cast(slice_dimension as varchar) as slice_dimension,
    cast(slice_value as varchar) as slice_value,
    cast(slice_dimension || '=' || slice_value as varchar) as slice,
    cast(date_day as date) as period,
    cast(observed as double) as observed,
    cast(expected as double) as expected,
    cast(expected - 3 * sigma as double) as lower_bound,
    cast(expected + 3 * sigma as double) as upper_bound,
    cast(z as double) as score,
    cast(direction as varchar) as direction,
    cast(rule as varchar) as rule,
    cast(case
        when abs(z) >= 6 or (slice_dimension = 'overall' and abs(z) >= 4) then 'critical'
        when abs(z) >= 4 then 'high'
        else 'medium'
    end as varchar) as severity,
    cast(volume as double) as volume,
    cast({{ local_to_utc('cast(date_day + 1 as timestamp)', "'UTC'") }} as timestamp with time zone)
        as first_detected_at
from episodes
where rule is not null and coalesce(previous_direction, '') != direction
