"""Shared helpers for the benchmarks: data sets, the two scanners under comparison."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OWN_SETS = {
    "social_replies (dev, 340)": ROOT / "tests/data/social_replies.jsonl",
    "social_replies_holdout (200)": ROOT / "tests/data/social_replies_holdout.jsonl",
    "social_replies_blind (160)": ROOT / "tests/data/social_replies_blind.jsonl",
    "social_replies_dev2 (218)": ROOT / "tests/data/social_replies_dev2.jsonl",
    "social_replies_dev3 (120)": ROOT / "tests/data/social_replies_dev3.jsonl",
    "social_replies_dev4 (100)": ROOT / "tests/data/social_replies_dev4.jsonl",
    # Written last and kept as a second held-out check of the final rules: no --errors key either.
    "social_replies_heldout5 (60)": ROOT / "tests/data/social_replies_heldout5.jsonl",
    # Written 2026-11-24 before that day's changes, scored once on the scanner as it stood, then held out.
    "social_replies_heldout6 (80)": ROOT / "tests/data/social_replies_heldout6.jsonl",
    # Written 2026-11-24 after that day's first retraining, scored once on it (5e8b293), then held out.
    "social_replies_heldout7 (80)": ROOT / "tests/data/social_replies_heldout7.jsonl",
    # Written 2026-11-24 after the day's final model (93ef109) and scored once on it, then held out.
    "social_replies_heldout8 (80)": ROOT / "tests/data/social_replies_heldout8.jsonl",
    # Written 2026-12-01 before that day's changes, scored once on the scanner as it stood, then held out.
    "social_replies_heldout9 (80)": ROOT / "tests/data/social_replies_heldout9.jsonl",
    # Written 2026-12-01 after that day's final model (0cdd564) and scored once on it, then held out.
    "social_replies_heldout10 (80)": ROOT / "tests/data/social_replies_heldout10.jsonl",
    # Written 2026-12-01 after the model trained on train13 (bab6709) and scored once on it, then held out.
    "social_replies_heldout11 (80)": ROOT / "tests/data/social_replies_heldout11.jsonl",
    # Written 2026-12-01 after the threshold moved to the 3 % budget (43149f6), scored once on it, then held out.
    "social_replies_heldout12 (80)": ROOT / "tests/data/social_replies_heldout12.jsonl",
    # Written 2026-12-01 (second session) before any change of it, scored once on 3bd9d1d, then held out.
    "social_replies_heldout13 (80)": ROOT / "tests/data/social_replies_heldout13.jsonl",
    # Written 2026-12-01 (second session) in the middle of its work, before the final model; scored once on it.
    "social_replies_heldout14 (80)": ROOT / "tests/data/social_replies_heldout14.jsonl",
    # Written 2026-12-02 (new session) before any change of it, scored once on 756baf0, then held out.
    "social_replies_heldout15 (80)": ROOT / "tests/data/social_replies_heldout15.jsonl",
    # Written 2026-12-04 (new session) before any scanner change of it, scored once on 75b807b, then held out.
    "social_replies_heldout16 (80)": ROOT / "tests/data/social_replies_heldout16.jsonl",
    # Written 2026-12-04 mid-session, before that session's final model (00831c2); scored once, on it.
    "social_replies_heldout17 (80)": ROOT / "tests/data/social_replies_heldout17.jsonl",
    # Written 2026-12-06 by an author who had not read the scanner, before any model change of that session;
    # scored once, on the session's final model.
    "social_replies_heldout18 (80)": ROOT / "tests/data/social_replies_heldout18.jsonl",
    # Written 2026-12-06 mid-session by another new author, before the model trained on train25; scored once,
    # on the session's final model.
    "social_replies_heldout19 (80)": ROOT / "tests/data/social_replies_heldout19.jsonl",
    # Written 2026-12-06 (third session) by an author new to the project, before any change of that session;
    # scored once, on the session's final model.
    "social_replies_heldout20 (80)": ROOT / "tests/data/social_replies_heldout20.jsonl",
    # Training data for the learned care classifier (bot/phi/classifier.py), written for it.
    "social_replies_train (325)": ROOT / "tests/data/social_replies_train.jsonl",
    "social_replies_train2 (136)": ROOT / "tests/data/social_replies_train2.jsonl",
    "social_replies_train3 (70)": ROOT / "tests/data/social_replies_train3.jsonl",
    "social_replies_train4 (76)": ROOT / "tests/data/social_replies_train4.jsonl",
    "social_replies_train5 (40)": ROOT / "tests/data/social_replies_train5.jsonl",
    "social_replies_train6 (149)": ROOT / "tests/data/social_replies_train6.jsonl",
    "social_replies_train7 (126)": ROOT / "tests/data/social_replies_train7.jsonl",
    "social_replies_train8 (108)": ROOT / "tests/data/social_replies_train8.jsonl",
    "social_replies_train9 (80)": ROOT / "tests/data/social_replies_train9.jsonl",
    "social_replies_train10 (70)": ROOT / "tests/data/social_replies_train10.jsonl",
    "social_replies_train11 (100)": ROOT / "tests/data/social_replies_train11.jsonl",
    "social_replies_train12 (100)": ROOT / "tests/data/social_replies_train12.jsonl",
    "social_replies_train13 (100)": ROOT / "tests/data/social_replies_train13.jsonl",
    "social_replies_train14 (100)": ROOT / "tests/data/social_replies_train14.jsonl",
    "social_replies_train15 (100)": ROOT / "tests/data/social_replies_train15.jsonl",
    "social_replies_train16 (100)": ROOT / "tests/data/social_replies_train16.jsonl",
    "social_replies_train17 (50)": ROOT / "tests/data/social_replies_train17.jsonl",
    "social_replies_train18 (50)": ROOT / "tests/data/social_replies_train18.jsonl",
    "social_replies_train19 (100)": ROOT / "tests/data/social_replies_train19.jsonl",
    "social_replies_train20 (100)": ROOT / "tests/data/social_replies_train20.jsonl",
    "social_replies_train21 (50)": ROOT / "tests/data/social_replies_train21.jsonl",
    "social_replies_train22 (100)": ROOT / "tests/data/social_replies_train22.jsonl",
    "social_replies_train23 (100)": ROOT / "tests/data/social_replies_train23.jsonl",
    "social_replies_train24 (100)": ROOT / "tests/data/social_replies_train24.jsonl",
    "social_replies_train25 (100)": ROOT / "tests/data/social_replies_train25.jsonl",
    "social_replies_train26 (100)": ROOT / "tests/data/social_replies_train26.jsonl",
    "social_replies_train27 (100)": ROOT / "tests/data/social_replies_train27.jsonl",
}


def _short_name(path: Path) -> str:
    """The set's short name: the file name after "social_replies_" ("train11"); the first set is "dev"."""
    return path.stem.removeprefix("social_replies_") if path.stem != "social_replies" else "dev"


# Short names for --errors: every set we may read misses of. The blind and heldout sets have none on
# purpose: their texts and misses are never printed.
ERROR_KEYS = {
    _short_name(path): name
    for name, path in OWN_SETS.items()
    if "blind" not in path.stem and "heldout" not in path.stem
}
# Short names of the held-out sets after the blind one ("heldout5", ...), for --skip.
HELD_OUT = [_short_name(path) for path in OWN_SETS.values() if "heldout" in path.stem]
# The speed benchmark's drafts stay the three sets it was first measured on, so runs stay comparable.
SPEED_SETS = {name: OWN_SETS[name] for name in list(OWN_SETS)[:3]}
SHARED = Path(os.environ.get("PHIGATE_SHARED_DATA", ROOT.parent / "shared/data"))
PUBLIC_SETS = {
    "asq_phi (public)": SHARED / "asq_phi.jsonl",
    "presidio_synth (public)": SHARED / "presidio_synth.jsonl",
}


def read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def available(sets: dict[str, Path]) -> dict[str, Path]:
    return {name: path for name, path in sets.items() if path.is_file()}
