"""One scanner shared by many threads gives each draft the same result as a lone scan."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "social_replies.jsonl"


def test_concurrent_scans_match_sequential_scans(default_scanner) -> None:
    texts = [json.loads(line)["text"] for line in DATA.read_text(encoding="utf-8").splitlines()[:120]]
    expected = [default_scanner.scan(text) for text in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(default_scanner.scan, texts * 2))
    assert got == expected * 2
    assert any(result.findings for result in expected) and any(not result.findings for result in expected)
