-- The theme step's table; empty (not an error) before the step has run (macro optional_source).
with source as (
    select * from {{ optional_source('voice', 'themes', {
        'theme_key': dbt.type_string(),
        'language': dbt.type_string(),
        'label': dbt.type_string(),
        'top_terms': dbt.type_string(),
        'texts': dbt.type_int(),
        'escalations': dbt.type_int(),
        'first_seen_week': 'date',
        'is_active': dbt.type_boolean(),
        'continues_key': dbt.type_string(),
        'similarity_to_previous': type_double(),
        'first_made_at': type_timestamptz(),
    }) }}
),

renamed as (
    select
        theme_key,
        language,
        label,
        top_terms,
        cast(texts as {{ dbt.type_int() }}) as texts,
        cast(escalations as {{ dbt.type_int() }}) as escalations,
        cast(first_seen_week as date) as first_seen_week,
        cast(is_active as {{ dbt.type_boolean() }}) as is_active,
        continues_key,
        cast(similarity_to_previous as {{ type_double() }}) as similarity_to_previous,
        cast(first_made_at as {{ type_timestamptz() }}) as first_made_at
    from source
)

select * from renamed
