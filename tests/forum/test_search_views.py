"""The search page and "stories like yours" through the client: what readers see, in how
many queries, and what they never see."""

import re
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum import services
from forum.models import Status
from forum.search import MAX_QUERY_LENGTH
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic
from tests.forum.test_query_counts import BUDGET


def page(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_every_page_has_a_labelled_search_box_for_members_only(member_client):
    html = member_client.get("/").content.decode()
    assert re.search(
        r'<form class="header-search" role="search" method="get" action="/search/">', html
    )
    assert '<label for="header-search-q" class="visually-hidden">Search stories</label>' in html
    assert 'role="search"' not in Client().get("/").content.decode()


@pytest.mark.django_db
def test_search_needs_an_account(client):
    response = client.get("/search/", {"q": "anything"})
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_finds_a_published_story_and_links_to_the_post(member_client):
    topic = make_topic(title="Night walks", body="The moon over the harbour calmed me.")
    reply = make_reply(topic=topic, body="The harbour at dawn is lovely too.")
    html = page(member_client, q="harbour")
    assert "2 posts matched “harbour”" in html
    assert f'href="/t/{topic.pk}/?page=1#post-1"' in html
    assert f'href="/t/{topic.pk}/?page=1#post-{reply.position}"' in html
    assert "<mark>harbour</mark>" in html


@pytest.mark.django_db
def test_other_members_waiting_hidden_and_removed_posts_are_never_found(member_client):
    author = UserFactory()
    topic = make_topic(author=author, title="Public", body="Nothing here.")
    for status in (Status.HIDDEN, Status.REMOVED):
        post = make_reply(topic=topic, author=author, body=f"zebra {status}")
        services.set_post_status(post=post, status=status)
    make_reply(topic=topic, author=UserFactory(approved_post_count=0), body="zebra waiting")
    hidden_topic = make_topic(author=author, title="Zebra topic", body="Zebra.")
    services.set_post_status(post=hidden_topic.posts.get(), status=Status.HIDDEN)
    html = page(member_client, q="zebra")
    assert "No posts matched “zebra”" in html
    for hidden in ("zebra hidden", "zebra removed", "zebra waiting", "Zebra topic"):
        assert hidden not in html


@pytest.mark.django_db
def test_the_members_own_waiting_post_is_found_marked_as_waiting(client):
    newcomer = UserFactory(approved_post_count=0)
    make_topic(author=newcomer, title="First giraffe story", body="A giraffe.")
    client.force_login(newcomer)
    html = page(client, q="giraffe")
    assert "Waiting for a moderator" in html


@pytest.mark.django_db
def test_member_text_in_titles_and_snippets_is_escaped(member_client):
    make_topic(
        title="<script>alert('t')</script> lantern",
        body="<script>alert('b')</script> lantern <img src=x onerror=alert(1)>",
    )
    html = page(member_client, q="lantern alert")
    assert "<script>alert" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_an_empty_query_asks_kindly_and_a_first_visit_shows_just_the_form(member_client):
    assert "Type a word or two" not in page(member_client)
    assert "Type a word or two" in page(member_client, q="   ")


@pytest.mark.django_db
def test_a_too_long_query_is_explained_and_kept_in_the_box(member_client):
    long = "hope " * (MAX_QUERY_LENGTH // 5 + 1)
    html = page(member_client, q=long)
    assert "longer than 200 characters" in html
    assert f'value="{long}"' in html


@pytest.mark.django_db
def test_no_matches_suggests_what_to_try_and_keeps_the_filters(member_client):
    category = CategoryFactory()
    html = page(member_client, q="quokka", category=category.slug, author="someone", order="newest")
    assert "No posts matched “quokka”" in html
    assert "search every category and author" in html
    assert f'<option value="{category.slug}" selected>' in html
    assert 'value="someone"' in html
    assert '<option value="newest" selected>' in html


@pytest.mark.django_db
def test_an_out_of_range_page_goes_to_the_last_real_page(member_client, settings):
    topic = make_topic(title="Lots", body="Wombat.")
    for _ in range(24):
        make_reply(topic=topic, body="Wombat again.")
    response = member_client.get("/search/", {"q": "wombat", "page": "9"})
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=wombat&page=2"
    # What names no page, or names one in another way, redirects too: one address a page.
    for odd, nearest in (("x", 1), ("0", 1), ("-3", 1), ("02", 2), ("1.5", 1)):
        response = member_client.get("/search/", {"q": "wombat", "page": odd})
        assert response.status_code == 302, odd
        assert response["Location"] == f"/search/?q=wombat&page={nearest}"


@pytest.mark.django_db
def test_the_search_page_runs_the_same_queries_for_few_or_many_matches(member_client):
    def count(text):
        member_client.get("/search/", {"q": text})
        with CaptureQueriesContext(connection) as ctx:
            assert member_client.get("/search/", {"q": text}).status_code == 200
        return len(ctx), [q["sql"] for q in ctx.captured_queries]

    topic = make_topic(title="Few", body="Marmot.")
    make_reply(topic=topic, body="Marmot.")
    few, _ = count("marmot")
    big = make_topic(title="Many", body="Badger.")
    for _ in range(30):
        make_reply(topic=big, body="Badger, badger.", author=UserFactory())
    many, sql = count("badger")
    assert few == many, sql
    assert many <= BUDGET, sql


# --- stories like yours ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_author_sees_stories_like_theirs_right_after_posting(member_client):
    cache.clear()
    earlier = make_topic(title="Insomnia and anxiety", body="Insomnia most nights.")
    category = CategoryFactory()
    url = f"/c/{category.slug}/new/"
    data = {
        "title": "Insomnia again",
        "body": "My insomnia is back.",
        "submission_token": str(uuid.uuid4()),
    }
    response = member_client.post(url, data, follow=True)
    html = response.content.decode()
    assert "Stories like yours" in html
    assert f'href="/t/{earlier.pk}/">Insomnia and anxiety</a>' in html


@pytest.mark.django_db
def test_suggestions_never_show_a_hidden_story(member_client, django_capture_on_commit_callbacks):
    cache.clear()
    hidden = make_topic(title="Loneliness at night", body="Loneliness.")
    story = make_topic(title="Loneliness", body="Loneliness in the city.")
    assert "Loneliness at night" in member_client.get(story.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.set_post_status(post=hidden.posts.get(), status=Status.HIDDEN)
    html = member_client.get(story.get_absolute_url()).content.decode()
    assert "Loneliness at night" not in html
    assert "Stories like yours" not in html


@pytest.mark.django_db
def test_uncached_suggestions_cost_one_query_and_cached_ones_none(member_client):
    make_topic(title="Relapse and shame", body="Relapse.")
    story = make_topic(title="After a relapse", body="Relapse again.")
    url = story.get_absolute_url()
    member_client.get(url)
    with CaptureQueriesContext(connection) as warm:
        member_client.get(url)
    cache.clear()
    member_client.get("/")  # the bell and banner again, as any page would
    with CaptureQueriesContext(connection) as cold:
        member_client.get(url)
    searches = [
        q["sql"] for q in cold.captured_queries if " MATCH " in q["sql"] or "@@" in q["sql"]
    ]
    assert len(searches) == 1, searches
    assert not [
        q for q in warm.captured_queries if "fts" in q["sql"] or "search_vector" in q["sql"]
    ]


@pytest.mark.django_db
def test_stories_like_yours_leave_out_what_the_reader_hides_from_lists(client):
    from django.core.cache import cache

    from forum.content_warnings import Choice, ContentWarning

    cache.clear()
    warned = services.create_topic(
        author=UserFactory(),
        category=CategoryFactory(),
        title="Sleepless and low",
        body="Sleepless nights, darker thoughts.",
        warning_flags=ContentWarning.SUICIDE_SELF_HARM,
    )
    story = make_topic(title="Nights without sleep", body="Sleepless nights and worry.")
    hides = UserFactory()
    services.set_content_warning_choices(
        user=hides, choices={ContentWarning.SUICIDE_SELF_HARM: Choice.HIDE}
    )
    client.force_login(hides)
    assert "Sleepless and low" not in client.get(story.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    assert "Sleepless and low" in client.get(story.get_absolute_url()).content.decode()
    assert warned.pk


@pytest.mark.django_db
def test_control_characters_in_a_query_are_searched_as_spaces_and_never_echoed(member_client):
    # A null byte cannot be sent to PostgreSQL at all, and none belongs in a page.
    make_topic(title="Otter days", body="The otter swam by the weir.")
    response = member_client.get("/search/", {"q": "otter\x00weir\x02"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 post matched “otter weir”" in html
    assert "\x00" not in html and "\x02" not in html
    assert 'value="otter weir "' in html
    assert "Null characters" not in html
    by_author = page(member_client, q="otter", author="nobody\x00")
    assert "\x00" not in by_author and "Null characters" not in by_author


@pytest.mark.django_db
def test_an_unknown_category_or_order_is_no_filter_and_no_error(member_client):
    make_topic(title="Kestrel", body="A kestrel hovered.")
    html = page(member_client, q="kestrel", category="gone-away", order="sideways")
    assert "1 post matched “kestrel”" in html
    assert "Select a valid choice" not in html
    assert 'aria-invalid="true"' not in html


@pytest.mark.django_db
def test_the_search_field_is_a_search_input_with_one_type(member_client):
    field = re.search(r'<input[^>]*id="id_q"[^>]*>', page(member_client, q="x")).group(0)
    assert re.findall(r'\stype="([^"]*)"', field) == ["search"]


@pytest.mark.django_db
def test_a_warned_posts_snippet_folds_as_the_post_does_for_this_reader(client):
    from forum.content_warnings import Choice, ContentWarning

    services.create_topic(
        author=UserFactory(),
        category=CategoryFactory(),
        title="Hard night",
        body="The pelican night, and what I nearly did.",
        warning_flags=ContentWarning.SUICIDE_SELF_HARM,
    )
    # The default (fold behind a tap): the words wait behind the warning, as on the topic page.
    client.force_login(UserFactory())
    html = page(client, q="pelican")
    folded = re.search(r'<details class="content-warning">(.*?)</details>', html, re.S)
    assert folded is not None
    assert "Content warning: Suicide or self-harm" in folded.group(1)
    assert "<mark>pelican</mark>" in folded.group(1)
    # A reader who shows this warning reads the snippet straight away.
    shows = UserFactory()
    services.set_content_warning_choices(
        user=shows, choices={ContentWarning.SUICIDE_SELF_HARM: Choice.SHOW}
    )
    client.force_login(shows)
    html = page(client, q="pelican")
    assert '<details class="content-warning">' not in html
    assert "Content warning: Suicide or self-harm" in html
    assert "<mark>pelican</mark>" in html
