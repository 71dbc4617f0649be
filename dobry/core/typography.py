"""Quoting a name in running text, by the typographic rule of the active language.

Names often carry quotes of their own (КРОО «АРГО», «Испытание Сибирью»: маршал трассы).
Put inside «…» as they are, they come out doubled («за участие в ««Испытание Сибирью»…»»).
Russian typography puts „…“ inside «…»; English puts ‘…’ inside “…”. A name that is wholly
one quotation already («Испытание Сибирью. Гонка преодоления») is not quoted twice.
"""

from typing import Any

from django.utils.translation import get_language

# (outer open, outer close, inner open, inner close) per language.
MARKS = {"ru": ("«", "»", "„", "“"), "en": ("“", "”", "‘", "’")}
_OPENERS = "«„‘"
_CLOSERS = "»”’"
_AMBIGUOUS = "“\"'"  # “ opens in English, closes „ in Russian; straight quotes go both ways


def _marks(language: str | None) -> tuple[str, str, str, str]:
    code = (language or get_language() or "ru").split("-")[0]
    return MARKS.get(code, MARKS["ru"])


def _pairs(text: str) -> dict[int, int]:
    """Positions of matched quotation marks: opening index → closing index."""
    stack: list[tuple[int, str]] = []
    pairs: dict[int, int] = {}
    for index, char in enumerate(text):
        if char in _CLOSERS or (char in _AMBIGUOUS and _closes(text, index, stack)):
            if stack:
                pairs[stack.pop()[0]] = index
        elif char in _OPENERS or char in _AMBIGUOUS:
            if char == "'" and index > 0 and text[index - 1].isalnum():
                continue  # an apostrophe (O'Brien, д'Артаньян)
            stack.append((index, char))
    return pairs


def _closes(text: str, index: int, stack: list[tuple[int, str]]) -> bool:
    char = text[index]
    if not stack:
        return False
    opener = stack[-1][1]
    if char == "“":
        return opener == "„"
    if char == "'" and index + 1 < len(text) and text[index + 1].isalnum():
        return False
    # A straight quote closes the straight quote that is open, unless it starts a word.
    return opener == char and (index == 0 or not text[index - 1].isspace())


def quoted(name: Any, language: str | None = None) -> str:
    """«name» with the quotes inside it made inner quotes: «КРОО „АРГО“»;
    «„Испытание Сибирью“: маршал трассы»; a name quoted as a whole stays single."""
    text = " ".join(str(name if name is not None else "").split())
    outer_open, outer_close, inner_open, inner_close = _marks(language)
    pairs = _pairs(text)
    while text and pairs.get(0) == len(text) - 1:  # the whole name is one quotation
        text = text[1:-1].strip()
        pairs = _pairs(text)
    chars = list(text)
    for start, end in pairs.items():
        chars[start], chars[end] = inner_open, inner_close
    return f"{outer_open}{''.join(chars)}{outer_close}"
