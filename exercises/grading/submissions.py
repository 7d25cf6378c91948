"""Finding submissions in what the LMS hands over, and reading who sent them from the file names.

``collect(source)`` walks a folder (or reads a zip without extracting it) and yields one
``Incoming`` per entry, files and odd entries alike, so that every input is accounted for.
Nothing is followed or executed: symbolic links are reported, not followed; zip members are read
in memory with a size limit (no zip bombs, no paths outside the folder).

``parse_name(path)`` reads the LMS naming conventions:

**Canvas** ("Download Submissions" on an assignment) names each file
``<name>_<userid>_<submissionid>_<original file name>``, with ``late_`` after the name when the
submission was late, e.g. ``doejane_late_4321_98765_a1_rsct.ipynb``. ``<name>`` is the student's
sortable name in lower case without spaces; ``<userid>`` is the Canvas user id (the ``ID``
column of a Canvas gradebook export); a resubmitted file of the same name gets ``-1``, ``-2``
before the extension.

**Moodle** ("Download all submissions") names each file
``<Full name>_<participant>_assignsubmission_file_<original file name>``, or, with "Download
submissions in folders", puts the original file in a folder ``<Full name>_<participant>_
assignsubmission_file_``. ``<participant>`` is the per-assignment participant number (the
``Identifier`` column of the grading worksheet: ``Participant 123456``). Online-text answers come
as ``..._assignsubmission_onlinetext_onlinetext.html``.
"""
from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator

#: a notebook with recorded answers is far smaller than this
MAX_BYTES = 20 * 1024 * 1024

CANVAS = re.compile(r"^(?P<name>[a-z0-9-]+?)_(?:(?P<late>late)_)?(?P<uid>\d+)_(?P<sub>\d+)_(?P<orig>.+)$", re.I)
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<pid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<orig>.*)$", re.I)
RESUBMITTED = re.compile(r"^(?P<stem>.+)-(?P<n>\d+)$")


@dataclass(frozen=True)
class Incoming:
    """One entry of the submissions: its bytes, or why it could not be read at all."""

    name: str  # path inside the submissions folder or zip, with "/" separators
    data: bytes | None = None
    problem: str | None = None
    mtime: float | None = None


@dataclass(frozen=True)
class LmsName:
    lms: str = ""  # "canvas", "moodle" or "" (a plain file name)
    key: str = ""  # Canvas user id or Moodle participant number
    name: str = ""  # the student's name as the file name gives it
    late: bool = False
    submission: str = ""  # Canvas submission id
    original: str = ""  # the file name the student uploaded
    resubmission: int = 0  # Canvas "-N" suffix

    def describe(self) -> str:
        if self.lms == "canvas":
            return f"Canvas user {self.key}" + (f" ({self.name})" if self.name else "")
        if self.lms == "moodle":
            return f"Moodle participant {self.key}" + (f" ({self.name})" if self.name else "")
        return ""


def parse_name(path: str) -> LmsName:
    """What a Canvas or Moodle download name says about its sender (empty for plain names)."""
    parts = [p for p in PurePosixPath(path).parts if p not in ("", ".")]
    for i, part in enumerate(parts):
        m = MOODLE.match(part)
        if m:
            original = m.group("orig") or (parts[-1] if i < len(parts) - 1 else "")
            return LmsName("moodle", m.group("pid"), m.group("name").strip(), False, "", original)
    base = parts[-1] if parts else path
    m = CANVAS.match(base)
    if m:
        original = m.group("orig")
        stem, dot, ext = original.rpartition(".")
        resub = RESUBMITTED.match(stem) if dot else None
        return LmsName("canvas", m.group("uid"), m.group("name"), bool(m.group("late")), m.group("sub"),
                       original, int(resub.group("n")) if resub else 0)
    return LmsName(original=base)


# --- collecting ------------------------------------------------------------------------------

class SourceError(Exception):
    """The submissions source itself cannot be read (not a folder, not a zip, a broken zip)."""


def collect(source: Path, *, max_bytes: int = MAX_BYTES) -> Iterator[Incoming]:
    """Every entry of a folder, a zip file, or a single file, in a stable (sorted) order."""
    source = Path(source)
    if source.is_symlink():
        raise SourceError(f"{source}: the submissions path is a symbolic link; give the real folder or zip")
    if source.is_dir():
        yield from _walk(source, max_bytes)
    elif source.is_file() and zipfile.is_zipfile(source):
        yield from _unzip(source, max_bytes)
    elif source.is_file():
        yield _read(source, source.name, max_bytes)
    elif not source.exists():
        raise SourceError(f"{source}: no such folder or zip file")
    else:
        raise SourceError(f"{source}: not a folder, a zip file or a regular file")


def _read(path: Path, name: str, max_bytes: int) -> Incoming:
    try:
        st = path.lstat()
    except OSError as err:
        return Incoming(name, problem=f"cannot be read ({err.strerror})")
    if stat.S_ISLNK(st.st_mode):
        return Incoming(name, problem="a symbolic link, not a file: links are not followed "
                                      "(one could point at any file on the grader's machine)", mtime=st.st_mtime)
    if not stat.S_ISREG(st.st_mode):
        return Incoming(name, problem="not a regular file (a device, pipe or socket)", mtime=st.st_mtime)
    if st.st_size > max_bytes:
        return Incoming(name, problem=f"too large ({st.st_size / 1e6:.1f} MB; a notebook with answers is far below "
                                      f"{max_bytes / 1e6:.0f} MB)", mtime=st.st_mtime)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as err:
        return Incoming(name, problem=f"cannot be read ({err.strerror})", mtime=st.st_mtime)
    if len(data) > max_bytes:
        return Incoming(name, problem=f"too large (more than {max_bytes / 1e6:.0f} MB)", mtime=st.st_mtime)
    return Incoming(name, data=data, mtime=st.st_mtime)


def _walk(root: Path, max_bytes: int) -> Iterator[Incoming]:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        rel = here.relative_to(root)
        dirnames.sort()
        linked = [d for d in dirnames if (here / d).is_symlink()]
        for d in linked:  # os.walk lists links to folders as folders; never enter them
            dirnames.remove(d)
            filenames.append(d)
        if rel != Path(".") and not dirnames and not filenames:
            yield Incoming(rel.as_posix() + "/", problem="an empty folder: nothing was handed in here")
            continue
        for d in list(dirnames):
            if d.lower().endswith(".ipynb"):
                dirnames.remove(d)
                yield Incoming((rel / d).as_posix(), problem="a folder named like a notebook, not a notebook file")
        for f in sorted(filenames):
            yield _read(here / f, (rel / f).as_posix(), max_bytes)


def lms_name(info: zipfile.ZipInfo) -> str:
    """A zip entry's name as the LMS wrote it. Canvas and Moodle write UTF-8 names without the zip's
    UTF-8 flag, which zipfile then decodes as CP437 (garbling "Zoë" into "ZoÃ«"); such a name is
    decoded as UTF-8 when it is valid UTF-8, else left as CP437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except UnicodeError:
        return info.filename


def _unzip(path: Path, max_bytes: int) -> Iterator[Incoming]:
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise SourceError(f"{path}: not a readable zip file ({err})") from None
    with zf:
        files = [i for i in infos if not i.is_dir()]
        dirs_with_files = {str(PurePosixPath(i.filename).parent) for i in files}
        for info in sorted(infos, key=lambda i: i.filename):
            name = lms_name(info)
            if info.is_dir():
                raw = info.filename  # the zip's own spelling, as in dirs_with_files
                if raw.rstrip("/") not in dirs_with_files and not any(f.filename.startswith(raw) for f in files):
                    yield Incoming(name, problem="an empty folder: nothing was handed in here")
                continue
            pure = PurePosixPath(name)
            if pure.is_absolute() or ".." in pure.parts:
                yield Incoming(name, problem="a zip entry whose path leaves the folder (absolute or with ..); not read")
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                yield Incoming(name, problem="a symbolic link, not a file: links are not followed")
                continue
            if info.flag_bits & 0x1:
                yield Incoming(name, problem="encrypted in the zip; it cannot be read without the password")
                continue
            if info.file_size > max_bytes:
                yield Incoming(name, problem=f"too large ({info.file_size / 1e6:.1f} MB unpacked)")
                continue
            try:
                with zf.open(info) as fh:
                    data = fh.read(max_bytes + 1)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as err:
                yield Incoming(name, problem=f"damaged in the zip and cannot be unpacked ({err})")
                continue
            if len(data) > max_bytes:
                yield Incoming(name, problem=f"too large (more than {max_bytes / 1e6:.0f} MB unpacked)")
                continue
            yield Incoming(name, data=data)
