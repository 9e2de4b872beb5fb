-- One row per owning team (dim_team seed; 'unassigned' included).
select
    cast(team as varchar) as team,
    cast(team_name as varchar) as team_name,
    cast(function as varchar) as team_function
from {{ ref('teams') }}
