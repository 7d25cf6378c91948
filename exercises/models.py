"""The exercise models, by type (``exercises.types``): the one place code outside the registry
imports them from, as ``from . import models as m`` (``m.Exercise``, ``m.SingleChoice``, ...)."""
from __future__ import annotations

from .types import REGISTRY
from .types.base import BLOOM_LEVELS, Choice, Exercise, Objective, Slot, cell_id  # noqa: F401
from .types.categorisation import Categorisation  # noqa: F401
from .types.code import Code  # noqa: F401
from .types.matching import Matching  # noqa: F401
from .types.multiple_select import MultipleSelect  # noqa: F401
from .types.numeric import Numeric  # noqa: F401
from .types.ordering import Ordering  # noqa: F401
from .types.relation_matrix import RelationMatrix  # noqa: F401
from .types.short_text import ShortText  # noqa: F401
from .types.single_choice import SingleChoice  # noqa: F401
from .types.slot_coding import SlotCoding  # noqa: F401

TYPES = {name: mod.Model for name, mod in REGISTRY.items()}
