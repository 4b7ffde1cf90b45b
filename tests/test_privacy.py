"""Residents' ID-card, bank-card and mobile numbers never reach the console or a log unmasked."""

import io
import json
import logging

import pytest

from storage.privacy import MaskingFilter, mask, mask_logs

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


def test_an_old_fifteen_digit_id_card_number_with_a_real_birth_date_is_masked():
    assert mask("老身份证110105491231002") == "老身份证110*********002"
    assert mask("编号110105491331002") == "编号110105491331002"  # month 13: not a birth date


def test_a_bank_card_number_has_sixteen_to_nineteen_digits():
    assert mask("卡号6222021234567890123") == "卡号6222021234567890123"  # 19 digits failing Luhn
    assert mask("卡号6222021234567890128") == "卡号***************0128"  # 19 digits passing Luhn
    assert mask("单号4222222222222") == "单号4222222222222"  # 13 digits passing Luhn: not a card here


def _logged(logger: logging.Logger) -> io.StringIO:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    logger.addHandler(handler)
    logger.propagate = False
    return out


def test_the_log_filter_masks_the_message_its_arguments_and_the_traceback():
    logger = logging.getLogger("test_privacy.filter")
    out = _logged(logger)
    logger.handlers[0].addFilter(MaskingFilter())
    try:
        raise ValueError(f"bad text 我身份证是{ID_CARD}")
    except ValueError:
        logger.exception("message from %s: %s", "tg-1", f"电话13812345678 卡{BANK_CARD}")
    written = out.getvalue()
    assert "tg-1: 电话138****5678 卡************7894" in written
    assert "ValueError: bad text 我身份证是110***********002X" in written
    assert ID_CARD not in written and "13812345678" not in written and BANK_CARD not in written


def test_mask_logs_masks_records_for_handlers_installed_after_it():
    before = logging.getLogRecordFactory()
    try:
        mask_logs()
        mask_logs()  # twice is once
        logger = logging.getLogger("test_privacy.factory")
        out = _logged(logger)  # a handler added afterwards, as Rasa and Sanic do
        logger.warning("user said %r", f"身份证{ID_CARD}")
        assert out.getvalue() == "user said '身份证110***********002X'\n"
    finally:
        logging.setLogRecordFactory(before)


def test_numbers_in_json_with_escaped_chinese_are_masked():
    logged = json.dumps({"text": f"我身份证{ID_CARD}，电话13812345678，卡{BANK_CARD}"})
    assert json.loads(mask(logged)) == {"text": "我身份证110***********002X，电话138****5678，卡************7894"}
    assert mask(json.dumps("编号110105194912310021")) == json.dumps("编号110105194912310021")  # wrong check digit
