"""Complaint themes: TF-IDF and NMF per language, with keys that last from night to night.

Method (docs/voice.md): per language, the redacted texts (an escalation's subject, twice, and its
description; satisfaction comments) lose their placeholder sentences (the contact lines, where
personal data was) and are cut into words (``language.words``: function words out; Japanese in
character pairs); words and word pairs are weighted by TF-IDF (sublinear counts, words in more than
half the texts dropped); non-negative matrix factorization (scikit-learn ``NMF``, ``nndsvda``
start, fixed seed, one thread: deterministic) finds ``k`` themes, ``k`` growing with the square
root of the number of texts (6 to 40). Each text belongs to the theme that weighs most in it.

Stability: a theme is its top terms. Each run matches its themes to the previous run's (stored in
``voice.theme_terms``) by the cosine of their term weights, one to one (the Hungarian method); a
match above ``MATCH_MIN`` keeps the old key, a new theme gets a new key, a theme not matched stays
stored (retired) so that it keeps its key if it comes back. Nothing is downloaded: the model is
fitted on the warehouse's own text every run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF, non_negative_factorization
from sklearn.feature_extraction.text import TfidfVectorizer
from threadpoolctl import threadpool_limits

from escalations.parallel import ordered_map, pool_when_large
from escalations.voice.language import words
from escalations.voice.redact import has_placeholder

MATCH_MIN = 0.3  # cosine of term weights above which a theme keeps last night's key
# components that are one theme written several ways: texts load on both (cosine of their weights
# over the texts), or their term weights are alike (on the demo world, distinct themes stay below
# 0.04 and 0.17: docs/voice.md)
MERGE_TEXTS_MIN = 0.08
MERGE_TERMS_MIN = 0.25
TOP_TERMS = 60  # terms stored per theme (what the next run matches against)
LABEL_TERMS = 5
MIN_TEXTS = 30  # fewer texts in a language: no themes for it
FIT_MAX = 30_000  # the most recent texts a language's model is fitted on (all are assigned)
# the fit sees the last FIT_WEEKS weeks in full and as many older texts again, sampled evenly: a new
# complaint weighs more among recent texts (it gets its own component weeks earlier), and the
# older themes stay in the model
FIT_WEEKS = 12
# ... and a second model of the last NEW_WEEKS weeks alone: its components unlike any of the first
# (cosine below NEW_MAX) are new complaints, too small yet for the model of the whole history
NEW_WEEKS = 4
NEW_MAX = 0.3
K_MIN, K_MAX = 8, 50
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*|\n+")


def theme_text(subject: str | None, body: str | None) -> str:
    """What a theme is read from: the subject twice, and the body's sentences that held no
    personal data (those are introductions, contact lines and sign-offs, not the complaint)."""
    kept = [s for s in _SENTENCE.split(body or "") if s.strip() and not has_placeholder(s)]
    subject = "" if subject is None or has_placeholder(subject) else subject
    return "\n".join([subject, subject, *kept])


def k_for(n_texts: int) -> int:
    return int(np.clip(round(0.8 * np.sqrt(n_texts)), K_MIN, K_MAX))


@dataclass
class Theme:
    key: str
    language: str
    terms: dict[str, float]  # top terms -> weight, L2-normalized
    label: str
    texts: int = 0
    is_active: bool = True
    matched_from: str | None = None  # the previous run's key it continues (None: new)
    similarity: float | None = None


@dataclass
class ThemeRun:
    assignments: pd.DataFrame  # text_key, theme_key (None: no theme), theme_weight
    themes: list[Theme] = field(default_factory=list)  # this run's, then the retired ones

    @property
    def active(self) -> list[Theme]:
        return [t for t in self.themes if t.is_active]


def _analyzer(language: str):
    def analyze(text: str) -> list[str]:
        tokens = words(text, language)
        if language == "ja":
            return tokens
        return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]

    return analyze


def _label(terms: list[str], language: str) -> str:
    """The top terms, without a word its own pair already shows; Japanese pairs joined back up."""
    picked: list[str] = []
    seen: set[str] = set()
    for term in terms:
        if language == "ja":
            joined = next((i for i, p in enumerate(picked) if p[-1] == term[0] and len(p) < 8), None)
            if joined is not None:
                picked[joined] += term[1:]
                continue
            if any(term in p for p in picked):
                continue
        elif set(term.split(" ")) <= seen:
            continue
        picked.append(term)
        seen.update(term.split(" "))
        if len(picked) == LABEL_TERMS:
            break
    return ", ".join(picked)


def _key(language: str, terms: list[str], taken: set[str]) -> str:
    digest = hashlib.sha1("|".join(sorted(terms[:8])).encode()).hexdigest()
    key = f"{language}-{digest[:8]}"
    n = 1
    while key in taken:
        n += 1
        key = f"{language}-{digest[:8]}-{n}"
    return key


def _normalized(terms: dict[str, float]) -> dict[str, float]:
    norm = float(np.sqrt(sum(w * w for w in terms.values()))) or 1.0
    return {t: w / norm for t, w in terms.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def fit_language(
    texts: pd.DataFrame, language: str, previous: list[Theme], taken: set[str], seed: int = 0
) -> tuple[pd.DataFrame, list[Theme]]:
    """Themes of one language's texts (``text_key``, ``text``, ``written_at``), keyed against
    ``previous`` (last run's themes of the language); ``taken``: every key in use."""
    if len(texts) < MIN_TEXTS:
        return pd.DataFrame({"text_key": texts["text_key"], "theme_key": None, "theme_weight": 0.0}), []
    vectorizer = TfidfVectorizer(
        analyzer=_analyzer(language),
        min_df=max(3, int(0.0005 * len(texts))),
        max_df=0.5,
        sublinear_tf=True,
        max_features=30_000,
        dtype=np.float64,
    )
    sample = _fit_sample(texts)
    try:
        x_fit = vectorizer.fit_transform(sample["text"])
    except ValueError:  # no word left in any text (all function words or placeholders)
        return pd.DataFrame({"text_key": texts["text_key"], "theme_key": None, "theme_weight": 0.0}), []
    with threadpool_limits(1):
        components = _nmf(x_fit, k_for(len(sample)), seed)
        newest = sample[sample["written_at"] >= sample["written_at"].max() - pd.Timedelta(weeks=NEW_WEEKS)]
        if len(newest) >= MIN_TEXTS:
            novel = _nmf(vectorizer.transform(newest["text"]), k_for(len(newest)), seed)
            unlike = _cross_cosines(novel, components).max(axis=1) < NEW_MAX
            components = np.vstack([components, novel[unlike]])
        w_fit = _weights(x_fit, components)
        vocabulary = vectorizer.get_feature_names_out()
        weights = []
        for start in range(0, len(texts), 50_000):
            chunk = texts["text"].iloc[start : start + 50_000]
            weights.append(_weights(vectorizer.transform(chunk), components))
    k = len(components)
    groups = _merged(components, w_fit)
    h = np.vstack([components[g].sum(axis=0) for g in groups])
    w_all = np.vstack(weights) if weights else np.zeros((0, k))
    w = (
        np.column_stack([w_all[:, g].sum(axis=1) for g in groups])
        if len(w_all)
        else np.zeros((0, len(groups)))
    )
    components = []
    for row in h:
        top = np.argsort(-row, kind="stable")[:TOP_TERMS]
        components.append({str(vocabulary[i]): float(row[i]) for i in top if row[i] > 0})
    themes = _keyed(language, [_normalized(c) for c in components], previous, taken)
    totals = w.sum(axis=1)
    best = w.argmax(axis=1) if len(w) else np.zeros(0, dtype=int)
    has = totals > 0
    keys = np.array([t.key for t in themes], dtype=object)
    assignments = pd.DataFrame(
        {
            "text_key": texts["text_key"].to_numpy(),
            "theme_key": np.where(has, keys[best] if len(keys) else None, None),
            "theme_weight": np.where(has, w.max(axis=1, initial=0) / np.where(has, totals, 1), 0.0),
        }
    )
    counts = assignments["theme_key"].value_counts()
    for t in themes:
        t.texts = int(counts.get(t.key, 0))
    return assignments, themes


def _nmf(x, k: int, seed: int) -> np.ndarray:
    """Term weights (rows) of ``k`` themes of the texts ``x``."""
    k = max(1, min(k, x.shape[1] - 1, x.shape[0] - 1))
    model = NMF(n_components=k, init="nndsvda", solver="cd", max_iter=300, tol=1e-4, random_state=seed)
    model.fit(x)
    return model.components_


def _weights(x, components: np.ndarray) -> np.ndarray:
    """Each text's weight on each theme (non-negative least squares against fixed themes)."""
    w, _, _ = non_negative_factorization(
        x, H=components, n_components=len(components), init="custom", update_H=False, solver="cd",
        max_iter=300, tol=1e-4,
    )  # fmt: skip
    return w


def _cross_cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ua = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    ub = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    return ua @ ub.T


def _cosines(rows: np.ndarray) -> np.ndarray:
    unit = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    return unit @ unit.T


def _fit_sample(texts: pd.DataFrame) -> pd.DataFrame:
    """The texts a model is fitted on: the last FIT_WEEKS weeks, and older texts sampled evenly
    (every n-th by time), as many as the recent ones; at most FIT_MAX, the most recent first."""
    ordered = texts.sort_values(["written_at", "text_key"])
    cut = ordered["written_at"].max() - pd.Timedelta(weeks=FIT_WEEKS)
    recent = ordered[ordered["written_at"] >= cut]
    older = ordered[ordered["written_at"] < cut]
    if len(older) > len(recent):
        step = len(older) / max(len(recent), 1)
        older = older.iloc[[int(i * step) for i in range(len(recent))]]
    return pd.concat([older, recent]).tail(FIT_MAX)


def _merged(components: np.ndarray, weights: np.ndarray) -> list[list[int]]:
    """Groups of components that are one theme (NMF gives a theme written two ways two
    components): linked when the texts load on both (MERGE_TEXTS_MIN) or their terms are alike
    (MERGE_TERMS_MIN); groups are the linked sets."""
    linked = (_cosines(weights.T) >= MERGE_TEXTS_MIN) | (_cosines(components) >= MERGE_TERMS_MIN)
    parent = list(range(len(components)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(*np.nonzero(np.triu(linked, 1)), strict=True):
        parent[root(int(i))] = root(int(j))
    groups: dict[int, list[int]] = {}
    for i in range(len(components)):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values())


def _keyed(
    language: str, components: list[dict[str, float]], previous: list[Theme], taken: set[str]
) -> list[Theme]:
    """This run's components as themes, with the previous run's key where the content stayed."""
    matched: dict[int, tuple[Theme, float]] = {}
    if previous and components:
        sim = np.array([[_cosine(c, p.terms) for p in previous] for c in components])
        rows, cols = linear_sum_assignment(-sim)
        for r, c in zip(rows, cols, strict=True):
            if sim[r, c] >= MATCH_MIN:
                matched[r] = (previous[c], float(sim[r, c]))
    themes = []
    for i, terms in enumerate(components):
        ranked = sorted(terms, key=lambda t: (-terms[t], t))
        if i in matched:
            old, similarity = matched[i]
            key, source = old.key, old.key
        else:
            key, source, similarity = _key(language, ranked, taken), None, None
            taken.add(key)
        themes.append(Theme(key, language, terms, _label(ranked, language), 0, True, source, similarity))
    return themes


# fit the languages in worker processes (escalations/parallel.py) from this many texts: below it
# their start (about 2 s: spawning, importing scikit-learn, copying the texts) costs more than it saves
PARALLEL_FROM = 100_000


def fit_themes(texts: pd.DataFrame, previous: Iterable[Theme] = (), seed: int = 0) -> ThemeRun:
    """Themes of every language of ``texts`` (``text_key``, ``language``, ``text``, ``written_at``).

    Each language is fitted on its own texts and its own previous themes, so the languages are
    fitted side by side in worker processes when the texts are many, the largest first; the keys
    a language makes begin with it and cannot take another language's, so the result is the same
    as one after the other, theme for theme and text for text."""
    previous = list(previous)
    taken = {t.key for t in previous}
    languages = sorted(texts["language"].unique())
    jobs = {
        language: (
            texts.loc[texts["language"] == language, ["text_key", "text", "written_at"]],
            language,
            [t for t in previous if t.language == language],
            taken,
            seed,
        )
        for language in languages
    }
    largest_first = sorted(languages, key=lambda language: -len(jobs[language][0]))
    with pool_when_large(PARALLEL_FROM) as executor:
        done = dict(
            zip(
                largest_first,
                ordered_map(
                    executor(len(texts)), _fit_job, (jobs[x] for x in largest_first), ahead=len(jobs)
                ),
                strict=True,
            )
        )
    parts = [done[language][0] for language in languages]
    themes = [theme for language in languages for theme in done[language][1]]
    active = {t.key for t in themes}
    retired = [
        Theme(t.key, t.language, t.terms, t.label, 0, False, t.key, None)
        for t in previous
        if t.key not in active
    ]
    assignments = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame({"text_key": [], "theme_key": [], "theme_weight": []})
    )
    return ThemeRun(assignments, themes + retired)


def _fit_job(job: tuple) -> tuple[pd.DataFrame, list[Theme]]:
    """One language's fit (``fit_language``'s arguments), in a worker process or in this one; the
    keys in use are copied, so what it adds stays its own."""
    texts, language, previous, taken, seed = job
    return fit_language(texts, language, previous, set(taken), seed)
