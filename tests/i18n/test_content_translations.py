"""The shipped checklist in other languages: translated columns beside the rows, loaded from the data
files beside the English one, English where a translation is missing (docs/i18n.md)."""

import json

import pytest
from django.utils import translation

from gapanalysis.content_translations import load_translation, translation_files
from gapanalysis.models import Question, TemplateClause
from tests.factories import iso_template

pytestmark = pytest.mark.django_db


def test_every_content_model_has_translated_columns():
    from modeltranslation.translator import translator

    assert {m.__name__ for m in translator.get_registered_models()} >= {"TemplateClause", "Question"}
    assert {f.name for f in TemplateClause._meta.fields} >= {"title_de", "title_zh_hans", "guidance_fr"}


def test_a_translation_file_fills_the_language_and_the_rest_stays_english(tmp_path):
    template = iso_template()
    # as before any German was shipped (migrate loads the shipped files)
    TemplateClause.objects.filter(template=template).update(title_de=None, guidance_de=None)
    Question.objects.filter(template=template).update(text_de=None, guidance_de=None)
    clause = template.clauses.get(number="4.1")
    question, other = template.questions.filter(clause=clause).order_by("order")[:2]
    english_title, english_other = clause.title, other.text
    path = tmp_path / "iso20000-1-2018-checklist.de.json"
    path.write_text(
        json.dumps(
            {
                "slug": template.slug,
                "version": template.version,
                "clauses": {"4.1": {"title": "Die Organisation und ihren Kontext verstehen"}},
                "questions": {question.code: {"text": "Sind die internen und externen Themen erfasst?"}},
            }
        ),
        encoding="utf-8",
    )
    assert load_translation(path, "de") == {"templateclause": 1, "question": 1}
    with translation.override("de"):
        title = TemplateClause.objects.get(pk=clause.pk).title
        assert title == "Die Organisation und ihren Kontext verstehen"
        assert Question.objects.get(pk=question.pk).text == "Sind die internen und externen Themen erfasst?"
        assert Question.objects.get(pk=other.pk).text == english_other  # not translated yet: English
    with translation.override("fr"):  # the French shipped beside it is untouched
        assert (
            TemplateClause.objects.get(pk=clause.pk).title
            == "Compréhension de l’organisation et de son contexte"
        )
    assert TemplateClause.objects.get(pk=clause.pk).title == english_title


@pytest.mark.parametrize("language", ["de", "fr", "es", "zh-hans"])
def test_after_migrate_the_checklist_reads_in_each_shipped_language(language):
    """post_migrate loads the shipped files, however the site is deployed: every clause and question."""
    template = iso_template()
    english = {q.code: q.text for q in template.questions.all()}
    with translation.override(language):
        translated = {q.code: q.text for q in Question.objects.filter(template=template)}
        titles = list(TemplateClause.objects.filter(template=template).values_list("title", "title_en"))
    assert translated.keys() == english.keys()
    assert all(translated[code] != text for code, text in english.items())
    assert sum(title != english_title for title, english_title in titles) > len(titles) * 0.9


def test_a_row_made_in_another_language_still_reads_in_english():
    template = iso_template()
    with translation.override("de"):
        clause = TemplateClause.objects.create(template=template, number="99", title="Neu", order=999)
    assert TemplateClause.objects.get(pk=clause.pk).title == "Neu"  # the English column was filled too


def test_only_files_of_offered_languages_are_loaded(tmp_path):
    for name in ("checklist.json", "checklist.de.json", "checklist.zh-hans.json", "checklist.xx.json"):
        (tmp_path / name).write_text("{}")
    assert [(p.name, lang) for p, lang in translation_files(tmp_path)] == [
        ("checklist.de.json", "de"),
        ("checklist.zh-hans.json", "zh-hans"),
    ]


def test_staff_edit_each_language_in_the_admin(client):
    from tests.factories import UserFactory

    clause = iso_template().clauses.get(number="4.1")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(f"/admin/gapanalysis/templateclause/{clause.pk}/change/").content.decode()
    for column in ("title_en", "title_de", "title_fr", "title_es", "title_zh_hans", "guidance_de"):
        assert f'name="{column}"' in page
