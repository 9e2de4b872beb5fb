"""Zendesk exports: incremental ticket pages, audits, metric events, ratings, users and the
account files (groups, SLA policies, schedules with holidays).

Metric events come from the generator's own clock: reply time (instance 0 ``measure``, then one
instance for the first reply and one per next-reply exchange), requester wait and agent work time
(activate / pause / fulfill with ``update_status``), pausable or periodic update time and
resolution time where the applied policy has them. ``apply_sla`` records the policy the tool
applied (re-applied on a priority change); ``breach`` is written at the instant the target was
crossed, pauses excluded, and only if it was crossed before the metric stopped or the world ended.

One module per record kind: ``tickets`` (ticket versions, ratings, users), ``audits``,
``metric_events``, ``accounts`` (the account files); ``reference`` holds the account's ids and SLA
policies and ``emitter`` puts one escalation together.
"""

from escalations.generator.zendesk.emitter import ZendeskEmitter

__all__ = ["ZendeskEmitter"]
