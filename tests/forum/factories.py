"""Forum factories. Threads and posts go through forum.services so that post numbers,
counters and read marks are exactly what the views produce.

Other engineers: add your factories at the end of this file.
"""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from forum import services
from forum.models import Category, CategoryPermission, Tag

from ..factories import UserFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kategori {n}")
    slug = factory.Sequence(lambda n: f"kategori-{n}")
    description = "En kategori för tester."
    sort_order = factory.Sequence(lambda n: n)


class CategoryPermissionFactory(factory.django.DjangoModelFactory):
    """A group's row in a category. Pass `group=` or `group__name=`."""

    class Meta:
        model = CategoryPermission

    category = factory.SubFactory(CategoryFactory)
    group = factory.LazyFunction(lambda: Group.objects.get_or_create(name="Testgrupp")[0])


def closed_category(*groups: Group, **kwargs) -> Category:
    """A closed category readable (and writable) only by the given groups."""
    category = CategoryFactory(is_closed=True, **kwargs)
    for group in groups:
        CategoryPermission.objects.create(category=category, group=group)
    return category


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tagg {n}")
    slug = factory.Sequence(lambda n: f"tagg-{n}")


class ThreadFactory(factory.Factory):
    """A thread with its opening post, made by services.create_thread (rate limits off).

    ThreadFactory(category=..., author=..., title=..., text=..., tags=[...], linked_page=...,
    now=...)
    """

    class Meta:
        model = dict  # built by _create below

    category = factory.SubFactory(CategoryFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Tråd nummer {n}")
    text = factory.Sequence(lambda n: f"Första inlägget i tråd {n}.")
    tags = ()
    linked_page = None
    now = None

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("ThreadFactory only supports create()")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.create_thread(
            kwargs["author"], kwargs["category"], kwargs["title"], kwargs["text"],
            tags=list(kwargs["tags"]), linked_page=kwargs["linked_page"], now=kwargs["now"],
            check_limits=False,
        )


class PostFactory(factory.Factory):
    """A reply made by services.reply (rate limits off). PostFactory(thread=..., author=...,
    text=..., now=...)."""

    class Meta:
        model = dict

    thread = factory.SubFactory(ThreadFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Svar nummer {n}.")
    now = None

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("PostFactory only supports create()")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.reply(kwargs["author"], kwargs["thread"], kwargs["text"],
                              now=kwargs["now"], check_limits=False)
