"""Linking free text to taxonomy skills with one calibrated score.

Each unit of the input (sentence or bullet, boilerplate dropped) is compared with every skill through
complementary signals:

* dense similarity of the whole unit with the skill's label,
* dense similarity of the best short phrase inside the unit with the label, each phrase embedded
  on its own as the labels are (a long sentence names several skills; its own vector is a blur of
  them),
* BM25 over label, alternative labels and definition (rare tokens, acronyms),
* fuzzy string similarity of the best phrase with the label or an alternative label (spelling
  variants, short texts like "javascript reactjs java").

A logistic combination of these gives a probability-like score in [0, 1] that ranks the skills.
``present`` is decided by a second small model (matching/presence.py) over the skill's score, rank
and lead within its sentence and the words of its names, or by one of its written names said word
for word. Trade shorthand is spelled out first (matching/shorthand.py). Every weight and threshold
is fitted by bench/skill_linking.py, which reports them held out (fitted on one validation split,
scored on the other).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from matching.encoder import Encoder, normalise_rows
from matching.experience import proficiency_for_years, years_of_experience
from matching.languages import (
    Translation,
    Translator,
    has_devanagari,
    is_about_languages,
    language_skill_names,
    needs_translation,
    split_units_any_script,
)
from matching.lexical import Bm25Index
from matching.link_budget import (  # the budget errors are part of the linker's interface
    LinkBudget,
    LinkBudgetExceeded,
    TextTooLong,
)
from matching.link_weights import DEFAULT_WEIGHTS, FEATURES, LinkerWeights
from matching.name_evidence import NameEvidence, best_fuzzy
from matching.presence import PRESENCE_FEATURES, UnitOrder, logistic, presence_row
from matching.shorthand import spelled_out, spelled_out_translation
from matching.skill_structures import (
    structure_arrays,
    structure_arrays_fit,
    structures_from_arrays,
)
from matching.taxonomy import (
    SkillRecord,
    SkillSurface,
    records_by_uri,
    taxonomy_version,
)
from matching.text import TextUnit, candidate_phrases, is_boilerplate, split_units
from matching.vector_cache import CacheKey, VectorStore

__all__ = [
    "DEFAULT_WEIGHTS",
    "FEATURES",
    "LinkBudget",
    "LinkBudgetExceeded",
    "LinkedSkill",
    "LinkerWeights",
    "SkillLinker",
    "TextTooLong",
]

# Bump when the texts embedded per skill change, so cached vectors are rebuilt.
REPRESENTATION_VERSION = "r1"
# Bump when the derived structures change (surface parsing, BM25 fields, weights, k1, b), so cached
# ones are rebuilt.
STRUCTURE_VERSION = "s2"

# Units are encoded in batches of this size; a budget is checked between batches.
UNIT_BATCH = 16
# The model reads at most 256 word pieces of a unit; phrases beyond ~128 add work and no signal.
MAX_PHRASES_PER_UNIT = 128


@dataclass(frozen=True)
class LinkedSkill:
    """A skill found in a text: ``score`` in [0, 1], ``span`` = the words that evidence it."""

    uri: str
    label: str
    score: float
    present: bool
    span: str | None
    # The level (1-4) suggested by the years of experience stated with the evidence, if any.
    proficiency: int | None = None


class PresenceRows(NamedTuple):
    """One text's shown skills with what the presence decision is fitted on (one row each)."""

    skills: list[LinkedSkill]
    features: np.ndarray  # PRESENCE_FEATURES
    named: np.ndarray  # the text says one of the skill's written names
    explained: np.ndarray  # every word it uses is another named skill's (explained_away)


@dataclass
class _UnitFeatures:
    """Feature values of one unit for its candidate skills."""

    candidates: np.ndarray  # skill indices
    features: np.ndarray  # (len(candidates), len(FEATURES))
    spans: list[str | None]  # evidence per candidate
    coverage: np.ndarray  # share of the best-covered name of each candidate in the unit's words
    text: str = ""  # the unit's (English) words


class SkillLinker:
    """Finds the taxonomy skills a text mentions.

    Build once per taxonomy (vectors are cached in ``cache_dir`` when given), then call ``link`` or
    ``link_many``. ``add_records`` extends the taxonomy with the project's own skills and aliases.
    """

    def __init__(
        self,
        records: Iterable[SkillRecord],
        encoder: Encoder,
        cache_dir: str | os.PathLike[str] | None = None,
        weights: LinkerWeights = DEFAULT_WEIGHTS,
        candidates_per_unit: int = 150,
        max_phrase_words: int = 3,
        phrase_pool: int = 500,
        span_decay: float = 1.0,
        spell_out: bool = True,
        closeness_encoder: Encoder | None = None,
    ) -> None:
        self.encoder = encoder
        # Skill-to-skill closeness (vector_for) from another model's label vectors, if given: the
        # app keeps the plain MiniLM's there, the similarities its gap threshold was set on.
        self.closeness_encoder = closeness_encoder
        self.weights = weights
        self.candidates_per_unit = candidates_per_unit
        self.max_phrase_words = max_phrase_words
        self.phrase_pool = phrase_pool
        self.span_decay = span_decay
        self.spell_out = spell_out
        self.store = VectorStore(encoder, cache_dir)
        self._records: list[SkillRecord] = []
        self._build(list(records))

    # --- taxonomy ---------------------------------------------------------------------------

    def _build(self, records: list[SkillRecord]) -> None:
        if not records:
            raise ValueError("a SkillLinker needs at least one skill record")
        by_uri = records_by_uri(records)
        self._records = records
        self._by_uri = by_uri
        self._index_of = {record.uri: index for index, record in enumerate(records)}
        self.version = taxonomy_version(records)
        self._surfaces, self.bm25 = self._structures(records)
        self._lower_names_cache: dict[int, list[str]] = {}
        self._names: NameEvidence | None = None
        self._translator: Translator | None = None
        self._language_skills: np.ndarray | None = None
        self.label_vectors = self._cached("label", [surface.label for surface in self._surfaces])
        self._closeness_vectors: np.ndarray | None = None

    def _structures(self, records: list[SkillRecord]) -> tuple[list[SkillSurface], Bm25Index]:
        """Parsed surfaces and the BM25 index: loaded from the cache, or built and cached.

        Building them takes seconds for ESCO (label segmentation, tokenising every text); the key
        includes the record order because both are indexed by position.
        """
        order = hashlib.sha256("\n".join(r.uri for r in records).encode("utf-8")).hexdigest()
        key = CacheKey("-", f"{self.version}:{order[:16]}", STRUCTURE_VERSION, "structures")
        arrays = self.store.arrays(
            key,
            lambda: structure_arrays(records),
            validate=lambda loaded: structure_arrays_fit(loaded, len(records)),
        )
        return structures_from_arrays(records, arrays)

    def _cached(self, name: str, texts: list[str], encoder: Encoder | None = None) -> np.ndarray:
        """Vectors of ``texts`` by the linker's encoder (or ``encoder``), from the cache."""
        encoder = encoder or self.encoder
        key = CacheKey(encoder.model_id, self.version, REPRESENTATION_VERSION, name)
        return self.store.vectors(key, texts, encode=encoder.encode)

    @property
    def records(self) -> dict[str, SkillRecord]:
        """The taxonomy records by URI."""
        return dict(self._by_uri)

    def record(self, uri: str) -> SkillRecord:
        """The record of one skill; KeyError names the unknown URI."""
        try:
            return self._by_uri[uri]
        except KeyError:
            raise KeyError(f"unknown skill uri {uri!r}") from None

    def __len__(self) -> int:
        return len(self._records)

    def add_records(self, records: Iterable[SkillRecord]) -> None:
        """Add skills (or replace those with the same URI), e.g. local skills and aliases."""
        merged = dict(self._by_uri)
        for record in records:
            merged[record.uri] = record
        self._build(list(merged.values()))

    def vector_for(self, uris: Sequence[str]) -> np.ndarray:
        """One L2-normalised vector per skill URI (its label vector), for skill-to-skill similarity:
        the closeness encoder's when the linker has one (computed on first use, then cached)."""
        missing = [uri for uri in uris if uri not in self._index_of]
        if missing:
            raise KeyError(f"unknown skill uri(s): {', '.join(missing[:5])}")
        indices = [self._index_of[uri] for uri in uris]
        return self._closeness_label_vectors()[indices].copy()

    def _closeness_label_vectors(self) -> np.ndarray:
        if self.closeness_encoder is None:
            return self.label_vectors
        if self._closeness_vectors is None:
            labels = [surface.label for surface in self._surfaces]
            self._closeness_vectors = self._cached("label", labels, self.closeness_encoder)
        return self._closeness_vectors

    # --- linking ----------------------------------------------------------------------------

    def link(
        self, text: str, top_k: int = 10, budget: LinkBudget | None = None
    ) -> list[LinkedSkill]:
        """The ``top_k`` best skills for ``text``, best first: skills whose distinctive
        alternative name (an alias, an ESCO alternative label) the text says word for word, then
        the rest, each by score."""
        return self.link_many([text], top_k=top_k, budget=budget)[0]

    def link_many(
        self, texts: Sequence[str], top_k: int = 10, budget: LinkBudget | None = None
    ) -> list[list[LinkedSkill]]:
        """``link`` for many texts, encoding all their units in shared batches. With a ``budget``,
        a text with too many units is refused before any work (TextTooLong) and the work stops
        between batches once the budget's seconds are spent (LinkBudgetExceeded)."""
        return self._link_many(texts, top_k, budget, None)

    def presence_rows(self, texts: Sequence[str], top_k: int = 10) -> list[PresenceRows]:
        """Per text, its ``top_k`` skills with their presence features and flags: what
        bench/skill_linking.py fits the presence decision on."""
        rows: list[list[np.ndarray]] = []
        found = self._link_many(texts, top_k, None, rows)
        out = []
        for skills, text_rows in zip(found, rows, strict=True):
            table = np.array(text_rows).reshape(len(skills), len(PRESENCE_FEATURES) + 2)
            flags = np.nan_to_num(table[:, -2:]) > 0
            out.append(PresenceRows(skills, table[:, :-2], flags[:, 0], flags[:, 1]))
        return out

    def _link_many(
        self,
        texts: Sequence[str],
        top_k: int,
        budget: LinkBudget | None,
        rows: list[list[np.ndarray]] | None,
    ) -> list[list[LinkedSkill]]:
        if isinstance(texts, str):
            raise TypeError("link_many() takes a sequence of texts, not a single string")
        if top_k < 1:
            raise ValueError("top_k must be at least 1")
        deadline = budget.deadline() if budget else 0.0
        units_per_text = [self.units_of(text) for text in texts]
        if budget:
            for units in units_per_text:
                budget.check_units(len(units))
        flat_units = [unit for units in units_per_text for unit in units]
        translations = [self._translation(unit.text) for unit in flat_units]
        english = [
            unit.text if translation is None else translation.english
            for unit, translation in zip(flat_units, translations, strict=True)
        ]
        # Without a budget, every unit goes to the encoder in one call (its own batching is best
        # for throughput, as in `flask skills extract`); with one, in steps it can stop between.
        step = UNIT_BATCH if budget else max(len(english), 1)
        unit_features: list[_UnitFeatures] = []
        for start in range(0, len(english), step):
            unit_features += self.unit_features(english[start : start + step])
            if budget:
                budget.check_time(deadline)
        for position, translation in enumerate(translations):
            if translation is not None:
                unit_features[position] = self._localised(unit_features[position], translation)
        results: list[list[LinkedSkill]] = []
        cursor = 0
        for text, units in zip(texts, units_per_text, strict=True):
            features = unit_features[cursor : cursor + len(units)]
            cursor += len(units)
            text_rows: list[np.ndarray] | None = None if rows is None else []
            results.append(self._rank_text(text, units, features, top_k, text_rows))
            if rows is not None and text_rows is not None:
                rows.append(text_rows)
        return results

    def units_of(self, text: str) -> list[TextUnit]:
        """The units of ``text`` that can carry skills (the whole text if it has no other unit)."""
        if not isinstance(text, str):
            raise TypeError(f"expected a string, got {type(text).__name__}")
        if has_devanagari(text):
            # The English splitter only sees Latin words: Devanagari lines would be dropped.
            return [TextUnit(text[s:e], s, e) for s, e in split_units_any_script(text)]
        units = [unit for unit in split_units(text) if not is_boilerplate(unit)]
        if not units and text.strip() and not split_units(text):
            stripped = text.strip()
            start = text.index(stripped)
            units = [TextUnit(stripped, start, start + len(stripped))]
        return units

    # --- other languages ----------------------------------------------------------------------

    def _translation(self, unit_text: str) -> Translation | None:
        """English words for a Marathi, Hindi or Hinglish unit; for English, the unit with its trade
        shorthand spelled out (matching/shorthand.py), or None if it has none."""
        if not needs_translation(unit_text):
            return spelled_out(unit_text) if self.spell_out else None
        if self._translator is None:
            # Loanwords are read back into the taxonomy's own words; built on first use only.
            words = [
                word
                for surface in self._surfaces
                for name in (surface.label, *surface.alt_labels)
                for word in name.split()
            ]
            acronyms = [word for word in words if word.isupper() and 2 <= len(word) <= 6]
            self._translator = Translator(words, acronyms)
        translation = self._translator.translate(unit_text)
        return spelled_out_translation(translation) if self.spell_out else translation

    def language_skill_mask(self) -> np.ndarray:
        """True for ESCO's language skills ("understand written Hindi", "speak Marathi", "Hindi")."""
        if self._language_skills is None:
            self._language_skills = language_skill_names([r.label for r in self._records])
        return self._language_skills

    def _localised(self, unit: _UnitFeatures, translation: Translation) -> _UnitFeatures:
        """Features of a translated unit: evidence mapped back to the worker's own words, and
        language skills dropped unless the text is about languages (the English encoder links
        any non-English text to them)."""
        keep = np.ones(len(unit.candidates), dtype=bool)
        if translation.language != "en" and not is_about_languages(translation.english):
            keep = ~self.language_skill_mask()[unit.candidates]
        spans = [
            None if span is None else translation.source_of(span)
            for span, kept in zip(unit.spans, keep, strict=True)
            if kept
        ]
        return _UnitFeatures(
            unit.candidates[keep], unit.features[keep], spans, unit.coverage[keep], unit.text
        )

    def score_features(self, features: np.ndarray) -> np.ndarray:
        """Calibrated scores in [0, 1] from a (n, len(FEATURES)) feature matrix."""
        return logistic(self.fusion_logits(features))

    def fusion_logits(self, features: np.ndarray) -> np.ndarray:
        """The fusion model's logits (before the logistic) from a (n, len(FEATURES)) matrix."""
        return features @ self.weights.vector() + self.weights.bias

    def _rank_text(
        self,
        text: str,
        units: list[TextUnit],
        features: list[_UnitFeatures],
        top_k: int,
        rows: list[np.ndarray] | None = None,
    ) -> list[LinkedSkill]:
        """The text's ``top_k`` skills; each keeps the evidence of the unit that scores it best.
        With ``rows``, the presence features of each returned skill are appended to it."""
        best: dict[int, tuple[float, int, int]] = {}  # skill -> (score, unit, position in unit)
        covered: dict[int, float] = {}
        logits = [self.fusion_logits(unit.features) for unit in features]
        for number, (unit, unit_logits) in enumerate(zip(features, logits, strict=True)):
            scores = logistic(unit_logits)
            for position, (candidate, coverage) in enumerate(
                zip(unit.candidates.tolist(), unit.coverage.tolist(), strict=True)
            ):
                score = float(scores[position])
                if score > best.get(candidate, (-1.0, 0, 0))[0]:
                    best[candidate] = (score, number, position)
                covered[candidate] = max(covered.get(candidate, 0.0), coverage)
        best_score = {index: value[0] for index, value in best.items()}
        best_span = {index: features[u].spans[p] for index, (_, u, p) in best.items()}
        ranked = sorted(best_score, key=lambda index: (-best_score[index], index))
        if self.span_decay < 1.0:
            ranked = self._diversify(ranked, best_score, best_span)
        sources = [unit.text for unit in units]
        named_in = [
            self.names.skills_named(source, unit.text)
            for unit, source in zip(features, sources, strict=True)
        ]
        lifted = {index for index, (_, number, _) in best.items() if named_in[number].get(index)}
        if self.weights.name_override and lifted:
            # A skill its own line names by a distinctive alternative name (how the trade says
            # it: "CNC turning" -> tend CNC lathe) is present whatever its score: it is shown,
            # ahead of the skills only the model suggests. A preferred label the model ranks
            # low was, on the validation splits, said about something else.
            ranked = [i for i in ranked if i in lifted] + [i for i in ranked if i not in lifted]
        if len(ranked) < top_k:
            # Too few candidates (tiny taxonomy or empty text): fill with the rest at score 0.
            seen = set(ranked)
            ranked += [index for index in range(len(self._records)) if index not in seen]
        shown = ranked[:top_k]
        present = self._presence(shown, best, covered, features, named_in, logits, rows)
        years = {number: years_of_experience(unit.text) for number, unit in enumerate(units)}
        linked = []
        for index, is_present in zip(shown, present, strict=True):
            score = min(max(best_score.get(index, 0.0), 0.0), 1.0)
            span = best_span.get(index)
            if span is not None and span not in text:
                span = None
            unit_number = best[index][1] if index in best else None
            linked.append(
                LinkedSkill(
                    uri=self._records[index].uri,
                    label=self._records[index].label,
                    score=score,
                    present=is_present,
                    span=span,
                    proficiency=None
                    if unit_number is None
                    else proficiency_for_years(years.get(unit_number)),
                )
            )
        return linked

    def _presence(
        self,
        shown: list[int],
        best: dict[int, tuple[float, int, int]],
        covered: dict[int, float],
        features: list[_UnitFeatures],
        named_in: list[dict[int, bool]],
        logits: list[np.ndarray],
        rows: list[np.ndarray] | None,
    ) -> list[bool]:
        """``present`` for each shown skill: its unit, as written or in English, says one of its
        written names word for word (label, alternative label, alias; with ``name_override``),
        or the presence model's probability reaches the threshold and the words cover enough of
        one of its names, unless (with ``name_override``) every word it uses is a name of another
        skill the unit names ("lathe machine" in "I operate a CNC lathe machine" is the lathe
        skill's, not evidence of "lathe machine parts").
        Without a presence model, the fusion score itself is held against the threshold.
        ``rows`` gets each skill's presence features and, last, the written-name flag and the
        explained-away flag."""
        weights = self.weights
        orders: dict[int, UnitOrder] = {}
        out = []
        for index in shown:
            if index not in best:
                out.append(False)
                if rows is not None:
                    rows.append(np.full(len(PRESENCE_FEATURES) + 2, np.nan))
                continue
            score, number, position = best[index]
            coverage = covered.get(index, 0.0)
            unit = features[number]
            is_named = index in named_in[number]
            # Asked only where it can matter: the override is on, or the fit wants its flag.
            explained = (
                not is_named
                and (weights.name_override or rows is not None)
                and self.names.explained_away(unit.text, index, named_in[number])
            )
            if weights.name_override and is_named:
                out.append(True)
                if rows is None:
                    continue
            if weights.name_override and explained and rows is None:
                out.append(False)
                continue
            if weights.presence is None and rows is None:
                out.append(score >= weights.threshold and coverage >= weights.min_coverage)
                continue
            if number not in orders:
                orders[number] = UnitOrder.of(logits[number])
            row = presence_row(
                float(logits[number][position]),
                orders[number],
                position,
                coverage,
                self.names.exact(unit.text, [index])[0],
                float(unit.features[position, FEATURES.index("fuzzy")]),
            )
            if rows is not None:
                rows.append(np.append(row, [float(is_named), float(explained)]))
                if weights.name_override and is_named:
                    continue
            probability = (
                score if weights.presence is None else float(weights.presence.probability(row))
            )
            out.append(
                probability >= weights.threshold
                and coverage >= weights.min_coverage
                and not (weights.name_override and explained)
            )
        return out

    def _diversify(
        self, ranked: list[int], score: dict[int, float], span: dict[int, str | None]
    ) -> list[int]:
        """Re-rank so that one phrase does not fill the list with near-synonyms.

        Each further skill evidenced by an already used phrase has its rank score multiplied by
        ``span_decay`` (the reported score is unchanged), letting skills of other phrases move up.
        """
        uses: dict[str | None, int] = {}
        keyed = []
        for index in ranked:
            evidence = span.get(index)
            count = uses.get(evidence, 0)
            uses[evidence] = count + 1
            keyed.append((-score[index] * self.span_decay**count, index))
        return [index for _, index in sorted(keyed)]

    def unit_features(self, unit_texts: Sequence[str]) -> list[_UnitFeatures]:
        """Feature rows of the candidate skills of each unit (shared by linking and fitting)."""
        if not unit_texts:
            return []
        phrase_spans = [
            candidate_phrases(text, self.max_phrase_words)[:MAX_PHRASES_PER_UNIT]
            for text in unit_texts
        ]
        unit_vectors, phrase_vectors = self._encode_units(unit_texts, phrase_spans)
        dense_label = unit_vectors @ self.label_vectors.T
        bm25 = self.bm25.scores(list(unit_texts))
        out = []
        for row, text in enumerate(unit_texts):
            spans = phrase_spans[row]
            phrases = [text[start:end] for start, end in spans]
            bm25_row = _squash_bm25(bm25[row])
            phrase_label = dense_label[row].copy()
            best_phrase = np.zeros(len(self._records), dtype=np.int64)
            if phrases:
                # Phrases are compared with a pool of skills close to the unit or sharing its
                # words: phrase vectors come from the unit's own tokens, so a skill far from the
                # whole unit is rarely close to one of its phrases, and this saves most of the work.
                pool = _top_indices(dense_label[row] + 0.5 * bm25_row, self.phrase_pool)
                phrase_sim = phrase_vectors[row] @ self.label_vectors[pool].T  # (phrases, pool)
                best_phrase[pool] = phrase_sim.argmax(0)
                phrase_label[pool] = np.maximum(phrase_sim.max(0), dense_label[row, pool])
            prelim = dense_label[row] + phrase_label + 0.5 * bm25_row
            candidates = _top_indices(prelim, self.candidates_per_unit)
            fuzzy, fuzzy_phrase = self._fuzzy(phrases, candidates)
            features = np.stack(
                [
                    dense_label[row, candidates],
                    phrase_label[candidates],
                    bm25_row[candidates],
                    fuzzy,
                ],
                axis=1,
            ).astype(np.float32)
            evidence: list[str | None] = []
            for position, candidate in enumerate(candidates):
                if fuzzy[position] >= 0.9 and fuzzy_phrase[position] >= 0:
                    evidence.append(phrases[fuzzy_phrase[position]])
                elif phrases:
                    evidence.append(phrases[int(best_phrase[candidate])])
                else:
                    evidence.append(text)
            coverage = self.name_coverage(text, candidates)
            out.append(_UnitFeatures(candidates, features, evidence, coverage, text))
        return out

    def _encode_units(
        self, unit_texts: Sequence[str], phrase_spans: list[list[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Vectors of the units and of their phrases, each distinct phrase embedded on its own.

        A phrase is embedded as the labels are, a short text by itself: pooled from its tokens
        inside a long sentence instead (one forward pass, about twice as fast) it carries the
        sentence's context, and on HOUSE, held out, the right skills ranked in the top five 7
        points less often (docs/performance.md, "Phrases embedded on their own")."""
        # One encode for every distinct text: a short line is often one of its own phrases
        # ("TIG welding"), and a line said twice is embedded once.
        phrases = (
            text[s:e]
            for text, spans in zip(unit_texts, phrase_spans, strict=True)
            for s, e in spans
        )
        distinct = list(dict.fromkeys([*unit_texts, *phrases]))
        position = {text: row for row, text in enumerate(distinct)}
        vectors = self.encoder.encode(distinct)
        unit_vectors = normalise_rows(vectors[[position[text] for text in unit_texts]])
        per_unit = [
            vectors[[position[text[s:e]] for s, e in spans]]
            if spans
            else np.zeros((0, vectors.shape[1]), np.float32)
            for text, spans in zip(unit_texts, phrase_spans, strict=True)
        ]
        return unit_vectors, per_unit

    @property
    def names(self) -> NameEvidence:
        """The skills' names as rarity-weighted words (built on first use: seconds for ESCO)."""
        if self._names is None:
            explicit = [
                1 + (len(surface.alt_labels) if record.alt_labels else 0)
                for record, surface in zip(self._records, self._surfaces, strict=True)
            ]
            self._names = NameEvidence(self._surfaces, explicit)
        return self._names

    def name_coverage(self, text: str, candidates: np.ndarray) -> np.ndarray:
        """For each candidate skill, the largest rarity-weighted share of one of its names whose
        words the text uses (a word also counts for its longer or shorter form: welder, weld)."""
        return self.names.coverage(text, candidates)

    def _fuzzy(self, phrases: list[str], candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Best fuzzy ratio (0..1) between any phrase and any name of each candidate skill."""
        return best_fuzzy(phrases, candidates, self._lower_names)

    def _lower_names(self, index: int) -> list[str]:
        """Lower-cased label and alternative labels of a skill (memoised: asked per candidate)."""
        names = self._lower_names_cache.get(index)
        if names is None:
            surface = self._surfaces[index]
            names = [name.lower() for name in (surface.label, *surface.alt_labels)]
            self._lower_names_cache[index] = names
        return names


def _top_indices(scores: np.ndarray, count: int) -> np.ndarray:
    """Indices of the ``count`` highest scores (unordered); all indices if there are fewer."""
    if count >= len(scores):
        return np.arange(len(scores))
    return np.argpartition(-scores, count - 1)[:count]


def _squash_bm25(scores: np.ndarray) -> np.ndarray:
    """Map raw BM25 to [0, 1) so one weight fits short and long queries alike."""
    return (1.0 - np.exp(-scores / 8.0)).astype(np.float32)
