"""What the help requests' audit entries mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.accounts.models import ConsentRecord
from dobry.core.audit import register_actions, register_fields, register_values
from dobry.helprequests.models import HEALTH_CONSENT_PAPER_SCAN, HelpOffer

register_actions(
    {
        "helprequest.submit": _("просьба о помощи принята"),
        "helprequest.update": _("просьба уточнена"),
        "helprequest.priority": _("изменён приоритет просьбы"),
        "helprequest.transition": _("изменён статус просьбы"),
        "helprequest.route": _("просьба передана в программу"),
        "helprequest.offer": _("помощь предложена волонтёрам"),
        "helprequest.batch": _("предложения разосланы по плану дня"),
        "helprequest.offer_answer": _("волонтёр ответил на предложение"),
        "helprequest.offer_withdraw": _("предложение помощи отозвано"),
        "helprequest.offer_expire": _("предложение помощи истекло"),
        "helprequest.self_offer": _("волонтёр вызвался помочь"),
        "helprequest.invite": _("приглашён волонтёр"),
        "helprequest.report": _("волонтёр отчитался о помощи"),
        "helprequest.feedback": _("получатель оценил помощь"),
        "helprequest.occurrence": _("создан повтор просьбы"),
        "helprequest.private_read": _("просмотрены контакты получателя"),
        "helprequest.health_read": _("просмотрены сведения о здоровье"),
        "helprequest.health_erase": _("сведения о здоровье удалены"),
        "helprequest.consent_scan_read": _("скачан скан согласия на сведения о здоровье"),
        "helprequest.minimise": _("персональные данные просьбы удалены по сроку"),
        "programme.save": _("программа помощи сохранена"),
        "programme.record": _("внесены получатели помощи программы"),
        "programme.record_confirm": _("запись программы о получателях подтверждена"),
        "helprequest.hand_back": _("просьба возвращена координаторам"),
    }
)
register_values(
    "helprequest.submit",
    {
        "health_consent_method": {
            **dict(ConsentRecord.Method.choices),
            HEALTH_CONSENT_PAPER_SCAN: _("скан подписанного бланка приложен координатором"),
            # entries written before the scan was required
            "coordinator_attested": _("координатор подтвердил бумажный бланк"),
        }
    },
)
for code in ("helprequest.offer_withdraw", "helprequest.offer_expire"):
    register_values(code, {"from": HelpOffer.Status, "to": HelpOffer.Status})
register_fields(
    {
        "category": _("вид помощи"),
        "priority": _("приоритет"),
        "duplicate_of": _("возможный повтор просьбы"),
        "health_data": _("сведения о здоровье"),
        "health_consent_method": _("способ согласия на сведения о здоровье"),
        "health_consent_version": _("версия согласия на сведения о здоровье"),
        "health_on_behalf": _(
            "подтверждено право передать сведения о здоровье получателя помощи "
            "(законный представитель или его согласие)"
        ),
        "programme": _("программа"),
        "volunteers": _("волонтёры"),
        "sent": _("отправлено"),
        "skipped": _("пропущено просьб"),
        "accepted": _("принято"),
        "previous": _("предыдущая просьба"),
        "month": _("месяц"),
        "first_time": _("впервые"),
    }
)
