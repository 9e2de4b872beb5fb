with source as (
    select * from {{ source('voice', 'theme_weeks') }}
),

renamed as (
    select
        theme_key || '|' || cast(cast(week_start as date) as {{ dbt.type_string() }}) as theme_week_key,
        cast(week_start as date) as week_start,
        theme_key,
        cast(escalations as {{ dbt.type_int() }}) as escalations,
        cast(week_escalations as {{ dbt.type_int() }}) as week_escalations,
        cast(share as {{ type_double() }}) as share,
        cast(baseline_escalations as {{ dbt.type_int() }}) as baseline_escalations,
        cast(baseline_week_escalations as {{ dbt.type_int() }}) as baseline_week_escalations,
        cast(baseline_share as {{ type_double() }}) as baseline_share,
        cast(expected_escalations as {{ type_double() }}) as expected_escalations,
        cast(score as {{ type_double() }}) as score,
        cast(history_weeks as {{ dbt.type_int() }}) as history_weeks,
        cast(first_seen_week as date) as first_seen_week,
        cast(is_emerging as {{ dbt.type_boolean() }}) as is_emerging,
        cast(is_complete_week as {{ dbt.type_boolean() }}) as is_complete_week
    from source
)

select * from renamed
