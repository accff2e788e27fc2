"""`{{ comment.body|with_mentions:member_names }}`: a comment's text, escaped, with its line breaks
and each @mention of a member marked (so the reader sees who was notified)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from projects.comments import MENTION

register = template.Library()


@register.filter
def with_mentions(text, member_names):
    names = member_names or set()

    def mark(match):
        raw = match.group(1)
        name = raw if raw.lower() in names else raw.rstrip(".-+@")
        if name.lower() not in names:
            return match.group(0)
        return f'<span class="mention">@{name}</span>{raw[len(name) :]}'

    escaped = MENTION.sub(mark, str(escape(text or "")))
    return mark_safe(escaped.replace("\r\n", "\n").replace("\n", "<br>"))  # noqa: S308 (escaped above)
