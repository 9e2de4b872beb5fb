-- One row per owning team (dim_team seed; 'unassigned' included).
select
    cast(team as {{ type_text() }}) as team,
    cast(team_name as {{ type_text() }}) as team_name,
    cast(function as {{ type_text() }}) as team_function
from {{ ref('teams') }}
