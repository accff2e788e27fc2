"""The language a person reads in, for what is made without their request: e-mails, scheduled PDFs.

The preference's table belongs to identity (identity.LanguagePreference, handed over as
"language_preference"); pages read the choice from the session instead (identity/languages.py).
"""

import datetime
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise, lazy

from .tables import Table

LanguagePreference = Table("language_preference")  # identity.LanguagePreference


def supported(language: str | None) -> str | None:
    """`language` if it is one of LANGUAGES (a variant such as "de-at" becomes "de"), else None."""
    if not language:
        return None
    try:
        return translation.get_supported_language_variant(language)
    except LookupError:
        return None


def languages_of(user_ids) -> dict[int, str]:
    """Each user's chosen language in one query; users who chose none get LANGUAGE_CODE."""
    user_ids = list(user_ids)
    if not user_ids:
        return {}  # nobody to write to: no query (a sweep that finds nothing new costs nothing more)
    chosen = dict(
        LanguagePreference.objects.filter(user_id__in=user_ids)
        .exclude(language="")
        .values_list("user_id", "language")
    )
    return {pk: supported(chosen.get(pk)) or settings.LANGUAGE_CODE for pk in user_ids}


def language_of(user) -> str:
    if user is None or user.pk is None:
        return settings.LANGUAGE_CODE
    return languages_of([user.pk])[user.pk]


@contextmanager
def in_language(language: str | None):
    """Render inside `language` (LANGUAGE_CODE when None or not offered)."""
    with translation.override(supported(language) or settings.LANGUAGE_CODE):
        yield


def in_language_of(user):
    """Render an e-mail for `user` in their language: `with in_language_of(recipient): ...`."""
    return in_language(language_of(user))


def each_in_language(items, *, user=lambda item: item):
    """Yield each item with its person's language active (one query for all): what the loop body
    renders for it (subject, body) is in that language.

        rows = [OutboxMessage(subject=_("..."), ...) for person in each_in_language(people)]
    """
    items = list(items)
    languages = languages_of({user(item).pk for item in items})
    for item in items:
        with in_language(languages[user(item).pk]):
            yield item


def _worded(message: str, values: dict) -> str:
    shown = {}
    for name, value in values.items():
        if isinstance(value, datetime.date):
            value = date_format(value, "DATE_FORMAT")
        shown[name] = str(value) if isinstance(value, Promise) else value
    try:
        return translation.gettext(message) % shown
    except (KeyError, ValueError, TypeError):  # a translation that misnames a placeholder: the English
        return message % shown


_worded_lazily = lazy(_worded, str)


def worded_later(message: str, values: dict | None = None):
    """`gettext(message) % values`, worded when it is read rather than now: for text made for several
    readers at once (the reminder sweep's items), read in each one's language. Dates in `values` are
    written in that language's DATE_FORMAT; lazy strings in it are read then too."""
    return _worded_lazily(message, values or {})


def mid_sentence(label) -> str:
    """A label used inside a sentence: English and most languages lower its first letter ("Customer
    complaints" → "customer complaints"); German keeps the capital its nouns need."""
    text = str(label)
    if (translation.get_language() or "en").startswith("de"):
        return text
    return text[:1].lower() + text[1:]
