"""Uploaded documents and scans are judged by their content, not by their names
(`dobry.core.uploads`)."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dobry.core.documents import docx_letter
from dobry.core.uploads import validate_document, validate_scan


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (4, 4), 255).save(buffer, "PNG")
    return buffer.getvalue()


DOCUMENTS = [
    ("smeta.pdf", b"%PDF-1.7 a document"),
    ("smeta.pdf", b"\xef\xbb\xbf\r\n%PDF-1.4 header after a few bytes"),
    ("ustav.docx", docx_letter("Устав", ["Статья 1"], "Председатель")),
    ("smeta.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old Excel book"),
    ("pismo.rtf", b"{\\rtf1\\ansi letter}"),
    ("spisok.txt", "Список участников".encode("cp1251")),
    ("foto.png", _png()),
]


@pytest.mark.parametrize(("name", "content"), DOCUMENTS)
def test_documents_of_each_kind_pass(name, content):
    upload = _upload(name, content)
    validate_document(upload, field="file")
    assert upload.tell() == 0  # the check leaves the file ready to be stored


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("smeta.pdf", b"<html><script>alert(1)</script></html>"),
        ("ustav.docx", b"MZ\x90\x00 a program"),
        ("ustav.odt", b"%PDF-1.4 a pdf under another name"),
        ("smeta.xls", b"PK\x03\x04 a zip"),
        ("pismo.rtf", b"<html></html>"),
        ("spisok.txt", b"MZ\x90\x00\x03\x00\x00\x00 a program"),
        ("foto.png", b"<svg onload=alert(1)>"),
        ("program.exe", b"MZ\x90\x00"),
    ],
)
def test_a_file_whose_content_is_not_its_kind_is_refused_naming_the_field(name, content):
    with pytest.raises(ValidationError) as refused:
        validate_document(_upload(name, content), field="file")
    assert list(refused.value.message_dict) == ["file"]


def test_a_scan_is_a_pdf_jpeg_or_png_only():
    validate_scan(_upload("scan.pdf", b"%PDF-1.4 signed"), field="scan")
    validate_scan(_upload("scan.png", _png()), field="scan")
    for name, content in (
        ("scan.docx", docx_letter("Согласие", ["Текст"], "Подпись")),
        ("scan.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
        ("scan.txt", b"signed"),
        ("scan.pdf", b"<html></html>"),
    ):
        with pytest.raises(ValidationError) as refused:
            validate_scan(_upload(name, content), field="scan")
        assert "PDF, JPEG" in refused.value.message_dict["scan"][0], name


# --- office packages are zip archives that say what they are (issue 11 §4) -----------------


def _zip(entries: dict[str, bytes]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return buffer.getvalue()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def test_real_office_packages_pass():
    validate_document(_upload("smeta.xlsx", _xlsx()), field="file")
    odt = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    validate_document(_upload("ustav.odt", odt), field="file")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # the attacker's: the zip signature followed by a web page
        ("ustav.docx", b"PK\x03\x04<html><script>alert(1)</script></html>"),
        # a zip, but not an office document
        ("ustav.docx", _zip({"index.html": b"<html></html>"})),
        # a workbook named as a Word document, and a Word document named as a workbook
        ("ustav.docx", _xlsx()),
        ("smeta.xlsx", docx_letter("Устав", ["Статья 1"], "Председатель")),
        ("tablica.ods", _zip({"mimetype": b"application/vnd.oasis.opendocument.text"})),
    ],
)
def test_an_office_file_that_is_no_such_package_is_refused(name, content):
    with pytest.raises(ValidationError) as refused:
        validate_document(_upload(name, content), field="file")
    extension = name.rsplit(".", 1)[1]
    assert refused.value.message_dict == {
        "file": [
            f"Содержимое файла не соответствует его расширению .{extension}: "
            "приложите сам документ."
        ]
    }


@pytest.mark.parametrize(
    ("name", "stored"),
    [("Смета.PDF", ".pdf"), (".pdf", ".pdf"), ("папка/.pdf", ".pdf"), ("smeta", ""), ("a.", "")],
)
def test_the_stored_name_keeps_the_extension_the_validator_read(name, stored):
    from dobry.core.files import PrivatePath, safe_extension
    from dobry.core.uploads import name_extension

    assert safe_extension(name) == stored
    assert name_extension(name) == stored[1:]
    assert re.fullmatch(rf"x/[0-9a-f]{{32}}{re.escape(stored)}", PrivatePath("x")(None, name))


def test_a_pdf_named_only_by_its_extension_is_stored_as_a_pdf():
    """«.pdf» passed the check as a PDF and was stored with no extension."""
    from dobry.core.files import PrivatePath

    upload = _upload(".pdf", b"%PDF-1.4 a document")
    validate_document(upload, field="file")
    assert PrivatePath("consultations")(None, upload.name).endswith(".pdf")
