"""What the programme's audit entries mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.core.audit import register_actions, register_fields

register_actions(
    {
        "programme.create": _("программа создана"),
        "programme.track": _("направление программы сохранено"),
        "programme.track_delete": _("направление программы удалено"),
        "programme.venue": _("площадка программы сохранена"),
        "programme.venue_delete": _("площадка программы удалена"),
        "programme.places": _("места для стендов добавлены"),
        "programme.session": _("сессия программы сохранена"),
        "programme.session_cancel": _("сессия программы отменена"),
        "programme.session_restore": _("сессия возвращена в программу"),
        "programme.session_delete": _("сессия программы удалена"),
        "programme.session_register": _("запись на сессию"),
        "programme.attendance": _("отмечено, кто пришёл на сессию"),
        "programme.publish": _("опубликована версия программы"),
        "programme.stand_apply": _("подана заявка на стенд"),
        "programme.stand_accept": _("заявка на стенд принята"),
        "programme.stand_decline": _("заявка на стенд отклонена"),
        "programme.stand_withdraw": _("заявка на стенд отозвана"),
        "programme.resolution": _("опубликована резолюция секции"),
    }
)
register_fields({"place": _("место"), "session": _("сессия"), "present": _("пришёл")})
