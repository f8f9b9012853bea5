"""A database that is busy or briefly unreachable is a 503 "try again" page, not a 500.

SQLite answers "database is locked" once another process (a long `dumpdata`, say) has
held its lock longer than the timeout; PostgreSQL refuses connections while it restarts,
and drops those it had. Neither is a fault in the page, and the person can simply try again.
"""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER = "30"  # seconds


def is_busy(exception: BaseException | None) -> bool:
    """Whether `exception` says the database is unavailable, rather than that a statement is wrong.

    OperationalError and InterfaceError are the driver's words for a connection refused,
    dropped or closed, or a lock not granted. A plain DatabaseError is psycopg2's fallback
    for an error it cannot place: with no error code from the database it is libpq's own
    report that the connection went ("server closed the connection unexpectedly", as when
    PostgreSQL restarts). Every fault the database reports in a statement or its data
    carries a code (SQLSTATE, SQLite's result code) and, mostly, a subclass of its own
    (IntegrityError, DataError, ProgrammingError): those are bugs, and stay 500s.
    """
    if isinstance(exception, (OperationalError, InterfaceError)):
        return True
    if type(exception) is DatabaseError:
        driver_error = exception.__cause__  # Django raises its own class from the driver's
        return getattr(driver_error, "pgcode", None) is None and getattr(driver_error, "sqlite_errorcode", None) is None
    return False


def service_busy() -> HttpResponse:
    """The busy page, rendered without the request: no context processor runs, so nothing
    reads the session or the signed-in user, both kept in the unavailable database."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = RETRY_AFTER
    response["Cache-Control"] = "no-store"
    return response


class ServiceBusyMiddleware:
    """Turns a database error raised by a view into the busy page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_busy(exception):
            logger.warning("Database busy or unavailable: %s %s: %s", request.method, request.path, exception)
            return service_busy()
        return None


def server_error(request):
    """handler500: a database error outside a view (loading or saving the session, in a
    middleware, say) is the busy page too."""
    if is_busy(sys.exc_info()[1]):  # Django logs it, with its traceback, as it does any 5xx
        return service_busy()
    return defaults.server_error(request)


class RefusalInOneLine(logging.Filter):
    """On the django.request logger: a 403 is one line, method, path and who asked, with no traceback.

    A refusal is the permission rules working, not a fault: Django logs it with the
    PermissionDenied's traceback, which says nothing an operator needs and buries real errors.
    """

    def filter(self, record):
        if getattr(record, "status_code", None) == 403 and (request := getattr(record, "request", None)):
            user = getattr(request, "user", None)  # read already, by the check that refused
            record.msg, record.args = "Forbidden: %s %s (user %s)", (request.method, request.path,
                                                                      getattr(user, "pk", None))
            record.exc_info = record.exc_text = record.stack_info = None
        return True
