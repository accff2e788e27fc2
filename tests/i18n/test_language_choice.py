"""Each person's language: the browser's until they choose, then theirs on every page and device."""

import pytest
from django.conf import settings

from identity.languages import SESSION_KEY
from identity.models import LanguagePreference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_a_signed_out_visitor_gets_the_browsers_language(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")
    assert _lang(response) == "de"
    assert response["Content-Language"] == "de"
    assert _lang(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ja")) == "en"  # not offered: English


def test_a_signed_in_person_who_never_chose_follows_the_browser(client):
    client.force_login(UserFactory())
    assert _lang(client.get("/projects/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")) == "zh-hans"
    assert _lang(client.get("/projects/", HTTP_ACCEPT_LANGUAGE="fr")) == "fr"


def test_the_choice_is_stored_and_wins_over_the_browser(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/projects/"})
    assert response.status_code == 302 and response["Location"] == "/projects/"
    assert LanguagePreference.objects.get(user=user).language == "es"
    assert _lang(client.get("/projects/", HTTP_ACCEPT_LANGUAGE="de")) == "es"


def test_the_choice_follows_the_person_into_a_new_session(client):
    user = UserFactory()
    LanguagePreference.objects.create(user=user, language="fr")
    client.post("/accounts/login/", {"login": user.username, "password": "pw-for-tests-1"})
    assert client.session[SESSION_KEY] == "fr"
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)  # another device: no cookie
    assert _lang(client.get("/projects/", HTTP_ACCEPT_LANGUAGE="de")) == "fr"


def test_choosing_the_browser_language_again_forgets_the_choice(client):
    user = UserFactory()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "de", "next": "/projects/"})
    client.post("/i18n/setlang/", {"language": "", "next": "/projects/"})
    assert LanguagePreference.objects.get(user=user).language == ""
    assert _lang(client.get("/projects/", HTTP_ACCEPT_LANGUAGE="fr")) == "fr"


def test_an_unknown_language_is_refused_with_a_message(client):
    client.force_login(UserFactory())
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/projects/"})
    assert response.status_code == 400
    assert b"Unknown language" in response.content


def test_a_signed_out_choice_lives_in_the_cookie(client):
    client.post("/i18n/setlang/", {"language": "de", "next": "/accounts/login/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    assert _lang(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr")) == "de"


def test_the_picker_shows_the_choice(client):
    client.force_login(UserFactory())
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/projects/"})
    page = client.get("/projects/").content.decode()
    assert '<option value="zh-hans" lang="zh-hans" selected>简体中文</option>' in page


def test_applying_the_choice_costs_no_query(client, django_assert_num_queries):
    """The middleware reads the session: a page costs the same with a language chosen as without."""
    user = UserFactory()
    client.force_login(user)
    client.get("/projects/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as without:
        client.get("/projects/")
    client.post("/i18n/setlang/", {"language": "de", "next": "/projects/"})
    client.get("/projects/")
    with CaptureQueriesContext(connection) as chosen:
        client.get("/projects/")
    assert len(chosen) == len(without)


def test_the_javascript_catalogue_answers_in_the_active_language(client):
    response = client.get("/i18n/js/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b'"FIRST_DAY_OF_WEEK": 1' in response.content  # de formats: weeks from Monday
    assert b"django.gettext" in response.content or b"gettext" in response.content
