"""Links of the built self-study site: every page loads only files of the site itself, every
internal link and anchor exists, and every launch and download link names a file that exists
(in the site, which is what the notebooks branch holds, or in the repository)."""
from __future__ import annotations

import re
import subprocess

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from ruamel.yaml import YAML

from exercises.site.launch import Repository, launch_links, launch_target
from exercises.site.notebooks import DISTRIBUTION, notebook_path
from exercises.site.pages import source_path
from site_helpers import ROOT, css_urls, html_pages, is_remote, local_target, page_refs


def _config() -> dict:
    return YAML(typ="safe").load((ROOT / "_config.yml").read_text("utf-8"))


def _launch_config() -> dict:
    return dict(_config().get("launch_buttons") or {})


def _docname(site: Path, page: Path) -> str:
    return page.relative_to(site).with_suffix("").as_posix()


def _notebook_pages(site: Path) -> list[tuple[Path, str]]:
    """(page, docname) of every page whose source is a MyST Markdown notebook."""
    out = []
    for page in html_pages(site):
        doc = _docname(site, page)
        source = source_path(ROOT, "book/intro" if doc == "index" else doc)
        if source is not None and source.suffix == ".md" and "kernelspec:" in source.read_text("utf-8")[:1500]:
            out.append((page, doc))
    return out


def test_pages_and_stylesheets_load_nothing_from_another_host(site):
    remote = []
    for page in html_pages(site):
        refs = page_refs(page)
        remote += [f"{page.relative_to(site)}: {url}" for url in refs.loads if is_remote(url)]
        remote += [f"{page.relative_to(site)}: <script> with src {a['src']}" for a, _ in refs.scripts
                   if is_remote(a.get("src", ""))]
    for css in site.rglob("*.css"):
        remote += [f"{css.relative_to(site)}: {url}" for url in css_urls(css.read_text("utf-8", "replace")) if is_remote(url)]
    assert not remote, "the site loads files from other hosts:\n" + "\n".join(remote[:40])


def test_every_internal_link_resource_and_anchor_exists(site):
    ids_cache: dict[Path, set[str]] = {}
    missing = []
    for page in html_pages(site):
        refs = page_refs(page)
        ids_cache[page] = refs.ids
        for url in refs.loads + [href for href, _, _ in refs.links]:
            target = local_target(page, url, site)
            if target is None:
                continue
            path, fragment = target
            if not path.exists():
                missing.append(f"{page.relative_to(site)}: {url} (no file {path})")
                continue
            if fragment and path.suffix == ".html" and path.is_relative_to(site):
                if path not in ids_cache:
                    ids_cache[path] = page_refs(path).ids
                if fragment not in ids_cache[path]:
                    missing.append(f"{page.relative_to(site)}: {url} (no id {fragment!r} in {path.name})")
    assert not missing, f"{len(missing)} broken links:\n" + "\n".join(missing[:40])


def test_every_notebook_page_offers_its_runnable_notebook_and_source_for_download(site):
    pages = _notebook_pages(site)
    assert pages, "no notebook pages found in the site"
    problems = []
    for page, doc in pages:
        hrefs = {href for href, _, _ in page_refs(page).links}
        for suffix in (".ipynb", ".md"):
            wanted = [h for h in hrefs if not is_remote(h) and h.endswith(f"_sources/{doc}{suffix}")]
            if not wanted:
                problems.append(f"{doc}: no download link to _sources/{doc}{suffix}")
            elif not local_target(page, wanted[0], site)[0].exists():
                problems.append(f"{doc}: {wanted[0]} does not exist")
        notebook = site / notebook_path(doc)
        if notebook.exists():
            nb = nbformat.read(notebook, as_version=4)
            nbformat.validate(nb)
            if "setup" not in nb.cells[0].metadata.get("tags", []):
                problems.append(f"{doc}: the notebook does not start with the set-up cell")
            if any(c.get("outputs") for c in nb.cells if c.cell_type == "code"):
                problems.append(f"{doc}: the published notebook carries outputs")
    assert not problems, "\n".join(problems)


def _launch_hrefs(page: Path, settings: dict) -> dict[str, str]:
    prefixes = {"Binder": settings.get("binderhub_url"), "JupyterHub": settings.get("jupyterhub_url"),
                "Colab": settings.get("colab_url")}
    found = {}
    for href, _, _ in page_refs(page).links:
        for name, prefix in prefixes.items():
            if prefix and href.startswith(prefix.rstrip("/") + "/"):
                found[name] = href
    return found


def _assert_target_exists(site: Path, url: str, settings: dict) -> None:
    kind, branch, path = launch_target(url)
    if branch == (settings.get("notebooks_branch") or "gh-pages"):
        where = site / path   # the deployed site is what that branch holds
    else:
        assert branch == (_config().get("repository") or {}).get("branch", "main"), f"{url}: unknown branch {branch}"
        where = ROOT / path
    assert where.is_file(), f"{kind} link {url} opens {path} on {branch}, which does not exist ({where})"
    if kind == "binder" and where.is_relative_to(site):
        assert (site / "binder" / "requirements.txt").is_file(), "Binder needs binder/requirements.txt in the site"


def test_launch_buttons_open_notebooks_that_the_deployed_site_contains(site):
    settings = _launch_config()
    expected = {name for name, key in (("Binder", "binderhub_url"), ("JupyterHub", "jupyterhub_url"),
                                       ("Colab", "colab_url")) if settings.get(key)}
    assert expected, "_config.yml configures no launch button"
    pages = _notebook_pages(site)
    for page, doc in pages:
        found = _launch_hrefs(page, settings)
        assert set(found) == expected, f"{doc}: launch buttons {sorted(found)}, expected {sorted(expected)}"
        for url in found.values():
            _assert_target_exists(site, url, settings)
            assert launch_target(url)[2] == notebook_path(doc)


def test_a_configured_hub_gets_nbgitpuller_links_to_existing_notebooks(site):
    settings = dict(_launch_config(), jupyterhub_url="https://hub.example.edu")
    repo = Repository.parse(_config()["repository"]["url"])
    for _page, doc in _notebook_pages(site):
        links = launch_links(doc, repo=repo, branch=settings["notebooks_branch"],
                             jupyterhub_url=settings["jupyterhub_url"])
        url = links["JupyterHub"]
        assert url.startswith("https://hub.example.edu/hub/user-redirect/git-pull?repo=")
        _assert_target_exists(site, url, settings)


def test_binder_environment_installs_this_repository(site):
    text = (site / "binder" / "requirements.txt").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    repo = _config()["repository"]["url"]
    assert lines[0].startswith(f"{DISTRIBUTION} @ git+{repo}@") and len(lines) == 1
    commit = lines[0].rsplit("@", 1)[1]  # pinned to the built commit, as the guide says (not a branch)
    assert re.fullmatch(r"[0-9a-f]{40}", commit), commit
    assert subprocess.run(["git", "cat-file", "-e", f"{commit}^{{commit}}"], cwd=ROOT).returncode == 0


def test_a_published_notebook_runs_top_to_bottom_in_a_fresh_kernel_with_only_the_package(site, tmp_path):
    index = json.loads(_progress_index_text(site))
    doc = index["chapters"][0]["page"]   # the first page that shows exercises
    notebook = tmp_path / "page.ipynb"   # alone in a folder, as on Colab: no book, no data files
    shutil.copy(site / notebook_path(doc), notebook)
    nb = nbformat.read(notebook, as_version=4)
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{doc}: {errors[0]['ename']}: {errors[0]['evalue']}"
    shown = [c for c in nb.cells if c.cell_type == "code" and "show(" in c.source]
    assert shown and all(c.outputs for c in shown), f"{doc}: the exercise cells displayed nothing"


def _progress_index_text(site: Path) -> str:
    for attrs, body in page_refs(site / "book" / "progress.html").scripts:
        if "data-progress-index" in attrs:
            return body
    pytest.fail("the progress page carries no exercise index")
