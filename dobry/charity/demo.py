"""Demo charity of «Этот мир для тебя» (passport: its rehabilitation centre for disabled
children): bank details, a campaign collecting with donations matched from a bank
statement — one of them the demo volunteer's, by his personal code — a payment waiting in
the queue, a cash-box donation, an update, and a finished campaign; how the money was
spent (one receipt published, a small PDF made here), and last year's general donations and
spending, so that last year's public report has something to show. Idempotent."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from dobry.accounts.demo import demo_user
from dobry.accounts.models import User
from dobry.charity.models import Campaign
from dobry.charity.services import campaigns, donations, needs, spending, statements
from dobry.core.clock import local_today
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization

# Valid together (the keys check): Красноярское отделение № 8646 ПАО Сбербанк.
ACCOUNT = "40703810331000012345"
BIC = "040407627"
CORRESPONDENT = "30101810800000000627"


def onec_statement(account: str, documents: list[dict[str, str]]) -> bytes:
    """A 1C «Клиент-банк» statement (windows-1251) with these incoming documents (keys of
    the format: Номер, Дата, Сумма, Плательщик, ПлательщикИНН, НазначениеПлатежа)."""
    lines = [
        "1CClientBankExchange",
        "ВерсияФормата=1.03",
        "Кодировка=Windows",
        f"РасчСчет={account}",
    ]
    for document in documents:
        lines += ["СекцияДокумент=Платежное поручение"]
        lines += [f"{key}={value}" for key, value in document.items()]
        lines += [
            f"ПолучательСчет={account}",
            f"ДатаПоступило={document['Дата']}",
            "КонецДокумента",
        ]
    lines.append("КонецФайла")
    return "\r\n".join(lines).encode("cp1251")


def seed() -> None:
    if Campaign.objects.exists():
        return
    home = Organization.objects.get(short_name="«Этот мир для тебя»")
    nko = demo_user("nko@example.org")
    campaigns.bank_details_save(
        actor=nko,
        organization=home,
        payee_name=home.name,
        inn=home.inn,
        kpp="245201001",
        account=ACCOUNT,
        bank_name="Красноярское отделение № 8646 ПАО Сбербанк",
        bic=BIC,
        correspondent_account=CORRESPONDENT,
    )
    collecting = _collecting(home, nko)
    finished = _finished(home, nko)
    _statement(home, nko, collecting)
    _needs(home, nko, collecting)
    _spending(home, nko, collecting, finished)
    _last_year(home, nko)
    donations.donation_record(
        actor=nko,
        organization=home,
        campaign=collecting,
        amount=Decimal("3450"),
        received_on=local_today() - timedelta(days=2),
        note="Ящик для пожертвований на фестивале",
    )


def _collecting(home: Organization, nko: User) -> Campaign:
    campaign = campaigns.campaign_create(
        actor=nko,
        organization=home,
        title="Тренажёры для реабилитационного центра",
        purpose="Два тренажёра для занятий детей с нарушениями опорно-двигательного аппарата",
        story=(
            "В центре медико-социальной реабилитации занимаются 40 детей. Тренажёры, "
            "которые есть сейчас, старше самих детей.\n\nНа собранные деньги купим "
            "вертикализатор и тренажёр для ходьбы; отчёт с чеками опубликуем здесь."
        ),
        goal=Decimal("350000"),
        deadline=local_today() + timedelta(days=45),
        area=Area.DISABILITY,
        district=home.district,
    )
    campaign = campaigns.campaign_move(actor=nko, campaign=campaign, name="publish")
    campaigns.campaign_post_update(
        actor=nko,
        campaign=campaign,
        text="Собрали первую треть! Поставщик подтвердил цену вертикализатора до конца месяца.",
    )
    return campaign


def _finished(home: Organization, nko: User) -> Campaign:
    campaign = campaigns.campaign_create(
        actor=nko,
        organization=home,
        title="Новогодние подарки детям центра",
        purpose="Подарки и праздник для 40 детей",
        story="",
        goal=Decimal("40000"),
        deadline=local_today() + timedelta(days=1),
        area=Area.CHILDREN,
    )
    campaign = campaigns.campaign_move(actor=nko, campaign=campaign, name="publish")
    donations.donation_record(
        actor=nko,
        organization=home,
        campaign=campaign,
        amount=Decimal("41200"),
        received_on=local_today() - timedelta(days=5),
        donor_name="Сотрудники предприятия (сбор в коллективе)",
        is_anonymous=False,
    )
    return campaigns.campaign_move(actor=nko, campaign=campaign, name="finish")


def _statement(home: Organization, nko: User, campaign: Campaign) -> None:
    volunteer = demo_user("volunteer@example.org")
    own = campaigns.donor_code_for(donor=volunteer, campaign=campaign).code
    day = (local_today() - timedelta(days=3)).strftime("%d.%m.%Y")
    content = onec_statement(
        ACCOUNT,
        [
            {"Номер": "101", "Дата": day, "Сумма": "50000.00", "Плательщик": "АО «Красмаш» (благотворительная программа)",
             "ПлательщикИНН": "2452000111", "НазначениеПлатежа": f"Пожертвование {campaign.code}. Без НДС"},
            {"Номер": "3312", "Дата": day, "Сумма": "1500.00", "Плательщик": "ПАО Сбербанк (платежи по QR)",
             "НазначениеПлатежа": f"Перевод по QR. Пожертвование {own}"},
            {"Номер": "77", "Дата": day, "Сумма": "65000.00", "Плательщик": "ООО «Сибирский сувенир»",
             "ПлательщикИНН": "2452000222", "НазначениеПлатежа": "Благотворительная помощь центру. НДС не облагается"},
            {"Номер": "78", "Дата": day, "Сумма": "2000.00", "Плательщик": "Соколова Мария Андреевна",
             "НазначениеПлатежа": f"Пожертвование {campaign.code}"},
        ],
    )  # fmt: skip
    upload = SimpleUploadedFile("kl_to_1c.txt", content, content_type="text/plain")
    statement = statements.statement_upload(actor=nko, organization=home, upload=upload)
    statements.statement_commit(actor=nko, statement=statement)


def _needs(home: Organization, nko: User, campaign: Campaign) -> None:
    """Goods for the rehabilitation centre: two pledges, one of them already received."""
    need = needs.need_save(
        actor=nko,
        organization=home,
        title="Подгузники для детей центра (размер 5)",
        description="Большие упаковки, любая марка. Привозите в будни с 9 до 17.",
        unit="уп.",
        quantity=40,
        unit_value=Decimal("1200"),
        deadline=local_today() + timedelta(days=30),
        campaign=campaign,
    )
    needs.need_move(actor=nko, need=need, name="open")
    volunteer = demo_user("volunteer@example.org")
    given = needs.pledge_create(actor=volunteer, need=need, quantity=5, note="Привезу в субботу")
    needs.pledge_move(actor=nko, pledge=given, name="receive")
    needs.pledge_create(actor=demo_user("resident@example.org"), need=need, quantity=2)
    transport = needs.need_save(
        actor=nko,
        organization=home,
        title="Машина, чтобы отвезти детей на фестиваль",
        kind="transport",
        unit="поездок",
        quantity=2,
        deadline=local_today() + timedelta(days=14),
    )
    needs.need_move(actor=nko, need=transport, name="open")


def receipt_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with these lines of text (ASCII only: the built-in Helvetica font) —
    enough for a demo receipt, made without any library or network."""
    text = " ".join(f"({line}) Tj T*" for line in lines)
    stream = f"BT /F1 12 Tf 14 TL 60 780 Td {text} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _spending(home: Organization, nko: User, collecting: Campaign, finished: Campaign) -> None:
    """The gifts bought for the finished campaign, with the shop's receipt published; the
    first payment of the collecting one, its invoice not yet published."""
    receipt = SimpleUploadedFile(
        "chek-podarki.pdf",
        receipt_pdf(
            ["Tovarny chek No 2841", "Podarochnye nabory, 40 sht.", "Itogo: 38 400.00 rub."]
        ),
        content_type="application/pdf",
    )
    gifts = spending.spending_create(
        actor=nko,
        organization=home,
        campaign=finished,
        spent_on=local_today() - timedelta(days=1),
        amount=Decimal("38400"),
        purpose="goods",
        description="Подарочные наборы для 40 детей центра",
        receipt=receipt,
    )
    spending.spending_publish_receipt(actor=nko, item=gifts, publish=True)
    spending.spending_create(
        actor=nko,
        organization=home,
        campaign=finished,
        spent_on=local_today() - timedelta(days=1),
        amount=Decimal("2800"),
        purpose="events",
        description="Аниматор на новогоднем празднике",
    )
    invoice = SimpleUploadedFile(
        "schet-vertikalizator.pdf",
        receipt_pdf(["Schet No 115", "Vertikalizator, predoplata 50%"]),
        content_type="application/pdf",
    )
    spending.spending_create(
        actor=nko,
        organization=home,
        campaign=collecting,
        spent_on=local_today() - timedelta(days=1),
        amount=Decimal("60000"),
        purpose="goods",
        description="Предоплата за вертикализатор",
        receipt=invoice,
    )


def _last_year(home: Organization, nko: User) -> None:
    """General donations and spending of last year: its public report."""
    year = local_today().year - 1
    donations.donation_record(
        actor=nko,
        organization=home,
        amount=Decimal("120000"),
        received_on=date(year, 6, 15),
        donor_name="АО «Красмаш» (благотворительная программа)",
        is_anonymous=False,
        note="На уставную деятельность",
    )
    donations.donation_record(
        actor=nko, organization=home, amount=Decimal("8600"), received_on=date(year, 12, 20)
    )
    for month, amount, purpose, description in (
        (3, "48000", "staff", "Оплата работы инструктора ЛФК"),
        (6, "36000", "aid", "Курс реабилитации для двух детей"),
        (9, "12500", "admin", "Бухгалтерское обслуживание"),
        (11, "18000", "services", "Транспорт на областные соревнования"),
    ):
        spending.spending_create(
            actor=nko,
            organization=home,
            spent_on=date(year, month, 10),
            amount=Decimal(amount),
            purpose=purpose,
            description=description,
        )
