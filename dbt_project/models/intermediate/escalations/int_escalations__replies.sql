-- First public agent reply and reply count per escalation (the request itself is not a reply).
{{ per_escalation_config() }}

select
    escalation_key,
    min(commented_at) as first_reply_at,
    count(*) as agent_reply_count
from {{ scoped_ref('int_escalations__public_comments') }}
where author_side = 'agent' and not is_request
group by escalation_key
