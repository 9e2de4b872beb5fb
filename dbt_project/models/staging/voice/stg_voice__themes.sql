with source as (
    select * from {{ source('voice', 'themes') }}
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
