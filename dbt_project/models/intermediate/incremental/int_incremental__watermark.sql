-- One row: what this build loads through, and the watermark of the last build it can continue
-- from (null: this build recomputes everything). See macros/incremental.sql.
{{ config(
    pre_hook=[
        "create table if not exists {{ this.schema }}._incremental_state (
            model {{ type_text() }} not null, loaded_through {{ type_timestamptz() }}, fingerprint {{ type_text() }} not null,
            as_of {{ type_timestamptz() }} not null)",
        "create table if not exists {{ this.schema }}._incremental_displaced (
            escalation_key {{ type_text() }} not null, loaded_through {{ type_timestamptz() }} not null)",
    ],
    post_hook="{{ forget_displaced_escalations() }}",
) }}

{%- set state_models = incremental_state_models() %}
{%- set fingerprint = incremental_fingerprint() %}
{%- set shared = shared_sources() %}
{%- set watched = per_escalation_sources() + people_sources() + aggregate_only_sources() + shared %}

with loaded as (
    {%- for source_name, table_name in watched %}
        select
            max(_loaded_at) as loaded_at,
            {{ (source_name, table_name) in shared }} as is_shared
        from {{ source(source_name, table_name) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

state as (
    select * from {{ this.schema }}._incremental_state
    where model in ('{{ state_models | join("', '") }}')  -- noqa: LT05
),

previous as (
    select
        count(distinct model) as models,
        min(loaded_through) as loaded_through,
        count(*) filter (where fingerprint != '{{ fingerprint }}') as other_fingerprints,
        max(as_of) as as_of
    from state
)

select
    (select max(loaded_at) from loaded) as loaded_through,
    case
        when
            {{ not flags.FULL_REFRESH }}
            and p.models = {{ state_models | length }}
            and p.other_fingerprints = 0
            and p.as_of <= {{ as_of() }}
            and p.loaded_through is not null
            and coalesce((
                select max(l.loaded_at) from loaded as l
                where l.is_shared
            ) <= p.loaded_through, true)
            then p.loaded_through
    end as previous_loaded_through,
    '{{ fingerprint }}' as fingerprint,
    {{ as_of() }} as as_of
from previous as p
