"""`{% url %}` that remembers its answers. Installed as a template builtin (settings.TEMPLATES), so
every `{% url %}` in every template uses it without a `{% load %}`.

Reversing a URL is one of the costliest things a row of a list does (a task row has three); the
URL patterns never change while the process runs, so the answer for the same view name, arguments,
script prefix and URLconf is looked up once. Arguments other than numbers and strings (or a
failing lookup) take Django's own path.
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template import defaulttags
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()
SIMPLE = (int, str)


@lru_cache(maxsize=16384)
def remembered_reverse(view_name, args, kwargs, current_app, prefix, urlconf):
    return reverse(view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


class RememberedURLNode(defaulttags.URLNode):
    def render(self, context):
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((k, v.resolve(context)) for k, v in self.kwargs.items())
        view_name = self.view_name.resolve(context)
        if not isinstance(view_name, str) or not all(
            type(value) in SIMPLE for value in args + tuple(v for _, v in kwargs)
        ):
            return super().render(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        try:
            urlconf = get_urlconf() or settings.ROOT_URLCONF
            url = remembered_reverse(view_name, args, kwargs, current_app, get_script_prefix(), urlconf)
        except Exception:  # NoReverseMatch and friends: Django's own handling, messages and `as var`
            return super().render(context)
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
