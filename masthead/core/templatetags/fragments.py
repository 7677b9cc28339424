"""{% fragment "name" vary... tags="page:12 site" %}…{% endfragment %}: a shared part of a page.

The part is rendered once and reused, for every reader and every later request, until one of
its tags is invalidated (`core.pagecache.cache_tags_invalidate`): the same tags that make
cached pages stale. Unlike Django's `{% cache %}`, which expires by time alone, a reader never
sees a comment or an edit late. What a part shows must depend only on its name, the values it
varies on and the active language: never on the reader, the time or the query string.
"""

import hashlib

from django import template
from django.template.base import token_kwargs
from django.utils import translation
from django.utils.safestring import mark_safe

from masthead.core.pagecache import tagged_value

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary_on, tags):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on
        self.tags = tags

    def render(self, context):
        tags = self.tags.resolve(context)
        if isinstance(tags, str):
            tags = tags.split()
        request = context.get("request")
        if not tags or getattr(request, "is_preview", False):
            # A page that names no tags opts out; an editor's preview shows the draft.
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        vary = [str(value.resolve(context)) for value in self.vary_on]
        digest = hashlib.blake2b("\x1f".join(vary).encode(), digest_size=12).hexdigest()
        key = f"{name}:{translation.get_language()}:{digest}"
        return mark_safe(  # noqa: S308 - the template's own output, escaped as it rendered
            tagged_value(key, tags=tags, compute=lambda: self.nodelist.render(context))
        )


@register.tag("fragment")
def fragment(parser, token):
    """Parse `{% fragment "name" value... tags=TAGS %}…{% endfragment %}`."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("fragment needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    tags_bits = [bit for bit in bits[2:] if bit.startswith("tags=")]
    if len(tags_bits) != 1:
        raise template.TemplateSyntaxError("fragment needs exactly one tags=…")
    tags = token_kwargs(tags_bits, parser)["tags"]
    vary_on = [parser.compile_filter(bit) for bit in bits[2:] if not bit.startswith("tags=")]
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), vary_on, tags)
