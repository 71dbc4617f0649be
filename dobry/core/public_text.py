"""Does a text meant for everyone carry a person's name, address or contacts? (the public
summary of a help request, a consultation published as a question and answer: issue 11 §1).
`personal_data_found` is the one check every public copy of a person's words goes through. A small set of patterns, not a language model: a street word
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
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from dobry.core.erasure import ANY_EMAIL, ANY_PHONE
from dobry.core.search import fold_for_search

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
    r"[А-ЯЁ][а-яё]+,?\s+\d{1,3}[а-я]?\s*[-–/]\s*\d{1,4}(?!\d|[,.]\d)"
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


# A street named after a person (genitive: «Курчатова 48а», «Ленина 25», «Советской Армии» is
# not caught) followed by a house number: not an amount («Марина 2 часа» is stopped by the
# unit words).
_STREET_HOUSE = re.compile(
    r"(?<![А-Яа-яЁё])[А-ЯЁ][а-яё]+(?:ова|ева|ёва|ина|ына|ого|ской|цкой)\s+\d{1,3}[а-я]?"
    r"(?![\d.,]\d|\s*(?:[-–]\s*\d+\s*)?(?:час|ч\b|мин|раз|дн|день|дня|недел|месяц|чел|кг|км|м\b"
    r"|руб|₽|шт|%|лет|год|штук))"
)
# A number before a floor or an entrance («2 этаж», «3-й подъезд»; not «2 этажа»), an
# entry-phone code («код домофона 14», «домофон 25#»), and «Адрес: …» given outright.
_FLOOR_FIRST = re.compile(
    r"(?<![\d.,])\d{1,3}\s*(?:-?[йяе]\s*)?(?:этаже?|подъезде?)(?![а-яё])", re.IGNORECASE
)
_ENTRY_CODE = re.compile(r"(?<![а-яё])(?:код\s+)?домофон[а-яё]*\s*[:№]?\s*\d", re.IGNORECASE)
_ADDRESS_LABEL = re.compile(r"(?<![а-яёa-z])адрес\s*:\s*\S", re.IGNORECASE)


def address_found(text: str) -> bool:
    return any(
        pattern.search(text)
        for pattern in (
            _STREET,
            _HOUSE,
            _HOUSE_FLAT,
            _STREET_HOUSE,
            _FLOOR_FIRST,
            _ENTRY_CODE,
            _ADDRESS_LABEL,
        )
    )


# A name and a surname written in lower case («иван петров», «мария иванова»): the first
# name by its stem (those of four letters or more that are not also common words), the
# surname by its ending (-ов/-ев/-ин, -ова/-ева/-ина, -ский/-ская).
_LOWER_FIRST = (
    "(?:"
    + "|".join(
        stem
        for stem in sorted(set(_FIRST_NAMES), key=len, reverse=True)
        if len(stem) >= 4 and stem not in {"роман", "дани", "лиди", "любов", "макар"}
    )
    + r")[а-яё]{0,3}"
)
_LOWER_SURNAME = r"[а-яё]{2,}(?:ов|ев|ёв|ин|ова|ева|ёва|ина|ский|ская|цкий|цкая)"
_LOWER_NAME_AND_SURNAME = re.compile(
    rf"(?<![а-яёa-z]){_LOWER_FIRST}\s+{_LOWER_SURNAME}(?![а-яё])"
    rf"|(?<![а-яёa-z]){_LOWER_SURNAME}\s+{_LOWER_FIRST}(?![а-яё])"
)
# A name and a surname in Latin letters («Zinaida Sosedova», «Ivan Petrov», «Anna Ivanovskaya»).
_LATIN_NAME_AND_SURNAME = re.compile(
    r"(?<![A-Za-z])[A-Z][a-z]+\s+[A-Z][a-z]+"
    r"(?:ov|ev|in|ova|eva|ina|sky|skiy|skii|skaya|sky|tsky|tskaya)(?![a-z])"
)
# Short forms of first names that a summary uses («Бабушка Зина», «тётя Маша»), in
# mid-sentence after a lower-case word, capitalised.
_SHORT_NAMES = ("зин", "маш", "даш", "саш", "наташ", "миш", "вань", "петь", "тань", "вал")
_SHORT_NAME_INSIDE = re.compile(
    rf"(?<=[а-яё,]\s)(?:{'|'.join(stem.capitalize() for stem in _SHORT_NAMES)})"
    r"(?:а|я|е|ю|ы|и|ой|ей)?(?![а-яё])"
)


def name_found(text: str) -> bool:
    return any(
        pattern.search(text)
        for pattern in (
            _PATRONYMIC,
            _NAME_AND_SURNAME,
            _FIRST_NAME_INSIDE,
            _SHORT_NAME_INSIDE,
            _LATIN_NAME_AND_SURNAME,
        )
    ) or bool(_LOWER_NAME_AND_SURNAME.search(text.lower()))


# «@ivanova_m» (Telegram, Instagram, VK short names), not an email's «@mail.ru».
_HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z][\w.]{2,}")
# A link to a person's page on a social network or messenger: «vk.com/id123», «t.me/ivanova».
_PROFILE_LINK = re.compile(
    r"(?<![\w.])(?:https?://)?(?:www\.|m\.)?"
    r"(?:vk\.com|vk\.ru|vkontakte\.ru|t\.me|telegram\.me|ok\.ru|instagram\.com|facebook\.com"
    r"|fb\.com|wa\.me|max\.ru)/[\w.\-/?=&%]+",
    re.IGNORECASE,
)
# A city number without its code, «72-12-34», «2 12 34 56»; not years («2025-2026») or dates.
_LOCAL_PHONE = re.compile(r"(?<![\d.,/])\d{1,3}(?:[\s\-]\d{2}){2,3}(?![\d.,/])")


# A phone number written out in words («восемь девятьсот тридцать два сто двадцать три …»):
# a run of seven or more number words (or digits) in a row.
_NUMBER_WORD = (
    r"(?:ноль|нуль|один|одна|два|две|три|четыре|пять|шесть|семь|восемь|девять|десять"
    r"|одиннадцать|двенадцать|тринадцать|четырнадцать|пятнадцать|шестнадцать|семнадцать"
    r"|восемнадцать|девятнадцать|двадцать|тридцать|сорок|пятьдесят|шестьдесят|семьдесят"
    r"|восемьдесят|девяносто|сто|двести|триста|четыреста|пятьсот|шестьсот|семьсот"
    r"|восемьсот|девятьсот|плюс|\d+)"
)
_PHONE_IN_WORDS = re.compile(
    rf"(?<![а-яё]){_NUMBER_WORD}(?:[\s,\-–]+{_NUMBER_WORD}){{6,}}(?![а-яё])"
)


def contacts_found(text: str) -> list[str]:
    """The kinds of contacts in `text`: "phone" (also written out in words), "email",
    "link" (a profile on a social network, a messenger link or an @handle)."""
    kinds = []
    phone_in_words = _PHONE_IN_WORDS.search(text.lower().replace("ё", "е"))
    if ANY_PHONE.search(text) or _LOCAL_PHONE.search(text) or phone_in_words:
        kinds.append("phone")
    if ANY_EMAIL.search(text):
        kinds.append("email")
    if _PROFILE_LINK.search(text) or _HANDLE.search(ANY_EMAIL.sub(" ", text)):
        kinds.append("link")
    return kinds


def _stem(word: str) -> str:
    """A name's word without the ending that changes in declension: a final vowel or soft
    sign goes («Анна» → «анн», «Мария» → «мари», «Жителева» → «жителев»), a final consonant
    stays («Иван», «Иванов»)."""
    return word[:-1] if word[-1] in "аяоеёиыуйь" else word


def _name_words(names: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern for the words of these names in any case ending («Анна» → «Анны», «Анне»;
    «Иванов» → «Ивановым»): each word of more than three letters by its stem and up to
    three more letters; ё and е alike."""
    stems = {
        _stem(part) for name in names for part in fold_for_search(name).split() if len(part) > 3
    }
    if not stems:
        return None
    alternatives = "|".join(
        re.escape(stem).replace("е", "[её]") for stem in sorted(stems, key=len, reverse=True)
    )
    return re.compile(rf"(?<![\w])(?:{alternatives})\w{{0,3}}(?![\w])", re.IGNORECASE)


def known_name_found(text: str, names: Iterable[str]) -> bool:
    """Does `text` mention one of these names in any case ending?"""
    pattern = _name_words(names)
    return pattern is not None and pattern.search(text) is not None


def known_names_redacted(text: str, names: Iterable[str], replacement: str) -> str:
    """`text` with every word of these names, in any case ending, replaced (erasure of a
    person from texts that stay for others: «Объяснили Марии» → «Объяснили [удалено]»)."""
    pattern = _name_words(names)
    return pattern.sub(replacement, text) if pattern is not None else text


LABELS = {
    "name": _("имя"),
    "address": _("адрес"),
    "phone": _("номер телефона"),
    "email": _("адрес электронной почты"),
    "link": _("ник или ссылку на страницу человека"),
}


def personal_data_found(text: str, names: Iterable[str] = ()) -> list[str]:
    """The kinds of personal data a text meant for everyone shows, in the order of
    `LABELS` ("name", "address", "phone", "email", "link"); empty when it is clean.
    `names`: the names of the people the text is about (found in any case ending), beside
    the shapes of any name. Patterns, not a model: see the module's docstring."""
    kinds = []
    if name_found(text) or known_name_found(text, names):
        kinds.append("name")
    if address_found(text):
        kinds.append("address")
    kinds.extend(contacts_found(text))
    return kinds


def personal_data_labels(kinds: Iterable[str]) -> str:
    """«имя, номер телефона»: what to remove, in the reader's language."""
    return ", ".join(str(LABELS[kind]) for kind in kinds)


# Health and disability (152-ФЗ art. 10, a special category): diagnoses and disability
# groups, by the start of the word (any ending: «инсульта», «диабетом», «онкология»).
_HEALTH_STEMS = (
    "инсульт",
    "инфаркт",
    "диабет",
    "онколог",
    "опухол",
    "метастаз",
    "химиотерап",
    "гепатит",
    "туберкул",
    "эпилеп",
    "деменц",
    "альцгеймер",
    "паркинсон",
    "шизофрен",
    "психиатр",
    "биполяр",
    "аутизм",
    "аутист",
    "дцп",
    "церебральн",
    "парализ",
    "паралич",
    "ампутац",
    "цирроз",
    "астм",
    "диализ",
    "гемодиализ",
    "катаракт",
    "глауком",
    "слабоуми",
    "наркоман",
    "алкоголизм",
    "послеоперац",
    # the senses and moving (issue 11): «слепая», «глухая», «колясочник», «лежачая»
    "слепот",
    "незряч",
    "слабовидящ",
    "слабослышащ",
    "глухот",
    "глухонем",
    "тугоух",
    "колясочни",
    "лежач",
    "беремен",
    "онкобол",
    "перелом",
    "ампутир",
    "инсулин",
    "психическ",
)
# Word forms whose stem is also part of other words («слепить», «глухомань»).
_HEALTH_FORMS = (
    r"слеп(?:ая|ой|ого|ому|ую|ые|ых|ым|ыми|ая|нет|нут|ну|нуть|ла|л)"
    r"|глух(?:ая|ой|ого|ому|ую|ие|их|им|ими)"
    r"|инвалидн[а-я]*\s+коляс[а-я]*|на\s+коляске"
    r"|не\s+(?:ходит|ходят|ходю|встает|встают|видит|видят|слышит|слышат)"
    r"|прикован[а-я]*\s+к\s+(?:постели|кровати|коляске)"
)
# Whole words only (short ones that are also parts of other words: «рак» in «драка»).
_HEALTH_WORDS = ("рак", "рака", "раком", "раке", "вич", "спид", "covid", "ковид")
_HEALTH = re.compile(
    r"(?<![а-яёa-z])(?:"
    + "|".join(_HEALTH_STEMS)
    + r")[а-яё]*"
    + r"|(?<![а-яёa-z])(?:"
    + "|".join(_HEALTH_WORDS)
    + r")(?![а-яёa-z])"
    + r"|(?<![а-яёa-z])(?:"
    + _HEALTH_FORMS
    + r")(?![а-яёa-z])"
    # a disability group: «инвалид 1 группы», «II группа инвалидности» (disability as such
    # stays: «семье с ребёнком-инвалидом» is the kind of help, a category of its own)
    + r"|(?<![а-яёa-z])инвалид[а-яё]*\s+(?:[1-3]|i{1,3}|перв|втор|трет)[а-яё\-]*\s+групп[а-яё]*"
    + r"|(?<![а-яёa-z0-9])(?:[1-3]|i{1,3}|перв[а-яё]*|втор[а-яё]*|трет[а-яё]*)[\s\-]*(?:-?[яйе]\s+)?групп[а-яё]*\s+инвалидност[а-яё]*"
)


def health_found(text: str) -> list[str]:
    """The health and disability words in `text` (diagnoses, disability and its groups),
    as written, each once, in the order found; empty when there are none. For the texts
    that must not carry them: a public summary always, a request's details without the
    person's consent to processing health data. Patterns, not a model, as above."""
    found: list[str] = []
    folded = text.lower().replace("ё", "е")
    source = text if len(folded) == len(text) else folded  # to quote the words as written
    for match in _HEALTH.finditer(folded):
        word = source[match.start() : match.end()]
        if word not in found:
            found.append(word)
    return found
