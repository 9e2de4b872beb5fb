-- Public comments per escalation (Zendesk audits) with the author's side: agent replies and
-- requester comments. A ticket an agent opened with a public comment has that comment marked
-- as the request (is_request): it is not a reply. Only the ticket's opening audit (its first
-- audit of any kind) holds the request: a ticket opened with a private note has no public
-- request, and its first public agent comment is a reply.
{{ per_escalation_config() }}

with events as (
    select
        e.*,
        min(e.audit_id) over (partition by e.ticket_id) as first_audit_id
    from {{ scoped_ref('stg_zendesk__ticket_audit_events', 'e') }}
),

comments as (
    select
        e.ticket_id,
        e.audit_id,
        e.event_id,
        e.created_at,
        coalesce(u.is_agent, false) as is_agent_author,
        e.audit_id = e.first_audit_id as in_first_audit
    from events as e
    left join {{ ref('stg_zendesk__users') }} as u on e.comment_author_id = u.user_id
    where e.event_type = 'Comment' and e.is_public
)

select distinct
    'zendesk:' || cast(ticket_id as {{ type_text() }}) as escalation_key,
    created_at as commented_at,
    event_id,
    case when is_agent_author then 'agent' else 'requester' end as author_side,
    in_first_audit as is_request
from comments
