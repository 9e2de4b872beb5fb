-- One row per detected metric change: the first day of each episode, per metric, slice and
-- direction (docs/watch.md).
--
-- Baseline: the median of the same weekday over the previous alert_baseline_weeks weeks (a quiet
-- Sunday is compared with Sundays, and one spike in the history does not move it), with a robust
-- sigma of 1.4826 x their median absolute deviation, floored at the sampling noise of the day
-- (Poisson for counts, binomial for rates, a tenth of the baseline for a median) so that small
-- slices and flat histories do not cry wolf. z = (observed - expected) / sigma.
--
-- Rules, on days with at least four baseline weeks and enough volume (alert_min_volume
-- escalations or rate denominators on the day; for volume, the baseline or the day must reach a
-- quarter of it):
--   beyond_3_sigma       |z| > 3 on the day
--   two_of_three_2sigma  two of the last three days beyond 2 sigma on the same side, today one
--   eight_in_a_row       eight days in a row on the same side of the baseline, together at least
--                        one sigma off on average (so a run of coin-flip days is not a shift)
--   sustained_shift      a one-sided CUSUM of z (clipped at 3, slack alert_cusum_k) passes
--                        alert_cusum_h: a smaller shift held for days or weeks (a remediation
--                        that worked). It watches slices with a baseline of at least one a day.
-- The point rules report the day (score = z); the sustained rules report the last seven days
-- (observed and expected are 7-day means, score = their summed z / sqrt 7).
--
-- Emerging complaint themes (fct_emerging_themes) are alerts too: metric emerging_theme, slice
-- theme=<theme key>, one per episode (the first week a theme is emerging; the week's Monday is the
-- period), observed and expected escalations of the week, the band expected +- 3.5 on Anscombe's
-- scale, first detected at the end of the week (or the build's as-of for the week still running).
--
-- An ongoing shift is reported once: a rule firing in the same direction within
-- alert_cooldown_days before continues that episode. first_detected_at is when the day became
-- complete in every market (two UTC midnights later), the first instant a run could see it.
{% set k = var('alert_cusum_k') %}
{% set min_volume = var('alert_min_volume') %}
{% set g_expression -%}
    case
        when value_kind = 'count' then 2 * sqrt(greatest(@value, 0) + 0.375)
        when value_kind = 'median' then ln(greatest(@value, 0) + 1)
        else asin(sqrt((least(greatest(@value, 0), 1) * volume + 0.375) / (volume + 0.75)))
    end
{%- endset %}
{% set g_inverse -%}
    case
        when value_kind = 'count' then greatest(power(greatest(@value, 0) / 2, 2) - 0.375, 0)
        when value_kind = 'median' then greatest(exp(@value) - 1, 0)
        else least(greatest((power(sin(least(greatest(@value, 0), pi() / 2)), 2) * (volume + 0.75) - 0.375)
            / nullif(volume, 0), 0), 1)
    end
{%- endset %}
with series as (
    -- doubles already; cast so the arithmetic is in doubles on every engine whatever feeds it
    -- (decimal literals in a hand-made series are numeric on Postgres, with numeric roots)
    select
        slice_dimension,
        slice_value,
        date_day,
        metric,
        value_kind,
        cast(observed as {{ type_double() }}) as observed,
        cast(volume as {{ type_double() }}) as volume
    from {{ ref('int_alerts__daily_series') }}
),

baselined as (
    -- the same weekday over the previous weeks: a count or a median by its trimmed mean (the
    -- highest and lowest week left out, so one spike in the history does not move it), a rate by
    -- its pooled ratio
    select
        *,
        case
            when value_kind = 'rate'
                then
                    sum(observed * volume) over same_weekday
                    / nullif(sum(case when observed is not null then volume end) over same_weekday, 0)
            else
                (sum(observed) over same_weekday - max(observed) over same_weekday - min(observed) over same_weekday)
                / nullif(count(observed) over same_weekday - 2, 0)
        end as expected,
        count(observed) over same_weekday as baseline_weeks
    from series
    window same_weekday as (
        partition by metric, slice_dimension, slice_value, {{ iso_day_of_week('date_day') }}
        order by date_day rows between {{ var('alert_baseline_weeks') }} preceding and 1 preceding
    )
),

transformed as (
    -- each metric on a scale where its sampling noise is about constant (variance-stabilizing):
    -- a count by Anscombe's 2 sqrt(x + 3/8), sigma 1; a rate of n by arcsine sqrt, sigma
    -- 1 / (2 sqrt n); a median of n reply times by its logarithm, sigma 1.25 / sqrt n (reply times
    -- spread about one unit in log). So a slice of five a day is judged as fairly as one of five
    -- hundred, and a skewed small count does not look like a spike.
    select
        *,
        {{ g_expression | replace('@value', 'observed') }} as g_observed,
        {{ g_expression | replace('@value', 'expected') }} as g_expected,
        case
            when value_kind = 'count' then 1.0
            when value_kind = 'median' then 1.25 / sqrt(greatest(volume, 1.0))
            else 1.0 / (2 * sqrt(greatest(volume, 1.0)))
        end as sampling_sigma
    from baselined
),

dispersed as (
    -- how much wider than sampling noise this series really swings: the root mean square of its
    -- standardized residuals over the previous weeks (days with a baseline of four weeks or more,
    -- each clipped at 5 so a spike does not widen the band for weeks), at least 1
    select
        *,
        greatest(
            1.0,
            coalesce(
                sqrt(avg(case
                    when baseline_weeks >= 4 then least(power((g_observed - g_expected) / sampling_sigma, 2), 25.0)
                end) over previous_weeks),
                1.0
            )
        ) as dispersion
    from transformed
    window previous_weeks as (
        partition by metric, slice_dimension, slice_value order by date_day
        rows between {{ 7 * var('alert_baseline_weeks') }} preceding and 1 preceding
    )
),

scored as (
    select
        *,
        coalesce(baseline_weeks >= 4 and observed is not null and expected is not null, false) as has_baseline,
        sampling_sigma * dispersion as sigma,
        {{ g_inverse | replace('@value', 'g_expected - 3 * sampling_sigma * dispersion') }} as lower_3_sigma,
        {{ g_inverse | replace('@value', 'g_expected + 3 * sampling_sigma * dispersion') }} as upper_3_sigma
    from dispersed
),

eligible as (
    select
        *,
        (g_observed - g_expected) / sigma as z,
        has_baseline
        and (
            (value_kind = 'count' and greatest(expected, observed) >= {{ min_volume }} / 4.0)
            or (value_kind != 'count' and volume >= {{ min_volume }})
        ) as is_eligible,
        has_baseline
        and (
            (value_kind = 'count' and expected >= 1)
            or (value_kind != 'count' and volume >= {{ min_volume }} / 2.0)
        ) as is_watched
    from scored
),

steps as (
    select
        *,
        case when is_watched then least(z, 3.0) else 0 end - {{ k }} as step_up,
        case when is_watched then least(-z, 3.0) else 0 end - {{ k }} as step_down
    from eligible
),

cumulated as (
    select
        *,
        sum(step_up) over running as walk_up,
        sum(step_down) over running as walk_down
    from steps
    window running as (
        partition by metric, slice_dimension, slice_value order by date_day
        rows between unbounded preceding and current row
    )
),

ruled as (
    select
        *,
        -- the CUSUM S_t = max(0, S_t-1 + step) is the walk less its lowest point so far (or 0)
        walk_up - least(0, min(walk_up) over running) as cusum_up,
        walk_down - least(0, min(walk_down) over running) as cusum_down,
        sum(case when is_eligible and z > 2 then 1 else 0 end) over recent_three as high_2sigma,
        sum(case when is_eligible and z < -2 then 1 else 0 end) over recent_three as low_2sigma,
        sum(case when is_eligible and observed > expected then 1 else 0 end) over recent_eight as above,
        sum(case when is_eligible and observed < expected then 1 else 0 end) over recent_eight as below,
        avg(case when is_eligible then z end) over recent_eight as mean_z_8,
        sum(case when is_watched then observed end) over recent_seven as observed_7,
        sum(case when is_watched then expected end) over recent_seven as expected_7,
        sum(case when is_watched then z end) over recent_seven as sum_z_7,
        count(case when is_watched then 1 end) over recent_seven as watched_7
    from cumulated
    window
        running as (
            partition by metric, slice_dimension, slice_value order by date_day
            rows between unbounded preceding and current row
        ),
        recent_three as (
            partition by metric, slice_dimension, slice_value order by date_day
            rows between 2 preceding and current row
        ),
        recent_seven as (
            partition by metric, slice_dimension, slice_value order by date_day
            rows between 6 preceding and current row
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
            when is_eligible and abs(z) > 3 then 'beyond_3_sigma'
            when is_eligible and ((z > 2 and high_2sigma >= 2) or (z < -2 and low_2sigma >= 2))
                then 'two_of_three_2sigma'
            when is_eligible and ((above = 8 and mean_z_8 >= 1) or (below = 8 and mean_z_8 <= -1))
                then 'eight_in_a_row'
            when cusum_up > {{ var('alert_cusum_h') }} or cusum_down > {{ var('alert_cusum_h') }}
                then 'sustained_shift'
        end as rule,
        case
            when is_eligible and abs(z) > 2 then case when z > 0 then 'up' else 'down' end
            when is_eligible and (above = 8 or below = 8) then case when above = 8 then 'up' else 'down' end
            when cusum_up > {{ var('alert_cusum_h') }} then 'up'
            else 'down'
        end as direction
    from ruled
),

episodes as (
    select
        *,
        max(date_day) over (
            partition by metric, slice_dimension, slice_value, direction order by date_day
            range between interval '{{ var("alert_cooldown_days") }} days' preceding and interval '1 day' preceding
        ) as previous_in_episode
    from fired
    where rule is not null
),

reported as (
    select
        *,
        rule in ('eight_in_a_row', 'sustained_shift') as is_sustained,
        -- the sustained rules' band: around the 7-day mean, sigma / sqrt 7 wide
        {{ g_expression | replace('@value', 'expected_7 / watched_7') }} as g_expected_7
    from episodes
    where previous_in_episode is null
),

daily as (
    select
        metric,
        slice_dimension,
        slice_value,
        date_day as period,
        case when is_sustained then observed_7 / watched_7 else observed end as observed,
        case when is_sustained then expected_7 / watched_7 else expected end as expected,
        case
            when is_sustained
                then {{ g_inverse | replace('@value', 'g_expected_7 - 3 * sigma / sqrt(watched_7)') }}
            else lower_3_sigma
        end as lower_bound,
        case
            when is_sustained
                then {{ g_inverse | replace('@value', 'g_expected_7 + 3 * sigma / sqrt(watched_7)') }}
            else upper_3_sigma
        end as upper_bound,
        case when is_sustained then sum_z_7 / sqrt(watched_7) else z end as score,
        direction,
        rule,
        volume,
        {{ local_to_utc('cast(date_day + 2 as timestamp)', "'UTC'") }} as first_detected_at
    from reported
),

intraday as (
    select
        'escalation_volume' as metric,
        slice_dimension,
        slice_value,
        period,
        observed,
        expected,
        lower_bound,
        upper_bound,
        score,
        'up' as direction,
        'intraday_spike' as rule,
        volume,
        window_end as first_detected_at
    from {{ ref('int_alerts__intraday_spikes') }}
),

emerging as (
    select
        'emerging_theme' as metric,
        'theme' as slice_dimension,
        theme_key as slice_value,
        week_start as period,
        cast(escalations as {{ type_double() }}) as observed,
        expected_escalations as expected,
        greatest(power(greatest(sqrt(expected_escalations + 0.375) - 1.75, 0), 2) - 0.375, 0) as lower_bound,
        power(sqrt(expected_escalations + 0.375) + 1.75, 2) - 0.375 as upper_bound,
        score,
        'up' as direction,
        'emerging_theme' as rule,
        cast(week_escalations as {{ type_double() }}) as volume,
        least({{ dbt.dateadd('day', 7, 'cast(week_start as ' ~ type_timestamptz() ~ ')') }}, {{ as_of() }})
            as first_detected_at
    from {{ ref('fct_emerging_themes') }}
    where is_newly_emerging
),

alerts as (
    select * from intraday
    union all
    select * from emerging
    union all
    -- a daily rise in volume that an intraday spike on the same slice reported that day or the day
    -- before is the same shift: reported once
    select d.*
    from daily as d
    where not exists (
        select 1
        from intraday as i
        where
            d.metric = 'escalation_volume'
            and d.direction = 'up'
            and i.slice_dimension = d.slice_dimension
            and i.slice_value = d.slice_value
            and i.period between d.period - 1 and d.period
    )
),

keyed as (
    select
        *,
        cast(floor({{ epoch_s('first_detected_at') }} / 3600) as bigint) % 24 as detected_hour
    from alerts
)

select
    cast(
        metric || '|' || slice_dimension || '=' || slice_value || '|' || direction
        || '|' || cast(period as {{ type_text() }})
        -- a slice can spike twice in a day (two episodes: 08:00 and 22:00 UTC): the hour its
        -- episode was first detected tells them apart
        || case
            when rule = 'intraday_spike'
                then
                    '|intraday|'
                    || lpad(cast(detected_hour as {{ type_text() }}), 2, '0')
                    || ':00Z'
            else ''
        end
        as {{ type_text() }}
    ) as alert_key,
    cast(metric as {{ type_text() }}) as metric,
    cast(slice_dimension as {{ type_text() }}) as slice_dimension,
    cast(slice_value as {{ type_text() }}) as slice_value,
    cast(slice_dimension || '=' || slice_value as {{ type_text() }}) as slice,
    cast(period as date) as period,
    cast(observed as {{ type_double() }}) as observed,
    cast(expected as {{ type_double() }}) as expected,
    cast(lower_bound as {{ type_double() }}) as lower_bound,
    cast(upper_bound as {{ type_double() }}) as upper_bound,
    cast(score as {{ type_double() }}) as score,
    cast(direction as {{ type_text() }}) as direction,
    cast(rule as {{ type_text() }}) as rule,
    cast(case
        when abs(score) >= 6 or (slice_dimension = 'overall' and abs(score) >= 4) then 'critical'
        when abs(score) >= 4 then 'high'
        else 'medium'
    end as {{ type_text() }}) as severity,
    cast(volume as {{ type_double() }}) as volume,
    cast(first_detected_at as {{ type_timestamptz() }}) as first_detected_at
from keyed
