"""Forum events other parts subscribe to (notifications, search indexing).

- post_created(post, thread_created, quiet): a post (or a thread's opening post) was saved;
  quiet is True for posts made inside `quiet_posting()` (bulk loads notify nobody).
- thread_changed(thread_id): anything search shows of a thread changed (title, posts,
  visibility, category, tags). Sent on commit, carrying the id only.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import Signal

post_created = Signal()
thread_changed = Signal()

_quiet: ContextVar[bool] = ContextVar("forum_quiet_posting", default=False)


@contextmanager
def quiet_posting():
    """Posts made inside notify nobody (demo data, imports). Captured when the post is
    made, since the signal itself is sent later, on commit."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def posting_is_quiet() -> bool:
    return _quiet.get()
