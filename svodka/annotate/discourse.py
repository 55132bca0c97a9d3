"""Participants the sentence leaves out, from the rest of the article.

Many triggers name only one side, or none: an event noun («Соглашение было подписано в пятницу»), a
passive («Буту были предъявлены обвинения»). The article goes on telling the same act, so a missing side
comes from the nearest earlier record of the same type anywhere in the article; a headline's record may
take it from the body's records too. A side is never filled with the entity already on the other side.
"""
from __future__ import annotations

from svodka.record import Event


def fill_from_document(events: list[Event]) -> None:
    for i, ev in enumerate(events):
        for slot in ("actor", "target"):
            if getattr(ev, slot) is None:
                src = _same_act(events, i, slot)
                if src is not None:
                    setattr(ev, slot, src[0])
                    setattr(ev, f"{slot}_name", src[1])


def _other(ev: Event, slot: str) -> str | None:
    return ev.target if slot == "actor" else ev.actor


def _same_act(events: list[Event], i: int, slot: str) -> tuple[str, str | None] | None:
    ev = events[i]
    order = list(reversed(events[:i]))
    if ev.sentence.paragraph == 0:
        order += [o for o in events[i + 1:] if o.sentence.paragraph > 0]
    for o in order:
        value = getattr(o, slot)
        if o.type == ev.type and value is not None and value != _other(ev, slot):
            return value, getattr(o, f"{slot}_name")
    return None

