"""The exercise types: one module per type, and the registry that finds them.

Each type module holds everything about its type that is not a view of it:

=================  ==============================================================================
``TYPE``           the type's name in the bank (``type: single_choice``)
``OPTIONS``        whether an answer picks among listed options (item analysis shows pick rates)
``PARTIAL_CREDIT`` whether credit is given per part
``MANUAL``         whether a person marks it (``written``): checking says *awaiting marking*, never 0
``Model``          its frozen dataclass (a subclass of ``base.Exercise``: ``public()``, ``arranged()``)
``build``          the model from a validated bank record (``build(record, common_fields)``)
``key_problems``   the key's cross-field rules, reported with file, line and field (``bank.py``)
``clear``          its key in canonical form, for checking and sealing (``checking.spec``)
``check``          the scoring rule, against an oracle: the bank's key or a sealed spec
``static``         the static view's template context (template ``templates/static/controls/<TYPE>.html.j2``)
``key_answer``     an answer the key scores full marks
``answer_html``    an answer as a person reads it (feedback pages)
=================  ==============================================================================

A new type is one module here (added to ``MODULES``), its template, its widget input
(``widgets/``), one method of the browser checker (``assets/exercises.js``) and its schema entry.
"""
from __future__ import annotations

from types import ModuleType

from . import (categorisation, code, matching, multiple_select, numeric, ordering, relation_matrix, short_text,
               single_choice, slot_coding, written)

MODULES: tuple[ModuleType, ...] = (single_choice, multiple_select, numeric, short_text, ordering, matching,
                                   categorisation, slot_coding, relation_matrix, code, written)
REGISTRY: dict[str, ModuleType] = {mod.TYPE: mod for mod in MODULES}


def kind(name: str) -> ModuleType:
    """The module of the type ``name``; a KeyError names the known types."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown exercise type {name!r} (known: {', '.join(REGISTRY)})") from None
