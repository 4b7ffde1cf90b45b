"""Homophone typos of legal terms are put right; everyday words that sound alike are not."""

import pytest

from nlu.homophones import correct_homophones
from nlu.text import normalize_text


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("阿嫲过身要办继成公正", "阿嫲过身要办继承公证"),
        ("意定监户可以指定两个人吗", "意定监护可以指定两个人吗"),
        ("侯选人可以自己报名吗", "候选人可以自己报名吗"),
        ("去公正处办遗嘱", "去公证处办遗嘱"),
        ("发律援助在哪里申请", "法律援助在哪里申请"),
    ],
)
def test_a_legal_term_typed_with_a_wrong_character_of_its_sound_is_put_right(typed, meant):
    assert correct_homophones(typed) == meant


@pytest.mark.parametrize(
    "text",
    [
        "我要求公正处理",  # 公正处 would end inside 处理
        "请村委会公正处置",
        "离婚后前夫不给扶养费",  # sounds like 抚养费, but is a term of its own
        "继承公证要带什么",  # already right
        "调解协议可以反悔吗",
        "Hello 123 😀",
        "",
    ],
)
def test_words_that_only_sound_like_a_term_are_left_alone(text):
    assert correct_homophones(text) == text


def test_the_normal_form_puts_right_a_typo_in_traditional_characters():
    assert normalize_text("辦繼成公正要帶咩") == "办继承公证要带咩"
