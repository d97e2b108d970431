"""``phigate replies list|add|remove``: the canned safe replies the scanner suggests, under review.

A reply is accepted only if the scanner itself finds it clear (filled in with the hospital's details),
so a suggestion can never carry PHI. Changes go to the managed replies file (``[scanner]
replies_file``, default ``phigate-replies.toml`` beside the config file), written atomically, and
each change is an audit event (who, which kind, the text's SHA-256). Servers pick changes up when
they restart.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.audit import Kind
from bot.config import ConfigError, Settings
from bot.logsafety import install as install_logging
from bot.models import text_hash
from bot.phi.replies import (
    DEFAULT_REPLIES,
    KINDS,
    ReplySuggester,
    read_managed,
    template_problem,
    write_managed,
)
from handlers.cli.audit import operator_event
from handlers.cli.wiring import open_database


def register(sub: Any) -> None:
    """Add the ``replies`` sub-commands."""
    parser = sub.add_parser("replies", help="canned safe replies: list, add (scanned first), remove")
    actions = parser.add_subparsers(dest="replies_command", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list", help="each kind's reply, where it comes from, and whether it scans clean"
    )
    listing.set_defaults(handler=run_list)
    add = actions.add_parser(
        "add",
        help="set the reply of one kind; refused unless the scanner finds it clear",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add.add_argument("kind", help=f"one of {', '.join(KINDS)}")
    add.add_argument("text", help="the reply; may use {organization}, {patient_relations}, {website}")
    add.set_defaults(handler=run_add)
    remove = actions.add_parser("remove", help="drop the managed reply of a kind (back to config or default)")
    remove.add_argument("kind", help=f"one of {', '.join(KINDS)}")
    remove.set_defaults(handler=run_remove)
    for action in (listing, add, remove):
        action.add_argument("--config", metavar="PATH", help="TOML config file (default: $PHIGATE_CONFIG)")


def _context(args: argparse.Namespace) -> tuple[Settings, Path | None, dict[str, str]]:
    settings = Settings.load(args.config)
    install_logging("WARNING")
    path = settings.scanner.managed_replies_path(settings.config_path)
    try:
        return settings, path, read_managed(path)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _scan(settings: Settings, kind: str, template: str) -> Any:
    from bot.phi.scanner import get_scanner  # loaded once, only when needed

    return get_scanner(settings).scan(ReplySuggester(settings.organization).fill(template))


def run_list(args: argparse.Namespace) -> int:
    """Execute ``phigate replies list``."""
    settings, path, managed = _context(args)
    print(f"managed replies file: {path or '(none: give --config or set PHIGATE_SCANNER__REPLIES_FILE)'}")
    for kind in KINDS:
        if kind in managed:
            source, template = "managed", managed[kind]
        elif kind in settings.scanner.replies:
            source, template = "config", settings.scanner.replies[kind]
        else:
            source, template = "default", DEFAULT_REPLIES[kind]
        verdict = _scan(settings, kind, template).verdict
        print(f"\n[{kind}] ({source}; scans {verdict})\n  {template}")
    return 0


def run_add(args: argparse.Namespace) -> int:
    """Execute ``phigate replies add KIND TEXT``."""
    settings, path, managed = _context(args)
    if path is None:
        print(
            "phigate replies: no managed replies file: give --config or set PHIGATE_SCANNER__REPLIES_FILE",
            file=sys.stderr,
        )
        return 2
    problem = template_problem(args.kind, args.text)
    if problem:
        print(f"phigate replies: {problem}", file=sys.stderr)
        return 2
    result = _scan(settings, args.kind, args.text)
    if str(result.verdict) != "clear":
        print(f"refused: the scanner rates this reply {result.verdict}; a canned reply must be clear.")
        for finding in result.findings:
            print(f"  - {finding.category}: {finding.explanation}")
        return 1
    _record(settings, args.kind, args.text, "set")
    write_managed(path, {**managed, args.kind: args.text})
    print(f"accepted: the {args.kind} reply now comes from {path} (restart servers to use it)")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    """Execute ``phigate replies remove KIND``."""
    settings, path, managed = _context(args)
    if path is None or args.kind not in managed:
        print(f"phigate replies: no managed {args.kind!r} reply to remove", file=sys.stderr)
        return 1
    _record(settings, args.kind, managed[args.kind], "removed")
    write_managed(path, {kind: text for kind, text in managed.items() if kind != args.kind})
    fallback = "config" if args.kind in settings.scanner.replies else "default"
    print(f"removed: the {args.kind} reply is the {fallback} one again (restart servers to use it)")
    return 0


def _record(settings: Settings, kind: str, text: str, change: str) -> None:
    """The audit event, before the file changes: a change that cannot be recorded is not made."""
    db = open_database(settings, upgrade_embedded=True)
    try:
        event = operator_event(
            Kind.REPLIES_CHANGED, "replies", kind, text_sha256=text_hash(text), data={"change": change}
        )
        db.run(lambda tx: tx.audit.append(event))
    finally:
        db.dispose()
