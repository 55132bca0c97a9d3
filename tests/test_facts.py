"""Quotes and events in the store: queries by speaker, actor, target, type and date."""
from __future__ import annotations

import pytest

from svodka.record import Article, Entity, Event, Quote, Span
from svodka.store.base import open_store

P = "Касым-Жомарт Токаев заявил, что переговоры прошли успешно. Лукашенко встретился с Токаевым в Астане."


def article(aid: str, published: str | None, quote_text: str, speaker: str) -> Article:
    q_start = P.index(quote_text)
    met = P.index("встретился")
    sent = P.index("Лукашенко")
    return Article(
        id=aid, source=f"{aid}.txt", paragraphs=[P], published=published, published_from="argument",
        entities=[Entity("e1", "Касым-Жомарт Токаев", "PER", mentions=[Span(0, 0, 18, P[:18])]),
                  Entity("e2", "Александр Лукашенко", "PER", mentions=[Span(0, sent, sent + 9, "Лукашенко")])],
        quotes=[Quote(0, q_start, q_start + len(quote_text), quote_text, "indirect", "e1", speaker,
                      cue=Span(0, 20, 26, "заявил"))],
        events=[Event("meet", Span(0, met, met + 10, "встретился"), Span(0, sent, len(P), P[sent:]),
                      actor="e2", target="e1", date=published, actor_name="Александр Лукашенко",
                      target_name="Касым-Жомарт Токаев", place_name="Астана", actor_rank="президент")],
    )


@pytest.fixture()
def store(tmp_path):
    s = open_store(str(tmp_path / "f.db"))
    s.put(article("a1", "2024-01-10", "переговоры прошли успешно", "Касым-Жомарт Токаев"))
    s.put(article("a2", "2024-03-05", "переговоры прошли", "Касым-Жомарт Токаев"))
    yield s
    s.close()


@pytest.mark.parametrize("speaker", ["Токаев", "Токаевым", "токаеву", "Касым-Жомарт Токаев", "Касым-Жомарта Токаева"])
def test_speaker_in_any_case_form(store, speaker):
    assert [q.article_id for q in store.quotes(speaker=speaker)] == ["a2", "a1"]


def test_quote_filters(store):
    assert store.quotes(speaker="Лукашенко") == []
    assert [q.article_id for q in store.quotes(since="2024-02-01")] == ["a2"]
    assert [q.article_id for q in store.quotes(search="успешного")] == ["a1"]
    assert store.quotes(search="войны") == []


def test_events_and_relations(store):
    rows = store.events(actor="Лукашенко")
    assert [(r.article_id, r.type, r.target_name, r.detail["actor_rank"]) for r in rows] == [
        ("a1", "meet", "Касым-Жомарт Токаев", "президент"), ("a2", "meet", "Касым-Жомарт Токаев", "президент")]
    assert store.events(target="Лукашенко") == []
    assert store.events(type="visit") == []
    assert [r.article_id for r in store.events(since="2024-02-01")] == ["a2"]
    assert [r.article_id for r in store.relations("Токаевым", "Лукашенко")] == ["a1", "a2"]
    assert store.relations("Токаев", "Путин") == []


def test_round_trip_keeps_quotes_and_events(store):
    a = store.get("a1")
    assert a is not None and a.quotes[0].cue == Span(0, 20, 26, "заявил")
    assert a.events[0].trigger.text == "встретился"
    a.check_spans()
