"""Does a text meant for everyone carry a person's name or address? (the public summary of
a help request: issue 11 §1). A small set of patterns, not a language model: a street word
with a name or number («ул. Ленина», «д. 5», «кв 12»), a house and flat («Ленина 5-12»), a
name with a patronymic («Мария Петровна», «Ивановой Марии Петровны»), and a first name
beside a surname («Марии Ивановой», «Иванова Мария»). Each pattern is proven on ordinary
sentences that must pass («Нужна помощь с покупкой продуктов в Центре», «Проводить до
дома», «2-3 часа в неделю»): see tests/test_public_text.py.

Why not `natasha` or `pymorphy3`: they bring dictionaries and embeddings (tens of MB) and
a named-entity model whose misses and false alarms on a one-line summary are harder to
predict than these patterns; a summary is short and formulaic, and the check only has to
stop the common shapes a person types, while the coordinator reads every summary before
it is published."""

import re

# Street words that, followed by a capitalised name or a number, make an address.
_STREET = re.compile(
    r"(?<![а-яё])(?:ул|улиц[аеуы]|пр-т|просп|проспект[аеу]?|пр|пер|переул(?:ок|ка|ке)"
    r"|б-р|бульвар[аеу]?|ш|шоссе|наб|набережн(?:ая|ой|ую)|пл|площад[иь]|проезд[аеу]?"
    r"|мкр|микрорайон[аеу]?|тупик[аеу]?)\.?\s+(?:[А-ЯЁ]|\d)"
)
# House, flat and the like followed by a number: «д. 5», «дом 5», «кв 12», «квартира 12».
_HOUSE = re.compile(
    r"(?<![а-яё])(?:д|дом[аеу]?|кв|квартир[аеуы]|корп|корпус[аеу]?|стр|подъезд[аеу]?|эт|этаж[аеу]?)"
    r"\.?\s*№?\s*\d",
    re.IGNORECASE,
)
# «Ленина 5-12», «Ленина, 5/12»: a capitalised word, a house number and a flat — not an
# amount («2-3 часа», «10-12 человек»).
_HOUSE_FLAT = re.compile(
    r"[А-ЯЁ][а-яё]+,?\s+\d{1,3}[а-я]?\s*[-–/]\s*\d{1,4}(?![\d,.])"
    r"(?!\s*(?:час|ч\b|мин|раз|дн|день|дня|недел|месяц|чел|кг|км|м\b|руб|₽|шт|%|лет|год|штук))"
)
# A name with a patronymic in any case: «Мария Петровна», «Ивану Петровичу», «Ильиничны».
_PATRONYMIC = re.compile(
    r"[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+(?:ович|евич|ьич)(?:а|у|ем|е)?(?![а-яё])"
    r"|[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+(?:овн|евн|ичн)(?:а|ы|е|у|ой)(?![а-яё])"
)
# Common first names (stems without the ending that changes in declension); words that are
# also ordinary nouns or places («Вера», «Надежда», «Любовь», «Мира», «Слава») are left out.
_FIRST_NAMES = [
    "александр",
    "алексе",
    "анатол",
    "андре",
    "анн",
    "антон",
    "аркади",
    "арсени",
    "артём",
    "артем",
    "борис",
    "вадим",
    "валентин",
    "валери",
    "варвар",
    "васили",
    "василис",
    "виктор",
    "виктори",
    "витали",
    "владимир",
    "владислав",
    "галин",
    "геннади",
    "георги",
    "глеб",
    "григори",
    "дани",
    "дарь",
    "денис",
    "дмитри",
    "евгени",
    "егор",
    "екатерин",
    "елен",
    "елизавет",
    "жанн",
    "зинаид",
    "иван",
    "игор",
    "иль",
    "инн",
    "ирин",
    "кирилл",
    "клавди",
    "константин",
    "ксени",
    "лари",
    "лид",
    "лиди",
    "любов",
    "людмил",
    "макар",
    "максим",
    "маргарит",
    "марин",
    "мари",
    "марк",
    "матве",
    "михаил",
    "надежд",
    "наталь",
    "никит",
    "никола",
    "нин",
    "олег",
    "ольг",
    "оксан",
    "павел",
    "павл",
    "полин",
    "раис",
    "роман",
    "светлан",
    "семён",
    "семен",
    "серге",
    "софь",
    "софи",
    "станислав",
    "степан",
    "таисия",
    "тамар",
    "татьян",
    "тимофе",
    "тимур",
    "фёдор",
    "федор",
    "эдуард",
    "элеонор",
    "юли",
    "юри",
    "яков",
    "ярослав",
]
_FIRST = (
    "(?:"
    + "|".join(stem.capitalize() for stem in sorted(set(_FIRST_NAMES), key=len, reverse=True))
    + r")[а-яё]{0,3}"
)
_SURNAME = r"[а-яё]+(?:ов|ев|ёв|ин|ын|ск|цк|их|ых)(?:а|у|ым|ой|ому|ого|ую|ая|ий|ие|ых|им|ими|е)?"
_NAME_AND_SURNAME = re.compile(
    rf"(?<![А-Яа-яЁё]){_FIRST}(?![а-яё])\s+[А-ЯЁ]{_SURNAME}(?![а-яё])"
    rf"|(?<![А-Яа-яЁё])[А-ЯЁ]{_SURNAME}\s+{_FIRST}(?![а-яё])"
)
# A first name in mid-sentence, after a lower-case word or a comma: «Помочь Марии с …».
_FIRST_NAME_INSIDE = re.compile(rf"(?<=[а-яё,]\s){_FIRST}(?![а-яё])")


def address_found(text: str) -> bool:
    return bool(_STREET.search(text) or _HOUSE.search(text) or _HOUSE_FLAT.search(text))


def name_found(text: str) -> bool:
    return bool(
        _PATRONYMIC.search(text)
        or _NAME_AND_SURNAME.search(text)
        or _FIRST_NAME_INSIDE.search(text)
    )
