"""Partial indexes for the thread lists: the index page's globally pinned threads, and each
user's muted threads (asked for by every list's unread count)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0003_thread_external_id"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="thread",
            index=models.Index(condition=models.Q(("pin", "global")), fields=["-last_post_at"],
                               name="forum_thread_global_pins"),
        ),
        migrations.AddIndex(
            model_name="watch",
            index=models.Index(condition=models.Q(("level", 0)), fields=["user"],
                               name="forum_watch_user_muted"),
        ),
    ]
