"""PHI-safe logging: draft text and request bodies never reach a log record's output.

phigate's own code logs IDs, counts and categories only. This module is the safety net under that
rule, attached to every handler phigate installs:

- Records from libraries known to log raw request/response bodies (Bolt logs the body of a request
  whose signature fails; slack_sdk and botbuilder log payloads at DEBUG; aiohttp logs request lines)
  keep their level and logger name but lose their message.
- Every other message is scrubbed of identifier-shaped text (SSNs, e-mail addresses, phone numbers,
  long digit runs) before it is written, and exception text is scrubbed the same way.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from typing import Final

# Loggers whose messages may embed payloads; their text is withheld, not scrubbed.
BODY_LOGGERS: Final = (
    "slack_bolt",
    "slack_sdk",
    "slack",
    "botbuilder",
    "botframework",
    "msrest",
    "aiohttp.access",
    "aiohttp.server",
    "aiohttp.client",
    "urllib3",
    "presidio-analyzer",
    "sqlalchemy.engine",
)
WITHHELD: Final = "[message withheld by phigate: this library may log request bodies or draft text]"

_SCRUB = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|\b\d{3}[- ]\d{2}[- ]\d{4}\b"  # SSN shape
    r"|(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"  # phone
    r"|\b\d{6,}\b",  # long digit runs (MRNs, accounts)
)


def scrub(text: str) -> str:
    """Replace identifier-shaped substrings with ``[redacted]``."""
    return _SCRUB.sub("[redacted]", text)


class PhiSafeFilter(logging.Filter):
    """Withholds body-logging libraries' messages and scrubs identifiers from the rest."""

    def filter(self, record: logging.LogRecord) -> bool:  # noqa: D102
        if (record.name.startswith(BODY_LOGGERS) and record.levelno < logging.ERROR) or _is_body_logger(
            record
        ):
            record.msg, record.args = WITHHELD, None
        else:
            try:
                message = record.getMessage()
            except Exception:  # a broken format string must not break logging
                message = str(record.msg)
            record.msg, record.args = scrub(message), None
        if record.exc_info and record.exc_info[1] is not None:
            # Keep the type and traceback shape; the exception's own message may quote input.
            exc_type, _, tb = record.exc_info
            frames = "".join(traceback.format_tb(tb)) if tb else ""
            name = exc_type.__name__ if exc_type else "Exception"
            record.exc_text = (
                f"Traceback (most recent call last):\n{frames}{name}: [message withheld by phigate]"
            )
            record.exc_info = None
        return True


def _is_body_logger(record: logging.LogRecord) -> bool:
    # Errors from body-logging libraries are kept only if they carry no payload-looking text.
    return record.name.startswith(BODY_LOGGERS) and "{" in str(record.msg)


def install(level: str = "INFO") -> logging.Handler:
    """Configure the root logger: one stderr handler with the PHI-safe filter (idempotent)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "_phigate", False):
            root.setLevel(level)
            return handler
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PhiSafeFilter())
    handler._phigate = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return handler
