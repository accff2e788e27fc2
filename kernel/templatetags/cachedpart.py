"""`{% cachedpart "name" key… %}…{% endcachedpart %}`: the enclosed HTML, cached until a table it
was read from is written (kernel/pagecache.py). Everything the block shows that was read
before it (the project, today, the viewer's role) must be among the keys; pass the expensive data
lazily (`pagecache.lazy`) so the block's queries run inside it and are skipped on a hit."""

from django import template

from kernel import pagecache

register = template.Library()


class CachedPartNode(template.Node):
    def __init__(self, name, keys, nodelist):
        self.name, self.keys, self.nodelist = name, keys, nodelist

    def render(self, context):
        name = self.name.resolve(context)
        keys = tuple(_plain(key.resolve(context)) for key in self.keys)
        token = str(context.get("csrf_token") or "")
        return pagecache.cached_part(name, keys, lambda: self.nodelist.render(context), csrf_token=token)


def _plain(value):
    """A key part as a stable value: a model instance by every field it holds (a renamed project,
    a new progress figure give another key)."""
    meta = getattr(value, "_meta", None)
    if meta is not None and getattr(value, "pk", None) is not None:
        return (meta.label, tuple(f.value_from_object(value) for f in meta.concrete_fields))
    return value


@register.tag
def cachedpart(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% cachedpart %} needs a name")
    nodelist = parser.parse(("endcachedpart",))
    parser.delete_first_token()
    keys = [parser.compile_filter(bit) for bit in bits[2:]]
    return CachedPartNode(parser.compile_filter(bits[1]), keys, nodelist)
