"""The payment QR code (ГОСТ Р 56042-2014): the payload's header, order and limits, and a
real decoder (zxing-cpp) reading back exactly what was written."""

import io

import pytest
import zxingcpp
from PIL import Image

from dobry.charity.payment_qr import (
    HEADER,
    MAX_SUM_KOPECKS,
    Payee,
    parse_payload,
    payment_payload,
    qr_code,
)

PAYEE = Payee(
    name="АНО «Этот мир для тебя»",
    account="40703810331000012345",
    bank_name="Красноярское отделение № 8646 ПАО Сбербанк",
    bic="040407627",
    correspondent_account="30101810800000000627",
    inn="2452012345",
    kpp="245201001",
)


def decode(payload: str) -> str:
    buffer = io.BytesIO()
    qr_code(payload).save(buffer, kind="png", scale=4, border=4)
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(buffer.getvalue())))
    assert len(found) == 1
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode
    return found[0].text


def test_payload_starts_with_the_utf8_header_and_required_details_in_order():
    payload = payment_payload(PAYEE, purpose="Пожертвование DG-7", sum_kopecks=50000)
    assert payload.startswith(
        "ST00012|Name=АНО «Этот мир для тебя»|PersonalAcc=40703810331000012345|"
    )
    keys = [pair.split("=", 1)[0] for pair in payload.split("|")[1:]]
    assert keys == [
        "Name", "PersonalAcc", "BankName", "BIC", "CorrespAcc", "Sum", "Purpose", "PayeeINN", "KPP"
    ]  # fmt: skip
    assert parse_payload(payload)["Sum"] == "50000"  # 500 roubles, in kopecks


def test_a_real_decoder_reads_back_the_payload_with_cyrillic():
    payload = payment_payload(
        PAYEE, purpose="Пожертвование на реабилитацию, DG-7-K3F9", sum_kopecks=123456
    )
    assert decode(payload) == payload
    assert parse_payload(decode(payload))["Purpose"] == "Пожертвование на реабилитацию, DG-7-K3F9"


def test_without_a_sum_the_donor_types_it_in_the_bank_app():
    payload = payment_payload(PAYEE, purpose="Пожертвование")
    assert "Sum" not in parse_payload(payload)


def test_the_separator_and_control_characters_never_reach_the_payload():
    payee = Payee(**{**PAYEE.__dict__, "name": "Фонд|Добро\x00 \n «Свет»"})
    pairs = parse_payload(payment_payload(payee, purpose="на | лечение\tи\x1b реабилитацию"))
    assert pairs["Name"] == "Фонд/Добро/ / «Свет»"
    assert pairs["Purpose"] == "на / лечение/и/ реабилитацию"


def test_values_are_cut_to_the_standard_lengths():
    payee = Payee(**{**PAYEE.__dict__, "bank_name": "Б" * 60})
    pairs = parse_payload(payment_payload(payee, purpose="П" * 300))
    assert len(pairs["BankName"]) == 45
    assert len(pairs["Purpose"]) == 210


@pytest.mark.parametrize("kopecks", [0, -100, MAX_SUM_KOPECKS + 1])
def test_sums_out_of_range_are_refused(kopecks):
    with pytest.raises(ValueError, match="sum_kopecks"):
        payment_payload(PAYEE, purpose="x", sum_kopecks=kopecks)


def test_no_kpp_no_kpp_pair():
    payee = Payee(**{**PAYEE.__dict__, "kpp": ""})
    assert "KPP" not in parse_payload(payment_payload(payee, purpose="x"))


@pytest.mark.parametrize("text", ["", "ST0001", "XX00012|Name=a", "ST00012|Name"])
def test_parse_refuses_what_is_not_a_payload(text):
    with pytest.raises(ValueError, match=r"payload|pair"):
        parse_payload(text)


def test_header_is_format_version_and_utf8_marker():
    assert HEADER == "ST" + "0001" + "2"
