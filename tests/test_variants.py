"""Per-student variants: a function of the secret and the student only, stable, and spread out."""
from __future__ import annotations

import gradingkit as kit
from exercises.grading.variants import COMMON, token, variant


def test_a_variant_is_the_same_every_time_and_depends_on_secret_and_student(tmp_path):
    a = kit.load_assignment(tmp_path)
    one = variant(a, kit.SECRET, "s001")
    assert one == variant(a, kit.SECRET, "s001")
    assert one.token == token(kit.SECRET, a.name, "s001") and len(one.token) == 20
    assert variant(a, kit.SECRET, "s002").token != one.token
    assert variant(a, b"another-secret-0123456789", "s001").token != one.token


def test_params_are_spread_over_the_class(tmp_path):
    a = kit.load_assignment(tmp_path)
    chosen = [variant(a, kit.SECRET, f"s{i:03d}").choice("tall_ex1")["years"]["start"] for i in range(60)]
    assert set(chosen) == {2020, 2021, 2022}
    assert min(chosen.count(y) for y in (2020, 2021, 2022)) >= 8


def test_an_order_never_equals_the_key_order_it_must_avoid(tmp_path):
    a = kit.load_assignment(tmp_path)
    key = ["durand", "kabul1996", "ttp", "kabul2021"]
    for i in range(50):
        order = variant(a, kit.SECRET, f"s{i}").order("howto_ex5", list(key), avoid=key)
        assert sorted(order) == sorted(key) and order != key


def test_without_a_secret_everyone_shares_the_common_variant(tmp_path):
    a = kit.load_assignment(tmp_path)
    common = variant(a, None, None)
    assert common.student == COMMON and common.token is None
    assert common.choice("tall_ex1") == variant(a, None, None).choice("tall_ex1")
    assert variant(a, kit.SECRET, None).token == token(kit.SECRET, a.name, COMMON)
