"""Forum pages through the client: the happy paths and every denial."""

import pytest
from django.urls import reverse

from forum.models import Post, Reaction, Status, Topic
from tests.factories import CategoryFactory, make_reply, make_topic


@pytest.fixture
def category(db):
    return CategoryFactory()


@pytest.fixture
def topic(category, other_member):
    return make_topic(
        author=other_member, category=category, title="Week one", body="Hard but okay."
    )


# --- reading -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_landing_page_welcomes_anonymous_visitors(client):
    html = client.get("/").content.decode()
    assert "peer-support community" in html
    assert reverse("account_signup") in html and reverse("account_login") in html
    assert "Need help now?" in html
    assert "Share your own story" in html


@pytest.mark.django_db
def test_anonymous_visitors_cannot_read_topics_or_categories(client, topic):
    for url in (topic.get_absolute_url(), topic.category.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_home_lists_categories_and_latest_topics(member_client, topic):
    html = member_client.get("/").content.decode()
    assert "Recovery stories" in html
    assert "Week one" in html


@pytest.mark.django_db
def test_category_lists_topics_most_recent_activity_first(member_client, category):
    older = make_topic(category=category, title="Older topic")
    newer = make_topic(category=category, title="Newer topic")
    make_reply(topic=older)  # activity moves it to the top
    html = member_client.get(category.get_absolute_url()).content.decode()
    assert html.index("Older topic") < html.index("Newer topic")
    assert newer.pk


@pytest.mark.django_db
def test_category_pages_and_bad_page_numbers(member_client, category, settings):
    settings.TOPICS_PER_PAGE = 2
    for n in range(5):
        make_topic(category=category, title=f"Topic number {n}")
    page3 = member_client.get(category.get_absolute_url() + "?page=3").content.decode()
    assert "Topic number 0" in page3 and "Page 3 of 3" in page3
    assert member_client.get(category.get_absolute_url() + "?page=9").status_code == 404
    assert member_client.get(category.get_absolute_url() + "?page=abc").status_code == 404


@pytest.mark.django_db
def test_topic_shows_posts_in_order_twenty_per_page_with_a_jump_to_last(member_client, topic):
    for n in range(2, 26):
        make_reply(topic=topic, body=f"reply number {n}")
    first = member_client.get(topic.get_absolute_url()).content.decode()
    assert "Hard but okay." in first and "reply number 20" in first
    assert "reply number 21" not in first
    assert "Jump to the last page" in first
    last = member_client.get(topic.get_absolute_url() + "?page=last").content.decode()
    assert "reply number 25" in last and "reply number 20" not in last
    assert last.index("reply number 21") < last.index("reply number 25")


# --- writing -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_start_a_topic(member_client, member, category):
    response = member_client.post(
        reverse("forum:new_topic", args=[category.slug]),
        {"title": "My first month", "body": "It has been **a month**."},
    )
    topic = Topic.objects.get(title="My first month")
    assert response.status_code == 302 and response.url == topic.get_absolute_url()
    assert topic.author == member
    assert "<strong>a month</strong>" in member_client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        ("", "body text", "Please give your topic a title."),
        ("ab", "body text", "at least 3 characters"),
        ("x" * 151, "body text", "Titles can be up to 150 characters"),
        ("A fine title", "   \n  ", "Please write something before posting."),
        ("A fine title", "y" * 20_001, "Posts can be up to 20,000 characters"),
        ("A fine title", "bell \x07 here", "invisible control characters"),
        ("Null \x00 title", "body", "invisible control characters"),
        ("A fine title", "null \x00 here", "invisible control characters"),
    ],
)
@pytest.mark.django_db
def test_bad_topic_input_gets_a_kind_error_and_keeps_the_text(
    member_client, category, title, body, message
):
    response = member_client.post(
        reverse("forum:new_topic", args=[category.slug]), {"title": title, "body": body}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Nothing you typed has been lost" in html
    kept = response.context["form"].data
    assert kept["title"] == title and kept["body"] == body
    assert not Topic.objects.filter(category=category).exists()


@pytest.mark.django_db
def test_reply_and_its_errors(member_client, member, topic):
    url = reverse("forum:reply", args=[topic.pk])
    bad = member_client.post(url, {"body": ""})
    assert bad.status_code == 200 and "Please write something" in bad.content.decode()
    good = member_client.post(url, {"body": "Me too, and it gets easier."})
    post = Post.objects.get(topic=topic, position=2)
    assert post.author == member
    assert good.status_code == 302 and good.url == post.get_absolute_url()
    landing = member_client.get(good.url)
    assert landing.url.endswith(f"?page=1#post-{post.position}")


@pytest.mark.django_db
def test_muted_member_cannot_reply_or_start_topics(member_client, member, topic):
    from datetime import timedelta

    from django.utils import timezone

    member.muted_until = timezone.now() + timedelta(hours=1)
    member.save()
    assert (
        member_client.post(reverse("forum:reply", args=[topic.pk]), {"body": "x"}).status_code
        == 403
    )
    assert (
        member_client.get(reverse("forum:new_topic", args=[topic.category.slug])).status_code == 403
    )
    assert Post.objects.filter(topic=topic).count() == 1


@pytest.mark.django_db
def test_edit_own_post_shows_edited(member_client, member, category):
    topic = make_topic(author=member, category=category, body="before")
    post = topic.posts.get()
    form = member_client.get(reverse("forum:edit_post", args=[post.pk]))
    assert "before" in form.content.decode()
    member_client.post(
        reverse("forum:edit_post", args=[post.pk]), {"title": topic.title, "body": "after"}
    )
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert "after" in html and "edited" in html
    history = member_client.get(reverse("forum:post_history", args=[post.pk])).content.decode()
    assert "before" in history


@pytest.mark.django_db
def test_editing_someone_elses_post_is_forbidden(member_client, topic):
    post = topic.posts.get()
    url = reverse("forum:edit_post", args=[post.pk])
    assert member_client.get(url).status_code == 403
    assert member_client.post(url, {"title": "hijack", "body": "hijack"}).status_code == 403
    post.refresh_from_db()
    assert post.body == "Hard but okay."
    assert member_client.get(reverse("forum:post_history", args=[post.pk])).status_code == 403


@pytest.mark.django_db
def test_delete_own_post_leaves_a_placeholder(member_client, member, topic):
    reply = make_reply(topic=topic, author=member, body="too much detail")
    confirm = member_client.get(reverse("forum:delete_post", args=[reply.pk]))
    assert "Delete your post?" in confirm.content.decode()
    member_client.post(reverse("forum:delete_post", args=[reply.pk]))
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert "This post was removed by its author." in html
    assert "too much detail" not in html


@pytest.mark.django_db
def test_deleting_someone_elses_post_is_forbidden(member_client, topic):
    post = topic.posts.get()
    assert member_client.post(reverse("forum:delete_post", args=[post.pk])).status_code == 403
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED


# --- encouragement -----------------------------------------------------------------------


@pytest.mark.django_db
def test_send_encouragement_counts_show_and_twice_is_once(member_client, member, topic):
    post = topic.posts.get()
    url = reverse("forum:react", args=[post.pk])
    member_client.post(url, {"reaction": "strength:on"})
    member_client.post(url, {"reaction": "strength:on"})
    assert Reaction.objects.filter(post=post, user=member, kind="strength").count() == 1
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert 'aria-pressed="true">Sending strength <span class="count">1</span>' in html
    member_client.post(url, {"reaction": "strength:off"})
    assert not Reaction.objects.filter(post=post).exists()


@pytest.mark.django_db
def test_reacting_to_your_own_post_or_by_get_is_refused(member_client, member, category):
    own = make_topic(author=member, category=category).posts.get()
    assert (
        member_client.post(
            reverse("forum:react", args=[own.pk]), {"reaction": "proud:on"}
        ).status_code
        == 403
    )
    assert member_client.get(reverse("forum:react", args=[own.pk])).status_code == 405
    assert not Reaction.objects.exists()


@pytest.mark.django_db
def test_unknown_reaction_shows_a_message(member_client, topic):
    post = topic.posts.get()
    response = member_client.post(
        reverse("forum:react", args=[post.pk]), {"reaction": "downvote:on"}, follow=True
    )
    assert "doesn&#x27;t exist" in response.content.decode()
    assert not Reaction.objects.exists()


@pytest.mark.django_db
def test_member_html_is_stored_sanitized_and_shown_as_is(member_client, category):
    member_client.post(
        reverse("forum:new_topic", args=[category.slug]),
        {"title": "Sneaky", "body": "<script>alert(1)</script> [x](javascript:alert(2))"},
    )
    post = Post.objects.get(topic__title="Sneaky")
    assert "<script" not in post.body_html and 'href="javascript' not in post.body_html
    html = member_client.get(post.topic.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_anyone_can_open_another_members_pending_topic_only_if_allowed(
    member_client, other_member, category
):
    topic = make_topic(author=other_member, category=category)
    Topic.objects.filter(pk=topic.pk).update(status=Status.PENDING)
    assert member_client.get(topic.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_ids_beyond_any_database_integer_are_not_found(member_client):
    for url in ("/t/99999999999999999999/", "/p/99999999999999999999/"):
        assert member_client.get(url).status_code == 404, url
