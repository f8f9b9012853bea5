"""The register's pages, cheap at any depth (issue 15)."""

from django.core.paginator import Paginator


class RegisterPaginator(Paginator):
    """Reads a page's ids first, then only those rows.

    `OFFSET n LIMIT 50` makes the database build n whole rows only to throw them away:
    page 2,000 of 100,000 partnerships read all of them. The ids alone come from the
    order's index (lower(name), id), so only the page's own 50 rows are read in full.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)
