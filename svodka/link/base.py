"""Across articles: one object that links each new article into the corpus.

`Linker.link(article)` does three things, in ingestion order and never from scratch: corpus
entities (stable ids), duplicates and reprints, and the story the article belongs to. Its
state is plain data; the store keeps a snapshot of it plus per-article rows written in the
article's own transaction, and replays the articles stored after the last snapshot, so a
killed run resumes to exactly the state an unbroken one would have.
"""
from __future__ import annotations

import base64
from dataclasses import asdict, dataclass
from typing import Any

from svodka.link.duplicates import DuplicateIndex, DupMatch, _Member
from svodka.link.entities import Aliases, CorpusEntities
from svodka.link.stories import StoryAssignment, StoryIndex
from svodka.record import Article

STATE_VERSION = 1


@dataclass(frozen=True, slots=True)
class LinkResult:
    article_id: str
    entities: dict[str, str]  # article entity id -> corpus entity id
    duplicate: DupMatch | None
    story: StoryAssignment
    changed_entities: list[dict[str, Any]]  # corpus entity records to upsert
    removed_entities: list[str]  # corpus ids merged away
    story_record: dict[str, Any]  # the story after this article joined


class Linker:
    def __init__(self, entities: CorpusEntities | None = None, duplicates: DuplicateIndex | None = None,
                 stories: StoryIndex | None = None) -> None:
        self.entities = entities or CorpusEntities()
        self.duplicates = duplicates or DuplicateIndex()
        self.stories = stories or StoryIndex()

    def link(self, article: Article) -> LinkResult:
        ents = self.entities.link_article(article)
        dup = self.duplicates.add_article(article)
        # A duplicate joins its original's story rather than starting or weighting one.
        if dup is not None and dup.original in self.stories.story_of and dup.original != article.id:
            sid = self.stories.story_of[dup.original]
            self.stories.story_of[article.id] = sid
            self.stories.stories[sid].articles.append(article.id)
            story = StoryAssignment(sid, False, dup.similarity)
        else:
            story = self.stories.add(article)
        changed = self.entities.changed()
        records = [self.entities.entities[i].record() for i in sorted(changed) if i in self.entities.entities]
        removed = sorted(i for i in changed if i not in self.entities.entities)
        return LinkResult(article.id, ents, dup, story, records, removed,
                          asdict(self.stories.stories[story.story_id]))

    def state(self) -> dict[str, Any]:
        d = self.duplicates
        return {
            "version": STATE_VERSION,
            "entities": self.entities.to_state(),
            "stories": self.stories.state(),
            "duplicates": {
                "threshold": d.threshold,
                "signatures": {k: base64.b64encode(v).decode() for k, v in d.signatures.items()},
                "bands": d.bands, "hashes": d.hashes, "originals": d.originals,
                "members": {k: [m.group, m.published, m.outlet, m.order] for k, m in d.members.items()},
            },
        }

    @classmethod
    def from_state(cls, state: dict[str, Any] | None, aliases: Aliases | None = None) -> Linker:
        if not state:
            return cls(CorpusEntities(aliases))
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"link state: expected version {STATE_VERSION}, got {state.get('version')!r}")
        raw = state["duplicates"]
        dups = DuplicateIndex(
            threshold=raw["threshold"],
            signatures={k: base64.b64decode(v) for k, v in raw["signatures"].items()},
            bands=raw["bands"], hashes=raw["hashes"], originals=raw["originals"],
            members={k: _Member(*v) for k, v in raw["members"].items()},
        )
        return cls(CorpusEntities.from_state(state["entities"], aliases), dups,
                   StoryIndex.from_state(state["stories"]))
