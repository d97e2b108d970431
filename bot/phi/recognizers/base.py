"""A Presidio recognizer driven by compiled regular expressions that report one named group."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult

from bot.phi.recognizers.patterns import CROWD, TALLY

if TYPE_CHECKING:
    from bot.phi.sentences import Evidence

FLAGS = re.IGNORECASE | re.MULTILINE


def make_result(
    recognizer: LocalRecognizer, entity: str, start: int, end: int, score: float, rule_name: str
) -> RecognizerResult:
    """Build a Presidio result that remembers which recognizer and rule produced it."""
    explanation = AnalysisExplanation(
        recognizer=recognizer.name, original_score=score, pattern_name=rule_name, pattern=None
    )
    return RecognizerResult(
        entity_type=entity,
        start=start,
        end=end,
        score=score,
        analysis_explanation=explanation,
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
            "rule": rule_name,
        },
    )


@dataclass(frozen=True)
class Rule:
    """One pattern: the entity it reports, the regex, the group that is the span, and its confidence."""

    entity: str
    pattern: re.Pattern[str]
    score: float
    group: str | int = 0
    name: str = ""

    @classmethod
    def of(cls, entity: str, regex: str, score: float, group: str | int = 0, name: str = "") -> Rule:
        """Compile ``regex`` (case-insensitive) into a rule."""
        return cls(entity, re.compile(regex, FLAGS), score, group, name or entity.lower())


class RegexRecognizer(LocalRecognizer):
    """Runs every rule over the text; each match reports the span of the rule's group."""

    def __init__(self, name: str, rules: list[Rule]) -> None:
        self.rules = rules
        entities = sorted({rule.entity for rule in rules})
        super().__init__(supported_entities=entities, name=name, supported_language="en")

    def load(self) -> None:  # noqa: D102 - nothing to load; rules are compiled at construction
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        """Report each rule's matches as (entity, start, end, score)."""
        wanted = set(entities) if entities else None
        results: list[RecognizerResult] = []
        for rule in self.rules:
            if wanted is not None and rule.entity not in wanted:
                continue
            for match in rule.pattern.finditer(text):
                start, end = match.span(rule.group)
                if start < 0 or start == end or not self.accept(rule, match, text):
                    continue
                results.append(make_result(self, rule.entity, start, end, rule.score, rule.name))
        return results

    def accept(self, rule: Rule, match: re.Match[str], text: str) -> bool:
        """Hook for validation beyond the regex (checksums, exclusions); accepts by default."""
        return True


@dataclass(frozen=True)
class ContextRule:
    """A phrase pattern whose match counts only if its sentence states a real event (see sentences.py).

    ``inherent``: the phrase itself states the event ("you were admitted"), so only generic wording
    ("if you were admitted") discounts it. Otherwise the sentence must also show evidence (past
    tense, a time, sympathy or wishes).
    """

    entity: str
    pattern: re.Pattern[str]
    score: float
    name: str
    inherent: bool = False
    strong: bool = False  # the phrase names the care so plainly that only "if"/"unless" cancels it

    @classmethod
    def of(
        cls, entity: str, regex: str, score: float, name: str, *, inherent: bool = False, strong: bool = False
    ) -> ContextRule:
        """Compile ``regex`` (case-insensitive) into a contextual rule."""
        return cls(entity, re.compile(regex, FLAGS), score, name, inherent or strong, strong)


class ContextRecognizer(LocalRecognizer):
    """Reports phrases that disclose care, judged against their sentence."""

    def __init__(self, name: str, rules: list[ContextRule]) -> None:
        self.rules = rules
        super().__init__(
            supported_entities=sorted({r.entity for r in rules}), name=name, supported_language="en"
        )

    def load(self) -> None:  # noqa: D102
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        """Match every rule and keep the matches that state a real person's care."""
        from bot.phi.sentences import Evidence

        evidence = Evidence.of(text, nlp_artifacts)
        results: list[RecognizerResult] = []
        for rule in self.rules:
            for match in rule.pattern.finditer(text):
                if (
                    _titled_possessive(match, text)
                    or _work_not_care(match, evidence)
                    or not self.accept(rule, match, evidence)
                ):
                    continue
                specific = rule.strong or bool(
                    match.groupdict().get("pname") or match.groupdict().get("name")
                )
                # A named person's care or condition ("Maddie's leukemia") discloses it whatever the tense.
                inherent = rule.inherent or bool(match.groupdict().get("pname"))
                if not evidence.states(match.start(), match.end(), inherent=inherent, specific=specific):
                    continue
                entity = self.entity_for(rule, match, text)
                results.append(make_result(self, entity, match.start(), match.end(), rule.score, rule.name))
        return results

    def accept(self, rule: ContextRule, match: re.Match[str], evidence: Evidence) -> bool:
        """Hook: reject a match on grounds the regex cannot express (``evidence.text`` is the draft)."""
        return True

    @staticmethod
    def in_sentence(pattern: re.Pattern[str], match: re.Match[str], evidence: Evidence) -> bool:
        """``pattern`` occurs in the sentence of ``match``."""
        start, end = evidence.sentence(match.start())
        return bool(pattern.search(evidence.text, start, max(end, match.end())))

    def entity_for(self, rule: ContextRule, match: re.Match[str], text: str) -> str:
        """Hook: the entity to report (a rule may report one of two)."""
        return rule.entity


# After a place's possessive and a care word, the place's lab or unit team: "Ridgeline's cardiac cath lab
# team" (but "Maria's surgery nurses" is still Maria's surgery).
_LAB_TEAM_AFTER = re.compile(r"\s+(?:labs?|unit)\s+(?:teams?|staff|crew|nurses|techs)\b", re.IGNORECASE)


def _work_not_care(match: re.Match[str], evidence: Evidence) -> bool:
    """Work for people in general, not anyone's care.

    A clinician's tally ("her 500th knee replacement"), or a crowd's own ("helped thousands of kidney
    patients through their treatments").
    """
    if TALLY.search(match.group(0)):
        return True
    if match.groupdict().get("pname") and _LAB_TEAM_AFTER.match(evidence.text, match.end()):
        return True  # "Ridgeline's cardiac cath lab team": a place's team
    if match.group(0)[:5].lower() != "their":
        return False
    start, _ = evidence.sentence(match.start())
    return bool(CROWD.search(evidence.text, start, match.start()))


# "Dr. Lee's surgery schedule", "St. Mary's cancer program": a clinician's or a place's, not a patient's.
_TITLE_BEFORE = re.compile(
    r"\b(?:dr|doctor|nurse|prof|professor|st|saint|mt|mount|rev|chaplain|coach)\.?\s+$", re.IGNORECASE
)


def _titled_possessive(match: re.Match[str], text: str) -> bool:
    start = match.start("pname") if "pname" in match.re.groupindex and match.group("pname") else -1
    return start >= 0 and bool(_TITLE_BEFORE.search(text, max(0, start - 12), start))
