"""Sentence vectors for the care classifier, from a small sentence encoder run locally.

Words alone only know the wording of the training replies: "We'll have a wheelchair waiting for you at
7" shares no word with "the van will pick you up after your appointment", yet both tell the world that
someone is coming in for care. A sentence encoder places such sentences near each other. phigate ships
a 3-layer encoder distilled from the first 4 layers of sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0,
see data/NOTICE; bench/distill_sentence_encoder.py: same vectors, cosine 0.98, in three quarters of the
time) as an ONNX graph with 8-bit weights, exported by bench/export_sentence_encoder.py, and runs it with
onnxruntime on one thread: about 1 ms for a 20-token sentence, no network, no GPU. The vector of a
sentence is the mean of the encoder's token outputs (as the sentence model pools), scaled to unit length.

The weights use 7 of their 8 bits (onnxruntime's ``reduce_range``). x86 CPUs without VNNI add pairs of
8-bit products in 16 bits, which saturates with full-range weights, so the same graph gave other vectors
there than on a CPU with VNNI, and the classifier's scores moved with the machine (2026-12-02: two
harmless test replies crossed the threshold on an AVX2-only AMD EPYC, with weights trained on an Intel
machine). With 7-bit weights the integer products are exact on both; tests/bot/phi/test_classifier.py
checks that the scores of the training machine are reproduced.

One instance is loaded per process and shared: ``InferenceSession.run`` is safe to call from several
threads.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from bot.phi.wordpiece import WordPiece

GRAPH_FILE = "sentence_encoder.onnx"
VOCABULARY_FILE = "sentence_encoder_vocab.txt"
# The encoder was trained on sentences up to 128 word pieces; a longer sentence is cut there.
MAX_TOKENS = 128
DIMENSION = 384


class SentenceEncoder:
    """Unit-length vectors for sentences; read-only after loading, so safe to share between threads."""

    def __init__(self) -> None:
        import onnxruntime  # type: ignore[import-untyped]

        data = resources.files("bot.phi").joinpath("data")
        vocabulary = data.joinpath(VOCABULARY_FILE).read_text(encoding="utf-8").splitlines()
        self._wordpiece = WordPiece(vocabulary)
        options = onnxruntime.SessionOptions()
        # One core per scan: replicas and request threads provide the parallelism.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            data.joinpath(GRAPH_FILE).read_bytes(), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: list[str]) -> np.ndarray:
        """One unit-length row per text (a text with no word pieces gets a zero row)."""
        vectors = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for row, text in enumerate(texts):
            pieces = self._wordpiece.token_ids(text)[: MAX_TOKENS - 2]
            if not pieces:
                continue
            ids = np.asarray([[self._wordpiece.cls, *pieces, self._wordpiece.sep]], dtype=np.int64)
            pooled = self._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
            vectors[row] = unit(pooled)
        return vectors


def unit(vector: np.ndarray) -> np.ndarray:
    """``vector`` scaled to length 1 (a zero vector stays zero)."""
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


@lru_cache(maxsize=1)
def shared_encoder() -> SentenceEncoder:
    """The process's encoder, loaded on first use."""
    return SentenceEncoder()
