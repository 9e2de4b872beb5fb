"""Redaction: personal data out of free text before any model, mart or log sees it.

What goes, in this order (each replaced by a placeholder people can read):

- ``[URL]``: links to a profile or with a user id (an ``@``, ``/user``, ``/profile``, ``/u/``,
  ``/channel`` or an ``id=`` parameter, or five digits or more in a row); other links stay.
- ``[EMAIL]``: e-mail addresses.
- ``[HANDLE]``: @handles (not the ``@`` inside an e-mail address).
- ``[PHONE]``: phone numbers as people write them (``+1 (415) 555-0123``, ``0812-3456-7890``,
  ``090-1234-5678``, ``+49 151 2345 6789``): 8 to 15 digits in groups, or a ``+`` with 8 or
  more; not dates (``2026-03-14``) and not amounts in thousands (``45.000.000``).
- ``[NUMBER]``: any other run of nine digits or more (account and user ids).
- ``[NAME]``: the people the exports know (requesters, agents, owners: ``Names``), as a full name
  or as a capitalized first or last name on its own; and, for people no export names, a name in
  an introduction ("my name is ...", "me llamo ...", "nama saya ...", "...と申します") or alone on
  the sign-off line at the end.

Redaction errs on the side of removing: a capitalized word that is also someone's name goes too.
It never logs what it removed, only how many of each kind.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

KINDS = ("url", "email", "handle", "phone", "number", "name")
PLACEHOLDER = {kind: f"[{kind.upper()}]" for kind in KINDS}
_PLACEHOLDERS = re.compile(r"\[(?:URL|EMAIL|HANDLE|PHONE|NUMBER|NAME)\]")

_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+")
_URL_PERSONAL = re.compile(r"@|/user|/profile|/u/|/channel|[?&](?:id|uid|user|user_id)=|\d{5,}", re.I)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_HANDLE = re.compile(r"(?<![A-Za-z0-9._%+-])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
_PHONE = re.compile(
    r"(?<![A-Za-z0-9_.,+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){1,4}"
    r"(?![A-Za-z0-9_])|(?<![A-Za-z0-9_.,])\+\d{8,14}(?![A-Za-z0-9_])"
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.,])\d{9,}(?![A-Za-z0-9_])")  # ASCII bounds: 番号は123...です
_WORD = re.compile(r"[A-ZÀ-Ý][a-zà-ÿ'’-]+")
_NAME_WORDS = r"[A-ZÀ-Ý][a-zà-ÿ'’-]+(?: [A-ZÀ-Ý][a-zà-ÿ'’-]+){0,2}"
# the trigger words in any case, the name itself capitalized
_INTRODUCTIONS = re.compile(
    r"(?i:my name is|i am|i'm|this is|me llamo|mi nombre es|soy|meu nome é|me chamo|aqui é|sou|"
    r"nama saya|saya|mein name ist|ich bin|hier ist|ich heiße)\s+(" + _NAME_WORDS + r")"
)
_JA_INTRODUCTION = re.compile(r"(" + _NAME_WORDS + r")\s*(?:と申します|です)")
_SIGNOFF = re.compile(r"^(?:[—–-]\s*)?(" + _NAME_WORDS + r")\s*$")
_CLOSING = (
    r"(?i:thanks|thank you|regards|best|cheers|gracias|saludos|obrigad[oa]|abraços|atenciosamente|"
    r"terima kasih|salam|danke|grüße|gruß|よろしく)"
)
_CLOSING_WORDS = re.compile(_CLOSING)
_CLOSING_LINE = re.compile(r"^(.*" + _CLOSING + r"[,!.]?\s+)(" + _NAME_WORDS + r")\s*$")
_ADJACENT_NAMES = re.compile(r"\[NAME\](?:\s+\[NAME\])+")

# capitalized words that are not names on their own, even when an export holds a user so named
# ("Integration User", "Priya Lead"): only a full name with them is redacted
NOT_NAMES_ALONE = frozenset(
    {"user", "lead", "integration", "support", "team", "admin", "system", "systems", "bot", "agent", "api"}
)


@dataclass(frozen=True)
class Names:
    """The people the exports name: full names, and their first and last names as single words."""

    full: frozenset[str]  # lowercased "first last"
    words: frozenset[str]  # lowercased first and last names

    @classmethod
    def from_full_names(cls, names: Iterable[str | None]) -> Names:
        full, words = set(), set()
        for name in names:
            parts = [p for p in (name or "").split() if p]
            if not parts:
                continue
            full.add(" ".join(parts).lower())
            words.update(p.lower() for p in parts if len(p) >= 3 and p.lower() not in NOT_NAMES_ALONE)
        return cls(frozenset(full), frozenset(words))

    def __len__(self) -> int:
        return len(self.full)


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _phone_or_not(match: re.Match) -> str | None:
    text = match.group(0)
    n = _digits(text)
    if text.startswith("+") and n >= 8:
        return PLACEHOLDER["phone"]
    if n < 8 or n > 15 or _DATE.fullmatch(text.strip()) or _THOUSANDS.fullmatch(text):
        return None
    return PLACEHOLDER["phone"]


class Redactor:
    def __init__(self, names: Names | None = None) -> None:
        self.names = names or Names(frozenset(), frozenset())

    def redact(self, text: str | None) -> tuple[str | None, Counter]:
        """The text with personal data replaced, and how many of each kind went."""
        counts: Counter = Counter()
        if not text:
            return text, counts

        def sub(pattern: re.Pattern, kind: str, value: str, keep=None) -> str:
            def repl(m: re.Match) -> str:
                out = keep(m) if keep else PLACEHOLDER[kind]
                if out is None:
                    return m.group(0)
                counts[kind] += 1
                return out

            return pattern.sub(repl, value)

        def url(m: re.Match) -> str | None:
            link = m.group(0).rstrip(".,;:!?)")
            if not _URL_PERSONAL.search(link):
                return None
            return PLACEHOLDER["url"] + m.group(0)[len(link) :]

        text = sub(_URL, "url", text, url)
        text = sub(_EMAIL, "email", text)
        text = sub(_HANDLE, "handle", text)
        text = sub(_PHONE, "phone", text, _phone_or_not)
        text = sub(_NUMBER, "number", text)
        text = self._names(text, counts)
        return text, counts

    def _names(self, text: str, counts: Counter) -> str:
        names = self.names
        before = text.count(PLACEHOLDER["name"])

        def known(m: re.Match) -> str:
            word = m.group(0)
            return PLACEHOLDER["name"] if word.lower() in names.words else word

        def introduced(m: re.Match) -> str:
            return (
                m.group(0)[: m.start(1) - m.start(0)]
                + PLACEHOLDER["name"]
                + m.group(0)[m.end(1) - m.start(0) :]
            )

        if names.words:
            text = _WORD.sub(known, text)
        text = _INTRODUCTIONS.sub(introduced, text)
        text = _JA_INTRODUCTION.sub(introduced, text)
        lines = text.split("\n")
        # a name alone on the last line, after a closing ("Thanks,\nAna" or "— Ana Silva")
        if len(lines) >= 2:
            last = _SIGNOFF.match(lines[-1].strip())
            dash = lines[-1].strip()[:1] in ("—", "–", "-")
            if last and (dash or _CLOSING_WORDS.search(lines[-2])):
                lines[-1] = lines[-1].replace(last.group(1), PLACEHOLDER["name"])
        for i, line in enumerate(lines):  # "Regards, Ana Silva" on one line
            m = _CLOSING_LINE.match(line)
            if m:
                lines[i] = m.group(1) + PLACEHOLDER["name"]
        text = _ADJACENT_NAMES.sub(PLACEHOLDER["name"], "\n".join(lines))
        counts["name"] += text.count(PLACEHOLDER["name"]) - before  # a full name counts once
        if not counts["name"]:
            del counts["name"]
        return text


def without_placeholders(text: str) -> str:
    """Text for counting words: the placeholders themselves are not words people wrote."""
    return _PLACEHOLDERS.sub(" ", text)


def has_placeholder(text: str) -> bool:
    return bool(_PLACEHOLDERS.search(text))
