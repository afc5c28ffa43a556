"""What other apps show beside the library's passages: an extension point the library owns.

The library never imports the apps that build on it. An app registers a
`PassageExtension` in its `AppConfig.ready()`; every page that lists passages (the
bilag page and the search hits) then

1. calls each extension's `annotate(request, passages)` once, so that it loads what it
   shows for the whole page in one query (never one per passage);
2. renders its `tools_template` under each passage (`{% passage_tools passage %}`),
   with the page's context plus `passage`;
3. renders its `page_template` once at the end of the page (`{% passage_page_end %}`),
   for the scripts and settings its tools need, with `page` set to "bilag" or "search";
4. on the bilag page only, renders its optional `panel_template` once above the passages
   (`{% passage_panels %}`), with `panel` set to what its `annotate` returned (None if
   it returned nothing): a panel about the whole bilag, e.g. what the reader did with it.

Templates decide for themselves what the user may see (`perms`, `request.user`).
"""

import dataclasses
from collections.abc import Callable, Sequence

BILAG_PAGE, SEARCH_PAGE = "bilag", "search"


@dataclasses.dataclass(frozen=True)
class PassageExtension:
    """What one app shows beside the library's passages (see the module's docstring)."""

    name: str
    tools_template: str = ""
    page_template: str = ""
    annotate: Callable[[object, Sequence[object]], object] | None = None
    panel_template: str = ""


_registry: dict[str, PassageExtension] = {}


def register(extension: PassageExtension) -> None:
    """Add (or replace, by name) an extension; call it from AppConfig.ready()."""
    _registry[extension.name] = extension


def unregister(name: str) -> None:
    """Remove an extension by name (nothing happens if there is none)."""
    _registry.pop(name, None)


def registered() -> tuple[PassageExtension, ...]:
    """The registered extensions, in registration order."""
    return tuple(_registry.values())


def annotate(request, passages: Sequence[object]) -> dict[str, object]:
    """Let every extension load what it shows beside these passages (one call each).

    Returns {extension name: what its `annotate` returned}, for its panel.
    """
    panels: dict[str, object] = {}
    for extension in registered():
        if extension.annotate is not None:
            panels[extension.name] = extension.annotate(request, passages)
    return panels
