"""What the civic app's audit entries mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.core.audit import register_actions, register_fields

register_actions(
    {
        "civic.initiative_create": _("опубликована инициатива"),
        "civic.initiative_edit": _("инициатива изменена"),
        "civic.initiative_gather": _("инициатива собирает поддержку"),
        "civic.initiative_to_centre": _("инициатива взята в ресурсный центр"),
        "civic.initiative_start": _("инициатива воплощается"),
        "civic.initiative_finish": _("инициатива сделана"),
        "civic.initiative_reopen": _("инициатива возвращена в работу"),
        "civic.initiative_respond": _("ресурсный центр ответил на инициативу"),
        "civic.threshold_reached": _("инициатива набрала поддержку"),
        "civic.timeline_post": _("добавлен результат инициативы"),
        "civic.link_add": _("к инициативе привязано, что из неё получилось"),
        "civic.link_remove": _("связь инициативы удалена"),
        "civic.support_add": _("инициатива поддержана"),
        "civic.support_remove": _("поддержка инициативы отозвана"),
        "civic.team_join": _("вступил в команду инициативы"),
        "civic.team_leave": _("вышел из команды инициативы"),
        "civic.comment_add": _("оставлен комментарий к инициативе"),
        "civic.comment_report": _("жалоба на комментарий"),
        "civic.comment_keep": _("комментарий оставлен модератором"),
        "civic.comment_hide": _("комментарий скрыт модератором"),
        "civic.comment_restore": _("комментарий возвращён модератором"),
        "civic.vote_create": _("подготовлено голосование жителей"),
        "civic.vote_update": _("изменены правила голосования жителей"),
        "civic.vote_option_add": _("в голосование добавлен вариант"),
        "civic.vote_option_remove": _("из голосования убран вариант"),
        "civic.vote_officer_add": _("назначен член счётной комиссии голосования"),
        "civic.vote_officer_remove": _("член счётной комиссии голосования снят"),
        "civic.vote_announce": _("голосование объявлено"),
        "civic.vote_close": _("итоги голосования опубликованы"),
        "civic.vote_cast": _("житель проголосовал"),
        "civic.paper_ballot": _("внесён бумажный бюллетень"),
        "civic.resident_verify": _("житель подтверждён координатором"),
        "civic.resident_verify_sms": _("житель подтвердил телефон кодом из СМС"),
        "civic.resident_unverify": _("подтверждение жителя снято"),
        "civic.phone_code_send": _("отправлен код по СМС"),
    }
)

register_fields(
    {
        "automatic": _("автоматически, по окончании голосования"),
        "officer": _("член счётной комиссии"),
    }
)
