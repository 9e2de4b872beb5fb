"""Ticket records (each version), satisfaction ratings and the requesters (users export)."""

from __future__ import annotations

from escalations.generator.calendars import DAY, iso_z
from escalations.generator.reference import (
    ZENDESK_DIRECT,
    ZENDESK_FIELDS,
    ZENDESK_PRIORITY,
)
from escalations.generator.voice import person
from escalations.generator.world import Escalation
from escalations.generator.writers import dumps
from escalations.generator.zendesk.reference import BASE, ORG_CREATOR_PARTNERSHIPS, USER_ZONES


class ZendeskTickets:
    """Ticket records (each version), satisfaction ratings and the requesters (users export). A mixin
    of ``ZendeskEmitter``, whose state it reads."""

    def _ticket(
        self, e: Escalation, tid: int, requester: int, state, updated: int, via: str, rating, deleted: bool
    ) -> dict:
        status, prio, team, agent, _t = state
        region = e.region
        tags = [e.category]
        if e.tier != "user":
            tags.append(f"creator_{e.tier}")
        tags.append(f"market_{e.market.lower()}")
        if e.channel in ("executive_press", "law_enforcement"):
            tags.append(e.channel)
        if e.incident:
            tags.append("platform_incident")
        channel_field = None if e.channel in ZENDESK_DIRECT else e.channel
        submitter = self.agent_id(e.steps[0][1], region) if e.agent_created else requester
        return {
            "id": tid,
            "url": f"{BASE}/tickets/{tid}.json",
            "external_id": f"cpm-{e.seq}" if e.channel == "creator_partner_manager" else None,
            "type": "incident" if e.incident or e.category == "platform" else "question",
            "subject": e.subject,
            "raw_subject": e.subject,
            "description": e.description,
            "status": "deleted" if deleted else status,
            "priority": ZENDESK_PRIORITY[prio],
            "requester_id": requester,
            "submitter_id": submitter,
            "assignee_id": self.agent_id(agent, region),
            "group_id": self.group_of(team, region),
            "organization_id": ORG_CREATOR_PARTNERSHIPS if e.channel == "creator_partner_manager" else None,
            "problem_id": None,
            "has_incidents": False,
            "collaborator_ids": [],
            "follower_ids": [],
            "email_cc_ids": [],
            "tags": tags,
            "custom_fields": [
                {"id": ZENDESK_FIELDS["issue_category"], "value": e.category},
                {"id": ZENDESK_FIELDS["root_cause"], "value": e.root_cause},
                {"id": ZENDESK_FIELDS["market"], "value": e.market},
                {"id": ZENDESK_FIELDS["creator_tier"], "value": e.tier},
                {"id": ZENDESK_FIELDS["escalation_tier"], "value": e.esc_tier},
                {"id": ZENDESK_FIELDS["intake_channel"], "value": channel_field},
            ],
            "satisfaction_rating": rating[2] if rating is not None else {"score": "unoffered"},
            "via": {"channel": via, "source": {"from": {}, "to": {}, "rel": None}},
            "due_at": None,
            "created_at": iso_z(e.created),
            "updated_at": iso_z(updated),
            "generated_timestamp": updated,
        }

    def _rating(self, e: Escalation, tid: int, requester: int, t: int):
        rng = self.rng
        self.rating_id += 1
        self.csat["offered"] += 1
        answered = rng.random() < 0.8
        good_p = 0.55 if (e.reopens or e.reassignments > 1) else 0.86
        if answered:
            score = "good" if rng.random() < good_p else "bad"
            self.csat[score] += 1
            comment = ""
            if rng.random() < 0.5:
                agent = self.agent_name(e.final_agent, e.region)
                comment, theme = self.text.csat_comment(e, score, agent, self.rating_id)
                if self.window.has(t):
                    self.voice_truth.comment(self.rating_id, e, score, theme)
        else:
            score, comment = "offered", ""
        rec = {
            "id": self.rating_id,
            "url": f"{BASE}/satisfaction_ratings/{self.rating_id}.json",
            "assignee_id": self.agent_id(e.final_agent, e.region),
            "group_id": self.group_of(e.final_team, e.region),
            "requester_id": requester,
            "ticket_id": tid,
            "score": score,
            "comment": comment,
            "reason": "No reason provided",
            "reason_code": 0,
            "created_at": iso_z(t),
            "updated_at": iso_z(t),
        }
        embedded = {"id": self.rating_id, "score": score, "comment": comment}
        return rec, t, embedded

    def _write_user(self, e: Escalation, uid: int) -> None:
        who = person(e.market, e.requester)
        zone, iana, locale = USER_ZONES.get(e.market, USER_ZONES["unknown"])
        tags = [f"creator_{e.tier}"] if e.tier != "user" else []
        rec = {
            "id": uid,
            "name": who.name,
            "email": f"{who.first}.{who.last}.{e.requester}@example.com".lower(),
            "phone": who.phone,
            "role": "end-user",
            "time_zone": zone,
            "iana_time_zone": iana,
            "locale": locale,
            "tags": tags,
            "organization_id": None,
            "active": True,
            "suspended": False,
            "created_at": iso_z(e.created - ((e.requester * 7919) % 1000 + 30) * DAY),
            "updated_at": iso_z(e.created),
        }
        self.users.write(dumps(rec), meta=uid)
