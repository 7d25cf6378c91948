"""This book's own figures and data, beside the exercise engine (``exercises``) in one distribution.

The engine knows nothing of the case; this package holds everything that does:

* ``maps``: the borderland map (an accessible inline SVG) and the Durand Line's length;
* ``timeline``: the case timeline, filterable, from ``data/timeline.csv``;
* ``datasets``: the book's CSV files (``book/data``, shipped here as ``data/``), as DataFrames;
* ``constellation`` and ``wendt``: the two interactive figures below (``bundle``: their switcher);
  import them from their modules (``from casebook.wendt import wendt_model``): this file imports
  nothing, so a page depends only on the figure it shows;
* ``sphinx_assets``: a Sphinx extension that links each figure's CSS and JS only on the pages that
  show that figure.

The book's two interactive figures:

* :func:`security_constellation` (``constellation.py``): the case's security constellation, one network of
  amity and enmity per chosen year, from ``data/constellation.csv``.
* :func:`wendt_model` (``wendt.py``): a small simulation of Wendt's argument that two actors'
  roles (enemy, rival, friend) are made in their interaction.

Each returns an object whose MIME bundle carries an ipywidgets view (picked by a live kernel) and a
self-contained ``text/html`` view (picked by the static book), as exercises do (see ``exercises/views/show.py``).
"""
