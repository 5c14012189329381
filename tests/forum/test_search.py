"""forum.search on whichever database the run uses (SQLite FTS5 by default, PostgreSQL
full-text search with DATABASE_URL=postgres://...): what is found, by whom, in what order."""

import pytest
from django.core.cache import cache
from django.db import connection

from forum import search, services
from forum.models import Status
from forum.search import Order, QueryProblem, parse_query
from forum.search.marks import marked
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic


def find(reader, text, **options):
    parsed = parse_query(text)
    assert not isinstance(parsed, QueryProblem), parsed
    return search.search_posts(reader=reader, query=parsed, **options)


def found_ids(reader, text, **options):
    return [hit.post_id for hit in find(reader, text, **options).hits]


def opening(topic):
    return topic.posts.get(position=1)


# --- reading the query ---------------------------------------------------------------


def test_an_empty_or_wordless_query_asks_for_words():
    assert parse_query("") is QueryProblem.EMPTY
    assert parse_query("   ") is QueryProblem.EMPTY
    assert parse_query("-- ! ?") is QueryProblem.EMPTY
    assert parse_query("-only -left -out") is QueryProblem.EMPTY


def test_control_characters_part_words_like_spaces():
    parsed = parse_query("first\x00week\x7f")
    assert not isinstance(parsed, QueryProblem)
    assert parsed.text == "first week"
    assert parsed.words == ["first", "week"]
    assert parse_query("\x00\x01") is QueryProblem.EMPTY


def test_a_query_longer_than_the_limit_is_refused_not_cut():
    assert parse_query("word " * 60) is QueryProblem.TOO_LONG
    assert not isinstance(parse_query("word " * 30), QueryProblem)


def test_websearch_syntax_is_read_into_terms():
    parsed = parse_query('"first week" sober or clean -drinking')
    assert not isinstance(parsed, QueryProblem)
    assert [(t.words, t.excluded, t.or_before) for t in parsed.terms] == [
        (("first", "week"), False, False),
        (("sober",), False, False),
        (("clean",), False, True),
        (("drinking",), True, False),
    ]
    assert parsed.words == ["first", "week", "sober", "clean"]


# --- snippets ------------------------------------------------------------------------


def test_snippets_escape_member_text_before_marking():
    html = marked('<script>alert("x")</script> \x02walk\x03 & \x02run')
    assert html == ("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>walk</mark> &amp; run")


# --- finding -------------------------------------------------------------------------


@pytest.mark.django_db
def test_finds_a_published_story_by_a_word_in_its_text_and_in_its_title(member):
    topic = make_topic(title="Learning to sleep again", body="The nights were long and loud.")
    reply = make_reply(topic=topic, body="Chamomile tea helped my nights too.")
    assert found_ids(member, "chamomile") == [reply.pk]
    assert found_ids(member, "sleep") == [opening(topic).pk]
    # Words are matched by their stem, on both engines: "nights" finds "night".
    assert set(found_ids(member, "night")) == {opening(topic).pk, reply.pk}


@pytest.mark.django_db
def test_hits_carry_marked_snippets_and_where_the_post_is(member):
    topic = make_topic(title="Walking helps", body="A <b>short</b> walk by the river each day.")
    page = find(member, "river")
    (hit,) = page.hits
    assert "<mark>river</mark>" in hit.snippet
    # Member text never becomes markup: FTS5 keeps the tag as escaped text, ts_headline
    # drops it as markup; either way only <mark> is HTML.
    assert "<b>" not in hit.snippet and "short" in hit.snippet
    assert hit.url == f"/t/{topic.pk}/?page=1#post-1"
    assert (page.count, page.more_than_cap, page.page_count) == (1, False, 1)


@pytest.mark.django_db
def test_every_word_must_match_and_left_out_words_exclude(member):
    both = make_topic(title="Evening routine", body="Journaling and tea before bed.")
    tea_only = make_topic(title="Morning routine", body="Tea and a walk before work.")
    assert found_ids(member, "journaling tea") == [opening(both).pk]
    assert found_ids(member, "tea -journaling") == [opening(tea_only).pk]
    assert set(found_ids(member, "journaling or walk")) == {opening(both).pk, opening(tea_only).pk}
    assert found_ids(member, '"walk before work"') == [opening(tea_only).pk]


@pytest.mark.django_db
def test_never_finds_another_members_waiting_hidden_removed_or_deleted_posts(member):
    author = UserFactory()
    topic = make_topic(author=author, title="Open story", body="Nothing to see here.")
    hidden = make_reply(topic=topic, author=author, body="pelican hidden")
    removed = make_reply(topic=topic, author=author, body="pelican removed")
    deleted = make_reply(topic=topic, author=author, body="pelican deleted")
    waiting = make_reply(topic=topic, author=UserFactory(approved_post_count=0), body="pelican")
    services.set_post_status(post=hidden, status=Status.HIDDEN)
    services.set_post_status(post=removed, status=Status.REMOVED)
    services.delete_post(user=author, post=deleted)
    assert waiting.status == Status.PENDING
    assert found_ids(member, "pelican") == []
    # A moderator's search shows what members' searches show; the queue is for the rest.
    assert found_ids(UserFactory(role="moderator"), "pelican") == []


@pytest.mark.django_db
def test_never_finds_posts_in_a_topic_the_reader_cannot_open(member):
    author = UserFactory()
    topic = make_topic(author=author, title="Otter story", body="The otter swam.")
    reply = make_reply(topic=topic, body="Otters are kind.")
    services.set_post_status(post=opening(topic), status=Status.HIDDEN)
    reply.refresh_from_db()
    assert reply.status == Status.PUBLISHED
    assert found_ids(member, "otter") == []
    # The author may still open their hidden topic, so its published reply is theirs to find.
    assert found_ids(author, "otter") == [reply.pk]


@pytest.mark.django_db
def test_members_find_their_own_waiting_posts_marked_as_waiting():
    newcomer = UserFactory(approved_post_count=0)
    topic = make_topic(author=newcomer, title="My first heron story", body="A heron.")
    assert opening(topic).status == Status.PENDING
    (hit,) = find(newcomer, "heron").hits
    assert hit.is_waiting
    assert found_ids(UserFactory(), "heron") == []


@pytest.mark.django_db
def test_edits_and_deletions_reach_the_index(member):
    topic = make_topic(author=member, title="Gardening", body="Tomatoes on the balcony.")
    post = opening(topic)
    services.edit_post(editor=member, post=post, body="Basil on the balcony.", title="Herbs")
    assert found_ids(member, "tomatoes") == []
    assert found_ids(member, "gardening") == []
    assert found_ids(member, "basil") == [post.pk]
    assert found_ids(member, "herbs") == [post.pk]
    services.delete_post(user=member, post=post)
    assert found_ids(member, "basil") == []


@pytest.mark.django_db
def test_filters_by_category_and_author(member):
    here, there = CategoryFactory(), CategoryFactory()
    writer = UserFactory(username="kestrel_writer")
    a = make_topic(category=here, author=writer, title="Kestrel one", body="Kestrel.")
    b = make_topic(category=there, title="Kestrel two", body="Kestrel.")
    assert found_ids(member, "kestrel", category_slug=here.slug) == [opening(a).pk]
    assert found_ids(member, "kestrel", category_slug=there.slug) == [opening(b).pk]
    assert found_ids(member, "kestrel", author_username="KESTREL_WRITER") == [opening(a).pk]
    assert found_ids(member, "kestrel", author_username="nobody_here") == []


@pytest.mark.django_db
def test_relevance_puts_title_matches_first_and_newest_orders_by_time(member):
    in_title = make_topic(title="Meditation", body="Ten minutes a day.")
    in_text = make_topic(title="Routines", body="Some meditation, some walking.")
    assert found_ids(member, "meditation") == [opening(in_title).pk, opening(in_text).pk]
    newest = found_ids(member, "meditation", order=Order.NEWEST)
    assert newest == [opening(in_text).pk, opening(in_title).pk]


@pytest.mark.django_db
def test_pages_split_the_matches_and_the_count_stops_at_the_cap(member, monkeypatch):
    topic = make_topic(title="Count", body="Puffin.")
    replies = [make_reply(topic=topic, body=f"Puffin number {i}.") for i in range(6)]
    first = find(member, "puffin", per_page=3, order=Order.NEWEST)
    third = find(member, "puffin", per_page=3, page=3, order=Order.NEWEST)
    assert (first.count, first.page_count, len(first.hits)) == (7, 3, 3)
    assert len(third.hits) == 1 and third.hits[0].post_id == opening(topic).pk
    beyond = find(member, "puffin", per_page=3, page=9)
    assert beyond.hits == [] and beyond.page_count == 3
    monkeypatch.setattr(search.types, "RESULT_CAP", 5)
    monkeypatch.setattr(search.results, "RESULT_CAP", 5)
    monkeypatch.setattr(search.postgres, "RESULT_CAP", 5)
    monkeypatch.setattr(search.sqlite, "RESULT_CAP", 5)
    capped = find(member, "puffin", per_page=3)
    assert (capped.count, capped.more_than_cap, capped.page_count) == (5, True, 2)
    # Past the cap, newest first is still exact over every match, not over the first few read.
    newest = find(member, "puffin", per_page=3, order=Order.NEWEST)
    assert (newest.count, newest.more_than_cap) == (5, True)
    assert [hit.post_id for hit in newest.hits] == [reply.pk for reply in replies[:-4:-1]]
    second = find(member, "puffin", per_page=3, page=2, order=Order.NEWEST)
    assert [hit.post_id for hit in second.hits] == [reply.pk for reply in replies[2::-1]]


@pytest.mark.django_db
def test_fts_syntax_typed_by_a_member_is_only_words(member):
    topic = make_topic(title="Syntax", body="NEAR the title: body AND more.")
    # Operators and column filters of FTS5 or tsquery are read as plain words.
    assert found_ids(member, "title: NEAR(body") == [opening(topic).pk]
    assert found_ids(member, "body* ^more") == [opening(topic).pk]


# --- stories like yours ----------------------------------------------------------------


@pytest.mark.django_db
def test_related_stories_share_the_storys_words_and_exclude_it():
    story = make_topic(title="Panic attacks at work", body="Breathing exercises and panic.")
    close = make_topic(title="Panic on the train", body="Breathing slowly helped the panic.")
    far = make_topic(title="Baking bread", body="Sourdough starter.")
    hidden = make_topic(title="Panic and breathing", body="Panic panic breathing.")
    services.set_post_status(post=opening(hidden), status=Status.HIDDEN)
    pending = make_topic(
        author=UserFactory(approved_post_count=0), title="Panic", body="Panic breathing."
    )
    related = search.related_stories(topic=story)
    ids = [r.topic_id for r in related]
    assert ids[0] == close.pk
    assert story.pk not in ids and far.pk not in ids
    assert hidden.pk not in ids and pending.pk not in ids


@pytest.mark.django_db
def test_related_stories_are_at_most_five():
    story = make_topic(title="Cravings in the evening", body="Cravings after dinner.")
    for i in range(7):
        make_topic(title=f"Evening cravings {i}", body="Cravings.")
    assert len(search.related_stories(topic=story)) == 5


@pytest.mark.django_db
def test_cached_suggestions_forget_a_story_hidden_after_they_were_cached(
    django_capture_on_commit_callbacks,
):
    cache.clear()
    other = make_topic(title="Grief and holidays", body="Grief at holidays.")
    story = make_topic(title="Grief after loss", body="Grief comes in waves.")
    assert [r.topic_id for r in search.cached_related_stories(story)] == [other.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.set_post_status(post=opening(other), status=Status.HIDDEN)
    story.refresh_from_db()
    assert search.cached_related_stories(story) == []


@pytest.mark.django_db
def test_rebuilding_the_index_finds_what_the_services_wrote(member):
    topic = make_topic(title="Rebuild", body="Heron.")
    search.rebuild_index()
    assert found_ids(member, "heron") == [opening(topic).pk]
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.django_db
def test_a_story_with_nothing_like_it_yet_is_looked_at_again_sooner(monkeypatch):
    cache.clear()
    monkeypatch.setattr(search, "EMPTY_RELATED_SECONDS", 0)  # expired at once
    story = make_topic(title="Volunteering at the shelter", body="Volunteering helps.")
    assert search.cached_related_stories(story) == []
    later = make_topic(title="Volunteering again", body="Volunteering at the food bank.")
    assert [r.topic_id for r in search.cached_related_stories(story)] == [later.pk]
