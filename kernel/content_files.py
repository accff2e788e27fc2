"""Shipped content in the reader's language, from data files beside the English (docs/i18n.md).

Content defined in code or in a data file of its own (the mandatory documents and records, the
roadmap's phase texts) is translated by `<stem>.<locale>.json` files beside the English source, keyed
by what never changes between languages (an item's code, a phase's key):

    documents/data/iso20000-1-2018-mandatory.de.json  {"items": {"DOC-01": {"title": "…", "guidance": "…"}}}
    projects/data/roadmap.zh_Hans.json                {"phases": {"1": {"title": "…", "milestones": ["…"]}}}

The checklist takes the same files into translated columns of its rows (gapanalysis/content_translations.py),
because it is stored in the database; these are read where they are shown. A text missing from a file
reads in English. In the pseudo-locale every shipped text is pseudo-translated, so a page test can tell
shipped content (translatable) from what a user typed (data).
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language, to_locale


def translation_file(source: Path, language: str) -> Path:
    """`data/x.json` → `data/x.de.json` (`x.zh_Hans.json` for zh-hans)."""
    return source.with_name(f"{source.stem}.{to_locale(language)}{source.suffix}")


@cache
def _translations(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def shipped_text(source: Path, section: str, key: str, field: str, english, index: int | None = None):
    """The active language's text of one field of a shipped entry; `english` where there is none.
    `index` picks one text of a list field (a phase's milestones)."""
    language = get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE or language.startswith("en"):
        return english
    if language == settings.PSEUDO_LANGUAGE:
        from kernel.pseudolocale import pseudo  # only the pseudo-locale test needs it

        return pseudo(english)
    text = _translations(translation_file(source, language)).get(section, {}).get(key, {}).get(field)
    if index is not None:
        text = text[index] if isinstance(text, list) and index < len(text) else None
    return text or english
