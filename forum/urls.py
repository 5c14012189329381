from django.urls import path

from . import notification_views, views

app_name = "forum"
urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:slug>/", views.category, name="category"),
    path("c/<slug:slug>/new/", views.new_topic, name="new_topic"),
    path("t/<int:pk>/", views.topic, name="topic"),
    path("t/<int:pk>/reply/", views.reply, name="reply"),
    path("p/<int:pk>/", views.post_permalink, name="post"),
    path("p/<int:pk>/edit/", views.edit_post, name="edit_post"),
    path("p/<int:pk>/history/", views.post_history, name="post_history"),
    path("p/<int:pk>/delete/", views.delete_post, name="delete_post"),
    path("p/<int:pk>/react/", views.react, name="react"),
    path("t/<int:pk>/follow/", notification_views.follow_topic, name="follow_topic"),
    path("t/<int:pk>/unfollow/", notification_views.unfollow_topic, name="unfollow_topic"),
    path("c/<slug:slug>/watch/", notification_views.watch_category, name="watch_category"),
    path("c/<slug:slug>/unwatch/", notification_views.unwatch_category, name="unwatch_category"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/<int:pk>/", notification_views.notification_open, name="notification_open"),
    path(
        "notifications/<int:pk>/read/",
        notification_views.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/read-all/",
        notification_views.notifications_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/preferences/",
        notification_views.notification_preferences,
        name="notification_preferences",
    ),
    path(
        "notifications/unsubscribe/<str:token>/",
        notification_views.unsubscribe,
        name="unsubscribe",
    ),
]
