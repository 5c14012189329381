import threading
import uuid

import pytest
from django.db import IntegrityError, connection

from forum import services
from forum.models import Category, Post, PostFanOut, PostRevision, Reaction, Status, Topic
from tests.conftest import service_missing
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic


@pytest.mark.django_db
def test_create_topic_publishes_the_opening_post_and_counts_it():
    category = CategoryFactory()
    author = UserFactory()
    topic = services.create_topic(
        author=author, category=category, title="  Day 30  ", body="*Thirty* days."
    )
    assert topic.title == "Day 30"
    post = topic.posts.get()
    assert post.position == 1
    assert post.body_html == "<p><em>Thirty</em> days.</p>\n"
    category.refresh_from_db()
    assert (category.topic_count, category.post_count) == (1, 1)
    assert category.last_activity_at == topic.last_activity_at


@pytest.mark.django_db
def test_replies_get_consecutive_positions_and_update_counters():
    topic = make_topic()
    first = make_reply(topic=topic)
    second = make_reply(topic=topic)
    assert (first.position, second.position) == (2, 3)
    topic.refresh_from_db()
    assert topic.reply_count == 2
    assert topic.last_position == 3
    assert topic.last_poster == second.author
    assert topic.last_activity_at == second.created_at
    assert Category.objects.get(pk=topic.category_id).post_count == 3


@pytest.mark.django_db
def test_reply_to_a_locked_topic_is_refused():
    topic = make_topic()
    Topic.objects.filter(pk=topic.pk).update(is_locked=True)
    with pytest.raises(services.ForumError, match="closed to new replies"):
        make_reply(topic=topic)
    assert Post.objects.filter(topic=topic).count() == 1


@pytest.mark.django_db
def test_edit_keeps_the_previous_text_and_marks_the_post_edited():
    topic = make_topic(title="Old title", body="first words")
    post = topic.posts.get()
    edited = services.edit_post(editor=topic.author, post=post, body="better words", title="New")
    assert edited.body == "better words"
    assert edited.body_html == "<p>better words</p>\n"
    assert edited.edited_at is not None and edited.edit_count == 1
    revision = PostRevision.objects.get(post=post)
    assert (revision.body, revision.title) == ("first words", "Old title")
    topic.refresh_from_db()
    assert topic.title == "New"


@pytest.mark.django_db
def test_edit_without_changes_writes_no_revision():
    topic = make_topic(body="same")
    post = topic.posts.get()
    services.edit_post(editor=topic.author, post=post, body="same", title=topic.title)
    assert not PostRevision.objects.exists()


@pytest.mark.django_db
def test_delete_erases_the_words_and_history_but_keeps_the_place():
    topic = make_topic()
    reply = make_reply(topic=topic, body="something I regret sharing")
    services.edit_post(editor=reply.author, post=reply, body="edited regret")
    services.delete_post(user=reply.author, post=reply)
    reply.refresh_from_db()
    assert reply.status == Status.DELETED
    assert reply.body == "" and reply.body_html == ""
    assert not PostRevision.objects.filter(post=reply).exists()
    topic.refresh_from_db()
    assert topic.reply_count == 0
    assert topic.last_position == 2  # positions never shift, so links stay right


@pytest.mark.django_db
def test_reactions_are_at_most_one_of_each_kind_and_toggle():
    post = make_reply(topic=make_topic())
    fan = UserFactory()
    assert services.set_reaction(user=fan, post=post, kind="hear", on=True) is True
    assert services.set_reaction(user=fan, post=post, kind="hear", on=True) is False
    assert services.set_reaction(user=fan, post=post, kind="proud", on=True) is True
    assert Reaction.objects.filter(post=post, user=fan).count() == 2
    assert services.set_reaction(user=fan, post=post, kind="hear", on=False) is True
    assert list(Reaction.objects.filter(post=post).values_list("kind", flat=True)) == ["proud"]


@pytest.mark.django_db
def test_database_refuses_a_second_identical_reaction():
    post = make_reply(topic=make_topic())
    fan = UserFactory()
    Reaction.objects.create(post=post, user=fan, kind="metoo")
    with pytest.raises(IntegrityError):
        Reaction.objects.create(post=post, user=fan, kind="metoo")


@pytest.mark.django_db
def test_unknown_reaction_kind_is_refused():
    post = make_reply(topic=make_topic())
    with pytest.raises(services.ForumError):
        services.set_reaction(user=UserFactory(), post=post, kind="downvote", on=True)


@pytest.mark.django_db
def test_mentions_of_existing_members_become_links():
    UserFactory(username="willow")
    topic = make_topic(body="thanks @willow and @nobody_here")
    html = topic.posts.get().body_html
    assert '<a href="/u/willow/"' in html
    assert "@nobody_here" in html and "/u/nobody_here/" not in html


@pytest.mark.django_db
def test_deleting_an_opening_post_uncounts_it_from_its_category():
    topic = make_topic()
    make_reply(topic=topic)
    category = Category.objects.get(pk=topic.category_id)
    assert (category.topic_count, category.post_count) == (1, 2)
    services.delete_post(user=topic.author, post=topic.posts.get(position=1))
    category.refresh_from_db()
    topic.refresh_from_db()
    assert category.post_count == 1
    assert topic.reply_count == 1


@pytest.mark.django_db
def test_encouragement_counts_are_kept_on_the_post():
    post = make_reply(topic=make_topic())
    senders = UserFactory.create_batch(2)
    for sender in senders:
        services.set_reaction(user=sender, post=post, kind="hear", on=True)
    assert services.set_reaction(user=senders[0], post=post, kind="hear", on=True) is False
    post.refresh_from_db()
    assert post.hear_count == 2 and post.proud_count == 0
    assert services.set_reaction(user=senders[0], post=post, kind="hear", on=False) is True
    assert services.set_reaction(user=senders[0], post=post, kind="hear", on=False) is False
    post.refresh_from_db()
    assert post.hear_count == 1


# --- the same form sent twice writes one post (issue 15 item 4) ----------------------------


@pytest.mark.django_db
def test_a_repeated_topic_submission_returns_the_first_topic_and_changes_nothing():
    author, category, token = UserFactory(), CategoryFactory(), uuid.uuid4()
    first = services.create_topic(
        author=author, category=category, title="Once", body="b", submission_token=token
    )
    category.refresh_from_db()
    before = (category.revision, category.topic_count, category.post_count)
    again = services.create_topic(
        author=author, category=category, title="Once", body="b", submission_token=token
    )
    category.refresh_from_db()
    assert again.pk == first.pk
    assert (category.revision, category.topic_count, category.post_count) == before
    assert Topic.objects.filter(author=author).count() == 1
    assert PostFanOut.objects.filter(post__topic=first).count() == 1


@pytest.mark.django_db
def test_a_repeated_reply_submission_returns_the_first_reply_and_changes_nothing():
    topic, author, token = make_topic(), UserFactory(), uuid.uuid4()
    first = services.create_reply(author=author, topic=topic, body="b", submission_token=token)
    before = Topic.objects.values_list("revision", "reply_count", "last_position").get(pk=topic.pk)
    again = services.create_reply(author=author, topic=topic, body="b", submission_token=token)
    assert again.pk == first.pk
    after = Topic.objects.values_list("revision", "reply_count", "last_position").get(pk=topic.pk)
    assert after == before
    assert PostFanOut.objects.filter(post__author=author).count() == 1


@pytest.mark.django_db
def test_tokens_belong_to_their_author_and_no_token_means_no_deduplication():
    topic, token = make_topic(), uuid.uuid4()
    one = services.create_reply(author=UserFactory(), topic=topic, body="b", submission_token=token)
    two = services.create_reply(author=UserFactory(), topic=topic, body="b", submission_token=token)
    author = UserFactory()
    three = services.create_reply(author=author, topic=topic, body="b")
    four = services.create_reply(author=author, topic=topic, body="b")
    assert len({one.pk, two.pk, three.pk, four.pk}) == 4


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["topic", "reply"])
def test_a_submission_that_loses_the_race_returns_the_winners_post(monkeypatch, kind):
    """The database's constraint decides when both submissions passed the first look."""
    author, topic, token = UserFactory(), make_topic(), uuid.uuid4()
    if kind == "topic":
        first = services.create_topic(
            author=author, category=topic.category, title="T", body="b", submission_token=token
        ).posts.get()
    else:
        first = services.create_reply(author=author, topic=topic, body="b", submission_token=token)
    real = services._submitted
    looks: list[object] = []

    def misses_once(author, token):
        looks.append(token)
        return None if len(looks) == 1 else real(author, token)

    monkeypatch.setattr(services, "_submitted", misses_once)
    topics_before = Topic.objects.count()
    if kind == "topic":
        again = services.create_topic(
            author=author, category=topic.category, title="T", body="b", submission_token=token
        ).posts.get(position=1)
    else:
        again = services.create_reply(author=author, topic=topic, body="b", submission_token=token)
    assert again.pk == first.pk
    assert Topic.objects.count() == topics_before  # the loser's topic row rolled back
    assert len(looks) == 2


def _at_once(count: int, action) -> list[object]:
    barrier = threading.Barrier(count)
    results: list[object] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(action())
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


# serialized_rollback: the flush afterwards must not drop the seeded rows later tests rely on.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_form_sent_eight_times_at_once_makes_one_topic_and_one_reply():
    if connection.vendor != "postgresql":
        service_missing("concurrent writers need PostgreSQL (SQLite serialises the whole database)")
    author, category = UserFactory(), CategoryFactory()
    topic_token, reply_token = uuid.uuid4(), uuid.uuid4()
    topics = _at_once(
        8,
        lambda: (
            services.create_topic(
                author=author,
                category=category,
                title="Once",
                body="b",
                submission_token=topic_token,
            ).pk
        ),
    )
    assert len(set(topics)) == 1
    category.refresh_from_db()
    assert (category.topic_count, category.post_count, category.revision) == (1, 1, 1)
    topic = Topic.objects.get(pk=topics[0])
    replies = _at_once(
        8,
        lambda: (
            services.create_reply(
                author=author, topic=topic, body="b", submission_token=reply_token
            ).pk
        ),
    )
    assert len(set(replies)) == 1
    topic.refresh_from_db()
    assert (topic.reply_count, topic.last_position) == (1, 2)
    assert Post.objects.filter(author=author).count() == 2
    assert PostFanOut.objects.filter(post__author=author).count() == 2


@pytest.mark.django_db
def test_erasing_a_leaving_members_posts_keeps_places_counts_and_others_words():
    leaver = UserFactory()
    topic = make_topic(author=leaver, title="My first year", body="Everything I went through.")
    services.edit_post(editor=leaver, post=topic.posts.get(), body="Everything, edited.")
    other = make_reply(topic=topic, body="> Everything, edited.\n\nThank you for this.")
    own = make_reply(topic=topic, author=leaver, body="Thank you all.")
    topic.refresh_from_db()
    before = (topic.revision, topic.reply_count, topic.category.revision)

    assert services.erase_posts_of(author=leaver) == 2
    assert services.erase_posts_of(author=leaver) == 0

    topic.refresh_from_db()
    erased = list(Post.objects.filter(author=leaver).order_by("position"))
    assert [p.position for p in erased] == [1, own.position]
    assert {p.body for p in erased} == {services.ERASED_BY_LEAVING}
    assert not PostRevision.objects.filter(post__author=leaver).exists()
    assert topic.title == services.ERASED_TITLE
    assert topic.reply_count == before[1]
    # Cached pages of the topic and its category are rendered again.
    assert topic.revision > before[0] and topic.category.revision > before[2]
    other.refresh_from_db()
    assert other.body.startswith("> Everything, edited.")
