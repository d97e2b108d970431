"""``phigate scan``: scan one draft (argument or stdin) or a JSONL stream of drafts."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from bot.config import Settings
from bot.logsafety import install as install_logging
from bot.phi.result import ScanResult, Verdict

if TYPE_CHECKING:  # the scanner (Presidio, spaCy) loads only for the commands that scan
    from bot.phi.scanner import Scanner

HELP = "Scan a reply draft for PHI."
DESCRIPTION = """\
Scan a reply draft for PHI (protected health information) before it is posted.

Single draft:  phigate scan "Glad your knee surgery went well, John!"
               echo "draft text" | phigate scan
  Prints the verdict (clear / review / block), each finding with its explanation, a redacted
  preview and, for review/block, a suggested safe reply. Exit status 0; with --fail-on, 1 when the
  verdict is at or above the given level.

JSONL stream:  phigate scan --jsonl < drafts.jsonl > results.jsonl
  Reads one JSON object per line, {"id": "...", "text": "..."}, and writes one line per input, in
  the same order: {"id", "verdict", "score", "findings": [{"category", "start", "end", "score",
  "explanation"}]}. A malformed line yields {"id": <its id or null>, "error": "..."} and the run
  goes on. Exit status 0 unless standard input cannot be read (2).

Configuration: --config PATH or PHIGATE_CONFIG names a TOML file with allow-lists, hospital
identifier formats and canned replies (see README, "Configuration").
"""


def register(sub: Any) -> None:
    """Add the ``scan`` sub-command."""
    parser = sub.add_parser(
        "scan", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("text", nargs="?", help="the draft text (default: read standard input)")
    parser.add_argument(
        "--jsonl", action="store_true", help="read JSONL drafts on stdin, write JSONL results"
    )
    parser.add_argument(
        "--fail-on",
        choices=["review", "block"],
        help="single-draft mode: exit 1 when the verdict is at or above this level",
    )
    parser.add_argument("--json", action="store_true", help="single-draft mode: print the result as JSON")
    parser.add_argument("--config", metavar="PATH", help="TOML config file (default: $PHIGATE_CONFIG)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``phigate scan``."""
    from bot.phi.scanner import get_scanner

    settings = Settings.load(args.config)
    install_logging("WARNING" if settings.log_level in {"INFO", "DEBUG"} else settings.log_level)
    if args.jsonl:
        if args.text is not None:
            print(
                "phigate scan: --jsonl reads drafts from standard input; drop the text argument",
                file=sys.stderr,
            )
            return 2
        return scan_jsonl(get_scanner(settings), sys.stdin.buffer, sys.stdout)
    text = args.text if args.text is not None else _read_stdin_text()
    if text is None:
        return 2
    result = get_scanner(settings).scan(text)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        print(render_report(text, result))
    if args.fail_on and result.verdict.rank >= Verdict(args.fail_on).rank:
        return 1
    return 0


def _read_stdin_text() -> str | None:
    if sys.stdin is None or sys.stdin.isatty():
        print(
            'phigate scan: give the draft as an argument or on standard input (phigate scan "text")',
            file=sys.stderr,
        )
        return None
    try:
        return sys.stdin.read()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"phigate scan: cannot read standard input: {type(exc).__name__}", file=sys.stderr)
        return None


def scan_jsonl(scanner: Scanner, source: IO[bytes], sink: IO[str]) -> int:
    """Scan each JSONL line of ``source`` and write one result line per input line to ``sink``."""
    try:
        for number, raw in enumerate(_lines(source), start=1):
            sink.write(json.dumps(_scan_line(scanner, number, raw), ensure_ascii=False) + "\n")
            sink.flush()
    except OSError as exc:
        print(
            f"phigate scan: cannot read standard input: {exc.strerror or type(exc).__name__}", file=sys.stderr
        )
        return 2
    return 0


def _lines(source: IO[bytes]) -> Iterable[bytes]:
    for raw in source:
        if raw.strip():
            yield raw


def _scan_line(scanner: Scanner, number: int, raw: bytes) -> dict[str, Any]:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return {"id": None, "error": f"line {number}: not valid UTF-8"}
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})"}
    if not isinstance(record, dict):
        return {"id": None, "error": f"line {number}: expected a JSON object with 'id' and 'text'"}
    ident = record.get("id")
    if ident is not None and not isinstance(ident, (str, int)):
        return {"id": None, "error": f"line {number}: 'id' must be a string"}
    if "text" not in record:
        return {"id": ident, "error": f"line {number}: missing field 'text'"}
    if not isinstance(record["text"], str):
        return {"id": ident, "error": f"line {number}: 'text' must be a string"}
    result = scanner.scan(record["text"])
    return {
        "id": ident,
        "verdict": str(result.verdict),
        "score": round(result.score, 3),
        "findings": [finding.to_dict() for finding in result.findings],
    }


_VERDICT_LINE = {
    Verdict.CLEAR: "CLEAR: no PHI found. It still needs the usual approvals.",
    Verdict.REVIEW: "REVIEW: this draft may disclose PHI; approvers must look closely.",
    Verdict.BLOCK: "BLOCK: this draft discloses PHI and must not be posted as written.",
}


def render_report(text: str, result: ScanResult) -> str:
    """The human-readable report for one draft (shown to its author, never logged)."""
    lines = [f"Verdict: {_VERDICT_LINE[result.verdict]}  (risk {result.score:.2f})"]
    if result.findings:
        lines.append("")
        lines.append(f"Findings ({len(result.findings)}):")
        for index, finding in enumerate(result.findings, start=1):
            data = finding.to_dict()
            excerpt = " ".join(text[finding.start : finding.end].split())
            if len(excerpt) > 60:
                excerpt = excerpt[:57] + "..."
            lines.append(
                f'  {index}. {data["category"]}  "{excerpt}"  (chars {finding.start}-{finding.end}, confidence {data["score"]:.2f})'
            )
            lines.append(f"     {data['explanation']}")
    lines += ["", "Redacted preview:", _indent(result.redacted)]
    if result.suggestion:
        lines += ["", "Suggested safe reply:", _indent(result.suggestion)]
    return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines() or [""])
