"""Forum models."""

from .categories import Category, CategoryPermission, Tag  # noqa: F401
from .moderation import Flag, ModerationAction  # noqa: F401
from .notifications import EmailPreference, Notification  # noqa: F401
from .threads import POSTS_PER_PAGE, Draft, Post, PostRevision, Reaction, Thread  # noqa: F401
from .tracking import CategoryRead, ThreadRead, Watch, WatchLevel  # noqa: F401
