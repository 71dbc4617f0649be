"""Reading the 1C «Клиент-банк» exchange file: a real-format sample (invented payers) in
windows-1251, its incoming payments only, and files that cannot be read."""

from datetime import date
from pathlib import Path

import pytest

from dobry.charity.statements import StatementError
from dobry.charity.statements.onec import amount_kopecks, looks_like_onec, read_onec

SAMPLE = (Path(__file__).parent / "data" / "statement-1c.cp1251").read_bytes()


def test_the_sample_is_windows_1251_and_is_recognised():
    with pytest.raises(UnicodeDecodeError):
        SAMPLE.decode("utf-8")
    assert looks_like_onec(SAMPLE)


def test_incoming_payments_are_read_and_outgoing_skipped():
    accounts, lines = read_onec(SAMPLE)
    assert accounts == ["40703810331000012345"]
    assert [(line.number, line.amount_kopecks) for line in lines] == [
        ("101", 50000),
        ("7", 500000),
        ("3312", 420000),
    ]
    first = lines[0]
    assert first.paid_on == date(2026, 11, 10)
    assert first.payer == "Соколова Мария Андреевна"
    assert first.purpose == "Пожертвование DG-1. Без НДС"
    assert first.payer_account == "40817810900000000001"


def test_the_arrival_date_and_the_payers_short_name_are_used():
    _accounts, lines = read_onec(SAMPLE)
    company = lines[1]
    assert company.paid_on == date(2026, 11, 12)  # ДатаПоступило, not the order's Дата
    assert company.payer == 'ООО "Сибирский сувенир"'  # Плательщик1 without «ИНН …»
    assert company.payer_inn == "2452000111"
    assert company.purpose == (
        "Благотворительное пожертвование на реабилитационный центр. НДС не облагается"
    )


def test_a_dos_encoded_file_is_read():
    text = SAMPLE.decode("cp1251").replace("Кодировка=Windows", "Кодировка=DOS")
    _accounts, lines = read_onec(text.encode("cp866"))
    assert lines[0].payer == "Соколова Мария Андреевна"


def test_a_utf8_file_is_read_whatever_its_header_says():
    _accounts, lines = read_onec(SAMPLE.decode("cp1251").encode("utf-8"))
    assert lines[0].payer == "Соколова Мария Андреевна"


def test_nul_and_controls_are_dropped():
    text = SAMPLE.decode("cp1251").replace("Соколова", "Соко\x00ло\x0bва")
    _accounts, lines = read_onec(text.encode("cp1251"))
    assert lines[0].payer == "Соколова Мария Андреевна"


def _broken(old: str, new: str) -> bytes:
    return SAMPLE.decode("cp1251").replace(old, new, 1).encode("cp1251")


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        (b"Date;Sum\n1;2", 0, "не файл обмена 1С"),
        (_broken("Сумма=500.00", "Сумма=пятьсот"), 22, "не похоже на сумму"),
        (_broken("Сумма=500.00", "Сумма=-500.00"), 22, "не похоже на сумму"),
        (_broken("Сумма=500.00", "Сумма=500.001"), 22, "не похоже на сумму"),
        (_broken("ДатаПоступило=10.11.2026", "ДатаПоступило=31.02.2026"), 22, "ДД.ММ.ГГГГ"),
        (_broken("ДатаПоступило=10.11.2026", "ДатаПоступило=10.11.1900"), 22, "раньше 1991"),
        (_broken("ДатаПоступило=10.11.2026", "ДатаПоступило=31.12.2099"), 22, "не наступила"),
        (_broken("КонецФайла", "СекцияДокумент=Платежное поручение"), 0, "не закончен"),
    ],
)
def test_unreadable_files_are_refused_with_the_line(content, line, words):
    with pytest.raises(StatementError) as caught:
        read_onec(content)
    assert words in caught.value.message
    if line:
        assert caught.value.line == line
        assert f"Строка {line}" in caught.value.message


def test_a_document_end_without_a_start_is_refused():
    with pytest.raises(StatementError, match="конец документа без начала"):
        read_onec(_broken("СекцияДокумент=Платежное поручение", "Номер=0"))


@pytest.mark.parametrize(
    ("text", "kopecks"),
    [
        ("1500.00", 150000),
        ("1500,5", 150050),
        ("1 500", 150000),
        ("0.01", 1),
        ("1\xa0000,00", 100000),
    ],
)
def test_amounts(text, kopecks):
    assert amount_kopecks(text, 1) == kopecks


@pytest.mark.parametrize("text", ["", "NaN", "Infinity", "1e3x", "0", "1000000000000"])
def test_unreadable_amounts(text):
    with pytest.raises(StatementError):
        amount_kopecks(text, 1)
