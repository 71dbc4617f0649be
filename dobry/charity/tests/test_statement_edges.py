"""What a bank statement can be besides a good one: bad encodings, a 1C file cut short,
tables with wrong, missing or shifted columns, sums and dates that only look like ones
(exponents, other scripts' digits), values longer than a payment keeps. Each is refused
with the line where reading stopped, or its row listed as unreadable — never read wrong."""

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from dobry.charity.statements import MAX_LINES, StatementError, StatementLine, check_lengths
from dobry.charity.statements.onec import amount_kopecks, looks_like_onec, read_onec
from dobry.charity.statements.tables import (
    Table,
    check_mapping,
    guess_mapping,
    read_lines,
    read_table,
)

SAMPLE = (Path(__file__).parent / "data" / "statement-1c.cp1251").read_bytes()
TEXT = SAMPLE.decode("cp1251")


def _onec(*documents: str, end: bool = True, encoding: str = "cp1251") -> bytes:
    head = "1CClientBankExchange\r\nКодировка=Windows\r\nРасчСчет=40703810331000012345\r\n"
    tail = "КонецФайла\r\n" if end else ""
    return (head + "".join(documents) + tail).encode(encoding)


def _document(**fields: str) -> str:
    values = {
        "Номер": "1",
        "Дата": "10.11.2026",
        "Сумма": "100.00",
        "Плательщик": "Иванов",
        "ПолучательСчет": "40703810331000012345",
        **fields,
    }
    body = "".join(f"{key}={value}\r\n" for key, value in values.items() if value is not None)
    return f"СекцияДокумент=Платежное поручение\r\n{body}КонецДокумента\r\n"


def test_a_1c_file_without_incoming_payments_is_refused():
    # Attacker finding: a header with no documents was committed as an empty statement.
    with pytest.raises(StatementError, match="нет поступлений"):
        read_onec(_onec())
    with pytest.raises(StatementError, match="нет поступлений"):
        read_onec(_onec(_document(ПолучательСчет="40702810000000000999")))  # outgoing only
    assert len(read_onec(_onec(_document()))[1]) == 1


# ---------------------------------------------------------------- 1C: encodings


def test_a_utf8_file_with_a_bom_is_recognised_and_read():
    content = b"\xef\xbb\xbf" + TEXT.encode("utf-8")
    assert looks_like_onec(content)
    _accounts, lines = read_onec(content)
    assert lines[0].payer == "Соколова Мария Андреевна"


def test_a_file_without_an_encoding_line_is_read_as_windows_1251():
    content = TEXT.replace("Кодировка=Windows\r\n", "").encode("cp1251")
    _accounts, lines = read_onec(content)
    assert len(lines) == 3
    assert lines[0].payer == "Соколова Мария Андреевна"


def test_an_unknown_encoding_name_falls_back_to_what_read_the_header():
    content = TEXT.replace("Кодировка=Windows", "Кодировка=KOI8").encode("cp1251")
    _accounts, lines = read_onec(content)
    assert lines[0].payer == "Соколова Мария Андреевна"


def test_bytes_no_encoding_reads_are_replaced_not_fatal():
    # 0x98 is no character of windows-1251; the rest of the file still reads
    content = TEXT.encode("cp1251").replace("Соколова".encode("cp1251"), b"\x98\x98")
    _accounts, lines = read_onec(content)
    assert lines[0].payer == "\ufffd\ufffd Мария Андреевна"
    assert len(lines) == 3


def test_a_file_that_is_not_1c_is_refused_whatever_its_name():
    for content in (b"", b"\x00" * 10, "Дата;Сумма\n".encode(), b"%PDF-1.7", b"PK\x03\x04"):
        assert not looks_like_onec(content)
        with pytest.raises(StatementError, match="не файл обмена 1С"):
            read_onec(content)


# ---------------------------------------------------------------- 1C: truncated and odd files


def test_a_file_cut_inside_a_document_is_refused_at_the_document():
    content = _onec(_document(), _document(Номер="2")[: -len("КонецДокумента\r\n")], end=False)
    with pytest.raises(StatementError, match="не закончен") as caught:
        read_onec(content)
    assert caught.value.line == 11  # the header's three lines, then seven of the first


def test_a_file_cut_after_a_whole_document_reads_that_document():
    _accounts, lines = read_onec(_onec(_document(Сумма="250.50"), end=False))
    assert [line.amount_kopecks for line in lines] == [25050]


def test_a_document_without_a_sum_or_a_date_is_refused_with_its_line():
    with pytest.raises(StatementError, match="нет суммы") as caught:
        read_onec(_onec(_document(), _document(Сумма=None)))
    assert caught.value.line == 11
    with pytest.raises(StatementError, match="нет даты"):
        read_onec(_onec(_document(Дата=None)))


def test_the_arrival_date_wins_over_the_orders_date():
    [line] = read_onec(_onec(_document(Дата="01.11.2026", ДатаПоступило="03.11.2026")))[1]
    assert line.paid_on == date(2026, 11, 3)


def test_without_a_statement_account_every_document_counts_as_incoming():
    content = _onec(_document(ПолучательСчет="40817810000000000009")).replace(
        "РасчСчет=40703810331000012345\r\n".encode("cp1251"), b""
    )
    accounts, lines = read_onec(content)
    assert (accounts, len(lines)) == ([], 1)


def test_documents_to_another_account_are_outgoing_and_skipped():
    content = _onec(_document(), _document(Номер="2", ПолучательСчет="40817810000000000009"))
    assert [line.number for line in read_onec(content)[1]] == ["1"]


def test_a_purpose_split_over_numbered_lines_is_joined_in_order():
    document = _document(
        НазначениеПлатежа="", НазначениеПлатежа1="Пожертвование", НазначениеПлатежа2="DG-7"
    )
    [line] = read_onec(_onec(document))[1]
    assert line.purpose == "Пожертвование DG-7"


def test_lines_may_end_with_lf_or_cr_alone():
    for ending in ("\n", "\r"):
        content = _onec(_document()).decode("cp1251").replace("\r\n", ending).encode("cp1251")
        assert len(read_onec(content)[1]) == 1


def test_a_vertical_tab_inside_a_value_does_not_split_the_line():
    [line] = read_onec(_onec(_document(Плательщик="Ива\x0bнов")))[1]
    assert line.payer == "Иванов"


def test_more_documents_than_a_statement_holds_are_refused():
    content = _onec(*[_document(Номер=str(n)) for n in range(MAX_LINES + 2)])
    with pytest.raises(StatementError, match="слишком много документов"):
        read_onec(content)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("Плательщик", "И" * 301),
        ("НазначениеПлатежа", "Н" * 501),
        ("Номер", "1" * 21),
        ("ПлательщикИНН", "1" * 13),
        ("ПлательщикСчет", "4" * 21),
    ],
)
def test_a_value_longer_than_a_payment_keeps_is_refused_with_the_line(field, value):
    with pytest.raises(StatementError, match="слишком длинное значение") as caught:
        read_onec(_onec(_document(**{field: value})))
    assert caught.value.line == 4


# ---------------------------------------------------------------- sums and dates that only look so


@pytest.mark.parametrize(
    "text",
    ["1e3", "1E+3", "5e-1", "٥٠٠", "５００", "+-5", "500.", ".5", "1,5,0", "1.500,00", "0x10"],
)
def test_a_sum_is_digits_with_at_most_two_decimals(text):
    with pytest.raises(StatementError, match="не похоже на сумму"):
        amount_kopecks(text, 3)


def test_a_sum_with_a_plus_sign_is_an_incoming_sum():
    assert amount_kopecks("+1 500,00", 1) == 150000


def test_the_largest_sum_a_payment_keeps_is_read_to_the_kopeck():
    assert amount_kopecks("999999999999.99", 1) == 99_999_999_999_999
    with pytest.raises(StatementError, match="слишком большая сумма"):
        amount_kopecks("1000000000000.00", 1)


@pytest.mark.parametrize("text", ["١٠.١١.٢٠٢٦", "10.11.+2026", "10.11", "10/11/2026", " . . "])
def test_a_1c_date_is_ascii_day_month_year(text):
    with pytest.raises(StatementError, match=r"ДД\.ММ\.ГГГГ"):
        read_onec(_onec(_document(Дата=text), encoding="utf-8"))


# ---------------------------------------------------------------- tables: CSV


def _csv(text: str, encoding: str = "utf-8") -> Table:
    return read_table(text.encode(encoding), "s.csv")


def test_a_csv_in_windows_1251_and_one_in_utf8_with_a_bom_read_alike():
    text = "Дата;Сумма;Плательщик\n10.11.2026;500,00;Иванов\n"
    cp1251 = _csv(text, "cp1251")
    bom = read_table(b"\xef\xbb\xbf" + text.encode(), "s.csv")
    assert cp1251 == bom
    assert cp1251.headers == ["Дата", "Сумма", "Плательщик"]


def test_commas_separate_when_the_header_has_more_of_them():
    table = _csv("Date,Amount,Payer\n10.11.2026,500,Ivanov\n")
    assert guess_mapping(table.headers)["amount"] == 1
    assert table.rows == [["10.11.2026", "500", "Ivanov"]]


def test_a_byte_windows_1251_lacks_makes_the_file_unreadable():
    with pytest.raises(StatementError, match="Не удалось прочитать"):
        read_table(b"\x98\x98;\xff\n1;2\n", "s.csv")


def test_a_table_of_a_header_alone_or_of_blank_rows_has_no_payments():
    for text in ("Дата;Сумма\n", "Дата;Сумма\n;\n  ;  \n", ""):
        with pytest.raises(StatementError, match="нет строк"):
            _csv(text)


def test_a_table_longer_than_a_statement_holds_is_refused():
    text = "Дата;Сумма\n" + "10.11.2026;1\n" * (MAX_LINES + 1)
    with pytest.raises(StatementError, match="слишком много строк"):
        _csv(text)


def test_controls_in_cells_are_dropped():
    table = _csv("Дата;Плательщик\n10.11.2026;Ива\x00но\x1bв\n")
    assert table.rows == [["10.11.2026", "Иванов"]]


def test_unknown_headers_map_nothing_and_the_date_and_sum_must_be_chosen():
    table = _csv("Колонка А;Колонка Б\n10.11.2026;500\n")
    assert set(guess_mapping(table.headers).values()) == {None}
    with pytest.raises(StatementError, match="Выберите столбцы"):
        check_mapping(table, guess_mapping(table.headers))


@pytest.mark.parametrize(
    "mapping",
    [
        {"paid_on": 0, "amount": 2},
        {"paid_on": -1, "amount": 1},
        {"paid_on": 0, "amount": 1.0},
        {"paid_on": 0, "amount": "1"},
        {"paid_on": False, "amount": 1},
        {"paid_on": None, "amount": 1},
    ],
)
def test_a_mapping_to_columns_the_table_lacks_is_refused(mapping):
    table = _csv("Дата;Сумма\n10.11.2026;500\n")
    with pytest.raises(StatementError):
        check_mapping(table, mapping)


def test_one_column_chosen_for_two_fields_is_refused_naming_both():
    # Attacker finding: the date column chosen as the sum too was accepted.
    table = _csv("Дата;Сумма;Плательщик\n10.11.2026;500;Иванов\n")
    with pytest.raises(StatementError, match="«Дата» и «Сумма»"):
        check_mapping(table, {"paid_on": 0, "amount": 0})
    with pytest.raises(StatementError, match="«Сумма» и «Плательщик»"):
        check_mapping(table, {"paid_on": 0, "amount": 1, "payer": 1})
    assert check_mapping(table, {"paid_on": 0, "amount": 1, "payer": 2})["payer"] == 2


def test_columns_mapped_wrong_way_round_list_every_row_as_unreadable():
    table = _csv("Дата;Сумма\n10.11.2026;500\n11.11.2026;700\n")
    read = read_lines(table, {"paid_on": 1, "amount": 0})
    assert read.lines == []
    assert sorted(read.errors) == [2, 3]
    assert "не читается дата" in read.errors[2]


def test_short_rows_and_bad_cells_are_listed_by_their_line_and_the_rest_read():
    table = _csv(
        "Дата;Сумма;Плательщик\n"
        "10.11.2026;500;Иванов\n"
        "11.11.2026\n"  # cut short: no sum
        "31.02.2026;100;Петров\n"  # no such day
        "12.11.1990;100;Сидоров\n"  # before 1991
        "12.11.26;-100;Возврат\n"  # outgoing
        "2026-11-13;1 000,50;Кузнецов\n"
    )
    read = read_lines(table, {"paid_on": 0, "amount": 1, "payer": 2})
    assert [(line.line, line.amount_kopecks) for line in read.lines] == [(2, 50000), (7, 100050)]
    assert sorted(read.errors) == [3, 4, 5, 6]
    assert "раньше 1991" in read.errors[5]


def test_a_two_digit_year_is_this_century_and_a_time_after_the_date_is_ignored():
    table = _csv("Дата;Сумма\n10.11.26 14:30;5\n2026-11-12T09:00:00;5\n")
    read = read_lines(table, {"paid_on": 0, "amount": 1})
    assert [line.paid_on for line in read.lines] == [date(2026, 11, 10), date(2026, 11, 12)]


def test_a_cell_longer_than_a_payment_keeps_lists_its_row():
    table = _csv(f"Дата;Сумма;Назначение\n10.11.2026;5;{'Н' * 501}\n")
    read = read_lines(table, {"paid_on": 0, "amount": 1, "purpose": 2})
    assert list(read.errors) == [2]
    assert "слишком длинное" in read.errors[2]


# ---------------------------------------------------------------- tables: XLSX


def _xlsx(*rows: tuple) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_with_date_and_number_cells_is_read():
    content = _xlsx(
        ("Дата операции", "Поступление", "Контрагент", "Назначение платежа"),
        (date(2026, 11, 10), 500, "Иванов", "DG-3"),
        (datetime(2026, 11, 11, 15, 45), 1500.5, "ООО Ромашка", None),  # noqa: DTZ001 — a cell has no zone
    )
    table = read_table(content, "vypiska.xlsx")
    mapping = check_mapping(table, guess_mapping(table.headers))
    assert mapping == {
        "paid_on": 0,
        "amount": 1,
        "payer": 2,
        "purpose": 3,
        "number": None,
        "payer_inn": None,
    }
    read = read_lines(table, mapping)
    assert [(line.paid_on, line.amount_kopecks, line.purpose) for line in read.lines] == [
        (date(2026, 11, 10), 50000, "DG-3"),
        (date(2026, 11, 11), 150050, ""),
    ]


def test_a_float_sum_with_more_than_kopecks_is_listed_not_rounded():
    content = _xlsx(("Дата", "Сумма"), (date(2026, 11, 10), 1500.555))
    table = read_table(content, "s.xlsx")
    read = read_lines(table, {"paid_on": 0, "amount": 1})
    assert read.lines == []
    assert list(read.errors) == [2]


def test_an_xlsx_that_is_not_a_workbook_is_refused():
    for content in (b"", b"PK\x03\x04broken", "Дата;Сумма\n".encode()):
        with pytest.raises(StatementError, match="Не удалось прочитать"):
            read_table(content, "s.xlsx")


def test_a_file_of_another_kind_is_not_a_table():
    with pytest.raises(StatementError, match="Не удалось прочитать"):
        read_table(b"%PDF", "s.pdf")


def test_check_lengths_passes_a_line_that_fits():
    line = StatementLine(line=1, paid_on=date(2026, 1, 1), amount_kopecks=1, payer="И", purpose="")
    assert check_lengths(line) is line
    assert line.amount == Decimal("0.01")


def test_a_payment_dated_after_the_citys_today_is_refused_at_its_line():
    """Attacker's finding: a 1C line dated 31.12.2099 became a donation (the campaign's total
    grew, and no year's report could show it); a donation typed by hand was already refused.
    The limit is the city's today."""
    from datetime import timedelta

    from dobry.core.clock import local_today

    today = local_today()
    table = _csv(
        "Дата;Сумма;Плательщик\n"
        f"{today:%d.%m.%Y};500;Иванов\n"
        f"{today + timedelta(days=1):%d.%m.%Y};100;Завтрашний\n"
        "31.12.2099;777;Будущий\n"
    )
    read = read_lines(table, {"paid_on": 0, "amount": 1, "payer": 2})
    assert [line.payer for line in read.lines] == ["Иванов"]
    assert sorted(read.errors) == [3, 4]
    assert "ещё не наступила" in read.errors[4]


def test_a_four_digit_year_with_leading_zeros_is_that_year_not_this_century():
    """«01.01.0001» is the year 1 (refused: before 1991), not 2001; «05.11.0026» is not
    2026 either. Only a two-digit year («05.11.26») means this century."""
    table = _csv(
        "Дата;Сумма;Плательщик\n"
        "01.01.0001;100;Иванов\n"
        "05.11.0026;100;Петров\n"
        "05.11.26;100;Сидоров\n"
    )
    read = read_lines(table, {"paid_on": 0, "amount": 1, "payer": 2})
    assert [(line.line, line.paid_on) for line in read.lines] == [(4, date(2026, 11, 5))]
    assert sorted(read.errors) == [2, 3]
    assert "раньше 1991" in read.errors[2]
    assert "раньше 1991" in read.errors[3]
