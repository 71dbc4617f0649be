"""What the grants' audit entries mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.core.audit import register_actions, register_fields, register_values
from dobry.grants.models import Amendment, Application, Expert

register_actions(
    {
        "competition.create": _("конкурс создан"),
        "competition.update": _("изменены условия конкурса"),
        "competition.rules_document": _("загружено положение конкурса"),
        "competition.publish": _("конкурс объявлен"),
        "competition.criterion": _("критерий оценки сохранён"),
        "competition.criterion_delete": _("критерий оценки удалён"),
        "competition.manager_add": _("добавлен менеджер конкурса"),
        "competition.manager_remove": _("менеджер конкурса снят"),
        "competition.expert_add": _("эксперт добавлен в пул"),
        "competition.expert_remove": _("эксперт исключён из пула"),
        "competition.assign": _("эксперты назначены на заявки"),
        "competition.allocation_trial": _("пробный расчёт распределения"),
        "competition.allocation_final": _("итоговый расчёт распределения"),
        "competition.meeting": _("назначено заседание комиссии"),
        "competition.decide": _("комиссия приняла решение"),
        "competition.protocol_signed": _("загружен подписанный протокол"),
        "competition.results": _("итоги опубликованы"),
        "application.create": _("заявка создана"),
        "application.attach": _("к заявке приложен файл"),
        "application.detach": _("файл заявки удалён"),
        "application.submit": _("заявка подана"),
        "application.withdraw": _("заявка отозвана"),
        "application.screen": _("заявка проверена на допуск"),
        "application.review_assign": _("эксперт назначен на заявку"),
        "application.review_unassign": _("эксперт снят с заявки"),
        "application.divergence": _("большое расхождение оценок: добавлены эксперты"),
        "review.conflict": _("эксперт заявил о конфликте интересов"),
        "review.no_conflict": _("эксперт подтвердил отсутствие конфликта интересов"),
        "review.submit": _("оценка отправлена"),
        "review.recuse": _("эксперт отстранён от заявки"),
        "review.reschedule": _("эксперту назначен новый срок оценки"),
        "agreement.create": _("подготовлено соглашение о гранте"),
        "agreement.sign": _("соглашение о гранте подписано"),
        "agreement.terminate": _("соглашение о гранте расторгнуто"),
        "tranche.request": _("запрошен транш гранта"),
        "tranche.pay": _("транш гранта перечислен"),
        "amendment.propose": _("предложено изменение соглашения"),
        "amendment.approve": _("изменение соглашения утверждено"),
        "amendment.reject": _("изменение соглашения отклонено"),
        "calendar.day_save": _("внесён перенос дня в производственный календарь"),
        "calendar.day_delete": _("удалён перенос дня из производственного календаря"),
    }
)
register_values("application.screen", {"decision": Application.Status})
register_values("competition.expert_add", {"sector": Expert.Sector})
register_values("amendment.propose", {"kind": Amendment.Kind})
register_values("review.recuse", {"by": {"expert": _("сам эксперт"), "staff": _("менеджер")}})
register_fields(
    {
        "expert": _("эксперт"),
        "replacement": _("замена"),
        "review": _("оценка"),
        "total": _("итог"),
        "total_set_aside": _("отложенный итог"),
        "by": _("кем"),
        "attachment": _("файл"),
        "number": _("номер"),
        "requested": _("запрошено, ₽"),
        "decision": _("решение"),
        "totals": _("итоги оценок"),
        "added": _("добавлено экспертов"),
        "run": _("расчёт"),
        "awards": _("грантов"),
        "remaining": _("остаток, ₽"),
        "assigned": _("назначено"),
        "short": _("не хватило экспертов"),
        "criterion": _("критерий"),
        "weight": _("вес"),
        "max_score": _("наибольший балл"),
        "sector": _("сектор"),
        "unassigned": _("снято назначений"),
        "meeting": _("заседание"),
        "amendments": _("изменения решения"),
        "due": _("оценить до"),
        "day": _("дата"),
        "working": _("рабочий день"),
        "before": _("было"),
        "note": _("основание"),
        "amount": _("сумма, ₽"),
        "lines": _("статьи бюджета"),
        "signed_on": _("дата подписания"),
        "tranche": _("транш"),
        "payment_order": _("платёжное поручение"),
        "paid_on": _("дата перечисления"),
        "amendment": _("изменение"),
        "kind": _("что меняется"),
        "changes": _("изменения"),
        "version": _("редакция"),
    }
)
