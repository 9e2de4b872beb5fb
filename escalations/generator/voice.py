"""The voice of creators and users in the demo world: languages, themes, text and its truth.

Every escalation gets the language of its market (the United States also writes Spanish) and a
theme: its root cause (a steady theme), or one of ``EMERGING``, new complaints that start on a
known day and grow. An emerging theme adds volume (``World`` multiplies the arrival intensity by
``1 + share``) and takes that share of the escalations arriving after its start; agents file it
under the categories of ``categories`` (one of them mostly under ``unknown``: the agents' "other").

Text reads like what people write: a subject and a description from ``phrases``, with personal
data where real tickets carry it (names, e-mails, phone numbers, @handles, profile links with user
ids, an agent's name). Satisfaction comments praise, complain about the service, or say the
escalation's own problem is still there. Each escalation's text comes from its own random stream,
so it is the same whatever is exported (deliveries) and draws nothing from the world's streams.

The truth lands in ``_generator/voice_truth.csv`` (escalation, language, theme) and
``_generator/csat_comment_truth.csv`` (rating, theme), and ``truth.json`` says when each emerging
theme started and how it was categorized.
"""

from __future__ import annotations

import csv
import math
import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from escalations.generator.calendars import DAY, iso_z
from escalations.generator.phrases import CSAT, FRAMES, SERVICE_THEMES, THEMES
from escalations.generator.reference import person_name

# market -> [(language, share)]
LANGUAGE_OF_MARKET = {
    "US": (("en", 0.88), ("es", 0.12)),
    "GB": (("en", 1.0),),
    "IN": (("en", 1.0),),
    "SG": (("en", 1.0),),
    "DE": (("de", 1.0),),
    "BR": (("pt", 1.0),),
    "MX": (("es", 1.0),),
    "ID": (("id", 1.0),),
    "JP": (("ja", 1.0),),
    "unknown": (("en", 1.0),),
}


@dataclass(frozen=True)
class Emerging:
    theme: str
    start: float  # where in the world it starts (share of the days)
    peak_share: float  # share of all escalations it reaches
    ramp_days: float  # e-folding time of the growth
    categories: tuple[tuple[str, str, float], ...]  # (issue category, root cause, share) agents file it under
    version: str  # the app release the complaint names
    code: str  # the error code it shows


EMERGING = (
    Emerging(
        "payout_zero_after_update",
        0.42,
        0.07,
        9.0,
        (
            ("monetization", "payout_delay_batch_job", 0.6),
            ("monetization", "gift_revenue_mismatch", 0.15),
            ("unknown", "unknown", 0.25),
        ),
        "34.0.1",
        "PX-1042",
    ),
    Emerging(
        "auto_dub_wrong_language",
        0.66,
        0.05,
        12.0,
        (("unknown", "unknown", 0.78), ("creator_tools", "upload_failure", 0.22)),
        "35.1.0",
        "DB-204",
    ),
)
EMERGING_BY_THEME = {m.theme: m for m in EMERGING}

CURRENCY = {  # market -> (prefix, suffix, thousands, decimals separator, scale)
    "US": ("$", "", ",", ".", 1),
    "GB": ("£", "", ",", ".", 1),
    "DE": ("", " €", ".", ",", 1),
    "BR": ("R$ ", "", ".", ",", 5),
    "MX": ("$", " MXN", ",", ".", 18),
    "IN": ("₹", "", ",", ".", 80),
    "SG": ("S$", "", ",", ".", 1),
    "JP": ("¥", "", ",", "", 150),
    "ID": ("Rp ", "", ".", ",", 15000),
    "unknown": ("$", "", ",", ".", 1),
}
EMAIL_DOMAINS = ("example.com", "example.net", "mail.example.org", "inbox.example.com")
HANDLE_SUFFIXES = ("live", "creates", "official", "tv", "studio", "plays")
PLATFORM = "example-platform.com"


# ---- languages and themes in the world ---------------------------------------------------------
class VoicePlan:
    """When each emerging theme starts and how large it is; which language an escalation writes."""

    def __init__(self, start: int, days: int) -> None:
        self.starts = {m.theme: start + int(m.start * days) * DAY for m in EMERGING}

    def share(self, m: Emerging, t: float) -> float:
        """The share of all escalations ``m`` takes at instant ``t`` (0 before it starts)."""
        since = t - self.starts[m.theme]
        if since < 0:
            return 0.0
        return m.peak_share * (1.0 - math.exp(-since / (m.ramp_days * DAY)))

    def factor(self, t: float) -> float:
        """How much the emerging themes add to the volume at ``t``."""
        return 1.0 + sum(self.share(m, t) for m in EMERGING)

    def pick(self, t: int, u: float) -> Emerging | None:
        """The emerging theme an escalation arriving at ``t`` belongs to (u uniform in [0, 1))."""
        total = self.factor(t)
        acc = 0.0
        for m in EMERGING:
            acc += self.share(m, t) / total
            if u < acc:
                return m
        return None

    @staticmethod
    def filed_under(m: Emerging, u: float) -> tuple[str, str]:
        acc = 0.0
        for category, root_cause, share in m.categories:
            acc += share
            if u < acc:
                return category, root_cause
        return m.categories[-1][:2]

    @staticmethod
    def language(market: str, u: float) -> str:
        acc = 0.0
        options = LANGUAGE_OF_MARKET.get(market, LANGUAGE_OF_MARKET["unknown"])
        for lang, share in options:
            acc += share
            if u < acc:
                return lang
        return options[-1][0]


# ---- people ------------------------------------------------------------------------------------
def phone_of(market: str, n: int) -> tuple[str, str]:
    """A requester's phone number as people write it, and as E.164 digits (what a phone system logs)."""
    a = (n * 7919 + 12345) % 10_000
    b = (n * 104_729 + 777) % 10_000
    if market == "GB":
        return f"+44 7700 9{a:04d}", f"4477009{a:04d}"
    if market == "DE":
        return f"+49 151 {a:04d} {b:04d}", f"49151{a:04d}{b:04d}"
    if market == "BR":
        return f"+55 11 9{a:04d}-{b:04d}", f"55119{a:04d}{b:04d}"
    if market == "MX":
        return f"+52 55 {a:04d} {b:04d}", f"5255{a:04d}{b:04d}"
    if market == "IN":
        return f"+91 98{a % 1000:03d} {b:05d}", f"9198{a % 1000:03d}{b:05d}"
    if market == "SG":
        return f"+65 8{a % 1000:03d} {b:04d}", f"658{a % 1000:03d}{b:04d}"
    if market == "JP":
        return f"090-{a:04d}-{b:04d}", f"8190{a:04d}{b:04d}"
    if market == "ID":
        return f"0812-{a:04d}-{b:04d}", f"62812{a:04d}{b:04d}"
    return f"+1 (415) 555-{a:04d}", f"1415555{a:04d}"


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    handle: str
    email: str
    phone: str
    phone_digits: str
    user_id: int

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


def person(market: str, n: int) -> Person:
    """The requester numbered ``n`` (the same person in every export that names them)."""
    first, last = person_name(n)
    phone, digits = phone_of(market, n)
    suffix = HANDLE_SUFFIXES[n % len(HANDLE_SUFFIXES)]
    handle = f"{first.lower()}{last.lower()}{n % 100}" if n % 3 else f"{first.lower()}_{suffix}"
    email = f"{first.lower()}.{last.lower()}{n % 1000}@{EMAIL_DOMAINS[n % len(EMAIL_DOMAINS)]}"
    return Person(first, last, handle, email, phone, digits, 6_800_000_000 + (n * 7_919) % 1_000_000_000)


def _amount(market: str, rng: random.Random) -> str:
    pre, post, thousands, decimals, scale = CURRENCY.get(market, CURRENCY["unknown"])
    value = rng.randrange(80, 4000) * scale
    whole = f"{value:,}".replace(",", thousands)
    cents = f"{decimals}{rng.choice(('00', '50', '20', '75'))}" if decimals else ""
    return f"{pre}{whole}{cents}{post}"


# ---- text --------------------------------------------------------------------------------------
class VoiceText:
    """Subjects, descriptions and satisfaction comments; one random stream per escalation."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def _rng(self, e, salt: int) -> random.Random:
        return random.Random((self.seed * 1_000_003 + e.seq) * 7 + salt)

    def request(self, e, agent_name: str | None) -> tuple[str, str]:
        """(subject, description) of escalation ``e`` in its language, about its theme."""
        rng = self._rng(e, 1)
        lang = e.language
        frame = FRAMES[lang]
        subjects, bodies = THEMES[e.theme][lang]
        who = person(e.market, e.requester)
        m = EMERGING_BY_THEME.get(e.theme)
        slots = {
            "amount": _amount(e.market, rng),
            "days": rng.randrange(3, 21),
            "version": m.version
            if m
            else f"{rng.randrange(31, 34)}.{rng.randrange(0, 9)}.{rng.randrange(0, 5)}",
            "code": m.code if m else f"E-{rng.randrange(100, 999)}",
        }
        subject = rng.choice(subjects).format(**slots)
        if rng.random() < 0.06:
            subject = f"[@{who.handle}] {subject}"
        people = {
            "name": who.name,
            "first": who.first,
            "handle": who.handle,
            "email": who.email,
            "phone": who.phone,
            "agent": agent_name or "",
            "url": rng.choice(
                (
                    f"https://www.{PLATFORM}/@{who.handle}",
                    f"https://{PLATFORM}/user/{who.user_id}",
                    f"https://m.{PLATFORM}/profile?id={who.user_id}",
                )
            ),
        }
        sentences = []
        if rng.random() < 0.45:
            sentences.append(rng.choice(frame.intros).format(**people))
        sentences.append(rng.choice(bodies).format(**slots))
        if rng.random() < 0.3:
            sentences.append(rng.choice(frame.contacts).format(**people))
        if rng.random() < 0.25:
            sentences.append(rng.choice(frame.profiles).format(**people))
        if agent_name and rng.random() < 0.12:
            sentences.append(rng.choice(frame.agents).format(**people))
        closing = rng.choice(frame.closings)
        if closing:
            sentences.append(closing)
        lines = []
        if rng.random() < 0.7:
            lines.append(rng.choice(frame.greetings))
        lines.append(frame.joiner.join(sentences))
        if rng.random() < 0.55:
            lines.append(rng.choice(frame.signoffs).format(**people))
        return subject, "\n".join(lines)

    def csat_comment(self, e, score: str, agent_name: str | None, rating_id: int) -> tuple[str, str]:
        """(comment, theme) of a rating with a comment: praise when good; else the service or the
        escalation's own problem (``still``)."""
        rng = random.Random((self.seed * 1_000_003 + rating_id) * 7 + 2)
        comments = CSAT[e.language]
        if score == "good":
            text = rng.choice(comments["praise"] if agent_name else comments["praise"][:2])
            return text.format(agent=agent_name or ""), "praise"
        if rng.random() < 0.5:
            theme = rng.choice(SERVICE_THEMES)
            return rng.choice(comments[theme]), theme
        topic = THEMES[e.theme][e.language][0][0]
        m = EMERGING_BY_THEME.get(e.theme)
        topic = topic.format(version=m.version) if m else topic
        if e.language not in ("ja", "de"):
            topic = topic[0].lower() + topic[1:]
        return rng.choice(comments["still"]).format(topic=topic), e.theme


# ---- truth -------------------------------------------------------------------------------------
class VoiceTruth:
    """Streams the theme and language of every escalation and satisfaction comment to CSV."""

    def __init__(self, folder: Path | None) -> None:
        self.languages: Counter = Counter()
        self.themes: Counter = Counter()
        self.emerging_split: dict[str, Counter] = {m.theme: Counter() for m in EMERGING}
        self.emerging_first: dict[str, int] = {}
        self.comments: Counter = Counter()
        self._esc = self._comments = None
        if folder is not None:
            self._esc_fh = open(folder / "voice_truth.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._com_fh = open(folder / "csat_comment_truth.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._esc = csv.writer(self._esc_fh, lineterminator="\n")
            self._comments = csv.writer(self._com_fh, lineterminator="\n")
            self._esc.writerow(
                ["escalation_key", "created_at", "language", "theme", "is_emerging", "issue_category"]
            )
            self._comments.writerow(["rating_id", "escalation_key", "score", "language", "theme"])

    def escalation(self, e) -> None:
        if e.deleted_at is not None:
            return
        emerging = e.theme in EMERGING_BY_THEME
        self.languages[e.language] += 1
        self.themes[e.theme] += 1
        if emerging:
            self.emerging_split[e.theme][e.category] += 1
            self.emerging_first.setdefault(e.theme, e.created)
        if self._esc is not None:
            self._esc.writerow([e.key, iso_z(e.created), e.language, e.theme, int(emerging), e.category])

    def comment(self, rating_id: int, e, score: str, theme: str) -> None:
        self.comments[theme] += 1
        if self._comments is not None:
            self._comments.writerow([rating_id, e.key, score, e.language, theme])

    def close(self) -> None:
        if self._esc is not None:
            self._esc_fh.close()
            self._com_fh.close()

    def summary(self, plan: VoicePlan) -> dict:
        def day(t: int) -> str:
            return datetime.fromtimestamp(t, UTC).date().isoformat()

        return {
            "files": {
                "escalations": "_generator/voice_truth.csv",
                "csat_comments": "_generator/csat_comment_truth.csv",
            },
            "languages": dict(sorted(self.languages.items())),
            "steady_themes": sorted(t for t in self.themes if t not in EMERGING_BY_THEME),
            "escalations_per_theme": dict(sorted(self.themes.items(), key=lambda kv: (-kv[1], kv[0]))),
            "csat_comments_per_theme": dict(sorted(self.comments.items(), key=lambda kv: (-kv[1], kv[0]))),
            "emerging": [
                {
                    "theme": m.theme,
                    "start": iso_z(plan.starts[m.theme]),
                    "start_date": day(plan.starts[m.theme]),
                    "first_escalation_at": iso_z(self.emerging_first[m.theme])
                    if m.theme in self.emerging_first
                    else None,
                    "peak_share": m.peak_share,
                    "ramp_days": m.ramp_days,
                    "app_version": m.version,
                    "error_code": m.code,
                    "escalations": sum(self.emerging_split[m.theme].values()),
                    "issue_categories": dict(self.emerging_split[m.theme].most_common()),
                }
                for m in EMERGING
            ],
        }
