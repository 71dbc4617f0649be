"""What the organisations' audit entries mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.core.audit import register_actions, register_fields, register_values
from dobry.organizations.models import Membership

register_actions(
    {
        "organization.propose": _("организация предложена"),
        "organization.update": _("изменены сведения об организации"),
        "organization.verify": _("организация проверена"),
        "organization.return": _("организация возвращена на доработку"),
        "invitation.create": _("отправлено приглашение"),
        "invitation.accept": _("приглашение принято"),
        "invitation.revoke": _("приглашение отозвано"),
        "membership.set_role": _("изменена роль участника"),
        "membership.leave": _("участник вышел из организации"),
        "membership.remove": _("участник исключён из организации"),
        "organization.contacts_erase": _(
            "стёрты контакты организации, принадлежавшие удалённой учётной записи"
        ),
    }
)
for code in ("invitation.create", "invitation.accept", "membership.leave", "membership.remove"):
    register_values(code, {"role": Membership.Role})
register_values("membership.set_role", {"from": Membership.Role, "to": Membership.Role})
register_fields({"back_to_review": _("снова на проверку")})
