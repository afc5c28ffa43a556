"""What a search returns: the page of hits with their snippets, counts and facets."""

import dataclasses

from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from library.models import Bilag, Passage, Topic
from library.search.filters import SORTS, PassageSearchFilter
from library.search.query import Query

PER_PAGE = 20
MAX_PAGED = 10_000  # hits reachable by paging; narrow the search for more


@dataclasses.dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    href: str = ""  # set by the page


@dataclasses.dataclass
class Hit:
    passage: Passage
    snippet: SafeString
    snippet_start: int  # where the snippet's text starts in the passage
    snippet_cut: bool  # whether the passage goes on after the snippet (shown with "…")
    rank: float | None
    topics: list[Topic] = dataclasses.field(default_factory=list)  # tagged, not rejected
    via_topics: list[Topic] = dataclasses.field(default_factory=list)  # found only so

    @property
    def bilag(self) -> Bilag:
        return self.passage.bilag

    @property
    def snippet_offset_utf16(self) -> int:
        """Where the snippet starts in UTF-16 units, as a browser counts (for citing)."""
        return len(self.passage.text[: self.snippet_start].encode("utf-16-le")) // 2


@dataclasses.dataclass
class SearchResults:
    filterset: PassageSearchFilter
    raw_query: str = ""
    query: Query | None = None
    sort: str = "relevance"
    error: str = ""
    # The error is the index's, not the request's: the page answers 503, not 400.
    unavailable: bool = False
    # The query was read but leaves nothing to look for (query.NothingToSearch): the
    # page gives its advice with 200, the API a 400 as for every error.
    nothing_to_search: bool = False
    searched: bool = False
    hits: list[Hit] = dataclasses.field(default_factory=list)
    total: int = 0
    facets: dict[str, list[FacetValue]] = dataclasses.field(default_factory=dict)
    page: int = 1
    per_page: int = PER_PAGE
    num_pages: int = 0
    expanded_topics: list[Topic] = dataclasses.field(default_factory=list)
    via_total: int = 0  # passages found only through a topic, after `total` direct ones
    # Hits the same search has in withdrawn bilag, left out by the default status filter
    # (current bilag only); 0 when the status filter is set. withdrawn_href (set by the
    # page) is the same search with them.
    withdrawn_hidden: int = 0
    withdrawn_href: str = ""
    # Every topic, loaded once per search (expansion, facet labels, the hits' tags).
    topic_table: dict[int, Topic] | None = dataclasses.field(default=None, repr=False)

    def topics(self) -> dict[int, Topic]:
        if self.topic_table is None:
            self.topic_table = Topic.objects.in_bulk()
        return self.topic_table

    @property
    def notices(self) -> list[str]:
        notices = []
        if self.query and self.query.ignored:
            notices.append(
                _("Too common to search for, left out in the languages where they are: %(words)s")
                % {"words": ", ".join(self.query.ignored)}
            )
        if self.query and self.query.most:
            notices.append(
                _(
                    "No passage has all the words; showing passages with all of them but "
                    "one, those with the most first."
                )
            )
        return notices

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def end_index(self) -> int:
        return (self.page - 1) * self.per_page + len(self.hits)

    @property
    def capped(self) -> bool:
        """More hits than paging reaches."""
        return self.total > MAX_PAGED

    @cached_property
    def sort_choices(self):
        return SORTS

    @cached_property
    def active_filters(self) -> int:
        """How many filters beyond the default (current bilag only) are set."""
        return self.filterset.active_count()
