"""Corpus entities: each article's entities linked to one entity across the corpus.

`CorpusEntities.link_article(article)`, articles in ingestion order, returns {article entity
id: corpus entity id}. Names meet through the keys of `link.names` (case forms, abbreviations,
countries, Latin and Belarusian spellings). A person joins one with the same surname key unless
first name or initial, gender, or (for a bare surname) role heads disagree; of several, the most
prominent in the article's time neighbourhood (mentions within `NEIGHBOURHOOD_MONTHS`; all for
an undated article). An organisation or place joins one with the same name or initialism key;
in one article a country-less «МИД» joins the article's only «МИД X».

Ids are stable: type and Latin slug of the first canonical name seen, «-2», «-3» on collision
(«per:aleksandr-lukashenko», «org:mid-rossii»). They depend only on the order of linking, never
on hashing: the same articles in the same order give the same ids in any process, and
`from_state(to_state())` carries on exactly. Roles are kept with the article's date; one the
text marks as former («тогдашний», «бывший», «экс-») is past and does not count for
`who_held(role, date)`, which answers from the corpus's own dated statements only.

State (`to_state()`; plain JSON-serialisable dicts and lists)::

    {"version": 1,
     "meta": {"aliases": {"merge": [...], "split": [...]}, "forced": {bucket: id}, "redirects": {old: id}},
     "entities": [{"id", "type", "pinned", "names": {canonical name: n}, "forms": {surface form: n},
                   "roles": {role: {"dates": {date: n}, "past": {date: n}, "recent": [[date, article_id, past]]}},
                   "dates": {"YYYY-MM-DD" or "": mentions}, "co": {id: articles}}, ...],
     "links": [[article_id, article_entity_id, corpus_id], ...]}

In SQLite: `corpus_meta` (`meta()` as JSON), `corpus_entities` (id key, `entities[id].record()`
as JSON, upserted for the ids of `changed()`), `corpus_links` (append `links(article_id)`);
`from_state` takes the dict rebuilt from them and derives the indexes (surname, name, initialism,
role keys). Co-mentions keep about the top `CO_KEEP` per entity.

Alias file (TOML, `load_aliases(path)`)::

    [[merge]]                 # one entity, whatever the rules say
    names = ["Лукашенко", "Lukashenko", "Лукашэнка"]
    type = "PER"              # optional: PER, ORG or LOC
    [[split]]                 # each name its own entity, which nothing joins by surname or key:
    names = ["Иванов"]        # a bare «Иванов» stays apart from every full-name Иванов
    [[split]]                 # one name, several people told apart by the roles stated
    name = "Сергей Иванов"
    roles = ["министр обороны", "футболист"]   # a mention with neither role: the first

Merges also join entities of a loaded state (later ids redirect); splits apply from then on.
"""
from __future__ import annotations

import copy
import re
from collections import Counter
from typing import Any

from svodka.link.names import (
    Aliases,
    alias_key,
    article_siblings,
    full_initials,
    index_keys,
    load_aliases,
    lookup_keys,
    main_country,
    name_key,
    past_role,
    person_parts,
    role_head,
    role_key,
    roles_conflict,
)
from svodka.link.translit import first_names_agree, slug
from svodka.record import Article, Entity

VERSION = 1
NEIGHBOURHOOD_MONTHS = 3
CO_KEEP = 300
RECENT_ROLES = 10
__all__ = ["Aliases", "CorpusEntities", "CorpusEntity", "load_aliases"]


def _add(counts: dict[str, int], key: str, n: int = 1) -> None:
    counts[key] = counts.get(key, 0) + n


class CorpusEntity:
    """One entity across the corpus: `record()` is persisted, the rest is derived from it."""

    __slots__ = ("id", "type", "names", "forms", "roles", "dates", "co", "articles", "pinned",
                 "firsts", "initials", "patronymics", "female", "heads", "months", "total")

    def __init__(self, id: str, type: str, pinned: bool = False) -> None:
        self.id, self.type, self.pinned = id, type, pinned
        self.names: dict[str, int] = {}
        self.forms: dict[str, int] = {}
        self.roles: dict[str, dict[str, Any]] = {}
        self.dates: dict[str, int] = {}
        self.co: dict[str, int] = {}
        self.articles: list[str] = []
        self.firsts: Counter[str] = Counter()
        self.initials: set[str] = set()
        self.patronymics: set[str] = set()
        self.female: Counter[bool] = Counter()
        self.heads: set[str] = set()
        self.months: Counter[str] = Counter()
        self.total = 0

    @property
    def name(self) -> str:
        """The display name: the most frequent canonical name, for a person a full one first."""
        order = list(self.names)
        full = self.type == "PER"
        return max(order, key=lambda n: (full and len(n.split()) > 1 and "." not in n, self.names[n], -order.index(n)))

    def record(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "pinned": self.pinned, "names": self.names, "forms": self.forms,
                "roles": self.roles, "dates": self.dates, "co": self.co}

    @classmethod
    def from_record(cls, d: dict[str, Any]) -> CorpusEntity:
        e = cls(d["id"], d["type"], d.get("pinned", False))
        e.absorb(d)
        return e

    def absorb(self, d: dict[str, Any]) -> None:
        """Add another record's counts to this one (loading, or a merge)."""
        for n, k in d["names"].items():
            self.add_name(n, k)
        for f, k in d["forms"].items():
            _add(self.forms, f, k)
        for date, k in d["dates"].items():
            self.add_mentions(date, k)
        for b, k in d["co"].items():
            _add(self.co, b, k)
        for role, v in d["roles"].items():
            r = self.roles.setdefault(role, {"dates": {}, "past": {}, "recent": []})
            for part in ("dates", "past"):
                for date, k in v[part].items():
                    _add(r[part], date, k)
            r["recent"] = sorted(r["recent"] + [list(x) for x in v["recent"]])[-RECENT_ROLES:]
            if h := role_head(role):
                self.heads.add(h)

    def add_name(self, name: str, count: int = 1) -> None:
        _add(self.names, name, count)
        if self.type == "PER":
            p = person_parts(name)
            if p.first:
                self.firsts[p.first] += count
            if p.initial:
                self.initials.add(p.initial)
            if p.patronymic:
                self.patronymics.add(p.patronymic)
            if p.female is not None:
                self.female[p.female] += count

    def add_mentions(self, date: str, count: int) -> None:
        _add(self.dates, date, count)
        self.months[date[:7]] += count
        self.total += count

    def gender(self) -> bool | None:
        return None if not self.female else self.female[True] > self.female[False]

    def nearby(self, month: str) -> int:
        """Mentions within NEIGHBOURHOOD_MONTHS of `month` (YYYY-MM); all of them when undated."""
        if not month:
            return self.total
        at = int(month[:4]) * 12 + (int(month[5:7]) - 1 if len(month) >= 7 else 6)
        return sum(self.months.get(f"{m // 12:04d}-{m % 12 + 1:02d}", 0)
                   for m in range(at - NEIGHBOURHOOD_MONTHS, at + NEIGHBOURHOOD_MONTHS + 1))


class CorpusEntities:
    """The corpus-level entity linker and its state."""

    def __init__(self, aliases: Aliases | None = None) -> None:
        self.aliases = aliases or Aliases()
        self.entities: dict[str, CorpusEntity] = {}
        self.forced: dict[str, str] = {}  # alias bucket -> entity id
        self.redirects: dict[str, str] = {}  # merged-away id -> id
        self.by_surname: dict[str, list[str]] = {}
        self.by_key: dict[tuple[str, str], list[str]] = {}  # (type, name or initialism key) -> ids
        self.by_role: dict[str, dict[str, Counter[str]]] = {}  # role key -> id -> current statements by date
        self._links: dict[str, list[tuple[str, str]]] = {}
        self._changed: set[str] = set()

    # -- linking -----------------------------------------------------------------------------

    def link_article(self, article: Article) -> dict[str, str]:
        """Link the article's entities; {article entity id: corpus entity id}. Linking the same
        article id again returns the first answer and changes nothing."""
        if article.id in self._links:
            return dict(self.links(article.id))
        date = _date(article.published)
        later = article_siblings(article.entities)
        country = main_country(article.entities)
        out: dict[str, str] = {}
        for e in sorted(article.entities, key=lambda x: x.id in later):
            forced = self.aliases.bucket(e)
            sib = None if forced else out.get(later.get(e.id, ""))
            cid = sib or (self._forced(forced[0]) if forced else self._find(e, date, country)) \
                or self._create(e, forced)
            out[e.id] = cid
            self._record(self.entities[cid], e, article, date)
        links = [(e.id, out[e.id]) for e in article.entities]
        self._links[article.id] = links
        self._co_mention(list(dict.fromkeys(c for _, c in links)))
        return dict(links)

    def _forced(self, bucket: str) -> str | None:
        return self.resolve(self.forced[bucket]) if bucket in self.forced else None

    def _find(self, e: Entity, date: str, country: str | None) -> str | None:
        return self._person(e, date) if e.type == "PER" else self._named(e, country)

    def _person(self, e: Entity, date: str) -> str | None:
        p = person_parts(e.name)
        heads = {h for r in e.roles if (h := role_head(r))}
        scored: list[tuple[tuple[int, int, int, int], str]] = []
        for i, cid in enumerate(self.by_surname.get(p.surname or "", [])):
            c = self.entities[cid]
            g = c.gender()
            if c.pinned or (p.female is not None and g is not None and g != p.female):
                continue
            if p.first and c.firsts and not any(first_names_agree(p.first, f) for f in c.firsts):
                continue
            if p.initial and c.initials and p.initial not in c.initials:
                continue
            if (not p.first or not c.firsts) and roles_conflict(heads, c.heads):
                continue
            strength = 2 if p.first and c.firsts else 1
            # A patronymic only ranks: a wrong one read by NER must not split a well-known person.
            pat = p.patronymic is not None and any(first_names_agree(p.patronymic, x) for x in c.patronymics)
            scored.append(((strength, pat + len(heads & c.heads), c.nearby(date[:7]), -i), cid))
        return max(scored)[1] if scored else None

    def _named(self, e: Entity, country: str | None) -> str | None:
        keys = lookup_keys(e.name)
        toks = name_key(e.name)[2:].split()
        if e.type == "ORG" and country and toks and not any(t.startswith("@") for t in toks):
            # A country-less «МВД» in an article about Kyrgyzstan is «МВД Киргизии» when the corpus knows it.
            keys = ["n:" + " ".join(sorted([*toks, country])), *keys]
        other = "LOC" if e.type == "ORG" else "ORG"
        mine = full_initials(e.name)
        # NER calls one name a place here and an organisation there: a name key may cross over.
        for t, k in [(e.type, k) for k in keys] + [(other, k) for k in keys if k.startswith("n:")]:
            ids = [i for i in self.by_key.get((t, k), []) if not self.entities[i].pinned]
            if k[0] in "aA" and mine:
                # Initials join a full name to a short form, never two different full names.
                ids = [i for i in ids if not any(mine.get(a, nk) != nk for n in self.entities[i].names
                                                 for a, nk in full_initials(n).items())]
            if ids:
                return max(ids, key=lambda i: (self.entities[i].total, -ids.index(i)))
        return None

    def _create(self, e: Entity, forced: tuple[str, bool] | None) -> str:
        base = f"{e.type.lower()}:{slug(e.name)}"
        cid, n = base, 1
        while cid in self.entities or cid in self.redirects:
            n += 1
            cid = f"{base}-{n}"
        c = self.entities[cid] = CorpusEntity(cid, e.type, pinned=bool(forced and forced[1]))
        if forced is not None:
            self.forced[forced[0]] = cid
            if forced[0].startswith("merge:"):
                for name in self.aliases.merge[int(forced[0][6:])]["names"]:
                    self._index_name(c, name)
        return cid

    def _record(self, c: CorpusEntity, e: Entity, article: Article, date: str) -> None:
        self._changed.add(c.id)
        if e.name not in c.names:
            self._index_name(c, e.name)
        c.add_name(e.name)
        for m in e.mentions:
            if m.kind == "name":
                _add(c.forms, m.text)
        c.add_mentions(date, len(e.mentions))
        if not c.articles or c.articles[-1] != article.id:
            c.articles.append(article.id)
        for role in e.roles:
            past = past_role(article.paragraphs, e.mentions, role)
            r = c.roles.setdefault(role, {"dates": {}, "past": {}, "recent": []})
            _add(r["past"] if past else r["dates"], date)
            r["recent"] = (r["recent"] + [[date, article.id, past]])[-RECENT_ROLES:]
            if h := role_head(role):
                c.heads.add(h)
            if not past:
                self.by_role.setdefault(role_key(role), {}).setdefault(c.id, Counter())[date] += 1

    def _index_name(self, c: CorpusEntity, name: str) -> None:
        if c.type == "PER":
            sur = person_parts(name).surname
            if sur and c.id not in (ids := self.by_surname.setdefault(sur, [])):
                ids.append(c.id)
            return
        for k in index_keys(name):
            if c.id not in (ids := self.by_key.setdefault((c.type, k), [])):
                ids.append(c.id)

    def _co_mention(self, ids: list[str]) -> None:
        for a in ids:
            c = self.entities[a]
            co = c.co
            for b in ids:
                if b != a:
                    co[b] = co.get(b, 0) + 1
            if len(c.co) > 2 * CO_KEEP:
                c.co = dict(sorted(c.co.items(), key=lambda kv: -kv[1])[:CO_KEEP])

    # -- questions ---------------------------------------------------------------------------

    def resolve(self, entity_id: str) -> str:
        """The current id of an entity that a merge may have redirected."""
        for _ in range(100):
            if entity_id not in self.redirects:
                break
            entity_id = self.redirects[entity_id]
        return entity_id

    def links(self, article_id: str) -> list[tuple[str, str]]:
        """[(article entity id, corpus entity id)] of a linked article, in the article's order."""
        return [(a, self.resolve(c)) for a, c in self._links.get(article_id, [])]

    def who_held(self, role: str, date: str | None) -> str | None:
        """The corpus entity the articles call `role` at `date` (YYYY-MM-DD or a prefix of it).

        A holder's dated statements span a term; of those whose term covers `date`, the one stated
        last before it; else the last one stated before it; else the first stated after it. Without
        a date or a dated statement: the one stated most often. None when no article states it."""
        holders = self.by_role.get(role_key(role))
        if not holders:
            return None
        dated = {cid: sorted(d for d in ds if d) for cid, ds in holders.items()}
        dated = {cid: ds for cid, ds in dated.items() if ds}
        if not date or not dated:
            return self.resolve(max(holders, key=lambda cid: (sum(holders[cid].values()), max(holders[cid]))))
        before = {cid: max(b) for cid, ds in dated.items() if (b := [d for d in ds if d <= date or d.startswith(date)])}
        covering = [cid for cid in before if dated[cid][-1] >= date]
        if before:
            return self.resolve(max(covering or before, key=lambda cid: (before[cid], len(dated[cid]))))
        return self.resolve(min(dated, key=lambda cid: dated[cid][0]))

    def lookup(self, name: str, type: str | None = None) -> list[str]:
        """Corpus entity ids a user-typed name may mean, most mentioned first."""
        out: list[str] = []
        for t in [type] if type else ["PER", "ORG", "LOC"]:
            e = Entity(id="", name=name, type=t)  # type: ignore[arg-type]
            forced = self.aliases.bucket(e)
            out += [x] if forced and (x := self._forced(forced[0])) else []
            if t == "PER":
                p = person_parts(name)
                out += [i for i in self.by_surname.get(p.surname or "", []) if not p.first
                        or not self.entities[i].firsts or any(first_names_agree(p.first, f)
                                                              for f in self.entities[i].firsts)]
            else:
                out += [i for k in lookup_keys(name) for i in self.by_key.get((t, k), [])]
        return sorted(dict.fromkeys(out), key=lambda i: -self.entities[i].total)

    def profile(self, entity_id: str, top: int = 10) -> dict[str, Any]:
        """Variants, roles with dates, mentions per month, top co-mentioned entities, article ids."""
        c = self.entities[self.resolve(entity_id)]
        months: Counter[str] = Counter()
        for d, n in c.dates.items():
            months[d[:7] or "undated"] += n
        roles = []
        for role, r in c.roles.items():
            dated = sorted(d for d in [*r["dates"], *r["past"]] if d)
            roles.append({"role": role, "first": dated[0] if dated else None, "last": dated[-1] if dated else None,
                          "count": sum(r["dates"].values()), "past": sum(r["past"].values()),
                          "statements": [list(s) for s in r["recent"]]})
        roles.sort(key=lambda x: (x["last"] or "", x["count"]), reverse=True)
        together: Counter[str] = Counter()
        for i, n in c.co.items():
            if self.resolve(i) != c.id:
                together[self.resolve(i)] += n
        co = sorted(together.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        seen = Counter({**c.forms}) + Counter(c.names)
        return {"id": c.id, "type": c.type, "name": c.name, "variants": [v for v, _ in seen.most_common()],
                "names": dict(c.names), "roles": roles, "mentions": c.total,
                "mentions_by_month": dict(sorted(months.items())),
                "co_mentioned": [{"id": i, "name": self.entities[i].name, "articles": n} for i, n in co],
                "articles": list(c.articles)}

    # -- state -------------------------------------------------------------------------------

    def changed(self) -> set[str]:
        """Ids whose record changed since the last call, for row-by-row upserts (an id no longer in
        `entities` was merged away: delete its row); clears the set."""
        out, self._changed = self._changed, set()
        return out

    def meta(self) -> dict[str, Any]:
        return {"aliases": self.aliases.to_dict(), "forced": dict(self.forced), "redirects": dict(self.redirects)}

    def to_state(self) -> dict[str, Any]:
        return {"version": VERSION, "meta": self.meta(),
                "entities": [copy.deepcopy(c.record()) for c in self.entities.values()],
                "links": [[a, e, c] for a, ls in self._links.items() for e, c in ls]}

    @classmethod
    def from_state(cls, state: dict[str, Any], aliases: Aliases | None = None) -> CorpusEntities:
        """Rebuild from `to_state()` output; `aliases` replaces the saved ones (merges apply now)."""
        if state.get("version") != VERSION:
            raise ValueError(f"corpus entity state: expected version {VERSION}, got {state.get('version')!r}")
        meta = state["meta"]
        self = cls(Aliases(meta["aliases"].get("merge"), meta["aliases"].get("split")))
        self.forced, self.redirects = dict(meta["forced"]), dict(meta["redirects"])
        for d in state["entities"]:
            c = self.entities[d["id"]] = CorpusEntity.from_record(d)
            for n in c.names:
                self._index_name(c, n)
            for role, r in c.roles.items():
                for date, k in r["dates"].items():
                    self.by_role.setdefault(role_key(role), {}).setdefault(c.id, Counter())[date] += k
        for a, e, cid in state.get("links", []):
            self._links.setdefault(a, []).append((e, cid))
            arts = self.entities[self.resolve(cid)].articles
            if not arts or arts[-1] != a:
                arts.append(a)
        if aliases is not None:
            self.apply_aliases(aliases)
        return self

    def apply_aliases(self, aliases: Aliases) -> None:
        """Use new aliases from now on; the entities a merge names are merged into the earliest."""
        self.aliases = aliases
        for i, m in enumerate(aliases.merge):
            keys = {alias_key(n, t) for n in m["names"] for t in ("PER", "ORG", "LOC")}
            ids = [c.id for c in self.entities.values() if m.get("type") in (None, c.type)
                   and any(alias_key(n, c.type) in keys for n in c.names)]
            if ids:
                self.forced[f"merge:{i}"] = ids[0]
                for other in ids[1:]:
                    self._merge(ids[0], other)
                for n in m["names"]:
                    self._index_name(self.entities[ids[0]], n)

    def _merge(self, keep_id: str, other_id: str) -> None:
        keep, other = self.entities[keep_id], self.entities.pop(other_id)
        keep.absorb(other.record())
        keep.articles = list(dict.fromkeys(keep.articles + other.articles))
        self.redirects[other_id] = keep_id
        for holders in self.by_role.values():
            if other_id in holders:
                holders.setdefault(keep_id, Counter()).update(holders.pop(other_id))
        for listed in [*self.by_surname.values(), *self.by_key.values()]:
            if other_id in listed:
                listed[:] = dict.fromkeys(keep_id if x == other_id else x for x in listed)
        self._changed |= {keep_id, other_id}


def _date(published: str | None) -> str:
    """YYYY-MM-DD or a prefix of it; "" when the article has no date."""
    if published and re.match(r"^\d{4}(-\d{2}){0,2}$", published[:10]):
        return published[:10]
    return ""
