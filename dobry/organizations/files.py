"""Organisations' uploaded files: the logo is a public picture."""

from dobry.core.files import register_public
from dobry.organizations.models import Organization

register_public(
    Organization,
    "logo",
    reason="picture on the public organisation card and page; random name",
)
