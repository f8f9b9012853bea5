"""Middleware of the register app."""

from register.work import forget_waiting_count

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def forget_waiting_count_on_change(get_response):
    """A person who changes something (any POST: an approval, a submission, an action marked
    done) sees the navigation's Your-work count counted afresh on their next page, rather
    than the count remembered in their session (`register.work.remembered_waiting_count`)."""

    def middleware(request):
        if request.method not in SAFE_METHODS and request.user.is_authenticated:
            forget_waiting_count(request)
        return get_response(request)

    return middleware
