"""Step 5 of grading: the release's own checks: the instructor secret the notebook was released
with, and the binding that ties a notebook and its records to one student, variant and release."""
from __future__ import annotations

from typing import Any, Mapping

from . import variants
from .assignment import Assignment


def secret_mismatch(info: Mapping[str, Any], secret: bytes | None) -> str | None:
    """Why this grader's secret is not the one the notebook was released with (None if it is, or
    if the notebook does not say)."""
    released_with = info.get("key_id")
    if released_with and secret is not None and released_with != variants.key_id(secret):
        return ("the instructor secret does not match the one this notebook was released with: grade with the "
                "release's secret (--config, EXERCISES_SECRET or instructor.toml); the notebook is not at fault")
    if released_with and secret is None:
        return ("the notebook was released with an instructor secret, and this grader has no instructor secret "
                "(set EXERCISES_SECRET or instructor.toml)")
    return None


def check_release(info: Mapping[str, Any], a: Assignment, secret: bytes | None,
                  variant: variants.Variant) -> tuple[str | None, str | None, list[str], list[str]]:
    """(the binding records must carry, a reason to reject, flags for a person, notes).

    The binding ties the notebook to its student, variant, assignment and release fingerprint:
    a wrong one is rejected, a missing one flagged (a release made before bindings, or metadata
    removed). A fingerprint that differs from this assignment's is flagged: params or exercises
    changed since the release, so the numbers graded may not be those the student saw."""
    flags: list[str] = []
    notes: list[str] = []
    fingerprint = info.get("fingerprint")
    if fingerprint is None:
        notes.append("the notebook carries no release fingerprint (released before fingerprints, or edited): "
                     "a change of the assignment since its release cannot be detected")
    elif fingerprint != variants.release_fingerprint(a, secret if info.get("key_id") else None):
        flags.append("the assignment's exercises or params changed since this notebook was released "
                     "(its fingerprint differs): the numbers graded may not be the ones the student saw")
    if secret is None:
        return None, None, flags, notes
    bound = variants.binding(secret, a.name, variant.student, variant.token, fingerprint)
    claimed = info.get("binding")
    if claimed is None:
        flags.append("the notebook carries no release binding (released before bindings, or its metadata was "
                     "removed): check that it is this student's notebook")
        return None, None, flags, notes
    if claimed != bound:
        who = "the class" if variant.student == variants.COMMON else variant.student
        return None, (f"the notebook's release binding does not match {who} and this assignment: its metadata was "
                      "edited, or it was released to someone else; check by hand"), flags, notes
    return bound, None, flags, notes


