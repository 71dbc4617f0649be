"""Office documents the staff and volunteers actually use: XLSX tables and DOCX letters."""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from docx import Document
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def xlsx_response(
    filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """One sheet with a bold header row, as a download."""
    return xlsx_workbook_response(filename, [(sheet, header, rows)])


def xlsx_workbook_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """Several sheets, each with a bold header row, as a download."""
    workbook = Workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        worksheet = workbook.create_sheet(title[:31])
        worksheet.append(list(header))
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(buffer.getvalue(), XLSX, filename)


def docx_letter(title: str, paragraphs: Iterable[str], signature: str) -> bytes:
    """A simple letter: a title, paragraphs and a signature line."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    document.add_heading(title, level=0)
    for text in paragraphs:
        document.add_paragraph(text)
    document.add_paragraph("")
    document.add_paragraph(signature)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (=, +, -, @) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ","
) -> HttpResponse:
    """A CSV download that Excel opens correctly (UTF-8 with a BOM); cells people typed
    cannot turn into formulas."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows([_safe_cell(value) for value in row] for row in rows)
    return response


def docx_response(filename: str, content: bytes) -> HttpResponse:
    return _attachment(content, DOCX, filename)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
