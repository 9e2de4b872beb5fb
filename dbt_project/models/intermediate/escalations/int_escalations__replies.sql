-- Public agent replies per escalation (Zendesk audits). A ticket an agent opened with a public
-- comment has that comment skipped: it is the request, not a reply.
with comments as (
    select
        e.ticket_id,
        e.audit_id,
        e.created_at,
        e.event_id,
        coalesce(u.is_agent, false) as is_agent_author,
        e.audit_id = min(e.audit_id) over (partition by e.ticket_id) as in_first_audit
    from {{ ref('stg_zendesk__ticket_audit_events') }} as e
    left join {{ ref('stg_zendesk__users') }} as u on e.comment_author_id = u.user_id
    where e.event_type = 'Comment' and e.is_public
),

replies as (
    select * from comments
    where is_agent_author and not in_first_audit
)

select
    'zendesk:' || cast(ticket_id as varchar) as escalation_key,
    min(created_at) as first_reply_at,
    count(*) as agent_reply_count
from replies
group by ticket_id
