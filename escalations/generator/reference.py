"""The demo account: values read from the mapping seeds plus the account's own ids and names.

Everything the warehouse maps (channels, priorities, statuses, teams, custom field ids, taxonomy,
markets, milestone types) comes from ``seeds/*.csv`` or is checked against them by the tests, so
the generated exports use exactly the values the mapping seeds know.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from escalations.config import SEEDS_DIR

TOOLS = ("zendesk", "salesforce", "hubspot")
TOOL_SHARE = (0.60, 0.25, 0.15)
CHANNELS = (
    "in_app_report",
    "email",
    "web_form",
    "chat",
    "phone",
    "social",
    "creator_partner_manager",
    "executive_press",
    "law_enforcement",
    "api",
    "other",
)
PRIORITY_SHARE = (0.03, 0.15, 0.55, 0.27)  # P0..P3

# Base channel weights for ordinary users; creator tiers shift volume to their partner manager.
CHANNEL_WEIGHTS = {
    "in_app_report": 31.0,
    "email": 20.0,
    "web_form": 19.0,
    "chat": 12.0,
    "phone": 3.0,
    "social": 7.0,
    "creator_partner_manager": 0.0,
    "executive_press": 0.6,
    "law_enforcement": 0.0,  # comes with the legal category
    "api": 4.0,
    "other": 1.5,
}
TIER_SHARE = {"user": 0.62, "nano": 0.15, "micro": 0.11, "mid": 0.07, "macro": 0.04, "mega": 0.01}
TIER_CPM_SHARE = {"user": 0.0, "nano": 0.02, "micro": 0.06, "mid": 0.18, "macro": 0.40, "mega": 0.60}
MARKET_SHARE = {
    "US": 32, "BR": 11, "MX": 6, "GB": 10, "DE": 8, "IN": 13, "SG": 4, "ID": 6, "JP": 10, "unknown": 1,
}  # fmt: skip
# market -> business schedule region (Zendesk schedule / Salesforce BusinessHours)
SCHEDULE_OF_MARKET = {
    "US": "AMER",
    "BR": "LATAM",
    "MX": "LATAM",
    "GB": "EMEA",
    "DE": "EMEA",
    "IN": "APAC",
    "SG": "APAC",
    "ID": "APAC",
    "JP": "APAC",
    "unknown": "AMER",
}

# Relative volume per root cause: four recurring drivers make about half of all escalations.
DRIVERS = ("false_positive_classifier", "payout_delay_batch_job", "login_2fa_failure", "appeal_backlog")
ROOT_CAUSE_WEIGHTS = {
    "false_positive_classifier": 17.0,
    "payout_delay_batch_job": 13.0,
    "login_2fa_failure": 11.0,
    "appeal_backlog": 9.0,
    "hijack_sim_swap": 5.5,
    "gift_revenue_mismatch": 5.0,
    "upload_failure": 4.5,
    "false_positive_audio_match": 4.2,
    "harassment_report": 4.0,
    "password_reset_loop": 3.5,
    "copyright_claim_dispute": 3.2,
    "analytics_missing": 3.0,
    "impersonation": 2.8,
    "brand_payment_reconciliation": 2.5,
    "tax_form_rejected": 2.2,
    "live_ban_error": 2.0,
    "app_crash_release": 1.8,
    "stream_ingest_failure": 1.5,
    "verification_request": 1.5,
    "minor_safety": 1.0,
    "region_outage": 0.6,
    "law_enforcement_request": 0.5,
    "court_order": 0.3,
    "unknown": 1.0,
}

# team key (dim_team) per issue category; creator_escalations is split by region in Zendesk
TEAM_OF_CATEGORY = {
    "account_security": "account_security",
    "monetization": "monetization_support",
    "content_moderation": "content_review",
    "live_moderation": "live_safety",
    "creator_tools": "creator_escalations",
    "safety": "content_review",
    "legal": "legal_response",
    "platform": "creator_escalations",
    "unknown": "creator_escalations",
}
SPECIALIST_TEAMS = ("account_security", "monetization_support", "content_review", "live_safety")

# ---- vendor values per canonical channel (all in map_channels.csv) --------------------------
# Zendesk: via.channel; channels Zendesk has no via for carry custom field 360006 (intake_channel)
ZENDESK_VIA = {
    "in_app_report": ("mobile_sdk", "mobile"),
    "email": ("email",),
    "web_form": ("web",),
    "chat": ("native_messaging", "chat"),
    "phone": ("voice",),
    "social": ("twitter", "facebook", "instagram_dm"),
    "creator_partner_manager": ("email", "api"),
    "executive_press": ("email",),
    "law_enforcement": ("web", "email"),
    "api": ("api",),
    "other": ("api",),
}
ZENDESK_DIRECT = {"in_app_report", "email", "web_form", "chat", "phone", "social", "api"}
SALESFORCE_ORIGIN = {
    "in_app_report": ("In-App",),
    "email": ("Email",),
    "web_form": ("Web",),
    "chat": ("Chat",),
    "phone": ("Phone",),
    "social": ("Social",),
    "creator_partner_manager": ("Creator Partner Manager",),
    "executive_press": ("Executive", "Press"),
    "law_enforcement": ("Law Enforcement",),
    "api": ("API",),
    "other": ("",),  # Origin left empty: maps to other
}
# HubSpot: source_type where HubSpot has one; the custom property intake_channel otherwise
HUBSPOT_SOURCE = {
    "in_app_report": ("FORM", True),
    "email": ("EMAIL", False),
    "web_form": ("FORM", False),
    "chat": ("CHAT", False),
    "phone": ("PHONE", False),
    "social": ("SOCIAL", False),
    "creator_partner_manager": ("EMAIL", True),
    "executive_press": ("EMAIL", True),
    "law_enforcement": ("EMAIL", True),
    "api": ("API", False),
    "other": ("", True),
}
# deliberate unknown enum values (not in the seeds): loaded, mapped to other
UNKNOWN_CHANNEL = {"zendesk": "whatsapp", "salesforce": "WhatsApp", "hubspot": "WHATSAPP"}

ZENDESK_PRIORITY = ("urgent", "high", "normal", "low")
SALESFORCE_PRIORITY = (("Critical", "Urgent"), ("High",), ("Medium",), ("Low",))
HUBSPOT_PRIORITY = ("URGENT", "HIGH", "MEDIUM", "LOW")

# generic lifecycle status -> vendor status
SALESFORCE_STATUS = {
    "new": "New",
    "open": "Working",
    "pending": "Waiting on Customer",
    "hold": "On Hold",
    "solved": "Resolved",
    "closed": "Closed",
}
HUBSPOT_STAGES = (  # id, label (map_statuses.csv hubspot), ticketState
    ("1", "New", "OPEN"),
    ("3", "Waiting on us", "OPEN"),
    ("5", "In progress", "OPEN"),
    ("2", "Waiting on contact", "OPEN"),
    ("6", "On hold", "OPEN"),
    ("7", "Resolved", "CLOSED"),
    ("4", "Closed", "CLOSED"),
)

# ---- account ids ---------------------------------------------------------------------------
ZENDESK_FIELDS = {  # meaning -> custom field id (map_custom_fields.csv)
    "issue_category": 360001,
    "root_cause": 360002,
    "market": 360003,
    "creator_tier": 360004,
    "escalation_tier": 360005,
    "intake_channel": 360006,
}
ZENDESK_SCHEDULES = (  # region, id, name, time zone as Zendesk writes it, IANA, local open hours
    (
        "AMER",
        360000310393,
        "AMER business hours",
        "Pacific Time (US & Canada)",
        "America/Los_Angeles",
        (9, 17),
    ),
    ("EMEA", 360000310394, "EMEA business hours", "London", "Europe/London", (8, 18)),
    ("APAC", 360000310395, "APAC business hours", "Asia/Singapore", "Asia/Singapore", (9, 18)),
    ("LATAM", 360000310396, "LATAM business hours", "America/Sao_Paulo", "America/Sao_Paulo", (9, 18)),
)
SALESFORCE_BUSINESS_HOURS = {  # region -> Id, Name
    "AMER": ("01m5g000000AbCdAAE", "AMER business hours"),
    "EMEA": ("01m5g000000AbCeAAE", "EMEA business hours"),
    "APAC": ("01m5g000000AbCfAAE", "APAC business hours"),
    "LATAM": ("01m5g000000AbCgAAE", "LATAM business hours"),
}

# Holidays: (name, regions, month, day, length in days) every year, plus movable ones per year.
FIXED_HOLIDAYS = (
    ("New Year's Day", ("AMER", "EMEA", "APAC", "LATAM"), 1, 1, 1),
    ("Independence Day", ("AMER",), 7, 3, 1),
    ("Thanksgiving break", ("AMER",), 11, 26, 2),
    ("Winter break", ("AMER", "EMEA"), 12, 24, 3),
    ("Christmas Day", ("APAC", "LATAM"), 12, 25, 1),
    ("Labour Day", ("APAC", "LATAM"), 5, 1, 1),
    ("Tiradentes", ("LATAM",), 4, 21, 1),
    ("Independence of Brazil", ("LATAM",), 9, 7, 1),
    ("Summer bank holiday", ("EMEA",), 8, 31, 1),
    ("National Day", ("APAC",), 8, 10, 1),
)
MOVABLE_HOLIDAYS = {  # year -> (name, regions, month, day, length)
    2025: (
        ("Lunar New Year", ("APAC",), 1, 29, 2),
        ("Carnival", ("LATAM",), 3, 3, 2),
        ("Easter", ("EMEA",), 4, 18, 4),
    ),
    2026: (
        ("Martin Luther King Jr. Day", ("AMER",), 1, 19, 1),
        ("Lunar New Year", ("APAC",), 2, 17, 2),
        ("Carnival", ("LATAM",), 2, 16, 2),
        ("Easter", ("EMEA",), 4, 3, 4),
        ("Memorial Day", ("AMER",), 5, 25, 1),
    ),
    2027: (
        ("Martin Luther King Jr. Day", ("AMER",), 1, 18, 1),
        ("Lunar New Year", ("APAC",), 2, 6, 2),
        ("Carnival", ("LATAM",), 2, 8, 2),
        ("Easter", ("EMEA",), 3, 26, 4),
        ("Memorial Day", ("AMER",), 5, 31, 1),
    ),
}

ENGINEERING_TEAM_OF_CATEGORY = {
    "account_security": "Identity Engineering",
    "monetization": "Payments Engineering",
    "content_moderation": "Moderation ML",
    "live_moderation": "Live Engineering",
    "creator_tools": "Creator Tools Engineering",
    "safety": "Trust & Safety Policy",
    "legal": "Legal Operations",
    "platform": "Mobile Platform",
    "unknown": "Creator Support Ops",
}
PARTNER_TEAMS = ("Trust & Safety Policy", "Creator Support Ops", "Data Platform", "Comms", "Legal Operations")

FIRST_NAMES = (
    "Ana", "Sam", "Priya", "Jon", "Maya", "Leo", "Noor", "Kenji", "Lucia", "Tom", "Ines", "Ravi", "Mia",
    "Omar", "Yuki", "Ben", "Sofia", "Arjun", "Chloe", "Diego", "Hana", "Felix", "Aisha", "Lena", "Marco",
    "Zoe", "Kai", "Nina", "Ivan", "Rosa", "Theo", "Amara", "Jonas", "Mei", "Paulo", "Sara", "Hugo", "Tara",
)  # fmt: skip
LAST_NAMES = (
    "Silva", "Smith", "Patel", "Mueller", "Tanaka", "Garcia", "Khan", "Brown", "Santos", "Weber", "Sato",
    "Lee", "Nguyen", "Costa", "Fischer", "Ito", "Sharma", "Jones", "Rossi", "Lim", "Kumar", "Evans",
    "Suzuki", "Oliveira", "Wagner", "Tan", "Clark", "Rao", "Schmidt", "Moreau",
)  # fmt: skip


@dataclass(frozen=True)
class RootCause:
    category: str
    root_cause: str
    name: str
    family: str
    service: str  # PagerDuty service, "" when none


@dataclass(frozen=True)
class Market:
    market: str
    region: str
    time_zone: str


def _rows(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def taxonomy() -> tuple[RootCause, ...]:
    return tuple(
        RootCause(
            r["issue_category"],
            r["root_cause"],
            r["root_cause_name"],
            r["root_cause_family"],
            r["pagerduty_service"],
        )
        for r in _rows("issue_taxonomy")
    )


@cache
def markets() -> tuple[Market, ...]:
    return tuple(Market(r["market"], r["region"], r["time_zone"]) for r in _rows("dim_market"))


@cache
def tiers() -> tuple[str, ...]:
    return tuple(r["source_value"] for r in _rows("map_requester_types"))


@cache
def team_names(tool: str) -> dict[str, list[str]]:
    """team key -> the tool's group/department names for it (map_teams.csv)."""
    out: dict[str, list[str]] = {}
    for r in _rows("map_teams"):
        if r["source_system"] == tool:
            out.setdefault(r["team"], []).append(r["source_value"])
    return out


@cache
def team_rows(tool: str) -> tuple[tuple[str, str], ...]:
    """(group/department name, team key) of one tool, in seed order."""
    return tuple((r["source_value"], r["team"]) for r in _rows("map_teams") if r["source_system"] == tool)


@cache
def milestone_types() -> dict[str, str]:
    """metric -> Salesforce MilestoneTypeId."""
    return {r["metric"]: r["milestone_type_id"] for r in _rows("map_salesforce_milestones")}


@cache
def seed_values(seed: str, tool: str) -> frozenset[str]:
    return frozenset(r["source_value"] for r in _rows(seed) if r["source_system"] in (tool, "any"))


def root_cause_weights() -> list[tuple[RootCause, float]]:
    """Taxonomy rows with their relative volume (rows the table above misses get a small weight)."""
    return [(rc, ROOT_CAUSE_WEIGHTS.get(rc.root_cause, 0.5)) for rc in taxonomy()]


def person_name(n: int) -> tuple[str, str]:
    return FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n // len(FIRST_NAMES) + n * 7) % len(LAST_NAMES)]


SUBJECTS = {
    "hijack_sim_swap": "Account hijacked, cannot log in",
    "login_2fa_failure": "Two-factor code never arrives",
    "password_reset_loop": "Password reset keeps looping",
    "payout_delay_batch_job": "Payout not received this week",
    "gift_revenue_mismatch": "Gift revenue does not match the dashboard",
    "tax_form_rejected": "Tax form rejected again",
    "brand_payment_reconciliation": "Brand deal payment dispute",
    "false_positive_classifier": "Video removed in error",
    "appeal_backlog": "Appeal still not reviewed",
    "copyright_claim_dispute": "Copyright claim is wrong",
    "false_positive_audio_match": "Live stream muted by mistake",
    "live_ban_error": "Live access removed in error",
    "stream_ingest_failure": "Stream keeps dropping",
    "upload_failure": "Upload fails at 99%",
    "analytics_missing": "Analytics missing since yesterday",
    "verification_request": "Verification badge request",
    "harassment_report": "Coordinated harassment in comments",
    "impersonation": "Someone is impersonating me",
    "minor_safety": "Safety concern about a minor",
    "law_enforcement_request": "Law-enforcement data request",
    "court_order": "Court order attached",
    "app_crash_release": "App crashes on launch after update",
    "region_outage": "Nothing loads in my region",
    "unknown": "Need help with my account",
}
AGENT_REPLIES = (
    "Thanks for reaching out, we are looking into this now.",
    "We have escalated this to the responsible team.",
    "Could you confirm the affected account and a screenshot?",
    "This should be fixed now, please check again.",
    "We restored access and added a note to your account.",
    "The team confirmed the issue and is working on a fix.",
)
REQUESTER_COMMENTS = (
    "It is still happening.",
    "Here is the screenshot you asked for.",
    "Any update? This is urgent for me.",
    "Confirmed, same account as before.",
    "It broke again after your fix.",
)
INTERNAL_NOTES = (
    "Waiting on the owning team.",
    "Checked logs, matches the known issue.",
    "Handing over with context.",
    "Waiting on ID verification.",
)
