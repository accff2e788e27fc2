"""The shipped checklist in other languages: data files beside the English one (docs/i18n.md).

`data/iso20000-1-2018-checklist.de.json` holds the German of `data/iso20000-1-2018-checklist.json`,
keyed by what never changes between languages (the template's slug and version, clause numbers,
question ids), only for the texts that are translated:

    {"slug": "iso20000-1-2018", "version": 3,
     "clauses": {"4.1": {"title": "...", "guidance": "..."}},
     "questions": {"GA-4.1-01": {"text": "...", "guidance": "..."}}}

Loading writes them into the rows' translated columns (django-modeltranslation: title_de, text_de…);
anything missing stays empty and reads in English.
"""

import hashlib
import json
import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from modeltranslation.utils import build_localized_fieldname

from .models import ChecklistTemplate, Question, TemplateClause

DATA_DIR = Path(__file__).resolve().parent / "data"
TRANSLATION_FILE = re.compile(r"^(?P<stem>.+)\.(?P<language>[a-z]{2}(?:[-_][A-Za-z]+)?)\.json$")


def translation_files(directory: Path = DATA_DIR) -> list[tuple[Path, str]]:
    """(file, language) for each translation file of a language in LANGUAGES."""
    offered = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    found = []
    for path in sorted(directory.glob("*.json")):
        match = TRANSLATION_FILE.match(path.name)
        if match and match["language"].lower().replace("_", "-") in offered:
            found.append((path, match["language"].lower().replace("_", "-")))
    return found


@cache
def translations_fingerprint() -> str:
    """Changes when a shipped translation file does: part of the keys of cached translated content."""
    digest = hashlib.sha256()
    for path, language in translation_files():
        digest.update(language.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:10]


@transaction.atomic
def load_translation(path: Path, language: str) -> dict[str, int]:
    """Write one file's texts into the library template's `language` columns; the rows updated."""
    data = json.loads(path.read_text(encoding="utf-8"))
    template = ChecklistTemplate.objects.filter(
        project__isnull=True, slug=data["slug"], version=data["version"]
    ).first()
    if template is None:
        return {"clauses": 0, "questions": 0}
    counts = {}
    for model, key, entries in (
        (TemplateClause, "number", data.get("clauses", {})),
        (Question, "code", data.get("questions", {})),
    ):
        rows = list(model.objects.filter(template=template, **{f"{key}__in": list(entries)}))
        fields = set()
        for row in rows:
            for field, text in entries[getattr(row, key)].items():
                column = build_localized_fieldname(field, language)
                setattr(row, column, text or None)
                fields.add(column)
        if rows and fields:
            model.objects.bulk_update(rows, sorted(fields))
        counts[model._meta.model_name] = len(rows)
    return counts


def load_all(**_signal) -> dict[str, dict[str, int]]:
    """Every translation file into the rows: {file name: rows updated}. Run after every `migrate`
    (post_migrate, so each way of deploying fills them) and by `manage.py load_content_translations`."""
    if _signal.get("using", DEFAULT_DB_ALIAS) != DEFAULT_DB_ALIAS or not _columns_exist(_signal.get("apps")):
        return {}
    return {path.name: load_translation(path, language) for path, language in translation_files()}


def _columns_exist(state) -> bool:
    """A migrate to an earlier state (migration tests) may end before the translated columns exist."""
    if state is None:
        return True
    try:
        model = state.get_model("gapanalysis", "TemplateClause")
    except LookupError:
        return False
    return all(
        build_localized_fieldname("title", code) in {f.name for f in model._meta.get_fields()}
        for code, _name in settings.LANGUAGES
    )
