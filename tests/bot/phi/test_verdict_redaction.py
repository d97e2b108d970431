"""The verdict rule, the risk score bands and the redacted preview; scan limits and evasions."""

from __future__ import annotations

import pytest

from bot.config import OrganizationSettings
from bot.phi.categories import TIER, Category, Tier
from bot.phi.redact import redact
from bot.phi.replies import DEFAULT_REPLIES, ReplySuggester
from bot.phi.result import Finding, Verdict
from bot.phi.verdict import decide, risk_score
from tests.bot.phi._support import ORGANIZATION, assert_covers, describe, span_of

C = Category
DIRECT = sorted(c for c, t in TIER.items() if t is Tier.DIRECT)
QUASI = sorted(c for c, t in TIER.items() if t is Tier.QUASI)
CONTEXT = sorted(c for c, t in TIER.items() if t is Tier.CONTEXT)


def f(category: Category, start: int = 0, end: int = 1, score: float = 0.8) -> Finding:
    return Finding(category, start, end, score)


# -- decide ------------------------------------------------------------------------------------------
def test_no_findings_is_clear() -> None:
    assert decide([]) is Verdict.CLEAR


@pytest.mark.parametrize("category", DIRECT)
def test_direct_identifier_alone_blocks(category: Category) -> None:
    assert decide([f(category, score=0.1)]) is Verdict.BLOCK


@pytest.mark.parametrize("category", QUASI)
def test_quasi_identifier_alone_is_review(category: Category) -> None:
    assert decide([f(category)]) is Verdict.REVIEW
    assert decide([f(category), f(category, 5, 9)]) is Verdict.REVIEW


@pytest.mark.parametrize("quasi", QUASI)
@pytest.mark.parametrize("context", CONTEXT)
def test_quasi_identifier_tied_to_care_blocks(quasi: Category, context: Category) -> None:
    assert decide([f(quasi), f(context, 10, 20)]) is Verdict.BLOCK


@pytest.mark.parametrize("context", CONTEXT)
def test_one_kind_of_care_disclosure_is_review(context: Category) -> None:
    assert decide([f(context)]) is Verdict.REVIEW
    assert decide([f(context, 0, 5), f(context, 10, 20)]) is Verdict.REVIEW


def test_two_kinds_of_care_disclosure_block() -> None:
    for first in CONTEXT:
        for second in CONTEXT:
            if first is not second:
                assert decide([f(first), f(second, 10, 20)]) is Verdict.BLOCK, (first, second)


def test_scan_limitation_is_review_and_does_not_mask_a_block() -> None:
    assert decide([f(C.SCAN_LIMITATION, score=1.0)]) is Verdict.REVIEW
    assert decide([f(C.SCAN_LIMITATION), f(C.PATIENT_RELATIONSHIP)]) is Verdict.REVIEW
    assert decide([f(C.SCAN_LIMITATION), f(C.SOCIAL_SECURITY_NUMBER)]) is Verdict.BLOCK
    # A limitation is not a kind of care disclosure: with a quasi-identifier it stays review.
    assert decide([f(C.SCAN_LIMITATION), f(C.NAME)]) is Verdict.REVIEW


# -- risk_score --------------------------------------------------------------------------------------
def test_clear_scores_zero() -> None:
    assert risk_score(Verdict.CLEAR, []) == 0.0


@pytest.mark.parametrize(
    ("verdict", "low", "high"), [(Verdict.REVIEW, 0.30, 0.69), (Verdict.BLOCK, 0.70, 1.0)]
)
def test_score_stays_in_the_verdict_band(verdict: Verdict, low: float, high: float) -> None:
    for scores in ([0.0], [0.01], [0.3], [0.5, 0.5], [0.85], [0.99, 0.99], [1.0], [1.7], [-0.4]):
        value = risk_score(verdict, [f(C.NAME, score=s) for s in scores])
        assert low <= value <= high, (scores, value)
    assert risk_score(verdict, [f(C.NAME, score=0.0)]) == pytest.approx(low)
    assert risk_score(verdict, [f(C.NAME, score=1.0)]) == pytest.approx(high)


def test_score_rises_with_confidence_and_with_more_findings() -> None:
    weak = risk_score(Verdict.REVIEW, [f(C.NAME, score=0.4)])
    strong = risk_score(Verdict.REVIEW, [f(C.NAME, score=0.9)])
    two = risk_score(Verdict.REVIEW, [f(C.NAME, score=0.4), f(C.DATE, 5, 9, score=0.4)])
    assert weak < strong
    assert weak < two
    # 1 - (1 - 0.4)(1 - 0.4) = 0.64 of the review band
    assert two == pytest.approx(0.30 + 0.39 * 0.64, abs=1e-3)


# -- redact ------------------------------------------------------------------------------------------
def test_redact_masks_each_span_with_its_category() -> None:
    text = "Call Jane Doe at 555-123-4567 about her MRI."
    name = span_of(text, "Jane Doe")
    phone = span_of(text, "555-123-4567")
    findings = [f(C.PHONE_NUMBER, *phone), f(C.NAME, *name)]
    assert redact(text, findings) == "Call [NAME] at [PHONE_NUMBER] about her MRI."


def test_redact_without_findings_returns_text() -> None:
    assert redact("Thanks for following us!", []) == "Thanks for following us!"
    assert redact("", []) == ""


def test_redact_overlap_merges_under_the_most_serious_label() -> None:
    text = "We saw your husband John Reyes in bed 4 after his bypass."
    relationship = span_of(text, "your husband John Reyes")
    name = span_of(text, "John Reyes")
    room = span_of(text, "bed 4")
    clinical = span_of(text, "his bypass")
    findings = [
        f(C.PATIENT_RELATIONSHIP, *relationship),
        f(C.NAME, *name),
        f(C.GEOGRAPHIC_LOCATION, *room),
        f(C.CLINICAL_DETAIL, *clinical),
    ]
    assert redact(text, findings) == "We saw [NAME] in [GEOGRAPHIC_LOCATION] after [CLINICAL_DETAIL]."
    # A direct identifier outranks a quasi-identifier that overlaps it.
    text = "SSN 412-67-9053"
    assert redact(text, [f(C.NAME, 0, 7), f(C.SOCIAL_SECURITY_NUMBER, 4, 15)]) == "[SOCIAL_SECURITY_NUMBER]"


def test_redact_leaves_scan_limitations_unmasked() -> None:
    text = "Gracias por su mensaje."
    assert redact(text, [f(C.SCAN_LIMITATION, 0, len(text), 1.0)]) == text


# -- the scanner's limits ----------------------------------------------------------------------------
def test_empty_and_blank_text_is_clear(scanner) -> None:
    for text in ("", "   \n\t "):
        result = scanner.scan(text)
        assert result.verdict is Verdict.CLEAR
        assert result.findings == ()
        assert result.score == 0.0
        assert result.redacted == text
        assert result.suggestion is None


@pytest.mark.parametrize(
    "text",
    [
        "Gracias por su mensaje. Por favor llame a nuestro equipo de atención al paciente para más ayuda.",
        "Lamentamos mucho su experiencia en la sala de emergencias; nos pondremos en contacto con usted.",
    ],
)
def test_spanish_draft_needs_review(scanner, text: str) -> None:
    result = scanner.scan(text)
    assert result.verdict is Verdict.REVIEW, describe(result, text)
    assert C.SCAN_LIMITATION in result.categories
    assert 0.30 <= result.score <= 0.69
    assert result.redacted == text  # a limitation is not a span of PHI


def test_spanish_draft_with_an_ssn_still_blocks(scanner) -> None:
    text = "Gracias por su paciencia. Su número de seguro social SSN 412-67-9053 está en su cuenta."
    result = scanner.scan(text)
    assert C.SCAN_LIMITATION in result.categories
    assert result.verdict is Verdict.BLOCK, describe(result, text)


def test_text_over_max_chars_needs_review(scanner) -> None:
    sentence = "Thanks for following us and have a wonderful weekend with your family! "
    text = sentence * (scanner.settings.max_chars // len(sentence) + 2)
    assert len(text) > scanner.settings.max_chars
    result = scanner.scan(text)
    assert result.verdict is Verdict.REVIEW, describe(result, text)
    limitation = [x for x in result.findings if x.category is C.SCAN_LIMITATION]
    assert limitation and limitation[0].start == 0 and limitation[0].end == len(text)


def test_text_at_max_chars_is_not_limited(scanner) -> None:
    sentence = "Thanks for following us and have a wonderful weekend! "
    text = (sentence * (scanner.settings.max_chars // len(sentence) + 1))[: scanner.settings.max_chars]
    result = scanner.scan(text)
    assert C.SCAN_LIMITATION not in result.categories, describe(result, text)


# -- invisible characters ----------------------------------------------------------------------------
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

SSN_CASES = [
    ("zwsp", "SSN 123\u200b-45-6789", "123\u200b-45-6789"),
    (
        "rtl-ltr-marks",
        "Your SSN is 412\u200f-67-\u200e9053, as listed on your ER registration.",
        "412\u200f-67-\u200e9053",
    ),
    ("rtl-override-around", "Your SSN is \u202e412-67-9053\u202c, per your chart.", "412-67-9053"),
    (
        "bom-word-joiner",
        "Your Social Security number 4\ufeff1\u20602-67-9053 is on your bill.",
        "4\ufeff1\u20602-67-9053",
    ),
]


@pytest.mark.parametrize(("text", "value"), [c[1:] for c in SSN_CASES], ids=[c[0] for c in SSN_CASES])
def test_ssn_found_without_the_invisible_characters(scanner, text: str, value: str) -> None:
    # Control: the same drafts with the invisible characters removed.
    plain = "".join(ch for ch in text if ch not in INVISIBLE)
    plain_value = "".join(ch for ch in value if ch not in INVISIBLE)
    assert_covers(scanner.scan(plain), plain, C.SOCIAL_SECURITY_NUMBER, plain_value)


@pytest.mark.parametrize(("text", "value"), [c[1:] for c in SSN_CASES], ids=[c[0] for c in SSN_CASES])
def test_invisible_characters_do_not_hide_an_ssn(scanner, text: str, value: str) -> None:
    result = scanner.scan(text)
    finding = assert_covers(result, text, C.SOCIAL_SECURITY_NUMBER, value)
    assert text[finding.start : finding.end].strip("\u202e\u202c ") == value
    assert result.verdict is Verdict.BLOCK
    assert "9053" not in result.redacted and "6789" not in result.redacted


NAME_CASES = [
    (
        "rlm-between-names",
        "Maria\u200f Gonzalez, we're so glad your hip replacement went smoothly!",
        "Maria\u200f Gonzalez",
    ),
    (
        "zwsp-in-first-name",
        "Mar\u200bia Gonzalez, we're so glad your hip replacement went smoothly!",
        "Mar\u200bia Gonzalez",
    ),
    (
        "zwnj-in-surname",
        "So glad your hip replacement went smoothly, Maria Gon\u200czalez!",
        "Maria Gon\u200czalez",
    ),
]


@pytest.mark.parametrize(("text", "value"), [c[1:] for c in NAME_CASES], ids=[c[0] for c in NAME_CASES])
def test_invisible_characters_do_not_hide_a_name(scanner, text: str, value: str) -> None:
    result = scanner.scan(text)
    assert_covers(result, text, C.NAME, value)
    assert result.verdict is Verdict.BLOCK, describe(result, text)
    assert "Gon" not in result.redacted


def test_offsets_index_the_original_text_after_invisible_characters(scanner) -> None:
    # Invisible characters before an identifier must not shift its offsets.
    text = "\u200b\u200b\u200fWe tried calling your cell at 555-867-2210 about your MRI results."
    result = scanner.scan(text)
    finding = assert_covers(result, text, C.PHONE_NUMBER, "555-867-2210")
    assert text[finding.start : finding.end] == "555-867-2210"


# -- canned replies ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(DEFAULT_REPLIES))
def test_default_reply_scans_clear(scanner, configured_scanner, kind: str) -> None:
    for organization, which in ((OrganizationSettings(), scanner), (ORGANIZATION, configured_scanner)):
        suggester = ReplySuggester(organization)
        text = suggester.templates[kind].format_map(suggester.values)
        assert "{" not in text
        result = which.scan(text)
        assert result.verdict is Verdict.CLEAR, describe(result, text)


@pytest.mark.parametrize(
    "draft",
    [
        "Your account #88213047 shows a balance of $240 from your ER visit.",
        "Sorry your stay on our cardiac floor was so long, Mr. Delgado.",
        "Your biopsy came back benign, so no more treatment is needed!",
        "Thanks so much, Maria Gonzalez! We loved caring for you after your hip replacement.",
    ],
)
def test_suggestion_for_a_risky_draft_scans_clear(configured_scanner, draft: str) -> None:
    result = configured_scanner.scan(draft)
    assert result.verdict is not Verdict.CLEAR
    assert result.suggestion
    assert configured_scanner.scan(result.suggestion).verdict is Verdict.CLEAR
