"""A Block Kit limit checker for the block tests, the draft builders they share, and tests of the checker.

``message_problems`` / ``view_problems`` walk a whole structure and list every Slack limit it breaks
(stricter than Slack where Slack is vague: lengths in UTF-16 units, non-empty texts, unique ids).
``unsafe_mrkdwn`` lists ``<...>`` sequences and bare ``&`` that user text could have smuggled in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.models import Decision, DecisionKind, Draft, DraftVersion, GroupProgress, Network, Status, text_hash
from bot.phi.categories import Category
from bot.phi.redact import redact
from bot.phi.result import Finding, ScanResult, Verdict

# -- the checker ----------------------------------------------------------------------------------
BLOCK_TYPES = {"section", "header", "context", "divider", "actions", "input"}
_ALLOWED_SEQUENCE = re.compile(r"<(?:https?://[^\s|<>]+(?:\|[^<>]*)?|!date\^\d+\^[^|<>]*\|[^<>]*)>")
_ENTITY = re.compile(r"&(?:amp|lt|gt);")
_QUOTE_MARKER = re.compile(r"^>", re.MULTILINE)


def size(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def message_problems(blocks: Any, *, limit: int = 50) -> list[str]:
    """Every Block Kit limit the message ``blocks`` break (empty when Slack would take them)."""
    if not isinstance(blocks, list):
        return ["blocks: not a list"]
    return _blocks(blocks, limit, "blocks")


def view_problems(view: Any) -> list[str]:
    """Every limit a modal or Home view breaks."""
    if not isinstance(view, dict):
        return ["view: not an object"]
    problems: list[str] = []
    kind = view.get("type")
    if kind not in ("modal", "home"):
        problems.append(f"view.type {kind!r}")
    blocks = view.get("blocks")
    problems += _blocks(blocks if isinstance(blocks, list) else [], 100, "view.blocks")
    if kind == "modal":
        problems += _text(view.get("title"), 24, "view.title", plain_only=True)
        for key in ("submit", "close"):
            if key in view:
                problems += _text(view[key], 24, f"view.{key}", plain_only=True)
        if any(block.get("type") == "input" for block in blocks or []) and "submit" not in view:
            problems.append("view: input blocks need a submit button")
    problems += _length(view.get("callback_id") or "", 255, "view.callback_id")
    problems += _length(view.get("private_metadata") or "", 3000, "view.private_metadata")
    return problems


def unsafe_mrkdwn(text: str) -> list[str]:
    """``<...>`` sequences other than our links and dates, ``>`` not a quote marker, bare ``&``."""
    rest = _QUOTE_MARKER.sub("", _ALLOWED_SEQUENCE.sub("", text))
    problems = [f"raw {char!r} in mrkdwn: {text[:120]!r}" for char in "<>" if char in rest]
    if "&" in _ENTITY.sub("", rest):
        problems.append(f"unescaped '&' in mrkdwn: {text[:120]!r}")
    return problems


def walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every dict inside ``value``, depth first."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def mrkdwn_texts(value: Any) -> list[str]:
    """The text of every mrkdwn object inside ``value``."""
    return [obj["text"] for obj in walk(value) if obj.get("type") == "mrkdwn"]


def texts(value: Any) -> list[str]:
    """Every text and value a user could read inside ``value`` (plain, mrkdwn, initial values)."""
    found = [obj["text"] for obj in walk(value) if obj.get("type") in ("mrkdwn", "plain_text")]
    found += [obj["initial_value"] for obj in walk(value) if "initial_value" in obj]
    return found


def joined(value: Any) -> str:
    return "\n".join(texts(value))


def buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The buttons in ``blocks`` by action id."""
    return {obj["action_id"]: obj for obj in walk(blocks) if obj.get("type") == "button"}


def _blocks(blocks: list[Any], limit: int, where: str) -> list[str]:
    problems = [] if len(blocks) <= limit else [f"{where}: {len(blocks)} blocks > {limit}"]
    seen: set[str] = set()
    for index, block in enumerate(blocks):
        at = f"{where}[{index}]"
        if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
            problems.append(f"{at}: unknown block {block!r:.80}")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            problems += _length(block_id, 255, f"{at}.block_id")
            if block_id in seen:
                problems.append(f"{at}: duplicate block_id {block_id!r}")
            seen.add(block_id)
        problems += _block(block, at)
    return problems


def _block(block: dict[str, Any], at: str) -> list[str]:
    kind = block["type"]
    problems: list[str] = []
    if kind == "section":
        field_list = block.get("fields") or []
        if "text" not in block and not field_list:
            problems.append(f"{at}: section without text or fields")
        if "text" in block:
            problems += _text(block["text"], 3000, f"{at}.text")
        if len(field_list) > 10:
            problems.append(f"{at}: {len(field_list)} fields > 10")
        for n, item in enumerate(field_list):
            problems += _text(item, 2000, f"{at}.fields[{n}]")
        if "accessory" in block:
            problems += _element(block["accessory"], f"{at}.accessory")
    elif kind == "header":
        problems += _text(block.get("text"), 150, f"{at}.text", plain_only=True)
    elif kind == "context":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= 10:
            problems.append(f"{at}: {len(elements)} context elements (1-10)")
        for n, item in enumerate(elements):
            problems += _text(item, 3000, f"{at}.elements[{n}]")
    elif kind == "actions":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= 25:
            problems.append(f"{at}: {len(elements)} action elements (1-25)")
        action_ids = [element.get("action_id") for element in elements]
        if len(set(action_ids)) != len(action_ids):
            problems.append(f"{at}: duplicate action_id")
        for n, element in enumerate(elements):
            problems += _element(element, f"{at}.elements[{n}]")
    elif kind == "input":
        problems += _text(block.get("label"), 2000, f"{at}.label", plain_only=True)
        if "hint" in block:
            problems += _text(block["hint"], 2000, f"{at}.hint", plain_only=True)
        problems += _element(block.get("element"), f"{at}.element")
    return problems


def _element(element: Any, at: str) -> list[str]:
    if not isinstance(element, dict):
        return [f"{at}: not an element"]
    kind = element.get("type")
    problems = _length(element.get("action_id") or "", 255, f"{at}.action_id")
    if not element.get("action_id"):
        problems.append(f"{at}: no action_id")
    if "placeholder" in element:
        problems += _text(element["placeholder"], 150, f"{at}.placeholder", plain_only=True)
    if kind == "button":
        problems += _text(element.get("text"), 75, f"{at}.text", plain_only=True)
        problems += _length(element.get("value") or "", 2000, f"{at}.value")
        if element.get("style") not in (None, "primary", "danger"):
            problems.append(f"{at}: style {element.get('style')!r}")
        confirm = element.get("confirm")
        if confirm is not None:
            problems += _text(confirm.get("title"), 100, f"{at}.confirm.title", plain_only=True)
            problems += _text(confirm.get("text"), 300, f"{at}.confirm.text")
            problems += _text(confirm.get("confirm"), 30, f"{at}.confirm.confirm", plain_only=True)
            problems += _text(confirm.get("deny"), 30, f"{at}.confirm.deny", plain_only=True)
    elif kind in ("static_select", "checkboxes"):
        options = element.get("options") or []
        most = 100 if kind == "static_select" else 10
        if not 1 <= len(options) <= most:
            problems.append(f"{at}: {len(options)} options (1-{most})")
        values = [option.get("value") for option in options]
        if len(set(values)) != len(values):
            problems.append(f"{at}: duplicate option values")
        for n, option in enumerate(options):
            problems += _text(
                option.get("text"), 75, f"{at}.options[{n}].text", plain_only=kind == "static_select"
            )
            problems += _length(option.get("value") or "", 150, f"{at}.options[{n}].value")
        initial = element.get("initial_option")
        if initial is not None and initial not in options:
            problems.append(f"{at}: initial_option is not one of the options")
    elif kind == "plain_text_input":
        most = element.get("max_length", 3000)
        least = element.get("min_length", 0)
        if not 1 <= most <= 3000 or not 0 <= least <= 3000 or least > most:
            problems.append(f"{at}: min_length {least} / max_length {most}")
        initial = element.get("initial_value")
        if initial is not None:
            if not initial:
                problems.append(f"{at}: empty initial_value")
            problems += _length(initial, most, f"{at}.initial_value", measure=len)
    elif kind == "url_text_input":
        problems += _length(element.get("initial_value") or "", 3000, f"{at}.initial_value")
    else:
        problems.append(f"{at}: unknown element type {kind!r}")
    return problems


def _text(obj: Any, limit: int, at: str, *, plain_only: bool = False) -> list[str]:
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        return [f"{at}: not a text object"]
    if plain_only and obj["type"] != "plain_text":
        return [f"{at}: must be plain_text"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [f"{at}: empty text"]
    problems = _length(text, limit, at)
    if obj["type"] == "mrkdwn":
        problems += [f"{at}: {problem}" for problem in unsafe_mrkdwn(text)]
        if obj.get("verbatim") is not True:
            problems.append(f"{at}: mrkdwn without verbatim (Slack would auto-link @channel and URLs)")
    return problems


def _length(text: str, limit: int, at: str, measure: Any = size) -> list[str]:
    return [] if measure(text) <= limit else [f"{at}: {measure(text)} characters > {limit}"]


# -- builders -------------------------------------------------------------------------------------
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
AUTHOR_ID, AUTHOR_NAME = "slack:U1", "Sam Rivera"
LEGAL_ID, LEGAL_NAME = "slack:U2", "Dana Whitfield"
COMMS_ID, COMMS_NAME = "slack:U4", "Priya Natarajan"
POST = "https://facebook.com/lakeside/posts/1"
CANARY = "Zqxcanary"
HOSTILE = "Hi <!channel> see <https://evil.example|your results> & <@U999> ```code``` *bold* " + CANARY
BLOCK_TEXT = f"Glad your knee surgery went well, {CANARY}! MRN 12345678"


def find(text: str, word: str, category: Category, score: float = 0.9, explanation: str = "") -> Finding:
    """A finding on the first occurrence of ``word`` in ``text``."""
    start = text.index(word)
    return Finding(category, start, start + len(word), score, explanation)


def scan(text: str, findings: list[Finding] | None = None, suggestion: str | None = None) -> ScanResult:
    """A scan result as the scanner would give it for these findings."""
    findings = findings or []
    verdict = Verdict.CLEAR
    if findings:
        verdict = Verdict.BLOCK if any(f.score >= 0.9 for f in findings) else Verdict.REVIEW
    score = 0.0 if not findings else (0.97 if verdict is Verdict.BLOCK else 0.45)
    return ScanResult(verdict, score, tuple(findings), redact(text, findings), suggestion)


def block_scan(text: str = BLOCK_TEXT) -> ScanResult:
    return scan(
        text,
        [
            find(text, "your knee surgery went well", Category.CLINICAL_DETAIL, 0.6),
            find(text, CANARY, Category.NAME, 0.8),
            find(text, "12345678", Category.MEDICAL_RECORD_NUMBER, 0.95),
        ],
        suggestion="Thank you for your kind words! Please message us privately so we can help.",
    )


def version(
    draft_id: str,
    number: int,
    text: str | None,
    result: ScanResult,
    *,
    created_by: str = AUTHOR_ID,
    reason: str = "submitted",
) -> DraftVersion:
    return DraftVersion(
        draft_id=draft_id,
        version=number,
        text=text,
        text_sha256=text_hash(text or ""),
        verdict=str(result.verdict),
        score=result.score,
        categories=sorted({str(f.category) for f in result.findings}),
        scan={"findings": [f.to_dict() for f in result.findings], "suggestion": result.suggestion},
        created_by=created_by,
        created_at=NOW,
        reason=reason,
    )


def make_draft(
    text: str | None = "Thanks for the kind words about our nurses!",
    *,
    result: ScanResult | None = None,
    status: Status = Status.PENDING,
    draft_id: str = "D-ab12cd34",
    author_name: str = AUTHOR_NAME,
    network: Network = Network.FACEBOOK,
    in_reply_to: str = POST,
    context: str = "",
    decisions: list[Decision] | None = None,
    number: int = 1,
    **fields: Any,
) -> Draft:
    """A draft with one current version ``number`` holding ``text`` and its scan."""
    result = result or scan(text or "")
    draft = Draft(
        id=draft_id,
        author=AUTHOR_ID,
        author_name=author_name,
        network=network,
        in_reply_to=in_reply_to,
        context=context,
        status=status,
        version=number,
        revision=1,
        created_at=NOW,
        updated_at=NOW,
        expires_at=NOW + timedelta(hours=24),
        verdict=str(result.verdict),
        versions=[version(draft_id, number, text, result)],
        decisions=decisions or [],
        **fields,
    )
    return draft


def decision(
    kind: DecisionKind = DecisionKind.APPROVE,
    *,
    actor: str = LEGAL_ID,
    name: str = LEGAL_NAME,
    group: str = "legal",
    number: int = 1,
    minutes: int = 5,
    reason: str = "",
    comment: str = "",
    draft_id: str = "D-ab12cd34",
) -> Decision:
    return Decision(
        draft_id,
        number,
        actor,
        name,
        group,
        kind,
        NOW + timedelta(minutes=minutes),
        reason=reason,
        comment=comment,
    )


def progress(legal: int = 0, comms: int = 0) -> list[GroupProgress]:
    return [
        GroupProgress("legal", 1, ((LEGAL_ID, LEGAL_NAME),) * legal),
        GroupProgress("comms", 1, ((COMMS_ID, COMMS_NAME),) * comms),
    ]


# -- the checker catches what it should -------------------------------------------------------------
def test_checker_accepts_a_plain_message() -> None:
    blocks = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "*Hi* <https://a.example|a> &amp;", "verbatim": True},
        },
        {"type": "divider"},
    ]
    assert message_problems(blocks) == []


def test_checker_reports_each_broken_limit() -> None:
    long = "x" * 3001
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": long, "verbatim": True}},
        {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "c", "verbatim": True}] * 11},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "b" * 76},
                    "action_id": "a",
                    "value": "v" * 2001,
                }
            ],
        },
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "f", "verbatim": True}] * 11},
        {"type": "section", "text": {"type": "mrkdwn", "text": "<!channel> & co"}},
    ] + [{"type": "divider"}] * 45
    problems = "\n".join(message_problems(blocks))
    for expected in (
        "51 blocks > 50",
        "blocks[0].text: 3001 characters > 3000",
        "blocks[1].text: 151 characters > 150",
        "11 context elements",
        "elements[0].text: 76 characters > 75",
        "elements[0].value: 2001 characters > 2000",
        "11 fields > 10",
        "raw '<' in mrkdwn",
        "unescaped '&'",
        "without verbatim",
    ):
        assert expected in problems


def test_checker_reports_view_limits() -> None:
    view = {
        "type": "modal",
        "callback_id": "c",
        "title": {"type": "plain_text", "text": "t" * 25},
        "blocks": [
            {
                "type": "input",
                "block_id": "b",
                "label": {"type": "plain_text", "text": "l"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "a",
                    "max_length": 10,
                    "initial_value": "x" * 11,
                },
            }
        ]
        * 2,
    }
    problems = "\n".join(view_problems(view))
    assert "view.title: 25 characters > 24" in problems
    assert "initial_value: 11 characters > 10" in problems
    assert "duplicate block_id" in problems
    assert "need a submit button" in problems


def test_checker_counts_emoji_as_two_units() -> None:
    assert size("😀") == 2
    text = {"type": "plain_text", "text": "😀" * 1501}
    assert message_problems([{"type": "section", "text": text}]) == ["blocks[0].text: 3002 characters > 3000"]
