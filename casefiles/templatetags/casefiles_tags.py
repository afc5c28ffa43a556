"""Template filters of the citation sheet: CSS strings for the page margins, indenting."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def css_string(value) -> str:
    """`value` as a quoted CSS string, every character but letters, digits and spaces
    escaped as a six-digit CSS escape, so no text can end the string or the style."""
    out = []
    for char in str(value):
        if char.isascii() and (char.isalnum() or char == " "):
            out.append(char)
        else:
            # The space ends the escape (CSS reads it as part of it), so a space that
            # follows in the value is kept.
            out.append(f"\\{ord(char):06x} ")
    return mark_safe('"' + "".join(out) + '"')  # only [A-Za-z0-9 ] and \hhhhhh escapes


@register.filter
def indent(value, spaces: int = 4) -> str:
    """Every line after the first indented, so a multi-line quote stays in its block in
    the plain-text sheet. Plain text: the result is not marked safe."""
    return str(value).replace("\r\n", "\n").replace("\n", "\n" + " " * int(spaces))
