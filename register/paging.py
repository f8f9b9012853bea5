"""The register's pages, cheap at any depth (issue 15)."""

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_KEPT_FOR = 60  # seconds


class RegisterPaginator(Paginator):
    """Reads a page's ids first, then only those rows.

    `OFFSET n LIMIT 50` makes the database build n whole rows only to throw them away:
    page 2,000 of 100,000 partnerships read all of them. The ids alone come from the
    order's index (lower(name), id), so only the page's own 50 rows are read in full.
    """

    def __init__(self, object_list, per_page, *, count_key: str | None = None, rows=None, **kwargs):
        """`count_key`: where the count is kept a while (`RegisterFilter.count_key`), or None.

        `rows`: given a page's ids (a subquery), the queryset of their rows, without the
        filters that found them (`register.selectors.table_rows`); it is put in
        `object_list`'s order. Filtering the page's rows again made the database find
        every match twice: a search for a common word, 45,000 partner matches, twice
        (issue 15). None: `object_list` filtered by the ids.
        """
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key
        self.rows = rows

    @cached_property
    def count(self) -> int:
        """How many match, kept COUNT_KEPT_FOR seconds under `count_key` while nothing it reads
        has changed: counting a third of a national register (a theme, the approved
        checklists, a common word) takes PostgreSQL 12-40 ms, the same on every page of it."""
        if self.count_key is None:
            return Paginator.count.func(self)
        count = cache.get(self.count_key)
        if count is None:
            count = Paginator.count.func(self)
            cache.set(self.count_key, count, COUNT_KEPT_FOR)
        return count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        if self.rows is None:
            rows = self.object_list.filter(pk__in=ids)
        else:
            rows = self.rows(ids).order_by(*self.object_list.query.order_by)
        return self._get_page(rows, number, self)
