"""The mode for the visually impaired (ГОСТ Р 52872): settings kept in a cookie per browser."""

from dataclasses import dataclass

from django.http import HttpRequest

COOKIE = "dobry_a11y"
SIZES = ("1", "2", "3")
SCHEMES = ("bw", "wb", "blue")


@dataclass(frozen=True)
class LowVision:
    enabled: bool = False
    size: str = "2"
    scheme: str = "bw"
    images: bool = False

    @property
    def body_classes(self) -> str:
        if not self.enabled:
            return ""
        classes = ["low-vision", f"lv-size-{self.size}", f"lv-scheme-{self.scheme}"]
        if not self.images:
            classes.append("lv-no-images")
        return " ".join(classes)

    def encode(self) -> str:
        return f"{int(self.enabled)}.{self.size}.{self.scheme}.{int(self.images)}"


def read(request: HttpRequest) -> LowVision:
    parts = request.COOKIES.get(COOKIE, "").split(".")
    if len(parts) != 4 or parts[0] != "1":
        return LowVision()
    _enabled, size, scheme, images = parts
    return LowVision(
        enabled=True,
        size=size if size in SIZES else "2",
        scheme=scheme if scheme in SCHEMES else "bw",
        images=images == "1",
    )


def update(current: LowVision, field: str, value: str) -> LowVision:
    """Apply one change from the settings panel; unknown input leaves things as they were."""
    if field == "enabled":
        return LowVision(enabled=value == "1")
    if not current.enabled:
        return current
    if field == "size" and value in SIZES:
        return LowVision(True, value, current.scheme, current.images)
    if field == "scheme" and value in SCHEMES:
        return LowVision(True, current.size, value, current.images)
    if field == "images" and value in ("0", "1"):
        return LowVision(True, current.size, current.scheme, value == "1")
    return current
