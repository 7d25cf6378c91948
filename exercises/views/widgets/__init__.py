"""The live (ipywidgets) view of exercises: one module per family of types.

``ExerciseWidget`` (``exercise.py``) is the view; ``KeyChecker``/``SealedChecker``
(``checkers.py``) are what it checks with.
"""
from .checkers import FEEDBACK_POLICIES, KeyChecker, SealedChecker
from .exercise import INPUTS, RECORDED_LATER, REVEAL_AFTER, ExerciseWidget

__all__ = ["ExerciseWidget", "FEEDBACK_POLICIES", "INPUTS", "KeyChecker", "RECORDED_LATER",
           "REVEAL_AFTER", "SealedChecker"]
