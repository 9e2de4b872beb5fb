-- The theme step's table; empty (not an error) before the step has run (macro optional_source).
with source as (
    select * from {{ optional_source('voice', 'theme_weeks', {
        'week_start': 'date',
        'theme_key': dbt.type_string(),
        'escalations': dbt.type_int(),
        'week_escalations': dbt.type_int(),
        'share': type_double(),
        'baseline_escalations': dbt.type_int(),
        'baseline_week_escalations': dbt.type_int(),
        'baseline_share': type_double(),
        'expected_escalations': type_double(),
        'score': type_double(),
        'history_weeks': dbt.type_int(),
        'first_seen_week': 'date',
        'is_emerging': dbt.type_boolean(),
        'is_complete_week': dbt.type_boolean(),
    }) }}
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
