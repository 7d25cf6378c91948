"""The repository the site is built from, and the launch links of its pages.

``_config.yml`` ``repository.url`` gives the launch buttons, every published notebook's install
line and ``binder/requirements.txt``: ``repository_problem`` says when it is a placeholder. Each
launch link (Binder, JupyterHub, Colab) opens a page's published notebook (``notebooks.notebook_path``)
on the branch the site is deployed to, so the file it names always exists.
"""
from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping
from urllib.parse import quote, urlencode

from .. import settings
from . import SiteError
from .notebooks import notebook_path


@dataclass(frozen=True)
class Repository:
    url: str        # https://github.com/org/repo
    org: str
    name: str

    @classmethod
    def parse(cls, url: str) -> "Repository | None":
        match = re.fullmatch(r"https://github\.com/([^/\s]+)/([^/\s]+?)(?:\.git)?/?", url or "")
        if not match:
            return None
        return cls(f"https://github.com/{match.group(1)}/{match.group(2)}", match.group(1), match.group(2))


#: set (to anything but "" or "0") to build with a placeholder repository on purpose (the test
#: suite's builds, which are never published)
ALLOW_PLACEHOLDER = settings.ALLOW_PLACEHOLDER_REPOSITORY
_PLACEHOLDER_OWNERS = {"example", "your-org", "your-organisation", "your-organization", "user", "org", "owner"}


def repository_problem(url: str, environ: Mapping[str, str] | None = None) -> str | None:
    """Why ``repository.url`` cannot be published (a placeholder, not a GitHub repository), or None.
    Launch buttons, every notebook's install line and ``binder/requirements.txt`` come from it."""
    env = os.environ if environ is None else environ
    if env.get(ALLOW_PLACEHOLDER, "").strip() not in ("", "0"):
        return None
    where = "_config.yml repository.url"
    if not (url or "").strip():
        return (f"{where} is empty: set it to the GitHub repository the site is built from "
                "(launch buttons and the notebooks' install line need it)")
    repo = Repository.parse(url)
    if repo is None:
        return f"{where} {url!r} is not a https://github.com/<owner>/<repository> address"
    if repo.org.lower() in _PLACEHOLDER_OWNERS or "<" in url or "example" in repo.org.lower():
        return (f"{where} {url!r} is a placeholder: set it to the GitHub repository the site is built "
                "from, or the launch buttons and every notebook's install line point nowhere")
    return None


def built_commit(root: Path, environ: Mapping[str, str] | None = None) -> str | None:
    """The commit the site is built from: ``$GITHUB_SHA`` (GitHub Actions), else ``git rev-parse
    HEAD`` in ``root``; None outside a git checkout."""
    env = os.environ if environ is None else environ
    if env.get("GITHUB_SHA", "").strip():
        return env["GITHUB_SHA"].strip()
    try:
        proc = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = proc.stdout.strip()
    return commit if proc.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", commit) else None


def launch_links(docname: str, *, repo: Repository, branch: str, binderhub_url: str = "",
                 jupyterhub_url: str = "", colab_url: str = "", interface: str = "jupyterlab") -> dict[str, str]:
    """Launch URLs for page ``docname``: each opens the page's notebook as published on ``branch``
    of ``repo`` (the branch the site is deployed to), so the file they name always exists."""
    ui = {"jupyterlab": "lab/tree", "classic": "tree"}.get(interface)
    if ui is None:
        raise SiteError(f"launch_buttons.notebook_interface must be jupyterlab or classic, not {interface!r}")
    path = notebook_path(docname)
    links: dict[str, str] = {}
    if binderhub_url:
        links["Binder"] = (f"{binderhub_url.rstrip('/')}/v2/gh/{repo.org}/{repo.name}/{quote(branch, safe='')}"
                           f"?urlpath={quote(f'{ui}/{path}', safe='')}")
    if jupyterhub_url:
        query = urlencode({"repo": repo.url, "branch": branch, "urlpath": f"{ui}/{repo.name}/{path}"}, safe="/")
        links["JupyterHub"] = f"{jupyterhub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"
    if colab_url:
        links["Colab"] = f"{colab_url.rstrip('/')}/github/{repo.org}/{repo.name}/blob/{branch}/{path}"
    return links


def launch_target(url: str) -> tuple[str, str, str]:
    """(kind, branch, path) that a launch URL made by ``launch_links`` opens; for tests and checks."""
    from urllib.parse import parse_qs, unquote, urlparse

    parsed = urlparse(url)
    query = parse_qs(parsed.query)
    if "/v2/gh/" in parsed.path:
        branch = unquote(parsed.path.split("/v2/gh/", 1)[1].split("/", 2)[2])
        urlpath = query["urlpath"][0]
        return "binder", branch, urlpath.split("/tree/", 1)[1] if "/tree/" in urlpath else urlpath.split("tree/", 1)[1]
    if parsed.path.endswith("/git-pull"):
        urlpath = query["urlpath"][0]
        rel = urlpath.split("tree/", 1)[1].split("/", 1)[1]  # drop the clone folder (the repo name)
        return "jupyterhub", query["branch"][0], rel
    if "/github/" in parsed.path:
        rest = parsed.path.split("/github/", 1)[1].split("/", 4)  # org, repo, "blob", branch, path
        return "colab", rest[3], rest[4]
    raise SiteError(f"not a launch URL made by exercises.site.launch: {url}")
