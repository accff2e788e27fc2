"""`{% cachedpart "name" %}…{% endcachedpart %}`: the enclosed HTML, cached per project until one of
its writes (kernel/pagecache.py), keyed by the inputs the part declares in
kernel/cacheparts.py. Pass the expensive data lazily (`pagecache.lazy`) so the block's
queries run inside it and are skipped on a hit."""

from django import template

from kernel import cacheparts, pagecache

register = template.Library()


class CachedPartNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.declared, self.nodelist = name, cacheparts.part(name), nodelist

    def namespaces(self, context):
        if self.declared.scope == "user":
            user = context.get("user")
            projects = context["member_projects"]  # the view passes the viewer's project ids
            return [pagecache.user_namespace(getattr(user, "pk", None))] + [
                pagecache.project_namespace(pk) for pk in sorted(projects)
            ]
        return [pagecache.project_namespace(context["project"].pk)]

    def render(self, context):
        inputs = cacheparts.resolve_inputs(self.declared, context)
        token = str(context.get("csrf_token") or "")
        request = context.get("request")

        def draw():
            query = cacheparts.part_query(self.declared, request)
            shown = cacheparts.PartRequest(request, query) if request is not None else None
            with context.push(request=shown, part_query=query):
                return self.nodelist.render(context)

        return pagecache.cached_part(self.name, self.namespaces(context), inputs, draw, csrf_token=token)


@register.tag
def cachedpart(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(
            '{% cachedpart "name" %} takes the part\'s name only: its inputs are declared in '
            "kernel/cacheparts.py"
        )
    name = bits[1][1:-1]
    try:
        cacheparts.part(name)
    except cacheparts.Undeclared as error:
        raise template.TemplateSyntaxError(str(error)) from None
    nodelist = parser.parse(("endcachedpart",))
    parser.delete_first_token()
    return CachedPartNode(name, nodelist)
