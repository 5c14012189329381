from django.urls import include, path

from . import content_warning_views, milestone_views, views

app_name = "forum"
urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:slug>/", views.category, name="category"),
    path("c/<slug:slug>/new/", views.new_topic, name="new_topic"),
    path("t/<int:pk>/", views.topic, name="topic"),
    path("t/<int:pk>/reply/", views.reply, name="reply"),
    path("write/coaching.json", views.coaching_phrases, name="coaching_phrases"),
    path(
        "t/<int:pk>/help-panel/dismiss/",
        views.dismiss_crisis_panel,
        name="dismiss_crisis_panel",
    ),
    path("p/<int:pk>/", views.post_permalink, name="post"),
    path("p/<int:pk>/edit/", views.edit_post, name="edit_post"),
    path("p/<int:pk>/history/", views.post_history, name="post_history"),
    path("p/<int:pk>/delete/", views.delete_post, name="delete_post"),
    path("p/<int:pk>/react/", views.react, name="react"),
    path("search/", views.search_page, name="search"),
    path(
        "settings/content-warnings/",
        content_warning_views.content_warning_settings,
        name="content_warning_settings",
    ),
    path("", include("forum.notifications.urls")),
    # Milestones (forum/milestones.py): a member's own counters, and the shared small wins.
    path("my/milestones/", milestone_views.my_milestones, name="milestones"),
    path("my/milestones/share/", milestone_views.share_moment, name="share_milestone"),
    path("my/milestones/<int:pk>/edit/", milestone_views.edit_counter, name="edit_counter"),
    path("my/milestones/<int:pk>/reset/", milestone_views.reset_counter, name="reset_counter"),
    path("my/milestones/<int:pk>/delete/", milestone_views.delete_counter, name="delete_counter"),
    path("my/milestones/<int:pk>/share/", milestone_views.share_counter, name="share_counter"),
    path("small-wins/", milestone_views.small_wins, name="small_wins"),
]
