from django.utils.translation import gettext_lazy as _

from dobry.communications.kinds import EXPERTS, register_kind

APPLICATION_RECEIVED = register_kind("grant_application_received", _("Заявка на конкурс принята"))
APPLICATION_SCREENED = register_kind(
    "grant_application_screened", _("Решение о допуске заявки на конкурс")
)
REVIEW_ASSIGNED = register_kind(
    "grant_review_assigned", _("Вам назначена заявка на экспертизу"), audience=EXPERTS
)
REVIEW_RESCHEDULED = register_kind(
    "grant_review_rescheduled", _("Новый срок экспертизы заявки"), audience=EXPERTS
)
REVIEW_REMINDER = register_kind(
    "grant_review_reminder", _("Срок экспертизы заявок скоро истекает"), audience=EXPERTS
)
RESULTS_PUBLISHED = register_kind("grant_results", _("Итоги грантового конкурса"))
REPORT_DUE = register_kind("grant_report_due", _("Скоро срок отчёта по гранту"))
REPORT_RETURNED = register_kind("grant_report_returned", _("Отчёт по гранту вернули на доработку"))
REPORT_ACCEPTED = register_kind("grant_report_accepted", _("Отчёт по гранту принят"))
PROJECT_COMMENT_REPORTED = register_kind(
    "grant_project_comment_reported",
    _("Жалоба на комментарий к проекту (организаторам конкурса)"),
)
