"""The Zendesk account the generator writes as: id ranges, page size, regions and user time zones, and
the SLA policies (which applies to a ticket: ``policy_for``)."""

from __future__ import annotations

from escalations.generator.reference import (
    ZENDESK_SCHEDULES,
)

BASE = "https://example.zendesk.com/api/v2"


TICKET_ID0 = 35000


REQUESTER_ID0 = 20_000_000


AGENT_ID0 = 235_000


GROUP_ID0 = 98738


ORG_CREATOR_PARTNERSHIPS = 5001


PER_PAGE = 1000


EARLIER_VERSION_SHARE = 0.15


POLICY_OVERRIDE_EVERY = 250  # one in N non-urgent tickets: the tool applied another policy


MOVE_ON_HANDOFF_EVERY = 3  # one in N tickets handed to another team: a trigger moves its schedule


REGIONS = tuple(s[0] for s in ZENDESK_SCHEDULES)


USER_ZONES = {
    "US": ("Pacific Time (US & Canada)", "America/Los_Angeles", "en-US"),
    "BR": ("Brasilia", "America/Sao_Paulo", "pt-BR"),
    "MX": ("Mexico City", "America/Mexico_City", "es-MX"),
    "GB": ("London", "Europe/London", "en-GB"),
    "DE": ("Berlin", "Europe/Berlin", "de"),
    "IN": ("New Delhi", "Asia/Kolkata", "en-IN"),
    "SG": ("Singapore", "Asia/Singapore", "en-SG"),
    "ID": ("Jakarta", "Asia/Jakarta", "id"),
    "JP": ("Tokyo", "Asia/Tokyo", "ja"),
    "unknown": ("UTC", "UTC", "en-US"),
}


POLICIES = (
    {
        "id": 25,
        "title": "P0 escalations",
        "description": "Urgent escalations, around the clock",
        "position": 1,
        "filter": {"all": [{"field": "priority", "operator": "is", "value": "urgent"}], "any": []},
        "metrics": {
            "urgent": (
                ("first_reply_time", 60, False),
                ("next_reply_time", 60, False),
                ("pausable_update_time", 120, False),
                ("requester_wait_time", 480, False),
                ("agent_work_time", 360, False),
                ("total_resolution_time", 1440, False),
            )
        },
    },
    {
        "id": 27,
        "title": "Executive and press",
        "description": "Executive escalations and press enquiries",
        "position": 2,
        "filter": {
            "all": [{"field": "current_tags", "operator": "includes", "value": "executive_press"}],
            "any": [],
        },
        "metrics": {
            p: (
                ("first_reply_time", 120, False),
                ("next_reply_time", 240, False),
                ("periodic_update_time", 480, False),
                ("requester_wait_time", 1440, False),
            )
            for p in ("high", "normal", "low")
        },
    },
    {
        "id": 26,
        "title": "Standard escalations",
        "description": "Everything else",
        "position": 3,
        "filter": {"all": [], "any": []},
        "metrics": {
            "high": (
                ("first_reply_time", 120, True),
                ("next_reply_time", 120, True),
                ("requester_wait_time", 960, True),
                ("agent_work_time", 480, True),
                ("total_resolution_time", 4320, False),
            ),
            "normal": (
                ("first_reply_time", 480, True),
                ("next_reply_time", 480, True),
                ("requester_wait_time", 2400, True),
                ("agent_work_time", 1440, True),
            ),
            "low": (
                ("first_reply_time", 960, True),
                ("next_reply_time", 960, True),
                ("requester_wait_time", 4800, True),
            ),
        },
    },
)


_LOOKUP = {
    (p["id"], prio, metric): (target, business)
    for p in POLICIES
    for prio, metrics in p["metrics"].items()
    for metric, target, business in metrics
}


_POLICY = {p["id"]: p for p in POLICIES}


def policy_for(priority: int, tags_exec: bool) -> int:
    """The first policy by position whose filter matches."""
    if priority == 0:
        return 25
    if tags_exec:
        return 27
    return 26
