"""Kept so that course-edition notebooks published before the move still run their first cell
(``from exercises.view import show_sealed``): the views are ``exercises.views`` now."""
from .views.show import show, show_sealed  # noqa: F401
