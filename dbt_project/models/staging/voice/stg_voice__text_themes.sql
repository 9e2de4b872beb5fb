with source as (
    select * from {{ source('voice', 'text_themes') }}
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
