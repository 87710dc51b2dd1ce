"""Thread list indexes in the lists' own order (views.common.PINNED_FIRST, LATEST_FIRST).

- forum_thread_cat_pin_activity: a category's list, pins first, then latest activity.
  Page 1 of a category with 6 000 threads reads 30 index entries instead of sorting them
  all (tests/benchmarks/bench_forum.py). The id completes the order; is_hidden, last, lets
  the list's count and a page's ids come from the index alone.
- forum_thread_global_pins gets pin as its first column: SQLite without statistics then
  seeks it (pin = ?) for the index page's global pins instead of walking the whole
  activity index, and the id completes the order.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0004_thread_global_pins_watch_muted"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="thread",
            index=models.Index(fields=["category", "-pin", "-last_post_at", "-id", "is_hidden"],
                               name="forum_thread_cat_pin_activity"),
        ),
        migrations.RemoveIndex(model_name="thread", name="forum_thread_global_pins"),
        migrations.AddIndex(
            model_name="thread",
            index=models.Index(condition=models.Q(("pin", "global")),
                               fields=["pin", "-last_post_at", "-id"],
                               name="forum_thread_global_pins"),
        ),
    ]
