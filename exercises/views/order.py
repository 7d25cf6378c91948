"""Display order: the one place that decides in which order an exercise shows its options, items
and choices.

An *order* is a function ``order(scope, ids, avoid=None) -> ids`` that returns a permutation of
``ids``, never equal to ``avoid`` (a key order) when there is another. Book pages use
``page_order`` (a deterministic hash shuffle, the same in every build and never the bank's own
order: authors tend to list the right option first, or choices in the order of the items); a
release uses each student's variant order (``variants.Variant.order``).

``Exercise.arranged(order)`` applies an order to a model and ``Exercise.public(order=...)`` ships
the result; the static view, the widgets and released notebooks only render what they are given.
"""
from __future__ import annotations

import hashlib
from typing import Callable, Iterable, Protocol, Sequence, TypeVar


class Order(Protocol):
    def __call__(self, scope: str, ids: list[str], *, avoid: Sequence[str] | None = None) -> list[str]: ...


def _key(scope: str, item_id: str) -> str:
    return hashlib.sha256(f"{scope}\x1f{item_id}".encode("utf-8")).hexdigest()


def page_order(scope: str, ids: list[str], *, avoid: Sequence[str] | None = None) -> list[str]:
    """The book's deterministic shuffle of ``ids`` under ``scope``: never the given order, and
    never ``avoid``, whenever there are at least two ids."""
    ids = list(ids)
    out = sorted(ids, key=lambda i: _key(scope, i))
    if len(out) > 1 and out == ids:
        out = out[1:] + out[:1]
    if len(out) > 1 and avoid is not None and out == list(avoid):
        out = out[1:] + out[:1]
    return out


T = TypeVar("T")


def apply(order: Callable[..., list[str]], scope: str, items: Iterable[T], *,
          avoid: Sequence[str] | None = None) -> tuple[T, ...]:
    """``items`` (objects with an ``id``) rearranged by ``order``."""
    items = tuple(items)
    by_id = {str(it.id): it for it in items}
    ids = order(scope, list(by_id), avoid=avoid) if avoid is not None else order(scope, list(by_id))
    return tuple(by_id[i] for i in ids)


def shuffled(scope: str, items: Iterable[T]) -> list[T]:
    """``items`` in the book's page order under ``scope``."""
    return list(apply(page_order, scope, items))
