"""Office documents the staff and volunteers actually use: XLSX tables, CSV files and DOCX
letters. Every cell and paragraph the platform writes goes through `export_cell`, so that

- text people typed is never a formula: in XLSX it is stored as a string cell; in CSV a
  leading ``= + - @``, tab or carriage return (and their full-width forms) is prefixed
  with an apostrophe, as OWASP's «CSV injection» guidance recommends;
- characters XML 1.0 forbids (C0 controls except tab/newline/return, lone surrogates,
  U+FFFE/U+FFFF) never break an XLSX or DOCX file (openpyxl and python-docx refuse them);
- numbers stay numbers (XLSX number cells; in CSV files separated by «;» for Russian Excel
  the decimal separator is a comma: «1,5», since «1.5» is read there as 1 May), and in
  text they are written one way, without trailing zeros («3», «4,5» — not «3.00» beside
  «2»: `dobry.core.numbers.exact_number`);
- dates and times are on the city's clock (`dobry.core.clock`), never UTC.

Tables people upload (a list of contacts) are read here too, one way: `table_rows`.
"""

import csv
import io
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpResponse
from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

from dobry.core.clock import local_naive
from dobry.core.numbers import exact_number
from dobry.core.validators import strip_forbidden_characters

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

Target = Literal["xlsx", "csv", "docx"]
Sheet = tuple[str, Sequence[Any], Iterable[Sequence[Any]]]

# XML 1.0 §2.2 Char: everything outside #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD].
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What spreadsheets run as a formula when it starts a cell (with full-width forms).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
XLSX_MAX_TEXT = 32_767  # characters in one Excel cell
DATE_FORMAT, DATETIME_FORMAT = "DD.MM.YYYY", "DD.MM.YYYY HH:MM"


def clean_text(value: object) -> str:
    """Any value as text without the characters XML 1.0 forbids."""
    return _XML_FORBIDDEN.sub("", str(value))


def export_cell(value: Any, *, target: Target, decimal_comma: bool = False) -> Any:
    """One cell (or paragraph) of an export, made safe for `target`.

    Returns, for ``xlsx``: a number (int, float, Decimal), a naive local datetime or date,
    or text (written as a string cell, never a formula); for ``csv`` and ``docx``: text.
    ``None`` is empty text. An aware datetime is shown on the city's clock; a naive one
    raises ValueError (its meaning is unknown). ``decimal_comma`` writes «1,5» in CSV.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value) if target == "xlsx" else str(int(value))
    if isinstance(value, int | float | Decimal):
        if target == "xlsx":
            return value
        text = exact_number(value)
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, datetime):
        moment = local_naive(value)
        return moment if target == "xlsx" else f"{moment:%d.%m.%Y %H:%M}"
    if isinstance(value, date):
        return value if target == "xlsx" else f"{value:%d.%m.%Y}"
    text = clean_text(value)
    if target == "xlsx":
        return text[:XLSX_MAX_TEXT]
    if target == "csv" and text.startswith(FORMULA_START):
        return "'" + text
    return text


def _xlsx_cell(cell: Cell, value: Any) -> None:
    safe = export_cell(value, target="xlsx")
    cell.value = safe
    if isinstance(safe, str):
        cell.data_type = "s"  # a string cell: «=…» stays text, never a formula
    elif isinstance(safe, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(safe, date):
        cell.number_format = DATE_FORMAT


_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31  # Excel refuses a longer worksheet name


def sheet_title(title: object, taken: Iterable[str] = ()) -> str:
    """A worksheet name Excel opens: none of ``[ ] : * ? / \\``, no apostrophe at either
    end, at most 31 characters (cut at a word with «…»), not «History» (Excel reserves it)
    and unlike the names in `taken` whatever the case (a repeat gets « (2)», « (3)»…)."""
    name = " ".join(_SHEET_TITLE_FORBIDDEN.sub(" ", clean_text(str(title))).split())
    name = name.strip("' ") or "-"
    if len(name) > SHEET_TITLE_MAX:
        cut = name[: SHEET_TITLE_MAX - 1]
        cut = cut.rsplit(" ", 1)[0] if " " in cut[SHEET_TITLE_MAX // 2 :] else cut
        name = cut.rstrip(" ,.;-–—'") + "…"
    used = {t.casefold() for t in taken} | {"history"}
    candidate, number = name, 2
    while candidate.casefold() in used:
        suffix = f" ({number})"
        candidate = name[: SHEET_TITLE_MAX - len(suffix)].rstrip(" '") + suffix
        number += 1
    return candidate


def xlsx_workbook(sheets: Sequence[Sheet]) -> bytes:
    """Several sheets, each with a bold header row; every cell through `export_cell`."""
    workbook = Workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        worksheet = workbook.create_sheet(sheet_title(title, workbook.sheetnames))
        for row_number, row in enumerate([header, *rows], start=1):
            for column, value in enumerate(row, start=1):
                cell = worksheet.cell(row=row_number, column=column)
                _xlsx_cell(cell, value)
                if row_number == 1:
                    cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str, sheet: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """One sheet with a bold header row, as a download."""
    return xlsx_workbook_response(filename, [(sheet, header, rows)])


def xlsx_workbook_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """Several sheets, each with a bold header row, as a download."""
    return _attachment(xlsx_workbook(sheets), XLSX, filename)


def docx_paragraph(document: DocxDocument, text: Any, style: str | None = None) -> None:
    """A paragraph of (possibly user-typed) text, through `export_cell`."""
    document.add_paragraph(export_cell(text, target="docx"), style=style)


def docx_heading(document: DocxDocument, text: Any, level: int) -> None:
    document.add_heading(export_cell(text, target="docx"), level=level)


def docx_table(
    document: DocxDocument, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> None:
    """A bordered table with a bold header row; every cell through `export_cell`."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = export_cell(text, target="docx")
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = export_cell(text, target="docx")


def docx_document(font: str = "Times New Roman", size: int = 14) -> DocxDocument:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size)
    return document


def docx_bytes(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
TableData = tuple[Sequence[Any], Sequence[Sequence[Any]]]


def docx_open(path: str) -> DocxDocument:
    """A DOCX file people keep (a template) read into a document."""
    with open(path, "rb") as stream:
        return Document(io.BytesIO(stream.read()))


def docx_fill(
    document: DocxDocument, values: Mapping[str, Any], tables: Mapping[str, TableData]
) -> None:
    """Fill a template: a paragraph holding only `{{ name }}` of one of `tables` becomes that
    table (header, rows); in every other paragraph and table cell `{{ name }}` of `values`
    is replaced by its text, through `export_cell`. An unknown placeholder stays as typed
    (an official sees it in Word). Word may split a placeholder over several runs, so a
    paragraph with one is rewritten as one run in its first run's style."""
    for paragraph in list(document.paragraphs):
        match = PLACEHOLDER.fullmatch(paragraph.text.strip())
        if match and match.group(1) in tables:
            header, rows = tables[match.group(1)]
            docx_table(document, header, rows)
            paragraph._p.addnext(document.tables[-1]._tbl)
            paragraph._p.getparent().remove(paragraph._p)
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return export_cell(values[name], target="docx") if name in values else match.group(0)

    for paragraph in paragraphs:
        if "{{" in paragraph.text and paragraph.runs:
            runs = paragraph.runs
            runs[0].text = clean_text(PLACEHOLDER.sub(fill, paragraph.text))
            for run in runs[1:]:
                run.text = ""


def docx_letter(title: str, paragraphs: Iterable[str], signature: str) -> bytes:
    """A simple letter: a title, paragraphs and a signature line."""
    document = docx_document()
    docx_heading(document, title, level=0)
    for text in paragraphs:
        docx_paragraph(document, text)
    docx_paragraph(document, "")
    docx_paragraph(document, signature)
    return docx_bytes(document)


def csv_response(
    filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]], *, delimiter: str = ","
) -> HttpResponse:
    """A CSV download that Excel opens correctly (UTF-8 with a BOM); every cell through
    `export_cell`. Files separated by «;» (what Russian Excel expects) write decimal
    commas, so hours «1,5» are not read as a date."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=delimiter)
    comma = delimiter == ";"
    for row in [header, *rows]:
        writer.writerow([export_cell(v, target="csv", decimal_comma=comma) for v in row])
    return response


def docx_response(filename: str, content: bytes) -> HttpResponse:
    return _attachment(content, DOCX, filename)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The widest table an upload may be read as: the platform's imports name a dozen columns. A
# sheet's own size tag is not believed (one cell at XFD1048576 in a 5 KB file made every
# row 16,384 cells wide: minutes of a worker's time, gigabytes of memory).
TABLE_COLUMNS = 100


def table_rows(content: bytes, filename: str, *, max_rows: int) -> list[list[str]]:
    """The rows of an uploaded table as text cells (None → ""), at most `max_rows` + 1 of
    them read: a CSV (UTF-8 with or without a BOM, else Windows-1251; separated by «;»
    when its first line has more of them than commas, as Russian Excel writes it) or the
    first sheet of an XLSX file (the values, not the formulas). Anything else — another
    extension, a file that does not parse — raises `ValueError`. Each cell loses the
    characters no text of the platform keeps (`core.validators.strip_forbidden_characters`:
    NUL, other controls but tab and line breaks, DEL, bidi overrides) — a file is not typed
    where a field's error could be shown, and one stray character should not refuse a list
    of thousands. A row keeps its first `TABLE_COLUMNS` cells."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(content, max_rows + 1)
    elif name.endswith((".csv", ".txt")):
        rows = _csv_rows(content, max_rows + 1)
    else:
        raise ValueError(f"not a table: {filename}")
    return [[strip_forbidden_characters(cell) for cell in row] for row in rows]


def _evened(rows: list[list[str]]) -> list[list[str]]:
    """The rows as wide as the widest cell typed in any of them (read padded to
    `TABLE_COLUMNS`, the empty cells at their ends are dropped, then all are padded back),
    without the empty rows at the end."""
    for row in rows:
        while row and row[-1] == "":
            row.pop()
    while rows and not rows[-1]:
        rows.pop()  # a sheet read to `max_row` is padded with empty rows
    width = max(map(len, rows), default=0)
    return [row + [""] * (width - len(row)) for row in rows]


def _csv_rows(content: bytes, limit: int) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1251")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        return [row[:TABLE_COLUMNS] for row in itertools.islice(reader, limit)]
    except csv.Error as error:
        raise ValueError(str(error)) from error


def _xlsx_rows(content: bytes, limit: int) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # read the cells there are, not the size the file claims
            rows = sheet.iter_rows(values_only=True, max_row=limit, max_col=TABLE_COLUMNS)
            return _evened([["" if cell is None else str(cell) for cell in row] for row in rows])
        finally:
            workbook.close()
    except Exception as error:  # zip, XML and openpyxl's own errors vary; read lazily
        raise ValueError(str(error)) from error
