"""The book's two interactive figures.

* :func:`security_constellation` (``constellation.py``): the case's security constellation, one network of
  amity and enmity per chosen year, from ``data/constellation.csv``.
* :func:`wendt_model` (``wendt.py``): a small simulation of Wendt's argument that two actors'
  roles (enemy, rival, friend) are made in their interaction.

Each returns an object whose MIME bundle carries an ipywidgets view (picked by a live kernel) and a
self-contained ``text/html`` view (picked by the static book), as exercises do (see ``view.py``).
"""
from .constellation import Tie, load_ties, security_constellation
from .wendt import Params, SCENARIOS, Run, classify, simulate, wendt_model

__all__ = ["Params", "Run", "SCENARIOS", "Tie", "classify", "load_ties", "security_constellation",
           "simulate", "wendt_model"]
