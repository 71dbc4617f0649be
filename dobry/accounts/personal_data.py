"""Registry of what each app keeps about a person, for export (JSON) and erasure.

Each app with personal data has a `privacy.py` module that registers, under a section name:

- `export(user)`: JSON-friendly data for the person's export;
- `erase(user)`: deletes or anonymises the person's own records — those whose data subject
  they are; records others depend on (hours, grant reports, closed requests for statistics)
  stay, without the person. What the person entered about someone else in a role (a
  coordinator's registered calls, a consultant's answers, an organisation's draft, a request
  for a relative) is not theirs: it stays, and only their values in it go (`copies`);
- `traces(user)`: the person's own identifying values the app holds (name, phone, email,
  address...) — never those of the people they entered records about —, collected before any
  eraser runs;
- `copies(traces)`: removes those values from copies the app keeps for others
  (notifications to coordinators, emails, a consultant's summary), see `dobry.core.erasure`;
- `on_withdraw`: {consent kind: eraser} for data kept only under that consent (health
  data under the separate consent of 152-ФЗ art. 10);
- `covers`: {"app_label.Model.field": where its rows are in the export ("section" or
  "section.key")} for each relation to the user whose rows the section exports;
- `notices(user)`: what the person should know before erasing, in the active language
  (an organisation they alone own is left without an owner); shown on the erase page,
  never a refusal.

Every relation of any model to the user is either covered by a section or declared
`not_personal` with the reason (a staff member's work on other people's records, a secret):
a test introspects the models, so a new one cannot be forgotten in the export (152-ФЗ art. 14).

Erasure order: traces from every app, then every eraser, then every copy scrubber.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_noop

from dobry.core.erasure import Traces

# The reason an eraser gives when it closes a record of the person (a help request
# cancelled): stored as this Russian source and read in the reader's language where it is
# shown (the audit journal's «причина», `core.audit.SYSTEM_TEXT_KEYS`).
ACCOUNT_ERASED = gettext_noop("Учётная запись удалена")

Exporter = Callable[[Any], Any]
Eraser = Callable[[Any], None]
TraceSource = Callable[[Any], Iterable[str]]
NoticeSource = Callable[[Any], list[str]]
CopyScrubber = Callable[[Traces], None]

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}
_trace_sources: dict[str, TraceSource] = {}
_copy_scrubbers: dict[str, CopyScrubber] = {}
_withdraw_erasers: dict[str, dict[str, Eraser]] = {}
_covers: dict[str, str] = {}
_not_personal: dict[str, str] = {}
_notice_sources: dict[str, NoticeSource] = {}


def register(
    section: str,
    *,
    export: Exporter,
    erase: Eraser | None = None,
    traces: TraceSource | None = None,
    copies: CopyScrubber | None = None,
    on_withdraw: Mapping[str, Eraser] | None = None,
    covers: Mapping[str, str] | None = None,
    notices: NoticeSource | None = None,
) -> None:
    _exporters[section] = export
    _covers.update(covers or {})
    if notices is not None:
        _notice_sources[section] = notices
    if erase is not None:
        _erasers[section] = erase
    if traces is not None:
        _trace_sources[section] = traces
    if copies is not None:
        _copy_scrubbers[section] = copies
    for kind, eraser in (on_withdraw or {}).items():
        _withdraw_erasers.setdefault(kind, {})[section] = eraser


def not_personal(reasons: Mapping[str, str]) -> None:
    """Declare relations to the user that the export leaves out, each with its reason:
    {"app_label.Model.field": why it is not the person's data}."""
    _not_personal.update(reasons)


def export_coverage() -> tuple[dict[str, str], dict[str, str]]:
    """({relation: where in the export}, {relation: why not exported}) of every app."""
    _discover()
    return dict(_covers), dict(_not_personal)


def _discover() -> None:
    autodiscover_modules("privacy")


def export_sections(user: Any) -> dict[str, Any]:
    _discover()
    return {section: exporter(user) for section, exporter in sorted(_exporters.items())}


def erase_notices(user: Any) -> list[str]:
    """What erasing the account would leave behind that the person should know first."""
    _discover()
    return [text for _section, source in sorted(_notice_sources.items()) for text in source(user)]


def traces_of(user: Any) -> Traces:
    """Every identifying value any app holds about the person."""
    _discover()
    return Traces.of(value for source in _trace_sources.values() for value in source(user))


def erase_sections(user: Any, traces: Traces | None = None) -> list[str]:
    """Erase the person everywhere; returns the names of the sections that erased.

    `traces` must have been collected before anything was erased (`traces_of`)."""
    traces = traces if traces is not None else traces_of(user)
    for eraser in _erasers.values():
        eraser(user)
    for scrub in _copy_scrubbers.values():
        scrub(traces)
    return sorted(set(_erasers) | set(_copy_scrubbers))


def erase_for_withdrawn_consent(user: Any, kind: str) -> list[str]:
    """Erase what was kept only under a consent of this kind (e.g. health data)."""
    _discover()
    erasers = _withdraw_erasers.get(kind, {})
    for eraser in erasers.values():
        eraser(user)
    return sorted(erasers)
