-- One row per issue category of the taxonomy (issue_taxonomy seed), plus 'unknown' for values the
-- taxonomy does not know yet (unless the taxonomy lists it); dim_root_cause has the root causes.
with categories as (
    select
        issue_category,
        min(issue_category_name) as issue_category_name,
        count(*) as root_causes,
        min(pagerduty_service) as pagerduty_service
    from {{ ref('issue_taxonomy') }}
    group by issue_category
)

select
    cast(issue_category as {{ type_text() }}) as issue_category,
    cast(issue_category_name as {{ type_text() }}) as issue_category_name,
    cast(root_causes as integer) as root_causes,
    cast(pagerduty_service as {{ type_text() }}) as pagerduty_service
from categories
union all
select
    'unknown' as issue_category,
    'Unknown (not in the taxonomy)' as issue_category_name,
    0 as root_causes,
    cast(null as {{ type_text() }}) as pagerduty_service
where not exists (
    select 1 from categories
    where issue_category = 'unknown'
)
