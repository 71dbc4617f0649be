"""What the accounts' audit entries mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.accounts.models import ConsentDocument, ConsentRecord
from dobry.core.audit import register_actions, register_fields, register_values

register_actions(
    {
        "api_token.create": _("выпущен API-токен"),
        "api_token.revoke": _("API-токен отозван"),
        "consent.accept": _("согласие дано"),
        "consent.code_send": _("отправлен код для подписи согласия"),
        "consent.record_paper": _("внесено бумажное согласие"),
        "consent.scan_read": _("просмотрен скан согласия"),
        "consent.sign": _("согласие подписано кодом"),
        "consent.withdraw": _("согласие отозвано"),
        "consent_document.publish": _("опубликован текст согласия"),
        "personal_data.export": _("выгружены свои персональные данные"),
        "user.erase": _("учётная запись удалена"),
        "user.update_profile": _("изменён профиль"),
    }
)
for code in ("consent.accept", "consent.code_send", "consent.record_paper", "consent.sign"):
    register_values(code, {"kind": ConsentDocument.Kind, "method": ConsentRecord.Method})
register_values("consent.withdraw", {"kind": ConsentDocument.Kind})
register_fields(
    {
        "expires_at": _("действует до"),
        "erased": _("удалено"),
        "sections": _("разделы"),
    }
)
