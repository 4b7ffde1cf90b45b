"""Residents' ID-card, bank-card and mobile numbers never reach the console unmasked."""

import pytest

from storage.privacy import mask

ID_CARD = "11010519491231002X"  # the checksum of GB 11643's own example
BANK_CARD = "6222021234567894"  # passes the Luhn check


def test_a_valid_id_card_number_is_masked_and_an_invalid_one_is_not():
    assert mask(f"我身份证是{ID_CARD}") == "我身份证是110***********002X"
    assert mask("编号110105194912310021") == "编号110105194912310021"  # wrong check digit


def test_a_bank_card_number_passing_luhn_is_masked_with_or_without_spaces():
    assert mask(f"卡号{BANK_CARD}") == "卡号************7894"
    assert mask("卡号6222 0212 3456 7894。") == "卡号**** **** **** 7894。"
    assert mask("订单6222021234567890") == "订单6222021234567890"  # fails Luhn


@pytest.mark.parametrize(
    "text, masked",
    [
        ("电话13812345678", "电话138****5678"),
        ("138-1234-5678", "138-****-5678"),
        ("+86 139 1234 5678", "+86 139 **** 5678"),
        ("13812345678 13912345678", "138****5678 139****5678"),
    ],
)
def test_mainland_mobile_numbers_are_masked(text, masked):
    assert mask(text) == masked


def test_other_numbers_stay():
    text = "借了3000元，2023年12月31日前还，民法典第1134条，座机020-12345678"
    assert mask(text) == text
