"""What the charity app's audit entries mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.core.audit import register_actions, register_fields

register_actions(
    {
        "charity.bank_details": _("изменены банковские реквизиты"),
        "charity.campaign_create": _("создан сбор"),
        "charity.campaign_edit": _("сбор изменён"),
        "charity.campaign_publish": _("сбор начат"),
        "charity.campaign_finish": _("сбор завершён"),
        "charity.campaign_reopen": _("сбор возобновлён"),
        "charity.campaign_update": _("опубликована новость сбора"),
        "charity.donation_record": _("пожертвование внесено вручную"),
        "charity.statement_upload": _("загружена выписка банка"),
        "charity.statement_commit": _("платежи выписки записаны"),
        "charity.statement_discard": _("выписка отменена"),
        "charity.entry_assign": _("платёж записан как пожертвование"),
        "charity.entry_ignore": _("платёж отмечен как не пожертвование"),
        "charity.entry_restore": _("платёж возвращён в разбор"),
        "charity.need_save": _("нужда сохранена"),
        "charity.need_open": _("нужда опубликована"),
        "charity.need_close": _("нужда закрыта"),
        "charity.pledge_create": _("обещана помощь вещами или делом"),
        "charity.pledge_receive": _("обещанная помощь получена"),
        "charity.pledge_cancel": _("обещание помощи отменено"),
        "charity.spending_create": _("записан расход"),
        "charity.spending_edit": _("расход изменён"),
        "charity.spending_receipt": _("к расходу приложен документ"),
        "charity.spending_delete": _("расход удалён"),
        "charity.spending_publish": _("документ расхода опубликован"),
        "charity.spending_unpublish": _("документ расхода снят с публикации"),
    }
)
register_fields(
    {
        "amount": _("сумма, ₽"),
        "campaign": _("сбор"),
        "description": _("что оплачено"),
    }
)
