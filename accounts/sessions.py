"""How long a signed-in session has left before it ends for inactivity.

The session store ends a session SESSION_COOKIE_AGE seconds after it was last
saved. Saving it on every request would be a database write per page, so a
request saves it (by stamping the time) at most once a minute; what a page
tells the browser is worked out from that stamp, so it is never more than the
session really has.
"""

import time

from django.conf import settings

LAST_ACTIVITY = "_last_activity"


def _touch_interval() -> int:
    return min(60, settings.SESSION_COOKIE_AGE // 10)


def session_touch(session, *, force: bool = False) -> None:
    """Restart the session's idle period (if it was last restarted a while ago, unless forced)."""
    now = int(time.time())
    if force or now - session.get(LAST_ACTIVITY, 0) >= _touch_interval():
        session[LAST_ACTIVITY] = now


def session_expires_in(session) -> int:
    """Seconds until the session ends if nothing happens in the meantime."""
    last = session.get(LAST_ACTIVITY)
    if last is None:
        return settings.SESSION_COOKIE_AGE
    return max(0, last + settings.SESSION_COOKIE_AGE - int(time.time()))


def session_warning() -> int:
    """Seconds before the end at which a page warns, never more than half the period."""
    return min(settings.SESSION_TIMEOUT_WARNING, settings.SESSION_COOKIE_AGE // 2)
