"""Who reads the full reports: officials, coordinators, platform admins. The public
version (aggregate figures only) is open to everyone."""

from django.utils.translation import gettext_lazy as _

from dobry.core.permissions import ALLOW, Actor, Decision, deny


def can_view_reports(user: Actor) -> Decision:
    if getattr(user, "is_authenticated", False) and (
        getattr(user, "is_official", False)
        or getattr(user, "is_coordinator", False)
        or getattr(user, "is_superuser", False)
    ):
        return ALLOW
    return deny(_("Отчёты видят сотрудники администрации и координаторы ресурсного центра."))


def can_edit_report_data(user: Actor) -> Decision:
    """Targets, reach figures and infrastructure tags are entered by the same staff."""
    return can_view_reports(user)
