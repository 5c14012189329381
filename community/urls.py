from django.urls import path

from . import duty_views, views

app_name = "community"
urlpatterns = [
    path("guidelines/", views.guidelines, name="guidelines"),
    path("help-now/", views.crisis, name="crisis"),
    path("p/<int:pk>/report/", views.report_post, name="report_post"),
    path("my/reports/", views.my_reports, name="my_reports"),
    path("my/decisions/<int:pk>/", views.decision, name="decision"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/items/<int:pk>/", views.item, name="review_item"),
    path("moderation/items/<int:pk>/claim/", views.claim, name="claim_item"),
    path("moderation/items/<int:pk>/act/", views.act, name="act_on_item"),
    path("moderation/items/<int:pk>/edit/", views.edit, name="edit_post"),
    path("moderation/sanctions/<int:pk>/lift/", views.lift, name="lift_sanction"),
    path("moderation/log/", views.log, name="log"),
    path("moderation/duty/", duty_views.duty, name="duty"),
    path("moderation/duty/on/", duty_views.duty_on, name="duty_on"),
    path("moderation/duty/off/", duty_views.duty_off, name="duty_off"),
]

# Each section's routes are appended in their own block (with their own import) so sections
# written side by side merge without touching each other's lines.
from . import safety_plan_views  # noqa: E402

urlpatterns += [
    path("my/safety-plan/", safety_plan_views.safety_plan, name="safety_plan"),
    path("my/safety-plan/edit/", safety_plan_views.edit_safety_plan, name="edit_safety_plan"),
]

# Private conversations with the moderation team (community.conversation_views).
from . import conversation_views  # noqa: E402

urlpatterns += [
    path("messages/", conversation_views.conversations, name="conversations"),
    path("messages/new/", conversation_views.message_team, name="message_team"),
    path("messages/<int:pk>/", conversation_views.conversation, name="conversation"),
    path("p/<int:pk>/check-in/", conversation_views.check_in, name="check_in"),
    path("moderation/messages/", conversation_views.team_inbox, name="team_inbox"),
]

# Rules moderators cannot bend: taking over an item another moderator claimed, logged.
urlpatterns += [
    path("moderation/items/<int:pk>/take-over/", views.take_over, name="take_over_item"),
]

# Approving new members' posts together from the review queue (community.bulk_views).
from . import bulk_views  # noqa: E402

urlpatterns += [
    path(
        "moderation/new-members/",
        bulk_views.approve_new_members,
        name="approve_new_members",
    ),
]

# Insights and care for the moderators (community.insights_views).
from . import insights_views  # noqa: E402

urlpatterns += [
    path("moderation/insights/", insights_views.insights_page, name="insights"),
    path("moderation/me/", insights_views.my_load, name="my_load"),
    path("moderation/me/break/", insights_views.take_break, name="take_break"),
]

# No story left unanswered (community.first_reply_views).
from . import first_reply_views  # noqa: E402

urlpatterns += [
    path("waiting/", first_reply_views.waiting_stories, name="waiting_stories"),
    path("waiting/<int:pk>/take/", first_reply_views.take_story, name="take_story"),
    path("waiting/<int:pk>/release/", first_reply_views.release_story, name="release_story"),
    path(
        "settings/first-replies/",
        first_reply_views.first_reply_settings,
        name="first_reply_settings",
    ),
]

# Moderators add or change a post's content warnings (community.content_warning_views).
from . import content_warning_views  # noqa: E402

urlpatterns += [
    path(
        "moderation/posts/<int:pk>/warnings/",
        content_warning_views.post_warnings,
        name="post_warnings",
    ),
]
