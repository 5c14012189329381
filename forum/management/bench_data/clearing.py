"""Removing an earlier benchmark data set, so the command can run again."""

from __future__ import annotations

from accounts.models import User
from forum.management.bench_data.shape import BENCH_CATEGORY_SLUG, BENCH_USERNAME_PREFIX
from forum.models import Category, Post, Topic


def clear_data_set() -> None:
    """No benchmark category, topic, post or member is left."""
    Post.objects.filter(topic__category__slug=BENCH_CATEGORY_SLUG).delete()
    Topic.objects.filter(category__slug=BENCH_CATEGORY_SLUG).delete()
    Category.objects.filter(slug=BENCH_CATEGORY_SLUG).delete()
    bench_users = User.objects.filter(username__startswith=BENCH_USERNAME_PREFIX)
    # Members of the data set may have written elsewhere: spread topics, published stories.
    Post.objects.filter(topic__author__in=bench_users).delete()
    Post.objects.filter(author__in=bench_users).delete()
    Topic.objects.filter(author__in=bench_users).delete()
    bench_users.delete()
