"""Exact and near duplicates, reprints among them, through MinHash (datasketch) over word 5-shingles.

The one adapter over datasketch: its types stay here, callers get tuples of ints and strings.

- `signature(article_or_text)`: MinHash of the word 5-shingles of the normalised body text, with
  `PERMUTATIONS` permutations and a fixed seed (datasketch hashes with SHA-1 and draws the
  permutations from numpy's seeded generator), so it is stable across runs and processes.
- `band_keys(sig)`: the LSH bands. Two articles whose Jaccard similarity reaches `THRESHOLD`
  share at least one band key with probability ≥ 0.92 (1.0 from 0.8 up); the store keeps
  (band_key, article_id) rows in an indexed table and verifies the articles sharing a key.
- `similarity(a, b)`: the estimated Jaccard similarity of two signatures.
- `DuplicateIndex`: the in-memory reference the store mirrors.

A duplicate group has one original: its earliest published member, ties broken by ingestion
order; members without a date count as later than any dated one. When an article published
earlier than the group's original arrives later (a crawler reaching an archive), it becomes the
original and `DupMatch.displaced` names the former one, so the store updates the group's row.
"""
from __future__ import annotations

import hashlib
import os
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

import numpy as np
from datasketch import MinHash, MinHashLSH

from svodka.link.similarity import body_paragraphs
from svodka.record import Article
from svodka.store.normalize import WORD, normalize_word

Signature = tuple[int, ...]

PERMUTATIONS = 128
SEED = 20240501
SHINGLE = 5  # words
THRESHOLD = 0.7  # estimated Jaccard at or above which two texts are near duplicates
# Missing a duplicate costs more than verifying a candidate, so the banding favours recall.
_LSH_WEIGHTS = (0.1, 0.9)
_SCHEME = "affine32"


@lru_cache(maxsize=1)
def _template() -> MinHash:
    return MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=_SCHEME)


@lru_cache(maxsize=4)
def bands(threshold: float = THRESHOLD) -> tuple[int, int]:
    """(bands, rows per band) that datasketch finds best for `threshold` with `PERMUTATIONS`."""
    lsh = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS, weights=_LSH_WEIGHTS)
    return lsh.b, lsh.r


def _words(article_or_text: Article | str) -> list[str]:
    if isinstance(article_or_text, Article):
        paras = body_paragraphs(article_or_text) or [article_or_text.title or ""]
        text = "\n".join(paras)
    else:
        text = article_or_text
    return [normalize_word(w.lower()) for w in WORD.findall(text)]  # case says nothing about copying


def shingles(article_or_text: Article | str) -> set[str]:
    """Word 5-shingles of the normalised text; a text shorter than that is one shingle."""
    words = _words(article_or_text)
    if len(words) < SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def signature(article_or_text: Article | str) -> Signature:
    """The MinHash of the text's shingles; empty for a text without words."""
    found = shingles(article_or_text)
    if not found:
        return ()
    template = _template()
    mh = MinHash(num_perm=PERMUTATIONS, seed=SEED, permutations=template.permutations, scheme=_SCHEME)
    mh.update_batch([s.encode("utf-8") for s in sorted(found)])
    return tuple(int(v) for v in mh.hashvalues)


def content_hash(article_or_text: Article | str) -> str:
    """SHA-1 of the normalised words: equal for texts that differ only in case, ё, punctuation, spacing."""
    return hashlib.sha1(" ".join(_words(article_or_text)).encode("utf-8")).hexdigest()


def band_keys(sig: Signature, threshold: float = THRESHOLD) -> list[str]:
    """One key per band: band number, then 16 hex digits of a hash of the band's values."""
    if not sig:
        return []
    b, r = bands(threshold)
    keys = []
    for i in range(b):
        digest = hashlib.blake2b(struct.pack(f"<{r}I", *sig[i * r : (i + 1) * r]), digest_size=8).hexdigest()
        keys.append(f"{i:02d}{digest}")
    return keys


def similarity(sig_a: Sequence[int], sig_b: Sequence[int]) -> float:
    """Estimated Jaccard similarity: the share of permutations whose minima agree."""
    if not sig_a or not sig_b:
        return 0.0
    if len(sig_a) != len(sig_b):
        raise ValueError(f"signatures of {len(sig_a)} and {len(sig_b)} values; expected {PERMUTATIONS} each")
    return _agree(np.asarray(sig_a, dtype=np.uint32), np.asarray(sig_b, dtype=np.uint32))


def _agree(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def outlet(article: Article) -> str:
    """Who published it: the URL's host without «www.», else the folder of the source file."""
    where = article.url or article.source
    if "://" in where:
        return (urlsplit(where).hostname or "").lower().removeprefix("www.")
    path = re.sub(r":\d+$", "", where)  # «file.jsonl:12» is line 12 of file.jsonl
    return os.path.dirname(path) or path


@dataclass(frozen=True, slots=True)
class DupMatch:
    """The new article duplicates an earlier one."""

    article: str
    original: str  # the group's original after this article joined (may be the article itself)
    matched: str  # the member it is most alike
    similarity: float
    exact: bool  # same normalised words
    reprint: bool  # published by another outlet than the original (or, when it is the original, the former one)
    displaced: str | None = None  # the former original, when this article is older and took its place


@dataclass(slots=True)
class _Member:
    group: str  # the group's id: its first ingested member
    published: str | None
    outlet: str
    order: int


@dataclass(slots=True)
class DuplicateIndex:
    """Signatures, band keys and groups in memory; everything a store needs lives in these fields."""

    threshold: float = THRESHOLD
    signatures: dict[str, bytes] = field(default_factory=dict)  # article id -> packed uint32 values
    # band key -> article id, or ids once several share it (most keys have one: a list each would
    # double the index's memory)
    bands: dict[str, str | list[str]] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)  # content hash -> first article id
    members: dict[str, _Member] = field(default_factory=dict)
    originals: dict[str, str] = field(default_factory=dict)  # group id -> original article id

    def add_article(self, article: Article) -> DupMatch | None:
        return self.add(article.id, signature(article), article.published, outlet(article), content_hash(article))

    def add(self, article_id: str, sig: Signature, published: str | None, outlet: str = "",
            digest: str | None = None) -> DupMatch | None:
        """Index the article; return its match when it duplicates an earlier one."""
        if article_id in self.members:
            raise ValueError(f"article {article_id!r} is already in the duplicate index")
        best = self.hashes.get(digest) if digest and sig else None
        exact = best is not None
        score = 1.0 if exact else 0.0
        keys = band_keys(sig, self.threshold)
        if best is None:
            best, score = self._nearest(sig, keys)
        packed = np.asarray(sig, dtype=np.uint32).tobytes()
        self.signatures[article_id] = packed
        for key in keys:
            held = self.bands.get(key)
            if held is None:
                self.bands[key] = article_id
            elif isinstance(held, str):
                self.bands[key] = [held, article_id]
            else:
                held.append(article_id)
        if digest and sig:
            self.hashes.setdefault(digest, article_id)
        group = self.members[best].group if best else article_id
        self.members[article_id] = _Member(group, published, outlet, len(self.members))
        if best is None:
            self.originals[article_id] = article_id
            return None
        return self._join(article_id, group, best, score, exact)

    def _nearest(self, sig: Signature, keys: list[str]) -> tuple[str | None, float]:
        seen: set[str] = set()
        mine = np.asarray(sig, dtype=np.uint32)
        best, best_score = None, 0.0
        for key in keys:
            held = self.bands.get(key, ())
            for other in (held,) if isinstance(held, str) else held:
                if other in seen:
                    continue
                seen.add(other)
                s = _agree(mine, np.frombuffer(self.signatures[other], dtype=np.uint32))
                # Equal scores: the earlier ingested wins, and `seen` is not in ingestion order.
                if s >= self.threshold and (best is None or (s, -self.members[other].order)
                                            > (best_score, -self.members[best].order)):
                    best, best_score = other, s
        return best, best_score

    def _join(self, article_id: str, group: str, matched: str, score: float, exact: bool) -> DupMatch:
        current = self.originals[group]
        new, old = self.members[article_id], self.members[current]
        displaced = None
        if _earlier(new, old):
            self.originals[group] = article_id
            displaced = current
        original = self.originals[group]
        other = self.members[displaced] if displaced else self.members[original]
        return DupMatch(article_id, original, matched, score, exact, reprint=new.outlet != other.outlet,
                        displaced=displaced)

    def original(self, article_id: str) -> str:
        return self.originals[self.members[article_id].group]

    def group(self, article_id: str) -> list[str]:
        """The article's duplicate group in ingestion order."""
        gid = self.members[article_id].group
        return [a for a, m in self.members.items() if m.group == gid]


def _earlier(a: _Member, b: _Member) -> bool:
    """Published first; an undated member is later than any dated one; then ingestion order."""
    return (a.published is None, a.published or "", a.order) < (b.published is None, b.published or "", b.order)
