"""Which language a text is written in, and how to cut it into words for counting.

Japanese is told by its script (kana and kanji). The other languages by their function words,
which every sentence has and no topic changes: each language's own list counts, the words two
languages share (``de``, ``que``) count for neither. A text with no function word is ``unknown``.
Measured against the demo generator's truth in docs/voice.md.

Words: lowercase letters (accents kept), plus versions (``34.0.1``) and error codes
(``px-1042``), which name new problems; bare numbers, placeholders and each language's function
words are left out. Japanese has no spaces: it is cut into overlapping character pairs within
runs of kana and kanji (the bigram method of CJK search engines), plus its Latin words.
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

LANGUAGES = ("en", "es", "pt", "id", "de", "ja")

FUNCTION_WORDS = {
    "en": frozenset(
        [
            "the",
            "and",
            "is",
            "my",
            "i",
            "to",
            "it",
            "of",
            "not",
            "but",
            "was",
            "for",
            "this",
            "have",
            "with",
            "you",
            "your",
            "please",
            "on",
            "are",
            "me",
            "after",
            "since",
            "been",
            "has",
            "they",
            "them",
            "what",
            "when",
            "every",
            "now",
            "cannot",
            "can",
            "do",
            "does",
            "did",
            "there",
            "their",
            "will",
            "would",
            "still",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "y",
            "mi",
            "mis",
            "es",
            "pero",
            "por",
            "con",
            "una",
            "un",
            "lo",
            "está",
            "desde",
            "hace",
            "sigue",
            "hola",
            "ya",
            "cuando",
            "porque",
            "muy",
            "también",
            "nada",
            "todo",
            "como",
            "sin",
            "sobre",
            "mí",
            "tengo",
            "hay",
            "sus",
            "del",
            "al",
            "le",
            "les",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "os",
            "e",
            "meu",
            "minha",
            "meus",
            "não",
            "mas",
            "com",
            "uma",
            "um",
            "está",
            "desde",
            "há",
            "olá",
            "continua",
            "você",
            "vocês",
            "já",
            "quando",
            "porque",
            "muito",
            "também",
            "nada",
            "tudo",
            "como",
            "sem",
            "sobre",
            "tenho",
            "tem",
            "seus",
            "do",
            "da",
            "dos",
            "das",
            "no",
            "na",
            "ao",
        ]
    ),
    "id": frozenset(
        [
            "saya",
            "yang",
            "dan",
            "di",
            "tidak",
            "ini",
            "itu",
            "ke",
            "dari",
            "dengan",
            "untuk",
            "sudah",
            "tapi",
            "ada",
            "bisa",
            "kami",
            "kalian",
            "tolong",
            "sejak",
            "juga",
            "masih",
            "akan",
            "atau",
            "karena",
            "lagi",
            "belum",
            "hari",
            "terus",
            "apa",
            "mereka",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "ist",
            "mein",
            "meine",
            "nicht",
            "aber",
            "mit",
            "für",
            "ich",
            "ein",
            "eine",
            "sich",
            "den",
            "dem",
            "zu",
            "seit",
            "bitte",
            "wurde",
            "wird",
            "auch",
            "noch",
            "schon",
            "immer",
            "nach",
            "bei",
            "auf",
            "habe",
            "hat",
            "sie",
            "es",
        ]
    ),
}
# extra words with no topic of their own, left out of the themes' vocabulary (greetings, closings)
_EXTRA_STOP = {
    "en": [
        "hi",
        "hello",
        "team",
        "support",
        "thanks",
        "thank",
        "advance",
        "urgent",
        "help",
        "asap",
        "possible",
        "regards",
        "best",
        "fix",
    ],
    "es": [
        "hola",
        "equipo",
        "soporte",
        "gracias",
        "ayuda",
        "urgente",
        "favor",
        "saludos",
        "ayúdenme",
        "antemano",
    ]
    + ["de", "que", "se", "me", "en", "a", "no", "para", "su"],
    "pt": [
        "olá",
        "oi",
        "equipe",
        "suporte",
        "obrigado",
        "ajuda",
        "urgente",
        "favor",
        "abraços",
        "ajudem",
        "desde",
        "já",
    ]
    + ["de", "que", "se", "me", "em", "a", "é", "não", "para", "por"],
    "id": [
        "halo",
        "selamat",
        "siang",
        "tim",
        "support",
        "terima",
        "kasih",
        "tolong",
        "bantu",
        "mendesak",
        "salam",
        "sebelumnya",
    ],
    "de": [
        "hallo",
        "guten",
        "tag",
        "team",
        "support",
        "danke",
        "vielen",
        "dank",
        "bitte",
        "helfen",
        "dringend",
        "grüße",
        "viele",
        "voraus",
    ],
}
STOP_WORDS = {
    "en": frozenset(ENGLISH_STOP_WORDS) | FUNCTION_WORDS["en"] | frozenset(_EXTRA_STOP["en"]),
    **{lang: FUNCTION_WORDS[lang] | frozenset(_EXTRA_STOP[lang]) for lang in ("es", "pt", "id", "de")},
}

_SHARED = {
    word
    for lang, words in FUNCTION_WORDS.items()
    for word in words
    if any(word in other for o, other in FUNCTION_WORDS.items() if o != lang)
}
_DISTINCT = {lang: words - _SHARED for lang, words in FUNCTION_WORDS.items()}

_JA_CHARS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_JA_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fffー]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"\d+(?:\.\d+){1,3}|[a-z]{1,4}-\d{2,6}|[^\W\d_]{2,}")
_PLACEHOLDER = re.compile(r"\[(?:URL|EMAIL|HANDLE|PHONE|NUMBER|NAME)\]")


def detect(text: str | None) -> str:
    """The language of ``text``: one of LANGUAGES, or ``unknown``."""
    if not text:
        return "unknown"
    text = _PLACEHOLDER.sub(" ", text)
    ja = len(_JA_CHARS.findall(text))
    letters = sum(len(w) for w in _LETTERS.findall(text))
    if letters and ja / letters > 0.2:
        return "ja"
    words = _LETTERS.findall(text.lower())
    scores = {lang: sum(w in distinct for w in words) for lang, distinct in _DISTINCT.items()}
    best = max(scores.values())
    if best == 0:
        return "unknown"
    return next(lang for lang in ("en", "es", "pt", "id", "de") if scores[lang] == best)


def words(text: str, language: str) -> list[str]:
    """The counted words of a (redacted) text in ``language``, in order."""
    text = _PLACEHOLDER.sub(" ", text).lower()
    if language == "ja":
        out = []
        for run in _JA_RUN.findall(text):
            out += [run[i : i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run]
        out += [t for t in _TOKEN.findall(_JA_RUN.sub(" ", text)) if t not in STOP_WORDS["en"]]
        return out
    stop = STOP_WORDS.get(language, STOP_WORDS["en"])
    return [t for t in _TOKEN.findall(text) if t not in stop]
