"""Kept so that a book whose ``_config.yml`` still names ``exercises.sphinx_ext`` builds: the
extension is ``exercises.site.assets`` now."""
from .site.assets import setup  # noqa: F401
