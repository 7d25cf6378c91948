"""The one Jinja set-up for the package's templates (``templates/<folder>/``): the static view of
an exercise, the students' feedback pages and the item analysis report all render through it.
HTML is escaped (``.html`` and ``.j2`` files), an undefined name is an error, never an empty
string, and block tags leave no blank lines behind."""
from __future__ import annotations

from typing import Any, Callable, Mapping

import jinja2


def environment(folder: str, filters: Mapping[str, Callable[..., Any]] | None = None) -> jinja2.Environment:
    """An environment for ``templates/<folder>`` with the given extra ``filters``."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("exercises", f"templates/{folder}"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True,
                             lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters.update(filters or {})
    return env
