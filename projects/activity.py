"""Activity lines worded in the reader's language.

A line stores what happened, not an English sentence: `Activity.message` is the English msgid
(marked at the call site with `gettext_noop`, or `ngettext_lazy(singular, plural, "count")` for a
sentence with a number), `Activity.values` its placeholders as JSON. A value is data (a title, a
username, a count, shown as stored) or one of the parts built here, worded when the line is shown:

- `choice(Role, "lead", lower=True)`: a choice's label looked up from its choices class;
- `nested(gettext_noop("…"), {...})`: a sentence of its own (also worded in the reader's language);
- `day(date)`: a date in the locale's `DATE_FORMAT` ("6 Nov 2026", German "6. Nov. 2026");
- `joined([...])`: several parts, one after the other;
- `phase_title(phase)`, `milestone_title(milestone)`: a title as the roadmap shipped it reads in the
  reader's language, one the project changed as written.

`Activity.summary` keeps the English sentence: it is what old rows show (they have no message) and
what anything sending the line elsewhere (exports, the admin) reads.
"""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext, ngettext


def choice(choices, key, *, lower: bool = False) -> dict:
    """A choice kept by its key, worded from `choices` (a TextChoices class) when shown.

    `lower`: the label mid-sentence ("bob is now lead"): lower case in English, as the line always
    read; other languages lower only the first letter (German keeps its capitals)."""
    return {
        "choices": f"{choices.__module__}.{choices.__qualname__}",
        "key": str(getattr(key, "value", key)),
        "lower": lower,
    }


def nested(message, values: dict | None = None, *, lower_first: bool = False, capfirst: bool = False) -> dict:
    """A sentence inside a sentence (or a marked label), worded in the reader's language too."""
    singular, plural = message_ids(message)
    part = {"message": singular, "values": values or {}}
    if plural:
        part["plural"] = plural
    if lower_first:
        part["lower_first"] = True
    if capfirst:
        part["capfirst"] = True
    return part


def phase_title(phase) -> dict:
    """A phase's title: one still as the roadmap shipped it reads in the reader's language (like
    Phase.display_title); one the project changed reads as written."""
    return {"phase": phase.key, "title": phase.title}


def milestone_title(milestone) -> dict:
    """A milestone's title, like phase_title (Milestone.display_title)."""
    return {"phase": milestone.phase.key, "milestone": milestone.order, "title": milestone.title}


def _shipped_title(value: dict) -> str:
    from .roadmap import ROADMAP_BY_KEY

    definition = ROADMAP_BY_KEY.get(value["phase"])
    if definition is None:
        return value["title"]
    if "milestone" not in value:
        return definition.title if value["title"] == definition.english_title else value["title"]
    order, shipped = value["milestone"], definition.english_milestones
    if 0 < order <= len(shipped) and value["title"] == shipped[order - 1]:
        return definition.milestones[order - 1]
    return value["title"]


def day(value: datetime.date, format: str = "DATE_FORMAT") -> dict:
    """A date, shown in `format` (a format setting's name, or a format such as "F Y")."""
    part = {"date": value.isoformat()}
    if format != "DATE_FORMAT":
        part["format"] = format
    return part


def message_ids(message) -> tuple[str, str]:
    """(msgid, plural msgid or "") of a message given as a string (`gettext_noop`), a
    `gettext_lazy` string (a label marked elsewhere) or `ngettext_lazy(singular, plural, "count")`."""
    if isinstance(message, Promise):
        args = message.__reduce__()[1]
        if len(args) > 3 and isinstance(args[3], dict) and "singular" in args[3]:  # ngettext_lazy
            return str(args[3]["singular"]), str(args[3]["plural"])
        if len(args) > 1 and isinstance(args[1], tuple) and len(args[1]) == 1:  # gettext_lazy
            return str(args[1][0]), ""
        return str(message), ""  # another lazy string: kept in the language it reads in now
    return str(message), ""


def joined(parts: list, separator: str = "; ") -> dict:
    """Several parts shown one after the other (each worded as a value)."""
    return {"parts": list(parts), "separator": separator}


def _lower(text: str) -> str:
    language = (translation.get_language() or "en").split("-")[0]
    if language == "en":
        return text.lower()
    if language == "de" or not text:
        return text
    return text[0].lower() + text[1:]


def _value(value):
    if not isinstance(value, dict):
        return value
    if "choices" in value:
        try:
            label = str(import_string(value["choices"])(value["key"]).label)
        except (ImportError, ValueError):
            label = value["key"]
        return _lower(label) if value.get("lower") else label
    if "message" in value:
        text = words(value["message"], value.get("values") or {}, plural=value.get("plural", ""))
        if value.get("lower_first"):
            return text[:1].lower() + text[1:]
        return text[:1].upper() + text[1:] if value.get("capfirst") else text
    if "phase" in value:
        return _shipped_title(value)
    if "parts" in value:
        return value.get("separator", "; ").join(str(_value(part)) for part in value["parts"])
    if "date" in value:
        return date_format(datetime.date.fromisoformat(value["date"]), value.get("format", "DATE_FORMAT"))
    return value


def words(message: str, values: dict, *, plural: str = "") -> str:
    """The sentence in the active language."""
    shown = {name: _value(value) for name, value in values.items()}
    if plural:
        template = ngettext(message, plural, int(values.get("count", 0)))
    else:
        template = gettext(message)
    try:
        return template % shown if shown or "%(" in template else template
    except (KeyError, ValueError, TypeError):  # a translation that misnames a placeholder
        return message % shown if shown else message


def english(message: str, values: dict, *, plural: str = "") -> str:
    with translation.override("en"):
        return words(message, values, plural=plural)
