"""Addresses of the project's own pages that rows store, rewritten by the import to the same page of
the imported copy: activity lines (a path, rules.URL_FIELDS) and links stored with the installation's
address (rules.SITE_LINKS: a sample's worksheet as checklist evidence, a frozen population as an
operating-evidence entry). Their ids are mapped through rules.URL_ARGUMENTS, a batch at a time."""

from collections import defaultdict
from functools import reduce
from operator import or_

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from . import rules

BATCH = 500
NOTES_SHOWN = 50


def parse_url(url: str):
    """(view name, kwargs, fragment prefix, fragment id) of a page's path; None if it is no page."""
    path, _sep, fragment = url.partition("#")
    try:
        match = resolve(path)
    except Resolver404:
        return None
    prefix, number = None, None
    if fragment:
        prefix, _sep, digits = fragment.rpartition("-")
        if prefix in rules.URL_FRAGMENTS and digits.isdigit():
            number = int(digits)
        else:
            prefix = None
    return match.view_name, match.kwargs, prefix, number


def needed_ids(page, needed: dict) -> None:
    """Adds the ids the page's address names to `needed` (model label -> old ids)."""
    if page is None:
        return
    for name, value in page[1].items():
        if name in rules.URL_ARGUMENTS and isinstance(value, int):
            needed[rules.URL_ARGUMENTS[name]].add(value)
    if page[3] is not None:
        needed[rules.URL_FRAGMENTS[page[2]]].add(page[3])


def new_url(page, mapped) -> str:
    """The same page of the new project; an address that cannot be mapped is dropped ("")."""
    if page is None:
        return ""
    view_name, kwargs, prefix, number = page
    try:
        new_kwargs = {  # ids are mapped; other arguments (a process slug) stay as they are
            name: mapped[rules.URL_ARGUMENTS[name]][value] if isinstance(value, int) else value
            for name, value in kwargs.items()
        }
        new = reverse(view_name, kwargs=new_kwargs)
    except (NoReverseMatch, KeyError):
        return ""
    if prefix is not None:
        new_id = mapped.get(rules.URL_FRAGMENTS[prefix], {}).get(number)
        if new_id:
            new += f"#{prefix}-{new_id}"
    return new


class SiteLinks:
    """Rewrites the rules.SITE_LINKS of an import (pending work of kind LINK in `ids`); answers the
    notes for the importer: the rows whose page the archive does not hold."""

    def __init__(self, *, ids, tables, kind, source_pk, project_pk, source_site=""):
        self.ids, self.tables, self.kind = ids, tables, kind
        self.source_pk, self.project_pk = source_pk, project_pk
        # links that start with one of these are of the installation the archive comes from
        self.prefixes = sorted({p for p in (settings.SITE_URL, source_site) if p}, key=len, reverse=True)

    def run(self) -> list[str]:
        left_out: dict[str, list[int]] = defaultdict(list)
        for batch in self.ids.work(self.kind, batch=BATCH):
            parsed, needed, by_value = [], defaultdict(set), defaultdict(list)
            for label, new_pk, attname, url in batch:
                page = self._own_page(url)
                parsed.append((label, new_pk, attname, url, page))
                needed_ids(page, needed)
                if page is not None and page[0] in rules.PAGES_BY_VALUE:
                    by_value[page[0]].append(page[1])
            mapped = {target: self.ids.get_many(target, olds) for target, olds in needed.items()}
            found = {view: self._found(view, kwargs) for view, kwargs in by_value.items()}
            updates = defaultdict(list)
            for label, new_pk, attname, _url, page in parsed:
                if page is None:
                    continue  # a link elsewhere: kept as it is
                path = new_url(page, mapped) if self._held(page, found) else ""
                if not path:
                    path = self._fallback(page[0])
                    if not self.tables[label].history_of:
                        left_out[label].append(new_pk)
                model = self.tables[label].model
                updates[(model, attname)].append(model(pk=new_pk, **{attname: settings.SITE_URL + path}))
            for (model, attname), objs in updates.items():
                model._base_manager.bulk_update(objs, [attname], batch_size=BATCH)
        return self._notes(left_out)

    def _own_page(self, url: str):
        """The page of the exported project the link opens, or None (another site or project, no page)."""
        for prefix in self.prefixes:
            if url.startswith(prefix + "/"):
                page = parse_url(url[len(prefix) :])
                if page is not None and page[1].get("project_id") == self.source_pk:
                    return page
                return None
        return None

    def _found(self, view: str, kwargs_list: list[dict]) -> set[tuple]:
        """The lookups of these pages that name a row of the imported project (one query)."""
        label, lookup = rules.PAGES_BY_VALUE[view]
        wanted = [found for found in map(lookup, kwargs_list) if found]
        if not wanted:
            return set()
        keys = sorted(wanted[0])
        rows = apps.get_model(label)._base_manager.filter(project_id=self.project_pk)
        rows = rows.filter(reduce(or_, (Q(**found) for found in wanted)))
        return set(rows.values_list(*keys))

    @staticmethod
    def _held(page, found: dict) -> bool:
        if page[0] not in rules.PAGES_BY_VALUE:
            return True  # found by its ids: new_url drops it when the archive holds none
        lookup = rules.PAGES_BY_VALUE[page[0]][1](page[1])
        return lookup is not None and tuple(lookup[key] for key in sorted(lookup)) in found[page[0]]

    def _fallback(self, view_name: str) -> str:
        namespace = view_name.split(":", 1)[0]
        name = rules.LINK_FALLBACKS.get(namespace, rules.LINK_FALLBACK)
        return reverse(name, kwargs={"project_id": self.project_pk})

    def _notes(self, left_out: dict[str, list[int]]) -> list[str]:
        notes: list[str] = []
        for label, pks in left_out.items():
            model = self.tables[label].model
            rows = model._base_manager.filter(pk__in=pks).order_by("pk")
            if label == "gapanalysis.evidence":
                rows = rows.select_related("response__question")
            for row in rows[:NOTES_SHOWN]:
                notes.append(_link_note(label, row))
            if len(pks) > NOTES_SHOWN:
                notes.append(
                    _(
                        "%(count)s more links to pages the archive does not hold now open the "
                        "project's section."
                    )
                    % {"count": len(pks) - NOTES_SHOWN}
                )
        return notes


def _link_note(label: str, row) -> str:
    if label == "gapanalysis.evidence":
        return _(
            "The link of the evidence for question %(question)s (“%(text)s”) was left out: the archive does "
            "not hold the page it opened. The evidence is kept; its link opens the project's section."
        ) % {"question": row.response.question.code, "text": row.description or row.url}
    return _(
        "The link of the operating evidence “%(text)s” was left out: the archive does not hold the page "
        "it opened. The evidence is kept; its link opens the project's section."
    ) % {"text": getattr(row, "summary", "") or str(row)}
