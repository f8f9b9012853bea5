"""A database that is busy or briefly unreachable is a 503 "try again" page, not a 500.

SQLite answers "database is locked" once another process (a long `dumpdata`, say) has
held its lock longer than the timeout; PostgreSQL refuses connections while it restarts.
Neither is a fault in the page, and the person can simply try again.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.shortcuts import render
from django.views import defaults

logger = logging.getLogger(__name__)

BUSY = (OperationalError, InterfaceError)
RETRY_AFTER = "30"  # seconds


def service_busy(request):
    # The page reads nothing from the database (no signed-in user bar): it is down or busy.
    response = render(request, "503.html", status=503)
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
        if isinstance(exception, BUSY):
            logger.warning("Database busy or unavailable: %s %s: %s", request.method, request.path, exception)
            return service_busy(request)
        return None


def server_error(request):
    """handler500: a database error outside a view (saving the session, say) is the busy page too."""
    if isinstance(sys.exc_info()[1], BUSY):
        return service_busy(request)
    return defaults.server_error(request)
