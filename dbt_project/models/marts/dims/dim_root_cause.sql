-- One row per root cause of the taxonomy, with its issue category and root-cause family, plus
-- 'unknown' (unless the taxonomy lists it).
select
    cast(root_cause as {{ type_text() }}) as root_cause,
    cast(root_cause_name as {{ type_text() }}) as root_cause_name,
    cast(root_cause_family as {{ type_text() }}) as root_cause_family,
    cast(issue_category as {{ type_text() }}) as issue_category,
    cast(pagerduty_service as {{ type_text() }}) as pagerduty_service
from {{ ref('issue_taxonomy') }}
union all
select
    'unknown' as root_cause,
    'Unknown (not in the taxonomy)' as root_cause_name,
    'unknown' as root_cause_family,
    'unknown' as issue_category,
    cast(null as {{ type_text() }}) as pagerduty_service
where not exists (
    select 1 from {{ ref('issue_taxonomy') }}
    where root_cause = 'unknown'
)
