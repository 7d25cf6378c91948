"""Kept so that a book whose ``_config.yml`` still names ``exercises.sphinx_site`` builds: the
extension is ``exercises.site.hooks`` now."""
from .site.hooks import setup  # noqa: F401
