-- One row per conventional intake channel (from the dim_channel seed).
select
    cast(channel as {{ type_text() }}) as channel,
    cast(channel_name as {{ type_text() }}) as channel_name,
    cast(channel_family as {{ type_text() }}) as channel_family,
    cast(is_restricted as boolean) as is_restricted,
    cast(description as {{ type_text() }}) as description
from {{ ref('channels') }}
