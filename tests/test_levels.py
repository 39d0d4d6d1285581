"""The two orders of levels and bilingual text, each defined once."""

from __future__ import annotations

import typing

from drillsim import levels, text
from drillsim.scenario import model, model_doctrine


def test_response_levels_rank_from_iv_to_i_and_none_is_zero():
    assert [levels.rank(n) for n in ("IV", "III", "II", "I")] == [1, 2, 3, 4]
    assert levels.rank(None) == 0 and levels.name(0) is None and levels.name(3) == "II"
    assert levels.rank_of("bogus") == 0 and levels.rank_of(5) == 0 and levels.rank_of("I") == 4


def test_administrative_levels_order_village_to_nation():
    assert levels.ADMIN_LEVELS == ("village", "township", "county", "city", "province", "nation")
    assert levels.admin_rank("county") == 2 and levels.admin_rank("nowhere") == -1
    assert set(levels.ADMIN_NAMES_ZH) == set(levels.ADMIN_LEVELS)


def test_the_scenario_format_uses_the_same_literals():
    assert typing.get_args(model.AdminLevel) == levels.ADMIN_LEVELS
    assert typing.get_args(model_doctrine.Response) == levels.RESPONSE_LEVELS


def test_text_falls_back_to_the_other_language():
    assert text.pick({"zh": "火情", "en": None}, "en") == "火情"
    assert text.pick({"en": "fire"}, "zh") == "fire"
    assert text.pick(None, "zh") == "" and text.pick("同", "en") == "同" and text.pick(5, "en") == "5"
    assert text.both({"zh": "乡镇"}, "x") == {"en": "乡镇", "zh": "乡镇"}
    assert text.both({}, "key") == {"en": "key", "zh": "key"}
    assert text.of_pair(("Fire", "火"), "zh") == "火" and text.of_pair(("Fire", "火"), "en") == "Fire"
