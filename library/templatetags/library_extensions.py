"""{% passage_tools passage %}, {% passage_page_end %} and {% passage_panels %}: where
extensions render (see library.extensions)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from library import extensions

register = template.Library()


def _render(context: template.Context, name: str, **extra) -> str:
    # The way {% include %} renders: the page's own context, with `extra` pushed on top.
    with context.push(**extra):
        return context.template.engine.get_template(name).render(context)


@register.simple_tag(takes_context=True)
def passage_tools(context: template.Context, passage) -> SafeString:
    """Each extension's tools for one passage, in registration order."""
    parts = [
        _render(context, extension.tools_template, passage=passage)
        for extension in extensions.registered()
        if extension.tools_template
    ]
    return mark_safe("".join(parts))  # rendered templates: autoescaped by Django


@register.simple_tag(takes_context=True)
def passage_page_end(context: template.Context, page: str) -> SafeString:
    """Each extension's page-level part (scripts, settings), once per page."""
    parts = [
        _render(context, extension.page_template, page=page)
        for extension in extensions.registered()
        if extension.page_template
    ]
    return mark_safe("".join(parts))  # rendered templates: autoescaped by Django


@register.simple_tag(takes_context=True)
def passage_panels(context: template.Context) -> SafeString:
    """Each extension's panel about the whole bilag, once, with `panel` set to what its
    `annotate` returned (the view passes those as `extension_panels`)."""
    data = context.get("extension_panels") or {}
    parts = [
        _render(context, extension.panel_template, panel=data.get(extension.name))
        for extension in extensions.registered()
        if extension.panel_template
    ]
    return mark_safe("".join(parts))  # rendered templates: autoescaped by Django
