"""Shipped content defined outside the checklist rows — the mandatory documents and records and the
roadmap's phase texts — reads in the reader's language from `<file>.<locale>.json` beside the English
(kernel/content_files.py); rows copied from it into a project read translated until someone changes
them (docs/i18n.md)."""

import json

import pytest
from django.conf import settings
from django.utils import translation

from documents import mandatory
from documents.mandatory import mandatory_by_code
from documents.models import Document
from identity.models import LanguagePreference
from kernel.content_files import _translations, translation_file
from projects import roadmap
from projects.models import Phase
from projects.roadmap import ROADMAP, ROADMAP_BY_KEY
from tests.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def content_dir(tmp_path, monkeypatch):
    """The data files moved to a scratch directory, so a test writes its own translations."""
    monkeypatch.setattr(mandatory, "DATA_FILE", tmp_path / "iso20000-1-2018-mandatory.json")
    monkeypatch.setattr(roadmap, "CONTENT_FILE", tmp_path / "roadmap.json")
    _translations.cache_clear()
    yield tmp_path
    _translations.cache_clear()


def _write(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_translation_files_are_named_by_locale(tmp_path):
    source = tmp_path / "roadmap.json"
    assert translation_file(source, "de").name == "roadmap.de.json"
    assert translation_file(source, "zh-hans").name == "roadmap.zh_Hans.json"


def test_a_mandatory_item_reads_in_the_readers_language_and_english_where_missing(content_dir):
    _write(
        content_dir / "iso20000-1-2018-mandatory.de.json",
        {"items": {"DOC-01": {"title": "Geltungsbereich des SMS"}}},
    )
    item = mandatory_by_code()["DOC-01"]
    with translation.override("de"):
        assert item.title == "Geltungsbereich des SMS"
        assert item.guidance == item.english_guidance  # not in the file: English
        assert mandatory_by_code()["DOC-02"].title == mandatory_by_code()["DOC-02"].english_title
    with translation.override("fr"):
        assert item.title == item.english_title  # no French file
    assert item.title == item.english_title == "Scope of the SMS"


def test_phase_texts_and_milestones_read_in_the_readers_language(content_dir):
    improvement = next(d for d in ROADMAP if d.english_milestones)
    _write(
        content_dir / "roadmap.es.json",
        {
            "phases": {
                improvement.key: {
                    "title": "Mejora continua",
                    "purpose": "Mejorar.",
                    "milestones": ["Enfoque definido"],
                }
            }
        },
    )
    with translation.override("es"):
        assert (improvement.title, improvement.purpose) == ("Mejora continua", "Mejorar.")
        assert improvement.outputs == improvement.english_outputs
        # the second milestone is missing from the file: English
        assert improvement.milestones == ("Enfoque definido", improvement.english_milestones[1])


def test_copied_rows_read_translated_until_the_project_changes_them(content_dir):
    project = make_project()
    phase = Phase.objects.get(project=project, key="1")
    document = Document.objects.get(project=project, mandatory_code="DOC-01")
    assert (phase.title, document.title) == (
        ROADMAP_BY_KEY["1"].english_title,
        "Scope of the SMS",
    )  # stored in English
    _write(
        content_dir / "roadmap.de.json", {"phases": {"1": {"title": "Unterstützung der Leitung gewinnen"}}}
    )
    _write(
        content_dir / "iso20000-1-2018-mandatory.de.json",
        {"items": {"DOC-01": {"title": "Geltungsbereich des SMS"}}},
    )
    with translation.override("de"):
        assert (phase.display_title, document.display_title) == (
            "Unterstützung der Leitung gewinnen",
            "Geltungsbereich des SMS",
        )
        phase.title, document.title = "Sponsor finden", "Unser Geltungsbereich"
        assert (phase.display_title, document.display_title) == ("Sponsor finden", "Unser Geltungsbereich")
    assert ROADMAP_BY_KEY["1"].title == ROADMAP_BY_KEY["1"].english_title


def test_the_phase_page_shows_the_shipped_texts_in_the_readers_language(client, content_dir):
    project = make_project()
    lead = project.memberships.get().user
    LanguagePreference.objects.create(user=lead, language="de")
    definition = ROADMAP_BY_KEY["1"]
    _write(
        content_dir / "roadmap.de.json",
        {
            "phases": {
                "1": {
                    "title": "Unterstützung gewinnen",
                    "purpose": "Einen Sponsor finden.",
                    "outputs": "Ein Mandat.",
                }
            }
        },
    )
    phase = Phase.objects.get(project=project, key="1")
    client.force_login(lead)
    page = client.get(phase.get_absolute_url()).content.decode()
    assert "Unterstützung gewinnen" in page and "Einen Sponsor finden." in page and "Ein Mandat." in page
    assert definition.english_purpose not in page and definition.english_title not in page


def test_in_the_pseudo_locale_shipped_content_is_pseudo_translated():
    item = mandatory_by_code()["DOC-01"]
    with translation.override(settings.PSEUDO_LANGUAGE):
        assert item.title.startswith("[") and item.title != item.english_title
        assert ROADMAP_BY_KEY["1"].purpose.startswith("[")


SHIPPED = {
    "documents/data/iso20000-1-2018-mandatory": ("items", {i.code: i for i in mandatory.mandatory_items()}),
    "projects/data/roadmap": ("phases", ROADMAP_BY_KEY),
}


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES if code != "en"])
@pytest.mark.parametrize("stem", SHIPPED)
def test_translation_files_hold_only_shipped_entries_and_complete_languages_all_of_them(language, stem):
    """No file names an item or phase the English lacks; a language listed as complete
    (I18N_COMPLETE_LANGUAGES) has every item and phase, every field the English has."""
    section, entries = SHIPPED[stem]
    path = translation_file(settings.BASE_DIR / f"{stem}.json", language)
    complete = language in settings.I18N_COMPLETE_LANGUAGES
    if not path.exists():
        assert not complete, f"{path.name} is missing"
        return
    data = json.loads(path.read_text(encoding="utf-8"))[section]
    assert set(data) <= set(entries)
    if complete:
        assert set(data) == set(entries)
    for key in data if not complete else entries:
        entry = entries[key]
        fields = {
            name.removeprefix("english_"): getattr(entry, name)
            for name in vars(entry)
            if name.startswith("english_")
        }
        assert set(data[key]) <= set(fields), key
        for field, english in fields.items():
            if field not in data[key] and not complete:
                continue
            if field == "milestones":
                assert len(data[key].get(field, [])) == len(english), (key, field)
            elif english:
                assert data[key].get(field, "").strip(), (key, field)
