"""The checklist's translated columns (django-modeltranslation; docs/i18n.md): `title`, `text` and
`guidance` read the active language's column, English when it is empty. The translations come from
the data files beside the English ones (`manage.py load_content_translations`)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Question, TemplateClause


@register(TemplateClause)
class TemplateClauseTranslation(TranslationOptions):
    fields = ("title", "guidance")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "guidance")
