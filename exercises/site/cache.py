"""What a notebook page's executed output depends on, for the execution cache's fingerprint.

A page depends on the modules its code cells import from this package and from any package that
lives in the book's own folder (the book's figures, for instance), and on everything those modules
import in turn (found with ``ast``, including imports inside functions), but not on modules it
never reaches: editing the grader re-executes only the page that runs the grader. It also depends
on the package files those modules and the page itself name in string constants: a data file by
its name or stem (``datasets.load("timeline")`` names ``data/timeline.csv``), a template or a
template folder by its name. A data folder may be a symlink (to ``book/data``); it is resolved
here, so an edit to a CSV file re-executes the pages whose figures are drawn from it. The bank
files of the exercises a page shows are inputs too (``bank_files``). The fingerprint itself is
written into each notebook page by the build's hooks (``hooks.page_fingerprint``).
"""
from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable

PACKAGE = __name__.partition(".")[0]
#: package folders whose files a page's code may read while it executes (a figure may inline its CSS)
DATA_FOLDERS = ("data", "templates", "schema", "assets")

_CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)


def code_cells(text: str) -> list[str]:
    """The sources of a MyST notebook page's code cells (front matter lines such as ``:tags:`` dropped)."""
    cells = []
    for body in _CODE_CELL.findall(text):
        lines = body.splitlines()
        if lines and lines[0].strip() == "---":  # a YAML options block
            end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0)
            lines = lines[end + 1:]
        cells.append("\n".join(line for line in lines if not line.startswith(":")))
    return cells


def _module_file(roots: dict[str, Path], module: str) -> Path | None:
    parts = module.split(".")
    pkg = roots.get(parts[0])
    if pkg is None:
        return None
    base = pkg.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _module_name(pkg: Path, path: Path) -> str:
    rel = path.relative_to(pkg).with_suffix("")
    parts = [pkg.name, *rel.parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _parse(source: str) -> ast.AST | None:
    try:
        return ast.parse(source)
    except SyntaxError:  # IPython magics and the like: the page's own cells only
        return None


def _imports(tree: ast.AST, current: str, is_package: bool) -> set[str]:
    """Absolute module names imported by ``tree`` (``current``: its module name)."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = current.split(".")
                base = base if is_package else base[:-1]
                base = base[:len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            out.add(prefix)
            out.update(f"{prefix}.{alias.name}" for alias in node.names)  # submodules imported by name
    return out


def _strings(tree: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _with_parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


@lru_cache(maxsize=None)
def _module_info(pkg: Path, path: Path, mtime: float) -> tuple[frozenset[str], frozenset[str]]:
    tree = _parse(path.read_text("utf-8"))
    if tree is None:
        return frozenset(), frozenset()
    name = _module_name(pkg, path)
    return frozenset(_imports(tree, name, path.name == "__init__.py")), frozenset(_strings(tree))


def package_dir() -> Path:
    """This package's folder (the installed one: the bank, modules and data files a page reads)."""
    from importlib import resources
    return Path(str(resources.files(PACKAGE)))


def bank_files(chapters: Iterable[str]) -> list[Path]:
    """The package's bank files of ``chapters`` (those that exist), sorted, for a page's fingerprint."""
    bank = package_dir() / "bank"
    return [bank / f"{c}.yml" for c in sorted(set(chapters)) if (bank / f"{c}.yml").exists()]


def _roots(imported: set[str], book_root: Path | None) -> dict[str, Path]:
    """{top-level package: its folder} for this package and every imported package in the book's folder."""
    roots = {PACKAGE: package_dir()}
    if book_root is not None:
        for name in sorted(imported - {PACKAGE}):
            folder = book_root / name
            if (folder / "__init__.py").is_file():
                roots[name] = folder
    return roots


def data_files(roots: dict[str, Path]) -> dict[str, list[Path]]:
    """Every name a module may use for a package data file or folder -> the files it stands for."""
    names: dict[str, list[Path]] = {}
    for pkg, folder in ((p, f) for p in roots.values() for f in DATA_FOLDERS):
        root = (pkg / folder).resolve()  # a data folder may be a symlink to book/data
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if "__pycache__" in path.parts:
                continue
            if path.is_file():
                for name in {path.name, path.stem} if folder == "data" else {path.name}:
                    names.setdefault(name, []).append(path)
            elif path.is_dir():
                names.setdefault(path.name, []).extend(p for p in sorted(path.rglob("*")) if p.is_file())
    return names


def page_dependencies(text: str, book_root: Path | None = None) -> list[Path]:
    """The package files a notebook page's output depends on (sorted, no repeats); ``book_root``:
    the book's folder, whose own packages the page may import too."""
    seen: set[Path] = set()
    strings: set[str] = set()
    todo: list[str] = []
    for cell in code_cells(text):
        tree = _parse(cell)
        if tree is not None:
            todo += _imports(tree, "__page__", False)
            strings |= _strings(tree)
    roots = _roots({m.split(".")[0] for m in todo}, book_root)
    while todo:
        for module in _with_parents(todo.pop()):
            path = _module_file(roots, module)
            if path is None or path in seen:
                continue
            seen.add(path)
            pkg = roots[module.split(".")[0]]
            imports, names = _module_info(pkg, path, path.stat().st_mtime)
            todo += [m for m in imports if m.split(".")[0] in roots]
            strings |= names
    named = data_files(roots)
    files = set(seen)
    for s in strings:
        files.update(named.get(s, ()))
    return sorted(files)


def fingerprint(paths: Iterable[Path], extra: Iterable[str] = ()) -> str:
    """A short digest of the files' names and contents and the ``extra`` strings."""
    import hashlib
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.name).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    for item in extra:
        digest.update(item.encode())
    return digest.hexdigest()[:16]
