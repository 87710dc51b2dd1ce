"""A person's forum page: who they are and what they recently wrote, limited to what the
viewer may read."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..authors import author_label, is_import_user
from ..models import Post
from ..permissions import forum_permissions
from .common import prepare_rows, thread_list

RECENT = 10


@require_GET
def profile(request, pk):
    perms = forum_permissions(request)
    person = get_object_or_404(get_user_model().objects.select_related("organisation_unit"), pk=pk)
    erased = not person.is_active and not is_import_user(person)
    threads = prepare_rows(perms, thread_list(perms, person.forum_threads.all())[:RECENT])
    posts = list(
        Post.objects.filter(author=person, number__gt=1, is_deleted=False, is_hidden=False,
                            thread__in=perms.readable_threads())
        .select_related("thread").order_by("-created_at", "-pk")[:RECENT]
    )
    return render(request, "forum/profile.html", {
        "person": person,
        "name": author_label(person),
        "erased": erased,
        "is_own": person.pk == request.user.pk,
        "threads": threads,
        "posts": posts,
    })
