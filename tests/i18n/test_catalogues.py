"""Catalogue completeness: every catalogue of a language listed in I18N_COMPLETE_LANGUAGES has no
untranslated and no fuzzy entry (`msgfmt --statistics`, as CI runs it; docs/i18n.md)."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import to_locale

STATISTICS = re.compile(
    r"(?P<translated>\d+) translated messages?"
    r"(?:, (?P<fuzzy>\d+) fuzzy translations?)?(?:, (?P<untranslated>\d+) untranslated messages?)?"
)


def catalogues(language: str) -> list[Path]:
    """The django.po and djangojs.po of `language` in every LOCALE_PATHS directory."""
    locale = to_locale(language)
    return sorted(
        po
        for directory in settings.LOCALE_PATHS
        for po in Path(directory).glob(f"{locale}/LC_MESSAGES/*.po")
        if po.name in ("django.po", "djangojs.po")
    )


def statistics(po: Path) -> dict[str, int]:
    done = subprocess.run(
        ["msgfmt", "--statistics", "--check-format", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, f"{po}: {done.stderr}"
    match = STATISTICS.search(done.stderr)
    assert match, done.stderr
    return {key: int(value or 0) for key, value in match.groupdict().items()}


def test_every_complete_language_is_offered():
    offered = {code for code, _name in settings.LANGUAGES}
    assert set(settings.I18N_COMPLETE_LANGUAGES) <= offered


@pytest.mark.parametrize("language", settings.I18N_COMPLETE_LANGUAGES)
def test_a_complete_language_has_no_untranslated_or_fuzzy_entry(language):
    found = catalogues(language)
    assert found, f"no catalogue for {language} in LOCALE_PATHS"
    problems = {
        str(po): counts for po in found if (counts := statistics(po))["untranslated"] or counts["fuzzy"]
    }
    assert not problems, problems


def test_the_check_finds_untranslated_and_fuzzy_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Done"\nmsgstr "Erledigt"\n\nmsgid "Open"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Closed"\nmsgstr "Geschlossen"\n',
        encoding="utf-8",
    )
    assert statistics(po) == {"translated": 1, "fuzzy": 1, "untranslated": 1}
