"""Marking written answers: the marks store (``store``) and the marking web app (``app``).

``python -m exercises mark <assignment> --db gradebook.sqlite`` starts the app; exports and
feedback pages read the marks through ``store.apply``.
"""
