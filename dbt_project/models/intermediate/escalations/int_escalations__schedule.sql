-- The business schedule each escalation's clocks run on now: the last of its schedule stretches
-- (int_escalations__schedule_stretches: a Zendesk ticket's schedule set by a trigger or the
-- account default, a Salesforce case's BusinessHoursId or the default, a HubSpot ticket's
-- pipeline hours). Clocks that span a schedule change use the stretches themselves.
{{ per_escalation_config() }}

select
    escalation_key,
    schedule_key
from {{ scoped_ref('int_escalations__schedule_stretches') }}
where valid_to is null
