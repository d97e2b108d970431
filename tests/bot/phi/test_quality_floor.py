"""Regression floors on the labelled hospital-reply sets (the benchmark reports the exact figures).

Each set was written by hand to the conventions in tests/data/README.md; a draft counts as flagged
when its verdict is review or block. The floors sit a little under the measured values so that a
change which loses recall or raises false alarms fails here, not in production.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data"
# Raised on 2026-11-24 with the learned care classifier, which was trained on these sets (so their
# recall is partly in-sample; the unseen estimates are in docs/benchmarks.md). The train sets keep the
# false alarms of the rules measured when they were written (train: 5 of 165, train2: 4 of 70).
FLOORS = {
    "social_replies.jsonl": (0.98, 0.02),
    "social_replies_holdout.jsonl": (0.98, 0.02),
    "social_replies_dev2.jsonl": (0.98, 0.02),
    "social_replies_dev3.jsonl": (0.97, 0.02),
    "social_replies_dev4.jsonl": (0.97, 0.02),
    "social_replies_train.jsonl": (0.98, 0.04),
    "social_replies_train2.jsonl": (0.95, 0.06),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_recall_and_false_positive_rate_floors(default_scanner, name: str) -> None:
    records = [
        json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    flagged = {r["id"]: default_scanner.scan(r["text"]).verdict.rank >= 1 for r in records}
    positives = [r["id"] for r in records if r["phi"]]
    negatives = [r["id"] for r in records if not r["phi"]]
    assert len(positives) >= 50 and len(negatives) >= 50
    recall = sum(flagged[i] for i in positives) / len(positives)
    false_positive_rate = sum(flagged[i] for i in negatives) / len(negatives)
    min_recall, max_fpr = FLOORS[name]
    assert recall >= min_recall, f"recall {recall:.3f} < {min_recall}"
    assert false_positive_rate <= max_fpr, f"false-positive rate {false_positive_rate:.3f} > {max_fpr}"


def test_labelled_sets_are_well_formed() -> None:
    allowed = {
        "NAME", "GEOGRAPHIC_LOCATION", "DATE", "PHONE_NUMBER", "FAX_NUMBER", "EMAIL_ADDRESS",
        "SOCIAL_SECURITY_NUMBER", "MEDICAL_RECORD_NUMBER", "HEALTH_PLAN_BENEFICIARY_NUMBER", "ACCOUNT_NUMBER",
        "CERTIFICATE_LICENSE_NUMBER", "VEHICLE_IDENTIFIER", "DEVICE_IDENTIFIER", "URL", "IP_ADDRESS",
        "BIOMETRIC_IDENTIFIER", "FULL_FACE_PHOTO", "UNIQUE_IDENTIFIER", "PATIENT_RELATIONSHIP", "CLINICAL_DETAIL",
        "THIRD_PARTY_DISCLOSURE", "STAFF_DISCLOSURE",
    }  # fmt: skip
    total = 0
    for path in sorted(DATA.glob("social_replies*.jsonl")):
        ids = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            assert set(record) == {"id", "text", "phi", "categories", "kind", "network"}, path.name
            assert record["id"] not in ids
            ids.add(record["id"])
            assert set(record["categories"]) <= allowed
            assert bool(record["categories"]) == record["phi"], record["id"]
        total += len(ids)
    assert total >= 540
