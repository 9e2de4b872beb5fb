-- Incident response per month and urgency: mean, median and p90 minutes to acknowledge and to
-- resolve (means alone hide the long tail).
select
    cast(cast(date_trunc('month', created_at) as date) as {{ type_text() }}) || '|' || urgency as response_key,
    cast(date_trunc('month', created_at) as date) as month_start,
    urgency,
    cast(count(*) as integer) as incidents,
    cast({{ round_double('avg(minutes_to_acknowledge)', 6) }} as {{ type_double() }}) as mtta_minutes_mean,
    cast({{ percentile('minutes_to_acknowledge', 0.5) }} as {{ type_double() }}) as mtta_minutes_p50,
    cast({{ percentile('minutes_to_acknowledge', 0.9) }} as {{ type_double() }}) as mtta_minutes_p90,
    cast({{ round_double('avg(minutes_to_resolve)', 6) }} as {{ type_double() }}) as mttr_minutes_mean,
    cast({{ percentile('minutes_to_resolve', 0.5) }} as {{ type_double() }}) as mttr_minutes_p50,
    cast({{ percentile('minutes_to_resolve', 0.9) }} as {{ type_double() }}) as mttr_minutes_p90,
    cast(sum(escalations_linked) as integer) as escalations_linked
from {{ ref('fct_incidents') }}
group by cast(date_trunc('month', created_at) as date), urgency
