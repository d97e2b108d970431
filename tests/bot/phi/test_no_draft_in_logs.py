"""Scanning at DEBUG level writes no draft text to any log record (the canary check in conftest.py
also covers the whole run)."""

from __future__ import annotations

import logging

from tests.conftest import CANARY, canary_draft


def test_scanning_logs_no_draft_text(default_scanner, captured_logs) -> None:
    logging.getLogger().setLevel(logging.DEBUG)
    logging.getLogger("presidio-analyzer").setLevel(logging.DEBUG)
    try:
        drafts = [
            canary_draft(),
            canary_draft("{canary}, we reviewed your chart: MRN 77123456, DOB 02/03/1950."),
            canary_draft("Hola {canary}, gracias por su mensaje sobre la cita de su madre."),
            canary_draft("{canary} " * 2000),
        ]
        before = len(captured_logs)
        for draft in drafts:
            assert default_scanner.scan(draft).verdict.rank >= 1
        new_lines = captured_logs[before:]
    finally:
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    assert all(CANARY.lower() not in line.lower() for line in new_lines)
    assert "77123456" not in "".join(new_lines)
