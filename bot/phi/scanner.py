"""The PHI scanner: one object per configuration, loaded once, safe to share between threads."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from bot.config import ConfigError, OrganizationSettings, ScannerSettings, Settings
from bot.phi import engine
from bot.phi.allowlist import AllowList
from bot.phi.categories import TIER, Category, Tier
from bot.phi.classifier import SOURCE as CLASSIFIER_SOURCE
from bot.phi.classifier import CareClassifier, Detection
from bot.phi.context import Resolver
from bot.phi.language import unsupported_reason
from bot.phi.ner import needs_ner, ner_on_sentences
from bot.phi.recognizers.care_mention import CareMentionRecognizer
from bot.phi.recognizers.clinical import ClinicalRecognizer
from bot.phi.recognizers.contact import ContactRecognizer
from bot.phi.recognizers.dates import DateIdentifierRecognizer, RelativeDateRecognizer
from bot.phi.recognizers.media import MediaRecognizer
from bot.phi.recognizers.names import NameRecognizer
from bot.phi.recognizers.numbers import LabelledNumberRecognizer
from bot.phi.recognizers.places import PlaceRecognizer
from bot.phi.recognizers.relationship import RelationshipRecognizer
from bot.phi.recognizers.staff import StaffRecognizer
from bot.phi.recognizers.support import SupportRecognizer
from bot.phi.recognizers.third_party import ThirdPartyRecognizer
from bot.phi.redact import redact
from bot.phi.replies import ReplySuggester, read_managed
from bot.phi.result import Finding, ScanResult, Verdict
from bot.phi.sentences import Evidence
from bot.phi.verdict import decide, risk_score

log = logging.getLogger(__name__)

# Beyond this many characters only the beginning is analysed (and the result says so).
HARD_LIMIT = 50_000

# Zero-width and direction marks are invisible to a reader but split "123\u200b-45-6789" for a regex: they
# are removed before analysis, and every offset is mapped back to the original text.
_INVISIBLE = frozenset(
    [
        *(0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF, 0x00AD),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)
_LOOKALIKES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2011": "-", "\u00a0": " "}
)


def _visible(text: str) -> tuple[str, list[int]]:
    """``text`` without invisible characters, and for each kept character its index in ``text``."""
    kept = [index for index, char in enumerate(text) if ord(char) not in _INVISIBLE]
    if len(kept) == len(text):
        return text.translate(_LOOKALIKES), kept
    return "".join(text[i] for i in kept).translate(_LOOKALIKES), kept


_SPACY_ENTITIES = ["PERSON", "DATE_TIME"]


class Scanner:
    """Finds PHI in a reply draft and judges it (see bot/phi/verdict.py for the rule)."""

    def __init__(
        self,
        scanner: ScannerSettings | None = None,
        organization: OrganizationSettings | None = None,
        *,
        use_classifier: bool = True,
        managed_replies: Mapping[str, str] | None = None,
    ) -> None:
        """Load the model, the rules and (unless ``use_classifier`` is false) the learned care classifier.

        ``managed_replies`` (from ``phigate replies``) win over the configured ``[scanner.replies]``.
        """
        from presidio_analyzer.predefined_recognizers import (
            CreditCardRecognizer,
            DateRecognizer,
            SpacyRecognizer,
        )

        self.settings = scanner or ScannerSettings()
        organization = organization or OrganizationSettings()
        started = time.perf_counter()
        engine.ensure_offline()
        engine.quiet_presidio()
        nlp = engine.load_spacy(self.settings.model)
        formats = {
            Category.MEDICAL_RECORD_NUMBER: self.settings.identifiers.medical_record_number,
            Category.HEALTH_PLAN_BENEFICIARY_NUMBER: self.settings.identifiers.health_plan_beneficiary_number,
            Category.ACCOUNT_NUMBER: self.settings.identifiers.account_number,
            Category.DEVICE_IDENTIFIER: self.settings.identifiers.device_identifier,
        }
        care_net = CareMentionRecognizer()
        rules = (
            DateRecognizer(),
            CreditCardRecognizer(),
            LabelledNumberRecognizer(formats),
            ContactRecognizer(),
            PlaceRecognizer(),
            DateIdentifierRecognizer(),
            RelativeDateRecognizer(),
            MediaRecognizer(),
            NameRecognizer(),
            RelationshipRecognizer(),
            ClinicalRecognizer(),
            ThirdPartyRecognizer(),
            StaffRecognizer(),
            SupportRecognizer(),
            care_net,
        )
        nlp_engine = engine.build_nlp_engine(nlp)
        self._nlp = nlp
        # Pass 1 runs every rule on a tokenized, sentence-split doc. Names and dates matter only in a
        # draft that discloses care (context.py drops them otherwise), so pass 2 (NER, the costly part)
        # runs only then, with the recognizers that read its entities.
        self._rules = _analyzer(nlp_engine, rules)
        self._nlp_engine = nlp_engine
        self._entity_recognizer = SpacyRecognizer(supported_entities=_SPACY_ENTITIES)
        self._allow = AllowList.build(self.settings.allow, organization)
        self._replies = ReplySuggester(organization, {**self.settings.replies, **(managed_replies or {})})
        self._classifier = CareClassifier() if use_classifier else None
        self.scan("Warm-up: thank you, Jamie, for visiting our clinic at 100 Main St. on May 5.")
        self.load_seconds = time.perf_counter() - started
        log.info("phi scanner ready", extra={"load_seconds": round(self.load_seconds, 2)})

    def scan(self, text: str) -> ScanResult:
        """Scan one draft. Never raises on odd text; never logs it."""
        limitations: list[Finding] = []
        reason = unsupported_reason(text)
        if reason:
            limitations.append(Finding(Category.SCAN_LIMITATION, 0, len(text), 1.0, reason, "language"))
        if len(text) > self.settings.max_chars:
            limitations.append(
                Finding(
                    Category.SCAN_LIMITATION,
                    0,
                    len(text),
                    1.0,
                    f"The text is {len(text):,} characters, over the {self.settings.max_chars:,} that a reply "
                    "may have; long text needs a person's review.",
                    "length",
                )
            )
        findings = self._analyse(text[:HARD_LIMIT]) + limitations
        verdict = decide(findings)
        suggestion = self._replies.suggest(text, findings) if verdict is not Verdict.CLEAR else None
        return ScanResult(
            verdict=verdict,
            score=risk_score(verdict, findings),
            findings=tuple(findings),
            redacted=redact(text, findings),
            suggestion=suggestion,
            categories=tuple(sorted({f.category for f in findings})),
        )

    def _analyse(self, original: str) -> list[Finding]:
        text, positions = _visible(original)
        if not text.strip():
            return []
        doc = self._nlp.get_pipe("sentencizer")(self._nlp.make_doc(text))
        artifacts = engine.artifacts(self._nlp_engine, doc, entities=False)
        raw = self._rules.analyze(text, language="en", nlp_artifacts=artifacts)
        evidence = Evidence.of(text, artifacts)
        learned = self._learned(text, raw)
        raw += [_as_result(d) for d in learned]
        care = [r.start for r in raw if r.entity_type in CONTEXT_ENTITIES]
        if care:
            found = [(r.start, r.end) for r in raw if r.entity_type not in CONTEXT_ENTITIES]
            doc = ner_on_sentences(self._nlp.get_pipe("ner"), doc, needs_ner(doc, evidence, care, found))
            artifacts = engine.artifacts(self._nlp_engine, doc, entities=True)
            raw += self._entity_recognizer.analyze(text, _SPACY_ENTITIES, artifacts)
        findings = Resolver(text, evidence, self._allow).resolve(raw)
        if learned:
            findings = _explained(findings, learned)
        if len(positions) == len(original):
            return findings
        return [replace(f, start=positions[f.start], end=positions[f.end - 1] + 1) for f in findings]

    def _learned(self, text: str, raw: list[Any]) -> list[Detection]:
        """The classifier's sentences that no contextual rule has already flagged."""
        if self._classifier is None:
            return []
        ruled = [(r.start, r.end) for r in raw if r.entity_type in CONTEXT_ENTITIES]
        return [
            d
            for d in self._classifier.detect(text)
            if not any(start < d.end and d.start < end for start, end in ruled)
        ]


def _as_result(detection: Detection) -> Any:
    from presidio_analyzer import RecognizerResult

    return RecognizerResult(
        str(detection.category),
        detection.start,
        detection.end,
        detection.score,
        recognition_metadata={
            "rule": CLASSIFIER_SOURCE,
            RecognizerResult.RECOGNIZER_NAME_KEY: "CareClassifier",
        },
    )


def _explained(findings: list[Finding], learned: list[Detection]) -> list[Finding]:
    """The classifier's findings with its one-line explanation (the resolver keeps only the source)."""
    by_span = {(d.start, d.end, d.category): d.explanation for d in learned}
    return [
        replace(f, explanation=by_span.get((f.start, f.end, f.category), ""))
        if f.source == CLASSIFIER_SOURCE
        else f
        for f in findings
    ]


CONTEXT_ENTITIES = frozenset(str(c) for c, tier in TIER.items() if tier is Tier.CONTEXT)


def _analyzer(nlp_engine: Any, recognizers: Iterable[Any]) -> Any:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in recognizers:
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=["en"],
        context_aware_enhancer=engine.no_context_enhancer(),
    )


_cache: dict[str, Scanner] = {}
_cache_lock = threading.Lock()


def get_scanner(settings: Settings) -> Scanner:
    """The process-wide scanner for these settings (loaded once; later calls share it)."""
    try:
        managed = read_managed(settings.scanner.managed_replies_path(settings.config_path))
    except ValueError as exc:
        raise ConfigError(f"managed replies: {exc}") from None
    key = settings.scanner.model_dump_json() + settings.organization.model_dump_json() + json.dumps(managed)
    with _cache_lock:
        scanner = _cache.get(key)
        if scanner is None:
            scanner = Scanner(settings.scanner, settings.organization, managed_replies=managed)
            _cache[key] = scanner
        return scanner
