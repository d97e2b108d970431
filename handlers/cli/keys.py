"""``phigate keys generate|rotate``: the encryption key for draft bodies at rest."""

from __future__ import annotations

import argparse
from typing import Any

from cryptography.fernet import Fernet

from bot.audit import Kind
from bot.config import Settings
from bot.logsafety import install as install_logging
from handlers.cli.audit import operator_event
from handlers.cli.wiring import open_database
from storage.keys import rotate

ROTATE_HELP = """\
Re-encrypt every draft body, reply context, override justification, approver comment and incident link
with the first key of PHIGATE_ENCRYPTION_KEY (plain rows written before a key was set are encrypted
too). To rotate:
set PHIGATE_ENCRYPTION_KEY=NEW,OLD on every replica and restart them, run this, then drop OLD.
Safe to run again after an interruption. Prints counts, never values.
"""


def register(sub: Any) -> None:
    """Add the ``keys`` sub-commands."""
    parser = sub.add_parser("keys", help="encryption at rest: generate a key, rotate to a new one")
    actions = parser.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    generate_parser = actions.add_parser("generate", help="print a new Fernet key")
    generate_parser.set_defaults(handler=generate)
    rotate_parser = actions.add_parser(
        "rotate",
        help="re-encrypt stored text with the first key",
        description=ROTATE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rotate_parser.add_argument("--batch", type=int, default=500, help="rows per transaction (default 500)")
    rotate_parser.add_argument("--config", metavar="PATH", help="TOML config file (default: $PHIGATE_CONFIG)")
    rotate_parser.set_defaults(handler=run_rotate)


def generate(args: argparse.Namespace) -> int:
    """Execute ``phigate keys generate``."""
    print(Fernet.generate_key().decode())
    return 0


def run_rotate(args: argparse.Namespace) -> int:
    """Execute ``phigate keys rotate``."""
    settings = Settings.load(args.config)
    install_logging("WARNING" if settings.log_level in {"INFO", "DEBUG"} else settings.log_level)
    db = open_database(settings)
    try:
        count = rotate(db, batch=max(1, args.batch))
        event = operator_event(
            Kind.KEYS_ROTATED,
            "encryption",
            "sealed_columns",
            data={"sealed_from_plain": count.sealed_from_plain, "rewrapped": count.rewrapped},
        )
        db.run(lambda tx: tx.audit.append(event))
    finally:
        db.dispose()
    print(
        f"{count.sealed_from_plain} plain values encrypted, {count.rewrapped} encrypted values moved to the first key"
    )
    return 0
