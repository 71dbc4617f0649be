"""Areas of activity: a fixed taxonomy close to the directions of DOBRO.RF."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    SOCIAL = "social", _("Социальная помощь")
    CHILDREN = "children", _("Дети и молодёжь")
    ELDERLY = "elderly", _("Старшее поколение")
    DISABILITY = "disability", _("Люди с инвалидностью")
    HEALTH = "health", _("Здравоохранение и ЗОЖ")
    SPORT = "sport", _("Спорт и события")
    CULTURE = "culture", _("Культура и искусство")
    EDUCATION = "education", _("Образование и наставничество")
    ECOLOGY = "ecology", _("Экология")
    ANIMALS = "animals", _("Животные")
    PATRIOTIC = "patriotic", _("Патриотическое воспитание и память")
    URBAN = "urban", _("Городская среда")
    EMERGENCY = "emergency", _("Чрезвычайные ситуации")
    DONORSHIP = "donorship", _("Донорство")
    FAMILY = "family", _("Семья и родительство")
    LEGAL = "legal", _("Права человека и правовая помощь")
    MEDIA = "media", _("Медиа и IT")
    NKO_SUPPORT = "nko_support", _("Поддержка НКО и инициатив")
