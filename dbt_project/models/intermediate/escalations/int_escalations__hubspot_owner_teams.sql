-- Each HubSpot owner's primary team (the first by name if several are marked primary): the team
-- a HubSpot ticket's owner stands for, read by int_escalations__unioned and the field history.
select
    owner_id,
    min(team_name) as team_name
from {{ ref('stg_hubspot__owners') }}
where is_primary
group by owner_id
