-- One row per conventional intake channel (from the dim_channel seed).
select
    cast(channel as varchar) as channel,
    cast(channel_name as varchar) as channel_name,
    cast(channel_family as varchar) as channel_family,
    cast(is_restricted as boolean) as is_restricted,
    cast(description as varchar) as description
from {{ ref('channels') }}
