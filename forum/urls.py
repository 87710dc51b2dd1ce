"""Forum URLs (Swedish paths). Every state change is a POST with CSRF."""

from django.urls import path

from .views import moderation, notifications, posts, profiles, threads

app_name = "forum"

urlpatterns = [
    # Reading and writing (views/threads.py, views/posts.py)
    path("", threads.index, name="index"),
    path("kategori/<slug:slug>/", threads.category, name="category"),
    path("kategori/<slug:slug>/ny-trad/", threads.new_thread, name="new_thread"),
    path("kategori/<slug:slug>/markera-last/", threads.mark_category_read, name="mark_category_read"),
    path("tagg/<slug:slug>/", threads.tag, name="tag"),
    path("trad/<int:pk>/", threads.thread, name="thread"),
    path("trad/<int:pk>/svara/", posts.reply, name="reply"),
    path("trad/<int:pk>/utkast/", posts.save_draft, name="save_draft"),
    path("trad/<int:pk>/bevaka/", notifications.watch_thread, name="watch_thread"),
    path("trad/<int:pk>/accepterat-svar/", posts.accept_answer, name="accept_answer"),
    path("inlagg/<int:pk>/", posts.permalink, name="post"),
    path("inlagg/<int:pk>/redigera/", posts.edit, name="edit_post"),
    path("inlagg/<int:pk>/ta-bort/", posts.delete, name="delete_post"),
    path("inlagg/<int:pk>/historik/", posts.history, name="post_history"),
    path("inlagg/<int:pk>/reaktion/", posts.react, name="react"),
    path("forhandsvisning/", posts.preview, name="preview"),
    # Watching and notifications (views/notifications.py)
    path("kategori/<slug:slug>/bevaka/", notifications.watch_category, name="watch_category"),
    path("tagg/<slug:slug>/bevaka/", notifications.watch_tag, name="watch_tag"),
    path("aviseringar/", notifications.notification_list, name="notifications"),
    path("aviseringar/markera-lasta/", notifications.mark_all_read, name="notifications_mark_read"),
    path("aviseringar/<int:pk>/", notifications.open_notification, name="open_notification"),
    path("installningar/", notifications.settings_view, name="settings"),
    path("avregistrera/<str:token>/", notifications.unsubscribe, name="unsubscribe"),
    # Moderation (views/moderation.py)
    path("inlagg/<int:pk>/flagga/", moderation.flag_post, name="flag_post"),
    path("moderering/", moderation.queue, name="moderation_queue"),
    path("moderering/flagga/<int:pk>/", moderation.resolve_flag, name="resolve_flag"),
    path("moderering/inlagg/<int:pk>/dolj/", moderation.hide_post, name="hide_post"),
    path("moderering/trad/<int:pk>/", moderation.thread_tools, name="thread_tools"),
    path("moderering/logg/", moderation.log, name="moderation_log"),
    # People (views/profiles.py)
    path("person/<int:pk>/", profiles.profile, name="profile"),
]
