"""Markdown rendering: XSS resistance, the allowlist, mentions and excerpts."""

from __future__ import annotations

import re
import threading
from html.parser import HTMLParser

import pytest

from forum.rendering import LINK_REL, excerpt, find_mentions, render_markdown, sanitize_html

ALLOWED_ATTRIBUTES = {"href", "rel", "class"}
ALIGN_CLASSES = {"align-left", "align-center", "align-right"}
TABLE_TAGS = {"table", "thead", "tbody", "tr", "th", "td"}
SAFE_HREF_RE = re.compile(r"^(https?:|mailto:|/)", re.IGNORECASE)


def profile_url(username: str) -> str | None:
    return None if username == "ghost" else f"/u/{username}/"


class TagCollector(HTMLParser):
    """Records every start tag and its attributes, with entities decoded as a browser would."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


def assert_safe(html: str) -> None:
    # Text "<" always comes out as "&lt;", so every literal "<" opens a real tag.
    lowered = html.lower()
    for needle in ("<script", "<img", "<iframe", "<style", "<svg", "<math", "<object", "<embed"):
        assert needle not in lowered, f"{needle!r} survived in {html!r}"
    markup = " ".join(re.findall(r"<[^>]*>", lowered))
    for pattern in (r"style\s*=", r"\bon\w+\s*=", r"(javascript|data|vbscript):"):
        assert not re.search(pattern, markup), f"{pattern!r} inside a tag in {html!r}"
    for tag, attrs in tags_of(html):
        assert (
            tag
            in {"p", "br", "hr", "em", "strong", "a", "ul", "ol", "li", "blockquote"}
            | {
                "code",
                "pre",
                "h3",
                "h4",
                "h5",
                "h6",
                "s",
            }
            | TABLE_TAGS
        ), f"<{tag}> survived in {html!r}"
        assert set(attrs) <= ALLOWED_ATTRIBUTES, f"attributes {attrs} on <{tag}> in {html!r}"
        assert not any(re.fullmatch(r"on\w+", name) for name in attrs)
        if tag in ("th", "td") and attrs:
            assert attrs == {"class": attrs.get("class")}, f"{attrs} on <{tag}> in {html!r}"
            assert attrs["class"] in ALIGN_CLASSES, f"{attrs} on <{tag}> in {html!r}"
            continue
        if tag != "a":
            assert not attrs, f"attributes {attrs} on <{tag}> in {html!r}"
            continue
        if "class" in attrs:
            assert attrs["class"] == "mention"
        href = attrs.get("href")
        if href is not None:
            # Browsers ignore control characters and whitespace inside a scheme.
            squeezed = re.sub(r"[\x00-\x20]+", "", href)
            assert SAFE_HREF_RE.match(squeezed), f"unsafe href {href!r} in {html!r}"
            assert not re.match(r"(javascript|data|vbscript):", squeezed, re.IGNORECASE)
            assert attrs.get("rel") == LINK_REL
        else:
            assert "rel" not in attrs


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    '<IMG SRC="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;vascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](%6A%61vascript:alert(1))",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<data:text/html,<script>alert(1)</script>>",
    "[x](data:image/png;base64,iVBORw0KGgo=)",
    "[x](vbscript:msgbox(1))",
    "[x](file:///etc/passwd)",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    '<a href="javascript:alert(1)">x</a>',
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    "[x](https://ok.example 'a\" onmouseover=\"alert(1)')",
    '[x](https://ok.example "\\" onmouseover=\\"alert(1)")',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<script>alert(1)</script>-->",
    "<!--><script>alert(1)</script>-->",
    "<script>alert(1)",
    "<img src=x onerror=alert(1)",
    "[`<script>alert(1)</script>`](https://ok.example)",
    "**<img src=x onerror=alert(1)>**",
    "> <script>alert(1)</script>\n> - <b onmouseover=alert(1)>x</b>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="import" href="https://evil.example/x.html">',
    "[a](java\0script:alert(1))",
    "[a](java\tscript:alert(1))",
    "[a](java\nscript:alert(1))",
    "[a](  javascript:alert(1))",
    "[a](<javascript:alert(1)>)",
    "[a][x]\n\n[x]: javascript:alert(1)",
    "[a][x]\n\n[x]: <JaVaScRiPt:alert(1)> 'title'",
    "![x](https://evil.example/track.png)",
    "![x](javascript:alert(1))",
    '![x" onerror="alert(1)](https://evil.example/a.png)',
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<body onload=alert(1)>",
    '<div style="width:expression(alert(1))">x</div>',
    "[x](javascript://%0Aalert(1))",
    "[x](\\javascript:alert(1))",
    "``` onload=alert(1)\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "@<script>alert(1)</script> @bob<img src=x onerror=alert(1)>",
    '[@bob](javascript:alert(1)) [x](/u/x/" onclick="alert(1))',
    "<a href=/ onclick=alert(1)>x</a>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "<xmp><script>alert(1)</script></xmp>",
]


def test_payload_list_is_broad_and_distinct():
    assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS) >= 35


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_rendered_payload_is_inert(payload):
    out = render_markdown(payload, mention_url=profile_url)
    assert_safe(out)
    assert sanitize_html(out) == out


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitizer_alone_neutralises_payload(payload):
    # The Markdown layer escapes raw HTML on its own; this checks bleach would still hold.
    out = sanitize_html(payload)
    assert_safe(out)
    assert sanitize_html(out) == out


@pytest.mark.parametrize(
    "html",
    [
        "<script>x</script>",
        "<img src=x>",
        '<a href="javascript:x">a</a>',
        '<a href=" JaVa\tScript:x" rel="nofollow ugc noopener noreferrer">a</a>',
        '<a href="/" onclick="x" rel="nofollow ugc noopener noreferrer">a</a>',
        '<a href="/">missing rel</a>',
        '<a href="data:text/html,x" rel="nofollow ugc noopener noreferrer">a</a>',
        '<p style="color:red">a</p>',
        '<p class="mention">a</p>',
        "<span>a</span>",
        '<td class="mention">a</td>',
        '<th class="align-left" style="x">a</th>',
        '<table border="1"><tr><td>a</td></tr></table>',
    ],
)
def test_safety_check_is_not_vacuous(html):
    with pytest.raises(AssertionError):
        assert_safe(html)


def rendered(source: str, **kwargs) -> str:
    """render_markdown output without markdown-it's closing newline, for exact comparisons."""
    out = render_markdown(source, **kwargs)
    assert out.endswith("\n")
    return out[:-1]


def test_output_ends_with_single_newline():
    assert render_markdown("a\n\nb") == "<p>a</p>\n<p>b</p>\n"
    assert render_markdown("") == ""


def test_raw_html_shows_as_text():
    out = rendered("<b>hi</b> & <script>alert(1)</script>")
    assert out == "<p>&lt;b&gt;hi&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_disallowed_protocol_loses_href_but_keeps_text():
    assert sanitize_html('<a href="javascript:alert(1)">click</a>') == "<a>click</a>"
    assert rendered("[x](data:image/png;base64,AAAA)") == "<p><a>x</a></p>"


def test_images_become_plain_links_and_never_load():
    out = rendered("![cat](https://example.com/cat.png)")
    assert "<img" not in out
    assert out == f'<p><a href="https://example.com/cat.png" rel="{LINK_REL}">cat</a></p>'


def test_emphasis():
    assert rendered("*a* **b** _c_") == "<p><em>a</em> <strong>b</strong> <em>c</em></p>"


def test_lists():
    assert rendered("- one\n- two") == "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    assert rendered("1. one\n2. two") == "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"


def test_ordered_list_start_attribute_is_dropped():
    assert rendered("3. three\n4. four") == "<ol>\n<li>three</li>\n<li>four</li>\n</ol>"


def test_blockquote():
    assert rendered("> held on\n> today") == (
        "<blockquote>\n<p>held on<br>\ntoday</p>\n</blockquote>"
    )


def test_code_block_content_is_escaped_and_unclassed():
    out = rendered("```html\n<b>&amp;</b>\n```")
    assert out == "<pre><code>&lt;b&gt;&amp;amp;&lt;/b&gt;\n</code></pre>"


def test_inline_code_is_escaped():
    assert rendered("use `<br>`") == "<p>use <code>&lt;br&gt;</code></p>"


@pytest.mark.parametrize(
    ("source", "tag"),
    [("#", "h3"), ("##", "h4"), ("###", "h5"), ("####", "h6"), ("#####", "h6"), ("######", "h6")],
)
def test_headings_are_shifted_down(source, tag):
    assert rendered(f"{source} Title") == f"<{tag}>Title</{tag}>"


def test_setext_heading_is_shifted_too():
    assert rendered("Title\n=====") == "<h3>Title</h3>"


def test_single_newline_is_a_line_break():
    assert rendered("first line\nsecond line") == "<p>first line<br>\nsecond line</p>"


def test_thematic_break():
    assert rendered("a\n\n---\n\nb") == "<p>a</p>\n<hr>\n<p>b</p>"


def test_safe_link_gets_exact_rel_and_no_title():
    out = rendered('[site](https://example.com/a?b=1&c=2 "Title")')
    assert out == f'<p><a href="https://example.com/a?b=1&amp;c=2" rel="{LINK_REL}">site</a></p>'


def test_autolink_gets_rel():
    out = rendered("<https://example.com>")
    assert out == f'<p><a href="https://example.com" rel="{LINK_REL}">https://example.com</a></p>'


def test_bare_urls_become_links_with_rel():
    assert rendered("see https://example.com/a?b=1.") == (
        f'<p>see <a href="https://example.com/a?b=1" rel="{LINK_REL}">'
        "https://example.com/a?b=1</a>.</p>"
    )


def test_bare_www_address_becomes_an_http_link():
    assert rendered("at www.example.org today") == (
        f'<p>at <a href="http://www.example.org" rel="{LINK_REL}">www.example.org</a> today</p>'
    )


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("samaritans.org", "http://samaritans.org"),
        ("www.samaritans.org", "http://www.samaritans.org"),
        ("www.nhs.uk", "http://www.nhs.uk"),
        ("mind.org.uk/information", "http://mind.org.uk/information"),
        ("lifeline.org.au", "http://lifeline.org.au"),
        ("988lifeline.us", "http://988lifeline.us"),
    ],
)
def test_bare_addresses_with_common_web_endings_become_links(source, href):
    assert f'<a href="{href}" rel="{LINK_REL}">{source}</a>' in rendered(f"try {source} today")


@pytest.mark.parametrize(
    "source", ["README.md", "notes.txt", "setup.py", "photo.jpg", "www.example.md", "me@x.md"]
)
def test_file_names_and_unusual_endings_without_a_scheme_stay_text(source):
    assert rendered(f"open {source} first") == f"<p>open {source} first</p>"


def test_any_ending_links_when_the_address_says_https():
    assert rendered("https://notes.md/a") == (
        f'<p><a href="https://notes.md/a" rel="{LINK_REL}">https://notes.md/a</a></p>'
    )


def test_bare_mail_address_becomes_a_mailto_link():
    assert rendered("write to help@example.org") == (
        f'<p>write to <a href="mailto:help@example.org" rel="{LINK_REL}">help@example.org</a></p>'
    )


@pytest.mark.parametrize(
    "source",
    [
        "javascript:alert(1)",
        "JaVaScRiPt://example.com/%0aalert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "ftp://example.org/x",
    ],
)
def test_bare_dangerous_or_foreign_schemes_stay_text(source):
    out = rendered(f"look {source} now")
    assert "<a" not in out
    assert_safe(out)


def test_bare_address_with_quotes_cannot_break_out_of_href():
    out = rendered('https://example.com/"onmouseover="alert(1) x')
    assert_safe(out)
    assert [tag for tag, _ in tags_of(out)] == ["p", "a"]


def test_bare_address_inside_a_link_is_not_linked_twice():
    out = rendered("[see https://example.com](https://example.org)")
    assert (
        out == f'<p><a href="https://example.org" rel="{LINK_REL}">see https://example.com</a></p>'
    )


def test_bare_address_in_code_stays_code():
    assert rendered("`https://example.com`") == "<p><code>https://example.com</code></p>"


def test_strikethrough():
    assert rendered("I ~~can't~~ can") == "<p>I <s>can't</s> can</p>"


def test_single_tilde_is_not_strikethrough():
    assert rendered("~about~ 5") == "<p>~about~ 5</p>"


def test_strikethrough_cannot_carry_markup():
    out = rendered("~~<script>alert(1)</script>~~")
    assert out == "<p><s>&lt;script&gt;alert(1)&lt;/script&gt;</s></p>"


def test_table():
    out = rendered("| Day | Mood |\n| --- | --- |\n| Mon | *ok* |")
    assert out == (
        "<table>\n<thead>\n<tr>\n<th>Day</th>\n<th>Mood</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>Mon</td>\n<td><em>ok</em></td>\n</tr>\n</tbody>\n</table>"
    )


def test_table_alignment_is_a_class_never_a_style():
    out = rendered("| a | b | c |\n| :-- | :-: | --: |\n| 1 | 2 | 3 |")
    assert "style" not in out
    assert '<th class="align-left">a</th>' in out
    assert '<td class="align-center">2</td>' in out
    assert '<td class="align-right">3</td>' in out
    assert_safe(out)


@pytest.mark.parametrize(
    "source",
    [
        '| <td onclick="alert(1)"> | x |\n|---|---|\n| <th style="x"> | y |',
        "| [a](javascript:alert(1)) | b |\n|---|---|\n| ![c](javascript:alert(1)) | d |",
        "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
        "| javascript:alert(1) |\n|---|\n| data:text/html,x |",
        "| a |\n|---|\n| </td></tr></table><script>alert(1)</script> |",
    ],
)
def test_table_cells_carry_no_attributes_or_markup(source):
    out = rendered(source)
    assert "<table>" in out
    assert_safe(out)
    for tag, attrs in tags_of(out):
        if tag in TABLE_TAGS:
            assert attrs == {}, f"{attrs} on <{tag}>"


def test_sanitizer_drops_foreign_attributes_on_table_cells():
    out = sanitize_html(
        '<table onclick="x"><tr><th class="align-right">a</th>'
        '<td class="align-left evil" style="color:red" align="right">b</td></tr></table>'
    )
    assert out == (
        '<table><tbody><tr><th class="align-right">a</th><td>b</td></tr></tbody></table>'
    )
    assert sanitize_html(out) == out


def test_image_with_formatted_description_is_a_link_with_that_text():
    out = rendered("![my *garden*](https://example.com/g.jpg)")
    assert out == (
        f'<p><a href="https://example.com/g.jpg" rel="{LINK_REL}">my <em>garden</em></a></p>'
    )


def test_image_without_description_shows_its_address():
    out = rendered("![](https://example.com/g.jpg)")
    assert out == (
        f'<p><a href="https://example.com/g.jpg" rel="{LINK_REL}">https://example.com/g.jpg</a></p>'
    )


def test_nested_images_and_links_in_a_description_keep_only_their_text():
    out = rendered(
        "![a ![b](https://x.example/b.png) [c](https://x.example/c)](https://x.example/a)"
    )
    assert out == f'<p><a href="https://x.example/a" rel="{LINK_REL}">a b c</a></p>'


def test_mention_in_an_image_description_is_not_a_second_link():
    out = rendered("![@sam](https://example.com/s.png)", mention_url=profile_url)
    assert out == f'<p><a href="https://example.com/s.png" rel="{LINK_REL}">@sam</a></p>'
    assert find_mentions("![@sam](https://example.com/s.png)") == []


@pytest.mark.parametrize(
    "source",
    [
        "![x](javascript:alert(1))",
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        '![x" onerror="alert(1)](https://example.com/a.png)',
        '![x](https://example.com/a.png "t" onload="alert(1)")',
        "![<img src=x onerror=alert(1)>](https://example.com/a.png)",
    ],
)
def test_images_never_become_img_or_unsafe_links(source):
    out = rendered(source)
    assert_safe(out)


def test_mailto_allowed():
    out = rendered("[mail](mailto:help@example.org) <help@example.org>")
    assert out == (
        f'<p><a href="mailto:help@example.org" rel="{LINK_REL}">mail</a> '
        f'<a href="mailto:help@example.org" rel="{LINK_REL}">help@example.org</a></p>'
    )


def test_rel_from_input_is_replaced():
    out = sanitize_html('<a href="https://example.com" rel="opener" class="x" title="t">a</a>')
    assert out == f'<a href="https://example.com" rel="{LINK_REL}">a</a>'


@pytest.mark.parametrize(
    # markdown-it lets these through as "relative" URLs (the NUL becomes U+FFFD and is
    # percent-encoded); only "/" paths mean anything on this site.
    "source",
    ["[a](www.example.com)", "[a](java\0script:x)", "[a](%6A%61vascript:x)", "[a](\\x:y)"],
)
def test_scheme_less_relative_links_lose_href(source):
    assert rendered(source) == "<p><a>a</a></p>"


def test_site_path_links_are_kept():
    assert rendered("[rules](/guidelines/)") == (
        f'<p><a href="/guidelines/" rel="{LINK_REL}">rules</a></p>'
    )


def test_mention_class_only_survives_exactly():
    assert sanitize_html('<a href="/u/x/" class="mention">@x</a>') == (
        f'<a href="/u/x/" class="mention" rel="{LINK_REL}">@x</a>'
    )
    assert sanitize_html('<a href="/u/x/" class="mention evil">@x</a>') == (
        f'<a href="/u/x/" rel="{LINK_REL}">@x</a>'
    )
    assert sanitize_html('<p class="mention">x</p>') == "<p>x</p>"


def test_sanitize_html_empty():
    assert sanitize_html("") == ""


def test_mentions_without_resolver_stay_text():
    assert rendered("thanks @sam") == "<p>thanks @sam</p>"


def test_mentions_with_resolver_become_links():
    out = rendered("thanks @sam and @ghost.", mention_url=profile_url)
    assert out == (
        f'<p>thanks <a href="/u/sam/" class="mention" rel="{LINK_REL}">@sam</a> and @ghost.</p>'
    )


def test_mention_keeps_sentence_punctuation_outside():
    out = rendered("(hi @river.rock-9).", mention_url=profile_url)
    assert out == (
        f'<p>(hi <a href="/u/river.rock-9/" class="mention" rel="{LINK_REL}">'
        "@river.rock-9</a>).</p>"
    )


def test_mentions_not_in_code_links_or_addresses():
    source = (
        "`@sam` [@sam](https://example.com) <https://x.example/@sam> "
        "sam@example.com @sam@other.example x/@sam \\@sam\n\n```\n@sam\n```"
    )
    out = rendered(source, mention_url=profile_url)
    assert 'class="mention"' not in out
    assert "<code>@sam</code>" in out
    assert "<code>@sam\n</code>" in out


def test_mention_length_limits():
    out = rendered("@ab @abc @" + "a" * 31, mention_url=profile_url)
    assert out.count('class="mention"') == 1
    assert 'href="/u/abc/"' in out


def test_resolver_called_once_per_name():
    calls: list[str] = []

    def resolver(name: str) -> str:
        calls.append(name)
        return f"/u/{name}/"

    rendered("@sam @sam\n\n@sam @kim", mention_url=resolver)
    assert calls == ["sam", "kim"]


def test_resolver_returning_unsafe_url_is_neutralised():
    out = rendered("@sam", mention_url=lambda name: "javascript:alert(1)")
    assert out == '<p><a class="mention">@sam</a></p>'


def test_mention_inside_heading_and_emphasis():
    out = rendered("# hi @sam\n\n*@kim*", mention_url=profile_url)
    assert out == (
        f'<h3>hi <a href="/u/sam/" class="mention" rel="{LINK_REL}">@sam</a></h3>\n'
        f'<p><em><a href="/u/kim/" class="mention" rel="{LINK_REL}">@kim</a></em></p>'
    )


def test_find_mentions_order_case_and_exclusions():
    source = "@Sam hi @kim, @sam and @Sam again. `@code` [@link](https://x.example)\n\n    @block"
    assert find_mentions(source) == ["Sam", "kim", "sam"]


def test_find_mentions_matches_rendered_links():
    source = "@sam.\n- @kim\n> @lee_1 `@no` @ab me@x.example"
    out = rendered(source, mention_url=profile_url)
    linked = re.findall(r'class="mention"[^>]*>@([^<]+)<', out)
    assert find_mentions(source) == linked == ["sam", "kim", "lee_1"]


def test_find_mentions_empty():
    assert find_mentions("") == []
    assert find_mentions("no one here") == []


def test_excerpt_strips_markup_and_unescapes():
    source = "# Day 30\n\n**Thirty** days & counting. <3\n\n- one\n- two\n\n`x < y`"
    assert excerpt(source) == "Day 30 Thirty days & counting. <3 one two x < y"


def test_excerpt_short_text_untouched():
    assert excerpt("short") == "short"
    assert excerpt("") == ""


def test_excerpt_truncates_on_word_boundary():
    source = "Today I walked past the old place and kept going, which felt like a big step."
    result = excerpt(source, length=30)
    assert result == "Today I walked past the old…"
    assert len(result) <= 30


def test_excerpt_drops_trailing_punctuation_before_ellipsis():
    assert excerpt("one two, three four", length=10) == "one two…"


def test_excerpt_hard_cuts_a_single_long_word():
    assert excerpt("a" * 50, length=10) == "a" * 9 + "…"


def test_excerpt_collapses_whitespace():
    assert excerpt("a\n\n\n   b\tc") == "a b c"


def test_excerpt_rejects_nonpositive_length():
    with pytest.raises(ValueError, match="length"):
        excerpt("x", length=0)


@pytest.mark.parametrize(
    "source",
    [
        "plain & simple < > \" '",
        "&amp; &lt; &copy; &#64; &#x41;",
        "[a](https://example.com/?q=\"x\"&y='z')",
        "> quote\n>\n> > nested\n\n1. a\n   - b\n\n```\ncode & <tags>\n```",
    ],
)
def test_sanitizing_render_output_is_idempotent(source):
    out = render_markdown(source, mention_url=profile_url)
    assert sanitize_html(out) == out


def test_concurrent_rendering_is_consistent():
    source = "# Hi @sam\n\n*[link](https://example.com)* <script>x</script>\n\n" * 20
    expected = render_markdown(source, mention_url=profile_url)
    results: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(20):
            out = render_markdown(source, mention_url=profile_url)
            with lock:
                results.append(out)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 160
    assert set(results) == {expected}


def test_text_without_an_at_sign_mentions_no_one():
    assert find_mentions("Plain words, no one named.") == []
    assert find_mentions("Thanks @river_7 and @Dawn!") == ["river_7", "Dawn"]
