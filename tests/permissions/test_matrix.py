"""Enumerates the URLconf and checks every pattern × role against the cases in cases_*.py."""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests import permissions
from tests.permissions.matrix import ROLES


def _load_cases():
    cases = []
    for module in pkgutil.iter_modules(permissions.__path__):
        if module.name.startswith("cases_"):
            cases.extend(importlib.import_module(f"tests.permissions.{module.name}").CASES)
    return cases


CASES = _load_cases()


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry, ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed {entry.pattern}>"


def test_every_url_pattern_has_a_case():
    covered = {case.name for case in CASES}
    names = {name for name in _url_names() if not name.startswith("admin:")}
    missing = sorted(names - covered)
    assert not missing, f"URL patterns without a permission-matrix case: {missing}"
    stale = sorted(covered - names - {"admin:index"})
    assert not stale, f"Cases for URL names that no longer exist: {stale}"


def test_cases_name_every_role():
    for case in CASES:
        assert set(case.expect) == set(ROLES), f"{case.id} does not give a status for every role"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_permission_matrix(case, role, world, client_for):
    client = client_for(role)
    url = case.url(world)
    headers = {"HTTP_HX_REQUEST": "true"} if case.htmx else {}
    if case.method == "get":
        response = client.get(url, **headers)
    else:
        response = client.post(url, case.data(world) if case.data else {}, **headers)
    expected = case.expect[role]
    assert response.status_code == expected, (
        f"{case.id} as {role}: expected {expected}, got {response.status_code}"
    )
    if expected == 302 and role == "anonymous":
        assert "login" in response["Location"]
    if case.follow_check and response.status_code < 400 and role not in ("anonymous", "outsider"):
        case.follow_check(world, response, role)
