"""Train the learned care classifier (bot/phi/classifier.py) and write bot/phi/data/care_classifier.npz.

Data: the labelled sets we may learn from (dev, holdout, dev2, dev3, dev4 and train..train11); never the
blind or heldout5-heldout9 sets, which stay held out. Each draft is split into sentences; the instances of a draft are
its sentences and its pairs of adjacent sentences. Multiple-instance logistic regression: every instance
of a harmless draft is a negative, and the best-scoring instance of a PHI draft is a positive (a PHI
draft need only have one disclosing sentence). L2-regularized, full-batch Adam, numpy only.
An instance's features are its sparse word features and its sentence vector from bot/phi/encoder.py (a
pair's is the unit mean of its sentences' vectors, as the classifier computes it); --no-encoder leaves
the vectors out. The sentence vectors have their own, smaller L2 penalty (--dense-l2).

A second head (softmax over PATIENT_RELATIONSHIP, CLINICAL_DETAIL, THIRD_PARTY_DISCLOSURE,
STAFF_DISCLOSURE) names the kind of disclosure, trained on the best instance of each PHI draft with the
draft's contextual categories as targets.

The threshold is chosen by cross-validation: 5-fold (stratified, fixed seed) out-of-fold draft scores,
and leave-one-set-out scores (train on the other sets, score the held-out one: a new author's wording).
The threshold is the lowest at which the classifier alone flags at most ``--max-fpr`` of the harmless
drafts in both cross-validations. The report also gives recall/FPR of the rules alone and of rules OR
classifier per set (out of fold), so the gain on unseen wording can be read off.

Usage:

    .venv/bin/python bench/train_classifier.py [--max-fpr 0.02] [--l2 1e-5] [--steps 400] [--out PATH]
                                               [--no-write] [--no-rules] [--no-encoder] [--dense-l2 3e-5]
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OWN_SETS, read_jsonl
from bot.phi.care_features import features, is_generic, sentences
from bot.phi.classifier import CATEGORIES, MODEL_FILE
from bot.phi.encoder import DIMENSION, SentenceEncoder, shared_encoder, unit

TRAIN_SETS = {name: path for name, path in OWN_SETS.items() if "blind" not in name and "heldout" not in name}
OUT = Path(__file__).resolve().parents[1] / "bot/phi/data" / MODEL_FILE
SEED = 20261124
MIN_DRAFTS = 2  # a feature must occur in at least this many drafts to get a weight


@dataclass
class Data:
    """Instances of all drafts as a sparse matrix (CSR-like arrays) and their draft structure."""

    cols: np.ndarray  # vocabulary row of each non-zero
    vals: np.ndarray  # its value (count / sqrt(number of features of the instance))
    ptr: np.ndarray  # instance i owns cols[ptr[i]:ptr[i + 1]]
    draft_ptr: np.ndarray  # draft d owns instances draft_ptr[d]:draft_ptr[d + 1]
    labels: np.ndarray  # per draft: 1 = PHI
    targets: np.ndarray  # per draft: distribution over CATEGORIES (PHI drafts)
    sets: np.ndarray  # per draft: index of its data set
    size: int  # vocabulary size
    dense: np.ndarray  # per instance: its sentence vector (bot/phi/embedding.py); no columns when unused


def load_records() -> tuple[list[dict], list[str]]:
    records, names = [], []
    for name, path in TRAIN_SETS.items():
        assert "blind" not in str(path) and "heldout" not in str(path)
        for record in read_jsonl(path):
            record["_set"] = len(names)
            records.append(record)
        names.append(name)
    return records, names


def instances(text: str) -> list[list[str]]:
    """What the classifier scores in a draft: its sentences and adjacent pairs, generic ones left out."""
    parts = [text[s:e] for s, e in sentences(text)]
    kept = [None if is_generic(part) else features(part) for part in parts]
    singles = [f for f in kept if f is not None]
    pairs = [a + b for a, b in pairwise(kept) if a is not None and b is not None]
    return singles + pairs or [[]]


def dense_instances(text: str, encoder: SentenceEncoder) -> list[np.ndarray]:
    """The sentence vectors of ``instances(text)``, in the same order: a pair's is its sentences' mean."""
    parts = [text[s:e] for s, e in sentences(text)]
    eligible = [part for part in parts if not is_generic(part)]
    encoded = iter(encoder.encode(eligible))
    kept = [None if is_generic(part) else next(encoded) for part in parts]
    singles = [k for k in kept if k is not None]
    pairs = [unit(a + b) for a, b in pairwise(kept) if a is not None and b is not None]
    return singles + pairs or [np.zeros(DIMENSION, dtype=np.float32)]


def build(records: list[dict], dense: bool = True) -> tuple[Data, list[str]]:
    drafts = [instances(r["text"]) for r in records]
    if dense:
        encoder = shared_encoder()
        vectors = np.vstack([v for r in records for v in dense_instances(r["text"], encoder)])
    else:
        vectors = np.zeros((sum(len(d) for d in drafts), 0))
    frequency: dict[str, int] = {}
    for draft in drafts:
        for feature in {f for instance in draft for f in instance}:
            frequency[feature] = frequency.get(feature, 0) + 1
    vocabulary = sorted(f for f, n in frequency.items() if n >= MIN_DRAFTS)
    index = {f: i for i, f in enumerate(vocabulary)}
    cols, vals, ptr, draft_ptr = [], [], [0], [0]
    for draft in drafts:
        for instance in draft:
            rows = [index[f] for f in instance if f in index]
            cols += rows
            vals += [1.0 / math.sqrt(max(len(instance), 1))] * len(rows)
            ptr.append(len(cols))
        draft_ptr.append(len(ptr) - 1)
    targets = np.zeros((len(records), len(CATEGORIES)))
    for d, record in enumerate(records):
        present = [i for i, c in enumerate(CATEGORIES) if str(c) in record["categories"]]
        targets[d, present or [0]] = 1.0 / len(present or [0])
    data = Data(
        cols=np.asarray(cols, dtype=np.int64),
        vals=np.asarray(vals),
        ptr=np.asarray(ptr, dtype=np.int64),
        draft_ptr=np.asarray(draft_ptr, dtype=np.int64),
        labels=np.asarray([1.0 if r["phi"] else 0.0 for r in records]),
        targets=targets,
        sets=np.asarray([r["_set"] for r in records]),
        size=len(vocabulary),
        dense=np.asarray(vectors, dtype=np.float64),
    )
    assert len(data.dense) == len(data.ptr) - 1
    return data, vocabulary


def scores(data: Data, weights: np.ndarray, bias: float) -> np.ndarray:
    """Logit of every instance (``weights``: the sparse features' weights, then the dense ones)."""
    cumulative = np.concatenate([[0.0], np.cumsum(weights[data.cols] * data.vals)])
    return bias + cumulative[data.ptr[1:]] - cumulative[data.ptr[:-1]] + data.dense @ weights[data.size :]


def best_instances(data: Data, logits: np.ndarray, drafts: np.ndarray) -> np.ndarray:
    return np.asarray(
        [
            data.draft_ptr[d] + int(np.argmax(logits[data.draft_ptr[d] : data.draft_ptr[d + 1]]))
            for d in drafts
        ],
        dtype=np.int64,
    )


def _instance_of_nonzero(data: Data) -> np.ndarray:
    return np.repeat(np.arange(len(data.ptr) - 1), np.diff(data.ptr))


# A sweep on 2026-11-24 (1e-7..1e-4) gave 1e-6 x 600 steps the same cross-validated recall at equal
# false-alarm rates, but it scored plain replies ("We are sorry about the wait. Please call our patient
# relations team.") at 0.94: it had learned the training wording too closely. 1e-5 x 400 stays.
L2 = 1e-5
STEPS = 400
DENSE_L2 = 3e-5


def train(
    data: Data,
    drafts: np.ndarray,
    l2: float = L2,
    steps: int = STEPS,
    rate: float = 0.05,
    dense_l2: float = DENSE_L2,
) -> tuple:
    """Multiple-instance logistic regression on ``drafts``; returns (weights, bias)."""
    width = data.size + data.dense.shape[1]
    penalty = np.full(width, l2)
    penalty[data.size :] = dense_l2
    weights, bias = np.zeros(width), 0.0
    positives = drafts[data.labels[drafts] == 1]
    negatives = drafts[data.labels[drafts] == 0]
    negative_instances = np.concatenate(
        [np.arange(data.draft_ptr[d], data.draft_ptr[d + 1]) for d in negatives]
    )
    positive_weight = len(negative_instances) / max(1, len(positives))
    owner = _instance_of_nonzero(data)
    m, v = np.zeros(width + 1), np.zeros(width + 1)
    for step in range(1, steps + 1):
        logits = scores(data, weights, bias)
        chosen = best_instances(data, logits, positives)
        grad_logit = np.zeros(len(logits))
        grad_logit[negative_instances] = _sigmoid(logits[negative_instances])
        np.add.at(grad_logit, chosen, positive_weight * (_sigmoid(logits[chosen]) - 1.0))
        grad_logit /= 2.0 * len(negative_instances)
        grad = np.concatenate(
            [
                np.bincount(data.cols, weights=grad_logit[owner] * data.vals, minlength=data.size),
                data.dense.T @ grad_logit,
            ]
        )
        grad += 2 * penalty * weights
        full = np.append(grad, grad_logit.sum())
        m = 0.9 * m + 0.1 * full
        v = 0.999 * v + 0.001 * full**2
        update = rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
        weights -= update[:-1]
        bias -= update[-1]
    return weights, bias


def train_categories(
    data: Data, weights: np.ndarray, bias: float, drafts: np.ndarray, l2: float = 1e-3
) -> tuple:
    """Softmax head over CATEGORIES on the best instance of each PHI draft."""
    positives = drafts[data.labels[drafts] == 1]
    chosen = best_instances(data, scores(data, weights, bias), positives)
    k = len(CATEGORIES)
    matrix, offsets = np.zeros((data.size, k)), np.zeros(k)
    rows = [np.arange(data.ptr[i], data.ptr[i + 1]) for i in chosen]
    cols = np.concatenate([data.cols[r] for r in rows])
    vals = np.concatenate([data.vals[r] for r in rows])
    owner = np.repeat(np.arange(len(chosen)), [len(r) for r in rows])
    target = data.targets[positives]
    m, v = np.zeros((data.size + 1, k)), np.zeros((data.size + 1, k))
    for step in range(1, 301):
        logits = offsets + np.zeros((len(chosen), k))
        np.add.at(logits, owner, matrix[cols] * vals[:, None])
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        delta = (probs - target) / len(chosen)
        grad = np.zeros((data.size, k))
        np.add.at(grad, cols, delta[owner] * vals[:, None])
        grad += 2 * l2 * matrix
        full = np.vstack([grad, delta.sum(axis=0)])
        m = 0.9 * m + 0.1 * full
        v = 0.999 * v + 0.001 * full**2
        update = 0.05 * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
        matrix -= update[:-1]
        offsets -= update[-1]
    return matrix, offsets


def draft_probabilities(data: Data, weights: np.ndarray, bias: float, drafts: np.ndarray) -> np.ndarray:
    logits = scores(data, weights, bias)
    return _sigmoid(np.asarray([logits[data.draft_ptr[d] : data.draft_ptr[d + 1]].max() for d in drafts]))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


def out_of_fold(
    data: Data, folds: list[np.ndarray], l2: float = L2, steps: int = STEPS, dense_l2: float = DENSE_L2
) -> np.ndarray:
    result = np.zeros(len(data.labels))
    everything = np.arange(len(data.labels))
    for held in folds:
        weights, bias = train(data, np.setdiff1d(everything, held), l2=l2, steps=steps, dense_l2=dense_l2)
        result[held] = draft_probabilities(data, weights, bias, held)
    return result


def stratified_folds(data: Data, k: int = 5) -> list[np.ndarray]:
    rng = np.random.default_rng(SEED)
    folds: list[list[int]] = [[] for _ in range(k)]
    for label in (0.0, 1.0):
        members = np.flatnonzero(data.labels == label)
        rng.shuffle(members)
        for i, d in enumerate(members):
            folds[i % k].append(int(d))
    return [np.asarray(sorted(f)) for f in folds]


def rule_flags(records: list[dict]) -> np.ndarray:
    from bot.phi.scanner import Scanner

    scanner = Scanner(use_classifier=False)
    return np.asarray([scanner.scan(r["text"]).verdict.rank >= 1 for r in records])


def choose_threshold(labels: np.ndarray, runs: list[np.ndarray], max_fpr: float) -> float:
    harmless = labels == 0
    for threshold in np.arange(0.30, 0.991, 0.01):
        if all((run[harmless] >= threshold).mean() <= max_fpr for run in runs):
            return round(float(threshold), 2)
    return 0.99


def report(title: str, data: Data, names: list[str], flags: np.ndarray) -> None:
    print(title)
    for s, name in enumerate([*names, "all"]):
        members = np.arange(len(data.labels)) if name == "all" else np.flatnonzero(data.sets == s)
        positive = members[data.labels[members] == 1]
        negative = members[data.labels[members] == 0]
        print(
            f"  {name:32} recall {flags[positive].mean():.3f}  FPR {flags[negative].mean():.3f}"
            f"  (n {len(members)})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--max-fpr", type=float, default=0.02, help="classifier-alone FPR allowed out of fold"
    )
    parser.add_argument("--no-write", action="store_true", help="report only; leave the weights file alone")
    parser.add_argument("--l2", type=float, default=L2, help=f"L2 penalty (default {L2})")
    parser.add_argument("--steps", type=int, default=STEPS, help=f"Adam steps (default {STEPS})")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the weights")
    parser.add_argument("--no-rules", action="store_true", help="skip the rules-alone comparison")
    parser.add_argument(
        "--no-encoder", action="store_true", help="words only: leave the sentence vectors out"
    )
    parser.add_argument(
        "--dense-l2", type=float, default=DENSE_L2, help=f"L2 of the dense weights ({DENSE_L2})"
    )
    args = parser.parse_args()

    records, names = load_records()
    data, vocabulary = build(records, dense=not args.no_encoder)
    print(f"{len(records)} drafts, {len(data.ptr) - 1} instances, {data.size} features")
    kfold = out_of_fold(data, stratified_folds(data), args.l2, args.steps, args.dense_l2)
    by_set = out_of_fold(
        data, [np.flatnonzero(data.sets == s) for s in range(len(names))], args.l2, args.steps, args.dense_l2
    )
    threshold = choose_threshold(data.labels, [kfold, by_set], args.max_fpr)
    print(f"threshold {threshold} (classifier-alone FPR <= {args.max_fpr} in both cross-validations)")
    report("classifier alone, 5-fold out of fold:", data, names, kfold >= threshold)
    report("classifier alone, leave-one-set-out:", data, names, by_set >= threshold)
    if not args.no_rules:
        rules = rule_flags(records)
        report("rules alone (tuned on every set but train):", data, names, rules)
        report("rules OR classifier, 5-fold out of fold:", data, names, rules | (kfold >= threshold))
        report("rules OR classifier, leave-one-set-out:", data, names, rules | (by_set >= threshold))

    everything = np.arange(len(records))
    weights, bias = train(data, everything, l2=args.l2, steps=args.steps, dense_l2=args.dense_l2)
    matrix, offsets = train_categories(data, weights, bias, everything)
    if args.no_write:
        return 0
    sparse, dense = weights[: data.size], weights[data.size :]
    keep = np.flatnonzero((np.abs(sparse) >= 1e-3) | (np.abs(matrix).max(axis=1) >= 1e-3))
    out = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        vocabulary=np.asarray([vocabulary[i] for i in keep]),
        weights=np.column_stack([sparse[keep], matrix[keep]]).astype(np.float32),
        **({"dense_weights": dense.astype(np.float32)} if len(dense) else {}),
        bias=np.asarray([bias, *offsets], dtype=np.float64),
        threshold=np.asarray(threshold),
    )
    print(f"wrote {out}: {len(keep)} features, {out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
