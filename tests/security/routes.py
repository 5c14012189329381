"""Every route of the site, classified once: who may reach it, and what it is about.

tests/security/test_authorization.py walks the URLconf and fails for a route missing here or
an entry here with no route, then asks each route as each actor with GET and POST.

Classes:
- public: anyone, signed in or not.
- member: signed in (anonymous visitors are sent to the login page).
- author: only the author of the object (others who can see it are refused, 403; others who
  cannot see it are told it does not exist, 404).
- moderator: moderators and admins (every other signed-in member is told the page does not
  exist, 404, whatever the id: a moderation page existing would say a post was reported).
- admin: Django's admin, staff only (everyone else is sent to the admin login).
- token: one-click links whose signed token is the authority (unsubscribe, email confirmation,
  password reset key).

Targets name objects built in tests/security/conftest.py that the URL's kwargs point at; a
route with several targets is asked about each (a published post, a pending one, a hidden one).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Access(StrEnum):
    PUBLIC = "public"
    MEMBER = "member"
    AUTHOR = "author"
    MODERATOR = "moderator"
    ADMIN = "admin"
    TOKEN = "token"


class Allow(StrEnum):
    """Who, among signed-in actors who can see the target, the route serves."""

    ANYONE = "anyone"
    OWNER = "owner"
    OWNER_OR_MODERATOR = "owner_or_moderator"
    NOT_OWNER = "not_owner"
    MODERATOR = "moderator"
    # Moderators and peer specialists, about someone else's post (check-ins).
    SUPPORTER = "supporter"


GET_POST = frozenset({"GET", "POST"})
POST_ONLY = frozenset({"POST"})
GET_ONLY = frozenset({"GET"})


@dataclass(frozen=True)
class Route:
    access: Access
    # Objects (tests/security/conftest.py, World) the URL kwargs point at; "" for none.
    targets: tuple[str, ...] = ("",)
    methods: frozenset[str] = GET_POST
    # An allowed POST changes rows (so a refused one must not, and it needs a CSRF token).
    writes: bool = False
    allow: Allow = Allow.ANYONE
    # Writing something others read: muted members are refused (403).
    posting: bool = False
    # A posting route whose page a muted member may still open (it says until when).
    muted_may_open: bool = False
    # Targets on which even those the route serves are refused (403): a hidden post cannot be
    # edited, a waiting topic cannot be replied to or followed, and so on.
    refused_on: tuple[str, ...] = ()
    # Those the route does not serve are told it does not exist (404) rather than refused (403):
    # reporting one's own post, checking in without the role.
    refuse_as_missing: bool = False
    # Targets on which the route answers everyone as if they did not exist (404): a waiting or
    # moderator-hidden post cannot be reported.
    missing_on: tuple[str, ...] = ()
    # Targets the route serves to everyone who could see them before they were hidden (a post
    # hidden by reports and awaiting review stays reportable), though they are closed elsewhere.
    seen_before_hiding: tuple[str, ...] = ()
    # Who may POST, when fewer than may GET (moderators read a decision; its member asks).
    allow_post: Allow | None = None
    # Answers of a public or token route that differ from ok_get / ok_post: ((who, method),
    # status) pairs, who is "anonymous" or "signed_in" (any signed-in actor not suspended).
    answers: tuple[tuple[tuple[str, str], int], ...] = ()
    # Where an admin route sends those who are not staff.
    refused_to: str = "/admin/login/"
    # Allowed answer per method when it is not GET 200 / POST 200 (302 when writes).
    ok_get: int = 200
    ok_post: int | None = None


POSTS = ("post", "pending", "hidden")
TOPICS = ("topic", "pending_topic", "hidden_topic")
UNPUBLISHED_POSTS = ("pending", "hidden")
UNPUBLISHED_TOPICS = ("pending_topic", "hidden_topic")
# A reply of "member" that members' reports hid, whose review item is still open.
REPORT_HIDDEN = "report_hidden"

ROUTES: dict[str, Route] = {
    # --- forum ----------------------------------------------------------------------------
    "forum:home": Route(Access.PUBLIC),
    "forum:category": Route(Access.MEMBER, targets=("category",)),
    "forum:new_topic": Route(Access.MEMBER, targets=("category",), writes=True, posting=True),
    "forum:topic": Route(Access.MEMBER, targets=TOPICS),
    "forum:reply": Route(
        Access.MEMBER, targets=TOPICS, writes=True, posting=True, refused_on=UNPUBLISHED_TOPICS
    ),
    # The coaching phrase list, read by static/js/coaching.js; it changes nothing.
    "forum:coaching_phrases": Route(Access.MEMBER, ok_post=405),
    "forum:post": Route(Access.MEMBER, targets=(*POSTS, REPORT_HIDDEN), ok_get=302, ok_post=302),
    "forum:edit_post": Route(
        Access.AUTHOR,
        targets=POSTS,
        writes=True,
        allow=Allow.OWNER,
        posting=True,
        refused_on=("hidden",),
    ),
    "forum:post_history": Route(Access.AUTHOR, targets=POSTS, allow=Allow.OWNER_OR_MODERATOR),
    "forum:delete_post": Route(Access.AUTHOR, targets=POSTS, writes=True, allow=Allow.OWNER),
    "forum:react": Route(
        Access.MEMBER,
        targets=POSTS,
        methods=POST_ONLY,
        writes=True,
        allow=Allow.NOT_OWNER,
        posting=True,
        refused_on=UNPUBLISHED_POSTS,
    ),
    # The crisis panel is remembered in the session only (no table changes); GET is refused.
    "forum:dismiss_crisis_panel": Route(
        Access.MEMBER, targets=TOPICS, methods=POST_ONLY, ok_post=302
    ),
    # --- forum: notifications -------------------------------------------------------------
    "forum:follow_topic": Route(
        Access.MEMBER, targets=TOPICS, methods=POST_ONLY, writes=True, refused_on=UNPUBLISHED_TOPICS
    ),
    "forum:unfollow_topic": Route(Access.MEMBER, targets=TOPICS, methods=POST_ONLY, writes=True),
    "forum:mute_topic": Route(Access.MEMBER, targets=TOPICS, methods=POST_ONLY, writes=True),
    "forum:unmute_topic": Route(Access.MEMBER, targets=TOPICS, methods=POST_ONLY, writes=True),
    "forum:watch_category": Route(
        Access.MEMBER, targets=("category",), methods=POST_ONLY, writes=True
    ),
    "forum:unwatch_category": Route(
        Access.MEMBER, targets=("category",), methods=POST_ONLY, writes=True
    ),
    "forum:notifications": Route(Access.MEMBER),
    # Searches only what the reader may see (tests/forum/test_search*.py); reading, never writing.
    "forum:search": Route(Access.MEMBER, methods=GET_ONLY),
    "forum:notification_open": Route(
        Access.AUTHOR,
        targets=("notification",),
        methods=POST_ONLY,
        writes=True,
        allow=Allow.OWNER,
    ),
    "forum:notification_read": Route(
        Access.AUTHOR,
        targets=("notification",),
        methods=POST_ONLY,
        writes=True,
        allow=Allow.OWNER,
    ),
    "forum:notifications_read_all": Route(Access.MEMBER, methods=POST_ONLY, writes=True),
    "forum:notification_preferences": Route(Access.MEMBER, writes=True),
    "forum:content_warning_settings": Route(Access.MEMBER, writes=True),
    # The one-click POST answers with the page that says it is done (RFC 8058 clients).
    "forum:unsubscribe": Route(
        Access.TOKEN,
        targets=("unsubscribe_token", "bad_unsubscribe_token"),
        writes=True,
        ok_post=200,
    ),
    # --- accounts -------------------------------------------------------------------------
    "accounts:profile": Route(Access.MEMBER, targets=("profile",)),
    # Where a suspended member lands once signed out: it reads who was paused from the session
    # that signed them out, so anyone else is sent to the login page.
    "accounts:paused": Route(
        Access.PUBLIC,
        answers=tuple(
            ((who, method), 302) for who in ("anonymous", "signed_in") for method in ("GET", "POST")
        ),
    ),
    # A display name, pronouns and bio are read by others: muted members may not change them.
    "accounts:edit_profile": Route(Access.MEMBER, writes=True, posting=True, muted_may_open=True),
    # Closing the first-visit welcome: it changes only the member's own session.
    "accounts:dismiss_welcome": Route(Access.MEMBER, methods=POST_ONLY, writes=True),
    # Each member asks for themselves and reads only their own requests (no URL names one).
    "accounts:peer_specialist": Route(Access.MEMBER, writes=True),
    # Leaving (accounts/leaving_views.py): each member's own export and deletion, no ids in
    # the URLs. The download answers 404 unless its signed token names the member's own export.
    "accounts:export": Route(Access.MEMBER, writes=True),
    "accounts:download_export": Route(Access.MEMBER, methods=GET_ONLY, ok_get=404),
    # A POST without the password is refused with the form again and changes nothing.
    "accounts:delete_account": Route(Access.MEMBER, ok_post=200),
    "accounts:keep_account": Route(Access.MEMBER, methods=POST_ONLY, writes=True),
    # --- community ------------------------------------------------------------------------
    "community:guidelines": Route(Access.PUBLIC),
    "community:crisis": Route(Access.PUBLIC),
    # Reporting one's own post, a waiting or a moderator-hidden one answers like a missing
    # post; one hidden by reports stays reportable by those who could read it before.
    "community:report_post": Route(
        Access.MEMBER,
        targets=(*POSTS, REPORT_HIDDEN),
        writes=True,
        allow=Allow.NOT_OWNER,
        refuse_as_missing=True,
        missing_on=UNPUBLISHED_POSTS,
        seen_before_hiding=(REPORT_HIDDEN,),
    ),
    "community:my_reports": Route(Access.MEMBER),
    # The member a decision is about reads it and may ask for a review; moderators read it.
    "community:decision": Route(
        Access.AUTHOR,
        targets=("decision",),
        writes=True,
        allow=Allow.OWNER_OR_MODERATOR,
        allow_post=Allow.OWNER,
    ),
    "community:queue": Route(Access.MODERATOR, allow=Allow.MODERATOR),
    "community:review_item": Route(Access.MODERATOR, targets=("item",), allow=Allow.MODERATOR),
    "community:claim_item": Route(
        Access.MODERATOR,
        targets=("item",),
        methods=POST_ONLY,
        writes=True,
        allow=Allow.MODERATOR,
    ),
    "community:act_on_item": Route(
        Access.MODERATOR,
        targets=("item",),
        methods=POST_ONLY,
        writes=True,
        allow=Allow.MODERATOR,
    ),
    "community:edit_post": Route(
        Access.MODERATOR, targets=("item",), writes=True, allow=Allow.MODERATOR
    ),
    # Adding or changing a post's content warnings (logged), on any post a moderator sees.
    "community:post_warnings": Route(
        Access.MODERATOR, targets=POSTS, writes=True, allow=Allow.MODERATOR
    ),
    "community:lift_sanction": Route(
        Access.MODERATOR,
        targets=("sanction",),
        methods=POST_ONLY,
        writes=True,
        allow=Allow.MODERATOR,
    ),
    "community:log": Route(Access.MODERATOR, allow=Allow.MODERATOR),
    # --- community: the moderator rota ----------------------------------------------------
    "community:duty": Route(Access.MODERATOR, writes=True, allow=Allow.MODERATOR),
    "community:duty_on": Route(
        Access.MODERATOR, methods=POST_ONLY, writes=True, allow=Allow.MODERATOR
    ),
    "community:duty_off": Route(
        Access.MODERATOR, methods=POST_ONLY, writes=True, allow=Allow.MODERATOR
    ),
    # --- community: my safety plan --------------------------------------------------------
    # No URL names a plan: each signed-in member reads and writes their own (the suite also
    # checks that the plan's words never reach anyone else).
    "community:safety_plan": Route(Access.MEMBER),
    "community:edit_safety_plan": Route(Access.MEMBER, writes=True),
    # --- forum: milestones ----------------------------------------------------------------
    # A member's own counters; a counter's id finds only its owner's (404 for anyone else).
    "forum:milestones": Route(Access.MEMBER, writes=True),
    "forum:edit_counter": Route(
        Access.AUTHOR, targets=("counter",), writes=True, allow=Allow.OWNER
    ),
    "forum:reset_counter": Route(
        Access.AUTHOR, targets=("counter",), methods=POST_ONLY, writes=True, allow=Allow.OWNER
    ),
    "forum:delete_counter": Route(
        Access.AUTHOR, targets=("counter",), writes=True, allow=Allow.OWNER
    ),
    # Sharing starts a topic, so muted members are refused.
    "forum:share_counter": Route(
        Access.AUTHOR, targets=("counter",), writes=True, allow=Allow.OWNER, posting=True
    ),
    "forum:share_milestone": Route(Access.MEMBER, writes=True, posting=True),
    "forum:small_wins": Route(Access.MEMBER, methods=GET_ONLY),
    # --- community: private conversations with the moderation team ------------------------
    "community:conversations": Route(Access.MEMBER),
    "community:message_team": Route(Access.MEMBER, writes=True),
    # Read and answered by the member it is with, every moderator and the peer specialist who
    # started it; to anyone else it does not exist.
    "community:conversation": Route(Access.MEMBER, targets=("conversation",), writes=True),
    # Moderators and peer specialists check in with a post's author; to anyone else (the
    # author too) the page does not exist.
    "community:check_in": Route(
        Access.MEMBER,
        targets=POSTS,
        writes=True,
        allow=Allow.SUPPORTER,
        refuse_as_missing=True,
    ),
    "community:team_inbox": Route(Access.MODERATOR, allow=Allow.MODERATOR),
    # --- community: rules moderators cannot bend (tests/security/test_moderation_rules.py) ---
    # Taking over an item another moderator claimed; the world's item is unclaimed, so the
    # moderator is told there is nothing to take over and nothing changes.
    "community:take_over_item": Route(
        Access.MODERATOR,
        targets=("item",),
        methods=POST_ONLY,
        writes=True,
        allow=Allow.MODERATOR,
    ),
    # --- community: insights and care for the moderators ----------------------------------
    "community:insights": Route(Access.MODERATOR, methods=GET_ONLY, allow=Allow.MODERATOR),
    "community:my_load": Route(Access.MODERATOR, methods=GET_ONLY, allow=Allow.MODERATOR),
    "community:take_break": Route(
        Access.MODERATOR, methods=POST_ONLY, writes=True, allow=Allow.MODERATOR
    ),
    # --- community: no story left unanswered (community/first_reply_views.py) ---------------
    # Every member reads the page (the list, or how to volunteer); taking and letting go are for
    # those who answer stories (the world has no volunteer: peer specialists and moderators),
    # and to anyone else they do not exist. The world's topics are not waiting, so a take is
    # refused with a message and nothing changes.
    "community:waiting_stories": Route(Access.MEMBER, methods=GET_ONLY),
    "community:take_story": Route(
        Access.MEMBER,
        targets=TOPICS,
        methods=POST_ONLY,
        writes=True,
        allow=Allow.SUPPORTER,
        refuse_as_missing=True,
    ),
    "community:release_story": Route(
        Access.MEMBER,
        targets=TOPICS,
        methods=POST_ONLY,
        writes=True,
        allow=Allow.SUPPORTER,
        refuse_as_missing=True,
    ),
    "community:first_reply_settings": Route(
        Access.MEMBER, writes=True, posting=True, muted_may_open=True
    ),
}

# allauth (account, mfa, usersessions): reachability as allauth defines it. Its forms answer an
# empty POST with the form again (200); pages for visitors send signed-in members home (302);
# a step that needs an earlier one (a code, a reauthentication, an authenticator the member
# does not have) redirects to it or answers 404; pages that only show answer POST with 405.
SIGNED_IN_GOES_HOME = (
    (("signed_in", "GET"), 302),
    (("signed_in", "POST"), 302),
)
NEEDS_EARLIER_STEP = (
    (("anonymous", "GET"), 302),
    (("anonymous", "POST"), 302),
    *SIGNED_IN_GOES_HOME,
)
ALLAUTH_ROUTES: dict[str, Route] = {
    "account_login": Route(Access.PUBLIC, answers=SIGNED_IN_GOES_HOME),
    "account_signup": Route(Access.PUBLIC, answers=SIGNED_IN_GOES_HOME),
    # Logout is by POST; a visitor who is not signed in is sent home.
    "account_logout": Route(Access.PUBLIC, ok_post=302, answers=((("anonymous", "GET"), 302),)),
    "account_inactive": Route(Access.PUBLIC, ok_post=405),
    "account_email_verification_sent": Route(Access.PUBLIC, ok_post=405),
    "account_reset_password": Route(Access.PUBLIC),
    "account_reset_password_done": Route(Access.PUBLIC, ok_post=405),
    "account_reset_password_from_key_done": Route(Access.PUBLIC, ok_post=405),
    "account_confirm_login_code": Route(Access.PUBLIC, answers=NEEDS_EARLIER_STEP),
    "mfa_authenticate": Route(Access.PUBLIC, answers=NEEDS_EARLIER_STEP),
    "account_confirm_email": Route(Access.TOKEN, targets=("confirm_key",), writes=True),
    # A valid key is moved into the session and the browser sent to the set-password form.
    "account_reset_password_from_key": Route(
        Access.TOKEN, targets=("reset_key",), ok_get=302, ok_post=302
    ),
    "account_email": Route(Access.MEMBER, ok_post=302),
    "account_change_password": Route(Access.MEMBER),
    # Members who have a password are sent to change it instead.
    "account_set_password": Route(Access.MEMBER, ok_get=302, ok_post=302),
    "account_reauthenticate": Route(Access.MEMBER),
    "account_request_reauthentication_code": Route(Access.MEMBER),
    "account_confirm_reauthentication_code": Route(Access.MEMBER, ok_get=302, ok_post=302),
    "usersessions_list": Route(Access.MEMBER, ok_post=302),
    "mfa_index": Route(Access.MEMBER, ok_post=405),
    "mfa_reauthenticate": Route(Access.MEMBER, ok_get=302, ok_post=302),
    "mfa_activate_totp": Route(Access.MEMBER, ok_get=302, ok_post=302),
    "mfa_deactivate_totp": Route(Access.MEMBER, ok_get=404, ok_post=404),
    "mfa_view_recovery_codes": Route(Access.MEMBER, ok_get=404, ok_post=405),
    "mfa_download_recovery_codes": Route(Access.MEMBER, ok_get=404, ok_post=404),
    "mfa_generate_recovery_codes": Route(Access.MEMBER, ok_get=302, ok_post=302),
}
ROUTES.update(ALLAUTH_ROUTES)

# Issue 12, the queue: approving new members' posts together (community.bulk_views).
ROUTES["community:approve_new_members"] = Route(
    Access.MODERATOR, writes=True, allow=Allow.MODERATOR
)

# Django's admin. Each registered model adds the same six routes (five named, one redirect
# without a name); registering a model means adding it here, so its routes are checked too.
ADMIN_MODELS = (
    "account.emailaddress",
    "accounts.accountmail",
    "accounts.peercredential",
    "accounts.peercredentiallog",
    "accounts.user",
    "auth.group",
    "community.crisisresource",
    "community.explanationtemplate",
    "community.guidelines",
    "community.moderationlog",
    "community.reviewitem",
    "community.sanction",
    "forum.category",
    "forum.coachingphrase",
    "forum.emailoutbox",
    "forum.mailserverpause",
    "forum.post",
    "forum.postfanout",
    "forum.screeningphrase",
    "forum.topic",
    "mfa.authenticator",
    "sites.site",
    "usersessions.usersession",
)
ADMIN_SITE_ROUTES = (
    "admin:index",
    "admin:app_list",
    "admin:autocomplete",
    "admin:jsi18n",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:view_on_site",
    "admin:auth_user_password_change",
    # The admin's catch-all (no name): unknown admin URLs redirect like every admin page.
    "admin/(?P<url>.*)$",
)
ROUTES["admin:login"] = Route(
    Access.PUBLIC,
    # The admin's login hands over to allauth (login, two-factor, rate limits): visitors are
    # sent to /accounts/login/, and a signed-in member who is not staff is refused.
    answers=(
        (("anonymous", "GET"), 302),
        (("anonymous", "POST"), 302),
        (("signed_in", "GET"), 403),
        (("signed_in", "POST"), 403),
    ),
)
for _name in ADMIN_SITE_ROUTES:
    ROUTES[_name] = Route(Access.ADMIN, targets=("admin",))
# Django's admin sends those who are not staff from its logout to its index (and from there to
# its login page).
ROUTES["admin:logout"] = Route(Access.ADMIN, targets=("admin",), refused_to="/admin/")
for _model in ADMIN_MODELS:
    _app, _name = _model.split(".")
    for _view in ("changelist", "add", "change", "delete", "history"):
        ROUTES[f"admin:{_app}_{_name}_{_view}"] = Route(Access.ADMIN, targets=("admin",))
    ROUTES[f"admin/{_app}/{_name}/<path:object_id>/"] = Route(Access.ADMIN, targets=("admin",))
