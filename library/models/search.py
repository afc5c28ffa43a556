"""The search index's outbox: what the index must still take from the database.

Every service that writes what the index holds (passages, their tags, a bilag's
metadata) adds a row here in its own transaction; library.search.index applies the rows
to the Tantivy index after the commit and deletes them. A row left by a process that
died between the two is applied by the next search, the next write, or
`manage.py reindex --pending`, so the index never misses a committed change.
"""

from collections.abc import Callable, Iterable

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

# What runs after a commit that queued rows: library.search.index registers its
# apply_pending here (the layer below search cannot import it; LibraryConfig.ready
# imports library.search.index, so it is registered in every process).
_appliers: list[Callable[[], None]] = []


def register_applier(applier: Callable[[], None]) -> None:
    if applier not in _appliers:
        _appliers.append(applier)


def _after_commit() -> None:
    for applier in _appliers:
        applier()


class SearchOutboxQuerySet(models.QuerySet):
    def queue_bilag(self, bilag_ids: Iterable[int]) -> None:
        """Every passage of these bilag must be (re)read into the index after this commit."""
        self._queue([SearchOutbox(bilag_id=pk) for pk in dict.fromkeys(bilag_ids)])

    def queue_passages(self, passages: Iterable) -> None:
        """These passages (their tags changed) must be re-read into the index."""
        self._queue([SearchOutbox(bilag_id=p.bilag_id, passage_id=p.pk) for p in passages])

    def _queue(self, rows: list["SearchOutbox"]) -> None:
        if rows:
            self.bulk_create(rows)
            transaction.on_commit(_after_commit)


class SearchOutbox(models.Model):
    # Not foreign keys: the row must outlive what it points at (a deleted bilag's
    # entries are removed from the index by it).
    bilag_id = models.BigIntegerField(_("bilag id"))
    passage_id = models.BigIntegerField(
        _("passage id"), null=True, blank=True, help_text=_("Empty: every passage of the bilag.")
    )
    queued = models.DateTimeField(_("queued"), auto_now_add=True)

    objects = SearchOutboxQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("search index change")
        verbose_name_plural = _("search index changes")

    def __str__(self) -> str:
        return f"bilag {self.bilag_id}" + (f" passage {self.passage_id}" if self.passage_id else "")
