"""The mode for the visually impaired (ГОСТ Р 52872-2019): settings kept in a cookie per browser.

Font size steps scale the root size, so everything sized in `rem` (headings, buttons,
fields) grows with the text. Spacing steps widen letter, word and line spacing; the last
step is WCAG 2.2 success criterion 1.4.12 (letters 0.12 em, words 0.16 em, lines 1.5,
paragraphs 2 em), which ГОСТ Р 52872-2019 adopts.
"""

from dataclasses import dataclass, replace

from django.http import HttpRequest

COOKIE = "dobry_a11y"
SIZES = ("1", "2", "3")
SCHEMES = ("bw", "wb", "blue")
SPACINGS = ("1", "2", "3")


@dataclass(frozen=True)
class LowVision:
    enabled: bool = False
    size: str = "2"
    scheme: str = "bw"
    images: bool = False
    spacing: str = "1"

    @property
    def body_classes(self) -> str:
        if not self.enabled:
            return ""
        classes = [
            "low-vision",
            f"lv-size-{self.size}",
            f"lv-scheme-{self.scheme}",
            f"lv-spacing-{self.spacing}",
        ]
        if not self.images:
            classes.append("lv-no-images")
        return " ".join(classes)

    @property
    def root_classes(self) -> str:
        """Classes of `<html>`: the font size step sizes the root, so `rem` follows it."""
        return f"lv-size-{self.size}" if self.enabled else ""

    def encode(self) -> str:
        return f"{int(self.enabled)}.{self.size}.{self.scheme}.{int(self.images)}.{self.spacing}"


def read(request: HttpRequest) -> LowVision:
    """The settings from the cookie; a cookie written before spacing existed has 4 parts."""
    parts = request.COOKIES.get(COOKIE, "").split(".")
    if len(parts) == 4:
        parts.append("1")
    if len(parts) != 5 or parts[0] != "1":
        return LowVision()
    _enabled, size, scheme, images, spacing = parts
    return LowVision(
        enabled=True,
        size=size if size in SIZES else "2",
        scheme=scheme if scheme in SCHEMES else "bw",
        images=images == "1",
        spacing=spacing if spacing in SPACINGS else "1",
    )


def update(current: LowVision, field: str, value: str) -> LowVision:
    """Apply one change from the settings panel; unknown input leaves things as they were."""
    if field == "enabled":
        return LowVision(enabled=value == "1")
    if not current.enabled:
        return current
    if field == "size" and value in SIZES:
        return replace(current, size=value)
    if field == "scheme" and value in SCHEMES:
        return replace(current, scheme=value)
    if field == "images" and value in ("0", "1"):
        return replace(current, images=value == "1")
    if field == "spacing" and value in SPACINGS:
        return replace(current, spacing=value)
    return current
