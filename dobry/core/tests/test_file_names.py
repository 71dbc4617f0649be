"""The name an upload is offered under again: cut to its column, never losing its extension
(attacker finding: a 230-character «….pdf» came back as a file without one)."""

import pytest

from dobry.core.files import fit_file_name


@pytest.mark.parametrize(
    ("path", "limit", "expected"),
    [
        ("smeta.pdf", 200, "smeta.pdf"),
        ("/tmp/upload/smeta.pdf", 200, "smeta.pdf"),
        ("а" * 250 + ".pdf", 200, "а" * 196 + ".pdf"),
        ("а" * 250 + ".docx", 20, "а" * 15 + ".docx"),
        ("а" * 250, 200, "а" * 200),  # no extension: a plain cut
        ("smeta." + "x" * 50, 20, ("smeta." + "x" * 50)[:20]),  # not an extension to keep
        ("a.pdf", 5, "a.pdf"),
        ("ab.pdf", 5, "a.pdf"),
    ],
)
def test_a_long_name_is_cut_inside_its_stem(path, limit, expected):
    fitted = fit_file_name(path, limit)
    assert fitted == expected
    assert len(fitted) <= limit
