import csv
import io

from dobry.core.documents import csv_response


def test_csv_keeps_typed_formulas_as_text_and_opens_in_excel():
    response = csv_response(
        "x.csv", ["title", "amount"], [['=HYPERLINK("http://evil")', 5], ["Скамейки", -3]]
    )
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows == [["title", "amount"], ['\'=HYPERLINK("http://evil")', "5"], ["Скамейки", "-3"]]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
