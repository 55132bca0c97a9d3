"""The one adapter over natasha (NER, sentence and token segmentation, pymorphy2 morphology).

natasha's own types stay inside this module: callers get tuples and `Parse` records.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads: one thread is faster here

from collections.abc import Iterable, Iterator  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from functools import lru_cache  # noqa: E402

from natasha import MorphVocab, NewsEmbedding, NewsNERTagger, Segmenter  # noqa: E402
from pymorphy2.analyzer import Parse as _PymorphyParse  # noqa: E402


@dataclass(frozen=True, slots=True)
class Parse:
    """One morphological reading of a word."""

    normal: str
    tags: frozenset[str]  # OpenCorpora grammemes: NOUN, ADJF, Name, Surn, Patr, Geox, nomn, gent, masc, ...
    score: float
    _form: object  # the library's own parse, only for inflect()


class Natasha:
    """Loaded once per process: the embedding and tagger take about a second."""

    def __init__(self) -> None:
        emb = NewsEmbedding()
        self._ner = NewsNERTagger(emb)
        self._seg = Segmenter()
        self._morph = MorphVocab()
        self.parse = lru_cache(maxsize=200_000)(self._parse)
        # Several stages segment the same paragraphs (roles, quotes, events): do it once.
        self.sentences = lru_cache(maxsize=8192)(self._sentences)
        self.tokens = lru_cache(maxsize=8192)(self._tokens)

    def ner(self, texts: list[str]) -> Iterator[list[tuple[int, int, str]]]:
        """(start, end, type) spans for each text; empty texts get none (the tagger fails on them)."""
        todo = [t for t in texts if t.strip()]
        results = iter(self._ner.map(todo)) if todo else iter(())
        for t in texts:
            if not t.strip():
                yield []
                continue
            yield [(s.start, s.stop, s.type) for s in next(results).spans]

    def _sentences(self, text: str) -> tuple[tuple[int, int], ...]:
        """(start, end) of each sentence; cached, so treat the result as read-only."""
        return tuple((s.start, s.stop) for s in self._seg.sentenize(text))

    def _tokens(self, text: str) -> tuple[tuple[int, int, str], ...]:
        """(start, end, text) of each token; cached, so treat the result as read-only."""
        return tuple((t.start, t.stop, t.text) for t in self._seg.tokenize(text))

    def _parse(self, word: str) -> tuple[Parse, ...]:
        out = []
        for p in self._morph.parse(word):
            out.append(Parse(p.normal_form, frozenset(p.tag._grammemes_tuple), float(p.score), p))
        return tuple(out)

    def known(self, word: str) -> bool:
        """Whether the dictionary has the word, rather than guessing from its ending."""
        return bool(self._morph.word_is_known(word.lower()))

    @staticmethod
    def inflect(parse: Parse, grams: Iterable[str]) -> str | None:
        form = _PymorphyParse.inflect(parse._form, set(grams))  # type: ignore[arg-type]
        return form.word if form is not None else None


_INSTANCE: Natasha | None = None


def natasha() -> Natasha:
    global _INSTANCE
    if _INSTANCE is None:
        _INSTANCE = Natasha()
    return _INSTANCE
