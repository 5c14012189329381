"""Notification routes, included by forum/urls.py into the "forum" namespace (forum:notifications).

No app_name here: a nested namespace would rename every route that emails, templates and
bookmarks already use.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("t/<int:pk>/follow/", views.follow_topic, name="follow_topic"),
    path("t/<int:pk>/unfollow/", views.unfollow_topic, name="unfollow_topic"),
    path("t/<int:pk>/mute/", views.mute_topic, name="mute_topic"),
    path("t/<int:pk>/unmute/", views.unmute_topic, name="unmute_topic"),
    path("c/<slug:slug>/watch/", views.watch_category, name="watch_category"),
    path("c/<slug:slug>/unwatch/", views.unwatch_category, name="unwatch_category"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path(
        "notifications/preferences/",
        views.notification_preferences,
        name="notification_preferences",
    ),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
