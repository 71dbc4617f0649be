"""Demo districts of ЗАТО г. Железногорск (data, not code: another city loads its own)."""

from dobry.core.models import District

DISTRICTS = [
    ("center", "Центр"),
    ("old-town", "Старый город"),
    ("leningradsky", "Ленинградский"),
    ("pervomaisky", "Первомайский"),
    ("podgorny", "пос. Подгорный"),
    ("dodonovo", "пос. Додоново"),
    ("novy-put", "пос. Новый Путь"),
    ("shivera", "д. Шивера"),
]


def seed() -> None:
    for position, (slug, name) in enumerate(DISTRICTS):
        District.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
