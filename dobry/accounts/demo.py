"""Demo accounts: one per role, all with the same password, consents given, email verified."""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress

from dobry.accounts.models import ConsentDocument, ConsentRecord, User

DEMO_PASSWORD = "dobry-demo"


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    first_name: str
    last_name: str
    flags: dict[str, bool] = field(default_factory=dict)


DEMO_ACCOUNTS = [
    DemoAccount(
        "администратор платформы",
        "admin@example.org",
        "Ирина",
        "Админова",
        {"is_superuser": True, "is_staff": True},
    ),
    DemoAccount(
        "координатор (КРОО «АРГО»)",
        "coordinator@example.org",
        "Ольга",
        "Координаторова",
        {"is_coordinator": True},
    ),
    DemoAccount(
        "эксперт конкурсов", "expert@example.org", "Павел", "Экспертов", {"is_expert": True}
    ),
    DemoAccount(
        "администрация (отчёты)",
        "official@example.org",
        "Сергей",
        "Чиновников",
        {"is_official": True},
    ),
    DemoAccount("руководитель НКО", "nko@example.org", "Елена", "Заботина"),
    DemoAccount("житель, волонтёр", "volunteer@example.org", "Дмитрий", "Добров"),
    DemoAccount("жительница, получает помощь", "resident@example.org", "Зинаида", "Соседова"),
]


def demo_user(email: str) -> User:
    return User.objects.get(email=email)


def seed() -> None:
    documents = [
        d for kind in ConsentDocument.REQUIRED_AT_SIGNUP if (d := ConsentDocument.current(kind))
    ]
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=account.email,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                **account.flags,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            for document in documents:
                ConsentRecord.objects.create(user=user, document=document)
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
