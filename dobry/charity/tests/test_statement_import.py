"""A bank statement from upload to commit: matches by the campaign code (and a donor's own
code), the queue for the rest, duplicates never imported twice, refusals with the line."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dobry.accounts.tests.factories import UserFactory
from dobry.charity.models import Campaign, Donation, StatementEntry, StatementImport
from dobry.charity.services import donations, statements
from dobry.charity.services.campaigns import donor_code_for
from dobry.charity.tests.factories import CampaignFactory, charity_ready, editor_of
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.organizations.models import Membership

pytestmark = pytest.mark.django_db

SAMPLE = (Path(__file__).parent / "data" / "statement-1c.cp1251").read_bytes()


def sample_for(campaign: Campaign, donor_code: str = "DG-1-K7QX") -> bytes:
    text = SAMPLE.decode("cp1251")
    text = text.replace("DG-1-K7QX", donor_code).replace("DG-1.", f"{campaign.code}.")
    return text.encode("cp1251")


def upload(content: bytes, name: str = "kl_to_1c.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


@pytest.fixture
def ready():
    campaign, editor = charity_ready()
    donor = UserFactory()
    code = donor_code_for(donor=donor, campaign=campaign).code
    return campaign, editor, donor, sample_for(campaign, code)


def test_preview_matches_by_code_and_suggests_the_only_collecting_campaign(ready):
    campaign, editor, donor, content = ready
    statement = statements.statement_upload(
        actor=editor, organization=campaign.organization, upload=upload(content)
    )
    preview = statements.statement_preview(statement)
    assert [(m.line.number, m.campaign, m.donor, m.suggested) for m in preview.matches] == [
        ("101", campaign, None, None),
        ("7", None, None, campaign),
        ("3312", campaign, donor, None),
    ]
    assert preview.duplicates == 0
    assert preview.matched == 2
    assert Donation.objects.count() == 0  # a preview writes nothing


def test_commit_writes_donations_and_queues_the_rest(ready):
    campaign, editor, donor, content = ready
    statement = statements.statement_upload(
        actor=editor, organization=campaign.organization, upload=upload(content)
    )
    statements.statement_commit(actor=editor, statement=statement)
    statement.refresh_from_db()
    assert (statement.status, statement.lines_read, statement.duplicates, statement.matched) == (
        StatementImport.Status.COMMITTED, 3, 0, 2
    )  # fmt: skip
    assert statement.content == {}  # the file's content is not kept after the commit
    totals = Campaign.objects.with_totals().get(pk=campaign.pk)
    assert totals.received == Decimal("4700.00")
    assert totals.donors == 2
    assert list(donor.donations.values_list("amount", flat=True)) == [Decimal("4200.00")]
    queued = StatementEntry.objects.get(status=StatementEntry.Status.UNMATCHED)
    assert (queued.number, queued.amount, queued.suggested_campaign) == (
        "7",
        Decimal("5000.00"),
        campaign,
    )


def test_the_same_payments_are_never_imported_twice(ready):
    campaign, editor, _donor, content = ready
    first = statements.statement_upload(
        actor=editor, organization=campaign.organization, upload=upload(content)
    )
    second = statements.statement_upload(
        actor=editor, organization=campaign.organization, upload=upload(content)
    )
    statements.statement_commit(actor=editor, statement=first)
    assert statements.statement_preview(second).duplicates == 3
    statements.statement_commit(actor=editor, statement=second)
    second.refresh_from_db()
    assert (second.duplicates, second.matched) == (3, 0)
    assert StatementEntry.objects.count() == 3
    assert Donation.objects.count() == 2


def test_a_payment_twice_in_one_file_is_written_once(ready):
    campaign, editor, _donor, content = ready
    text = content.decode("cp1251")
    document = text[
        text.index("СекцияДокумент") : text.index("КонецДокумента") + len("КонецДокумента\r\n")
    ]
    doubled = text.replace("КонецФайла", document + "КонецФайла").encode("cp1251")
    statement = statements.statement_upload(
        actor=editor, organization=campaign.organization, upload=upload(doubled)
    )
    assert statements.statement_preview(statement).duplicates == 1
    statements.statement_commit(actor=editor, statement=statement)
    assert StatementEntry.objects.count() == 3


def test_a_committed_statement_is_not_committed_again(ready):
    campaign, editor, _donor, content = ready
    statement = statements.statement_upload(
        actor=editor, organization=campaign.organization, upload=upload(content)
    )
    statements.statement_commit(actor=editor, statement=statement)
    with pytest.raises(InvalidTransition):
        statements.statement_commit(actor=editor, statement=statement)
    with pytest.raises(InvalidTransition):
        statements.statement_discard(actor=editor, statement=statement)


def test_a_code_of_another_organisations_campaign_is_not_a_match(ready):
    campaign, editor, _donor, _content = ready
    stranger = CampaignFactory()
    statement = statements.statement_upload(
        actor=editor, organization=campaign.organization, upload=upload(sample_for(stranger))
    )
    assert statements.statement_preview(statement).matches[0].campaign is None


def test_queue_entries_are_assigned_ignored_and_restored(ready):
    campaign, editor, _donor, content = ready
    statement = statements.statement_upload(
        actor=editor, organization=campaign.organization, upload=upload(content)
    )
    statements.statement_commit(actor=editor, statement=statement)
    entry = StatementEntry.objects.get(status=StatementEntry.Status.UNMATCHED)
    donations.entry_move(actor=editor, entry=entry, name="ignore")
    donations.entry_move(actor=editor, entry=entry, name="restore")
    donation = donations.entry_assign(actor=editor, entry=entry, campaign=None)
    assert (donation.campaign, donation.amount, donation.donor_name) == (
        None, Decimal("5000.00"), 'ООО "Сибирский сувенир"'
    )  # fmt: skip
    with pytest.raises(InvalidTransition):
        donations.entry_assign(actor=editor, entry=entry, campaign=campaign)
    assert Donation.objects.filter(entry=entry).count() == 1


def test_an_entry_goes_only_to_the_organisations_own_started_campaign(ready):
    campaign, editor, _donor, content = ready
    statement = statements.statement_upload(
        actor=editor, organization=campaign.organization, upload=upload(content)
    )
    statements.statement_commit(actor=editor, statement=statement)
    entry = StatementEntry.objects.get(status=StatementEntry.Status.UNMATCHED)
    for other in (
        CampaignFactory(),
        CampaignFactory(organization=campaign.organization, status=Campaign.Status.DRAFT),
    ):
        with pytest.raises(DomainError) as caught:
            donations.entry_assign(actor=editor, entry=entry, campaign=other)
        assert "campaign" in caught.value.field_errors
    entry.refresh_from_db()
    assert entry.status == StatementEntry.Status.UNMATCHED


@pytest.mark.parametrize("role", ["outsider", "member"])
def test_only_owners_and_editors_upload_and_sort(ready, role):
    campaign, _editor, _donor, content = ready
    person = (
        UserFactory()
        if role == "outsider"
        else editor_of(campaign.organization, Membership.Role.MEMBER)
    )
    with pytest.raises(PermissionDenied):
        statements.statement_upload(
            actor=person, organization=campaign.organization, upload=upload(content)
        )
    assert not StatementImport.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"%PDF-1.4", "vypiska.pdf", "Загрузите выписку 1С"),
        (b"\x00\x01garbage", "vypiska.xlsx", "Не удалось прочитать файл"),
        (b"", "vypiska.csv", "нет строк"),
        (
            "1CClientBankExchange\r\nСекцияДокумент=Платежное поручение\r\nСумма=абв\r\nДата=01.11.2026\r\nКонецДокумента\r\n".encode(
                "cp1251"
            ),
            "k.txt",
            "Строка 2",
        ),
    ],
)
def test_unreadable_statements_are_refused_at_the_file_field(ready, content, name, words):
    campaign, editor, _donor, _content = ready
    with pytest.raises(DomainError) as caught:
        statements.statement_upload(
            actor=editor, organization=campaign.organization, upload=upload(content, name)
        )
    assert words in caught.value.message
    assert list(caught.value.field_errors) == ["file"]
    assert not StatementImport.objects.exists()


def test_a_1c_statement_of_another_account_is_refused_naming_both_accounts(ready):
    # Attacker finding: a statement of another organisation's account (or a private one)
    # was imported as donations to this organisation's campaigns without a word.
    campaign, editor, _donor, content = ready
    other = "40702810000000000999"
    foreign = content.decode("cp1251").replace("40703810331000012345", other).encode("cp1251")
    with pytest.raises(DomainError) as caught:
        statements.statement_upload(
            actor=editor, organization=campaign.organization, upload=upload(foreign)
        )
    assert other in caught.value.message
    assert "40703810331000012345" in caught.value.message
    assert list(caught.value.field_errors) == ["file"]
    assert not StatementImport.objects.exists()
    # The organisation's own account is read (negative control), and an organisation that
    # has not entered bank details yet is not checked: there is nothing to compare with.
    statements.statement_upload(
        actor=editor, organization=campaign.organization, upload=upload(content)
    )
    campaign.organization.bank_details.delete()
    campaign.organization.refresh_from_db()
    statements.statement_upload(
        actor=editor, organization=campaign.organization, upload=upload(foreign)
    )
    assert StatementImport.objects.count() == 2


def test_a_file_over_the_size_limit_is_refused(ready, settings):
    campaign, editor, _donor, content = ready
    settings.DOBRY_DOCUMENT_MAX_BYTES = 1024
    with pytest.raises(DomainError, match="Файл больше"):
        statements.statement_upload(
            actor=editor, organization=campaign.organization, upload=upload(content)
        )


CSV = (
    "Дата;Номер;Плательщик;ИНН;Поступление;Назначение платежа\n"
    "10.11.2026;101;Соколова М. А.;;500,00;Пожертвование {code}\n"
    "11.11.2026;7;ООО Ромашка;2452000111;5 000,00;Благотворительность\n"
    "12.11.2026;8;АНО;;;Оплата аренды\n"
)


def test_a_csv_table_is_mapped_by_its_headers_and_bad_rows_are_listed(ready):
    campaign, editor, _donor, _content = ready
    content = CSV.format(code=campaign.code).encode("cp1251")
    statement = statements.statement_upload(
        actor=editor, organization=campaign.organization, upload=upload(content, "vypiska.csv")
    )
    assert statement.format == StatementImport.Format.TABLE
    assert statement.mapping == {
        "paid_on": 0,
        "amount": 4,
        "payer": 2,
        "purpose": 5,
        "number": 1,
        "payer_inn": 3,
    }
    preview = statements.statement_preview(statement)
    assert [(m.line.line, m.line.amount_kopecks, m.campaign) for m in preview.matches] == [
        (2, 50000, campaign),
        (3, 500000, None),
    ]
    assert list(preview.errors) == [4]  # no sum: an outgoing payment or a total
    statements.statement_commit(actor=editor, statement=statement)
    assert Donation.objects.get().amount == Decimal("500.00")


def test_table_columns_are_chosen_and_checked(ready):
    campaign, editor, _donor, _content = ready
    content = "Когда;Сколько;Кто\n10.11.2026;300;Иванов\n".encode()
    statement = statements.statement_upload(
        actor=editor, organization=campaign.organization, upload=upload(content, "v.csv")
    )
    with pytest.raises(DomainError):
        statements.statement_commit(actor=editor, statement=statement)  # date and sum unknown
    for bad in (
        {"paid_on": 0, "amount": 9},
        {"paid_on": "0", "amount": 1},
        {"paid_on": True, "amount": 1},
        {"paid_on": 0},
    ):
        with pytest.raises(DomainError):
            statements.statement_map(actor=editor, statement=statement, mapping=bad)
    statements.statement_map(
        actor=editor, statement=statement, mapping={"paid_on": 0, "amount": 1, "payer": 2}
    )
    statements.statement_commit(actor=editor, statement=statement)
    assert StatementEntry.objects.get().payer == "Иванов"
