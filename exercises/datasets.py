"""Kept so that notebooks released before the book's data moved to ``casebook.datasets`` still run
their set-up code (``from exercises.datasets import load``). New code imports ``casebook.datasets``."""
from casebook.datasets import load, path  # noqa: F401
