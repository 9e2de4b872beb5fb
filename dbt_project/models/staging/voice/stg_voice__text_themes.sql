-- The theme step's table; empty (not an error) before the step has run (macro optional_source).
with source as (
    select * from {{ optional_source('voice', 'text_themes', {
        'text_key': dbt.type_string(),
        'escalation_key': dbt.type_string(),
        'text_kind': dbt.type_string(),
        'record_id': dbt.type_string(),
        'language': dbt.type_string(),
        'theme_key': dbt.type_string(),
        'theme_weight': type_double(),
        'written_at': type_timestamptz(),
    }) }}
),

renamed as (
    select
        text_key,
        escalation_key,
        text_kind,
        record_id,
        language,
        theme_key,
        cast(theme_weight as {{ type_double() }}) as theme_weight,
        cast(written_at as {{ type_timestamptz() }}) as written_at
    from source
)

select * from renamed
