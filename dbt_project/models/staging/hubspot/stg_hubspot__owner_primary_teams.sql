-- Each HubSpot owner's primary team (the first by name if several are marked primary).
select
    owner_id,
    min(team_name) as team_name
from {{ ref('stg_hubspot__owners') }}
where is_primary
group by owner_id
