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

# ruff: noqa: SIM905 - word lists read best as the sentences of words they are
from __future__ import annotations

import re
from functools import cache

LANGUAGES = ("en", "es", "pt", "id", "de", "ja")

FUNCTION_WORDS = {
    "en": frozenset(
        (
            "after again all an and any are at be been but by can cannot did do does every for from "
            "has have i is it its just me my nobody not now of on only please since so still than "
            "that the their them then there they this to too very was were what when which will with "
            "would you your"
        ).split()
    ),
    "es": frozenset(
        (
            "al como con cuando del desde el es está hace hay hola la las le les lo los mi mis muy "
            "mí nada pero por porque sigue sin sobre sus también tengo todo un una y ya"
        ).split()
    ),
    "pt": frozenset(
        (
            "ao com como continua da das desde do dos e está há já mas meu meus minha muito na nada "
            "no não o olá os porque quando sem seus sobre também tem tenho tudo um uma você vocês"
        ).split()
    ),
    "id": frozenset(
        (
            "ada akan apa atau belum bisa dan dari dengan di hari ini itu juga kalian kami karena ke "
            "lagi masih mereka saya sejak sudah tapi terus tidak tolong untuk yang"
        ).split()
    ),
    "de": frozenset(
        (
            "aber auch auf bei bitte das dem den der die ein eine es für habe hat ich immer ist mein "
            "meine mit nach nicht noch schon seit sich sie und wird wurde zu"
        ).split()
    ),
}
# extra words with no topic of their own, left out of the themes' vocabulary (greetings, closings)
_EXTRA_STOP = {
    "en": ("hi hello team support thanks thank advance urgent help asap possible regards best fix").split(),
    "es": (
        "hola equipo soporte gracias ayuda urgente favor saludos ayúdenme antemano de que se me "
        "en a no para su"
    ).split(),
    "pt": (
        "olá oi equipe suporte obrigado ajuda urgente favor abraços ajudem desde já de que se me "
        "em a é não para por"
    ).split(),
    "id": ("halo selamat siang tim support terima kasih tolong bantu mendesak salam sebelumnya").split(),
    "de": ("hallo guten tag team support danke vielen dank bitte helfen dringend grüße viele voraus").split(),
}


@cache
def stop_words(language: str) -> frozenset[str]:
    """The words left out of ``language``'s themes (English's for a language without a list).

    English's start from scikit-learn's list, imported on first use: importing scikit-learn
    takes about a second, which every process that loads the code location would pay.
    """
    if language not in _EXTRA_STOP:
        language = "en"
    words = FUNCTION_WORDS[language] | frozenset(_EXTRA_STOP[language])
    if language == "en":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        words |= frozenset(ENGLISH_STOP_WORDS)
    return words


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
        out += [t for t in _TOKEN.findall(_JA_RUN.sub(" ", text)) if t not in stop_words("en")]
        return out
    stop = stop_words(language)
    return [t for t in _TOKEN.findall(text) if t not in stop]
