"""Scanner quality: recall, false-positive rate and precision, phigate next to vanilla Presidio.

A draft counts as flagged by phigate when its verdict is review or block, and by vanilla Presidio
(AnalyzerEngine, default recognizers, same spaCy model, language "en", no threshold) when it returns
any entity. Usage:

    .venv/bin/python bench/scanner_quality.py [--errors dev|holdout|dev2..dev4|train..train27|all] [--skip blind|heldout5..heldout20|public] [--only NAME] [--no-vanilla]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ERROR_KEYS, HELD_OUT, OWN_SETS, PUBLIC_SETS, available, read_jsonl


@dataclass
class Tally:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    misses: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)

    def add(self, record: dict, flagged: bool, detail: str = "") -> None:
        if record["phi"]:
            if flagged:
                self.tp += 1
            else:
                self.fn += 1
                self.misses.append((record["id"], record["text"], detail))
        elif flagged:
            self.fp += 1
            self.false_alarms.append((record["id"], record["text"], detail))
        else:
            self.tn += 1

    def row(self) -> str:
        recall = self.tp / max(1, self.tp + self.fn)
        fpr = self.fp / max(1, self.fp + self.tn)
        precision = self.tp / max(1, self.tp + self.fp)
        return f"recall {recall:.3f}  FPR {fpr:.3f}  precision {precision:.3f}  (tp {self.tp} fn {self.fn} fp {self.fp} tn {self.tn})"


def _key(name: str) -> str:
    return next(key for key, value in ERROR_KEYS.items() if value == name)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--errors",
        choices=[*ERROR_KEYS, "all"],
        help="print phigate's misses and false alarms on these sets ('all': every set but the blind one)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["blind", *HELD_OUT, "public"],
        help="leave out the blind set, a heldout set or the public sets (repeatable)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="score only the sets whose name contains this text (repeatable), e.g. --only heldout6",
    )
    parser.add_argument("--no-vanilla", action="store_true", help="skip the vanilla Presidio comparison")
    args = parser.parse_args()

    from bot.phi.engine import vanilla_analyzer
    from bot.phi.scanner import Scanner

    scanner = Scanner()
    vanilla = None if args.no_vanilla else vanilla_analyzer()
    own = {
        name: path
        for name, path in OWN_SETS.items()
        if not any(skipped in name for skipped in args.skip if skipped != "public")
    }
    sets = {**available(own), **({} if "public" in args.skip else available(PUBLIC_SETS))}
    if args.only:
        sets = {name: path for name, path in sets.items() if any(part in name for part in args.only)}
    print(f"{'data set':32} {'scanner':9} result")
    for name, path in sets.items():
        ours, theirs = Tally(), Tally()
        for record in read_jsonl(path):
            result = scanner.scan(record["text"])
            detail = f"{result.verdict}: " + ", ".join(
                f"{f.category}={record['text'][f.start : f.end]!r}/{f.source}" for f in result.findings
            )
            ours.add(record, result.verdict.rank >= 1, detail)
            if vanilla is not None:
                found = vanilla.analyze(record["text"], language="en")
                theirs.add(record, bool(found), ", ".join(sorted({r.entity_type for r in found})))
        print(f"{name:32} {'phigate':9} {ours.row()}")
        if vanilla is not None:
            print(f"{'':32} {'vanilla':9} {theirs.row()}")
        if name in ERROR_KEYS.values() and args.errors in (_key(name), "all"):
            for ident, text, detail in ours.misses:
                print(f"  MISS {ident}: {text}\n       -> {detail}")
            for ident, text, detail in ours.false_alarms:
                print(f"  FALSE ALARM {ident}: {text}\n       -> {detail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
