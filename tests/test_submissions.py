"""Finding submissions in folders and zips, and reading Canvas and Moodle download names."""
from __future__ import annotations

import os
import stat
import zipfile

import pytest

from exercises.grading.submissions import SourceError, collect, parse_name


@pytest.mark.parametrize("name, expected", [
    ("doejane_1001_5001_a1_rsct.ipynb", ("canvas", "1001", "doejane", False, "5001", "a1_rsct.ipynb", 0)),
    ("doejane_late_1001_5001_a1_rsct.ipynb", ("canvas", "1001", "doejane", True, "5001", "a1_rsct.ipynb", 0)),
    ("doejane_LATE_1001_5001_a1_rsct-2.ipynb", ("canvas", "1001", "doejane", True, "5001", "a1_rsct-2.ipynb", 2)),
    ("Jane Doe_123456_assignsubmission_file_a1_rsct.ipynb",
     ("moodle", "123456", "Jane Doe", False, "", "a1_rsct.ipynb", 0)),
    ("Jane Doe_123456_assignsubmission_file_/a1_rsct.ipynb",
     ("moodle", "123456", "Jane Doe", False, "", "a1_rsct.ipynb", 0)),
    ("Jane Doe_123456_assignsubmission_onlinetext_onlinetext.html",
     ("moodle", "123456", "Jane Doe", False, "", "onlinetext.html", 0)),
    ("a1_rsct_s001.ipynb", ("", "", "", False, "", "a1_rsct_s001.ipynb", 0)),
])
def test_lms_download_names_are_read(name, expected):
    n = parse_name(name)
    assert (n.lms, n.key, n.name, n.late, n.submission, n.original, n.resubmission) == expected


def test_a_folder_yields_every_entry_once_in_order(tmp_path):
    (tmp_path / "b.ipynb").write_text("{}")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "Jane Doe_1_assignsubmission_file_").mkdir()
    (tmp_path / "Jane Doe_1_assignsubmission_file_" / "n.ipynb").write_text("{}")
    (tmp_path / "empty").mkdir()
    (tmp_path / "fake.ipynb.d").mkdir()
    (tmp_path / "dir.ipynb").mkdir()
    (tmp_path / "dir.ipynb" / "inside.txt").write_text("x")
    os.symlink("/etc/hostname", tmp_path / "link.ipynb")
    os.symlink(tmp_path / "empty", tmp_path / "linkdir")
    got = {i.name: i for i in collect(tmp_path)}
    assert set(got) == {"a.txt", "b.ipynb", "Jane Doe_1_assignsubmission_file_/n.ipynb", "empty/", "fake.ipynb.d/",
                        "dir.ipynb", "link.ipynb", "linkdir"}
    assert got["b.ipynb"].data == b"{}" and got["b.ipynb"].problem is None
    assert "symbolic link" in got["link.ipynb"].problem and got["link.ipynb"].data is None
    assert "symbolic link" in got["linkdir"].problem
    assert "empty folder" in got["empty/"].problem
    assert "a folder named like a notebook" in got["dir.ipynb"].problem


def test_a_fifo_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.ipynb")
    (item,) = list(collect(tmp_path))
    assert "not a regular file" in item.problem


def test_a_file_over_the_limit_is_not_read(tmp_path):
    (tmp_path / "big.ipynb").write_bytes(b"x" * 2000)
    (item,) = list(collect(tmp_path, max_bytes=1000))
    assert "too large" in item.problem and item.data is None


def test_a_zip_is_read_in_memory_safely(tmp_path):
    z = tmp_path / "subs.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("ok.ipynb", "{}")
        zf.writestr("../escape.ipynb", "{}")
        zf.writestr("/abs.ipynb", "{}")
        zf.writestr("folder/", "")
        zf.writestr("big.ipynb", "x" * 5000)
        info = zipfile.ZipInfo("link.ipynb")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    got = {i.name: i for i in collect(z, max_bytes=1000)}
    assert got["ok.ipynb"].data == b"{}"
    assert "leaves the folder" in got["../escape.ipynb"].problem
    assert "leaves the folder" in got["/abs.ipynb"].problem
    assert "empty folder" in got["folder/"].problem
    assert "too large" in got["big.ipynb"].problem
    assert "symbolic link" in got["link.ipynb"].problem
    assert not (tmp_path / "ok.ipynb").exists()


def test_a_broken_source_is_one_clear_error(tmp_path):
    with pytest.raises(SourceError, match="no such folder or zip file"):
        list(collect(tmp_path / "missing"))
    empty = tmp_path / "empty.zip"
    empty.write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty central directory: a zip with nothing in it
    assert list(collect(empty)) == []
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)  # no central directory: not a zip, one file to reject
    (item,) = list(collect(broken))
    assert item.name == "broken.zip" and item.data.startswith(b"PK")
    os.symlink(tmp_path, tmp_path / "link")
    with pytest.raises(SourceError, match="symbolic link"):
        list(collect(tmp_path / "link"))


def test_a_single_file_can_be_graded_on_its_own(tmp_path):
    (tmp_path / "one.ipynb").write_text("{}")
    (item,) = list(collect(tmp_path / "one.ipynb"))
    assert (item.name, item.data) == ("one.ipynb", b"{}")
