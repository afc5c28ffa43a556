"""What other apps show beside the library's passages: an extension point the library owns.

The library never imports the apps that build on it. An app registers a
`PassageExtension` in its `AppConfig.ready()`; every page that lists passages (the
bilag page and the search hits) then

1. calls each extension's `annotate(request, passages)` once, so that it loads what it
   shows for the whole page in one query (never one per passage);
2. renders its `tools_template` under each passage (`{% passage_tools passage %}`),
   with the page's context plus `passage`;
3. renders its `page_template` once at the end of the page (`{% passage_page_end %}`),
   for the scripts and settings its tools need, with `page` set to "bilag" or "search".

Templates decide for themselves what the user may see (`perms`, `request.user`).
"""

import dataclasses
from collections.abc import Callable, Sequence

BILAG_PAGE, SEARCH_PAGE = "bilag", "search"


@dataclasses.dataclass(frozen=True)
class PassageExtension:
    name: str
    tools_template: str = ""
    page_template: str = ""
    annotate: Callable[[object, Sequence[object]], None] | None = None


_registry: dict[str, PassageExtension] = {}


def register(extension: PassageExtension) -> None:
    """Add (or replace, by name) an extension; call it from AppConfig.ready()."""
    _registry[extension.name] = extension


def unregister(name: str) -> None:
    _registry.pop(name, None)


def registered() -> tuple[PassageExtension, ...]:
    return tuple(_registry.values())


def annotate(request, passages: Sequence[object]) -> None:
    """Let every extension load what it shows beside these passages (one call each)."""
    for extension in registered():
        if extension.annotate is not None:
            extension.annotate(request, passages)
