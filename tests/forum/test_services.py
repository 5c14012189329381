import pytest
from django.db import IntegrityError

from forum import services
from forum.models import Category, Post, PostRevision, Reaction, Status, Topic
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
