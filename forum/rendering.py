"""Turn member-written Markdown into safe HTML, plain-text excerpts and mention lists."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable, Iterator

import bleach
from bleach import html5lib_shim
from markdown_it import MarkdownIt
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

__all__ = ["LINK_REL", "excerpt", "find_mentions", "render_markdown", "sanitize_html"]

MentionResolver = Callable[[str], str | None]

LINK_REL = "nofollow ugc noopener noreferrer"
ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "em",
        "strong",
        "a",
        "ul",
        "ol",
        "li",
        "blockquote",
        "code",
        "pre",
        "h3",
        "h4",
        "h5",
        "h6",
        "s",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
MENTION_CLASS = "mention"
# markdown-it writes a column's alignment as an inline style, which the CSP would refuse and
# the allowlist strips; a class from this fixed set carries it instead.
ALIGN_CLASSES = {f"text-align:{side}": f"align-{side}" for side in ("left", "center", "right")}

# Same alphabet as accounts.usernames.USERNAME_RE. The lookarounds keep e-mail addresses,
# fediverse handles and profile URLs on other sites ("mastodon.example/@name") from pinging a
# local member who happens to share the name.
_MENTION_RE = re.compile(r"(?<![\w@/.+\-])@([A-Za-z0-9_.\-]+)(?![A-Za-z0-9_.\-@])")
# A name typed at the end of a sentence ("thanks @sam.") would otherwise swallow the full stop.
_TRAILING_PUNCTUATION = ".-"
_MIN_USERNAME, _MAX_USERNAME = 3, 30
# Mirrors bleach's own URI normalisation so the "/" check sees what bleach saw.
_URI_NOISE_RE = re.compile(r"[`\x00-\x20\x7f-\xa0\s]+|[^\x00-\x7f]")

_ENV_RESOLVER = "lantern_mention_url"
_ENV_FOUND = "lantern_mentions_found"


def _shift_headings(state: StateCore) -> None:
    """Demote headings so member text never outranks the page's own h1/h2."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"


def _table_alignment(state: StateCore) -> None:
    """Carry column alignment as one of ALIGN_CLASSES instead of a style attribute."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and token.attrs:
            side = ALIGN_CLASSES.get(str(token.attrs.pop("style", "")))
            if side:
                token.attrs["class"] = side


def _image_as_link(image: Token) -> list[Token]:
    """The tokens of a link to the image, its description as the link text."""
    link_open = Token("link_open", "a", 1)
    link_open.attrs = {"href": str(image.attrs.get("src", ""))}
    # The description may itself hold links or images; a link cannot sit inside a link, so
    # only their text is kept.
    text = [
        child
        for child in _flatten_images(image.children or [])
        if child.type not in ("link_open", "link_close")
    ]
    if not any(child.content for child in text):
        # "![](address)" has no description: the address is the only thing to show.
        text = [Token("text", "", 0)]
        text[0].content = str(image.attrs.get("src", ""))
    return [link_open, *text, Token("link_close", "a", -1)]


def _flatten_images(children: list[Token]) -> list[Token]:
    """Replace each image token with a plain link to it."""
    flat: list[Token] = []
    for child in children:
        if child.type == "image":
            flat.extend(_image_as_link(child))
        else:
            flat.append(child)
    return flat


def _images_as_links(state: StateCore) -> None:
    """Show "![description](address)" as a link, so nothing loads from another site."""
    for block in state.tokens:
        children = block.children or []
        if block.type == "inline" and any(child.type == "image" for child in children):
            block.children = _flatten_images(children)


def _scan_mentions(content: str, before: str, after: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, username) for each mention wholly inside `content`."""
    # Neighbouring text tokens are glued on so boundaries are judged across escapes/entities.
    text = before + content + after
    offset = len(before)
    for match in _MENTION_RE.finditer(text):
        start = match.start()
        if start < offset:
            continue
        username = match.group(1).rstrip(_TRAILING_PUNCTUATION)
        end = start + 1 + len(username)
        # A name that runs on into an escape ("@sam\_x") is ambiguous, so it is left alone.
        if end > offset + len(content) or not (_MIN_USERNAME <= len(username) <= _MAX_USERNAME):
            continue
        yield start - offset, end - offset, username


def _neighbour_text(children: list[Token], index: int) -> str:
    """Return children[index].content if that sibling is text, else an empty string."""
    if 0 <= index < len(children) and children[index].type in ("text", "text_special"):
        return children[index].content
    return ""


def _mentions(state: StateCore) -> None:
    """Find @mentions in prose (not code, not link text) and link the ones that resolve."""
    resolver: MentionResolver | None = state.env.get(_ENV_RESOLVER)
    found: list[str] | None = state.env.get(_ENV_FOUND)
    if resolver is None and found is None:
        return
    resolved: dict[str, str | None] = {}
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = block.children
        new_children: list[Token] = []
        link_depth = 0
        for index, token in enumerate(children):
            if token.type == "link_open":
                link_depth += 1
            elif token.type == "link_close":
                link_depth -= 1
            if token.type != "text" or link_depth or "@" not in token.content:
                new_children.append(token)
                continue
            before = _neighbour_text(children, index - 1)[-1:]
            after = _neighbour_text(children, index + 1)[:1]
            cursor = 0
            for start, end, username in _scan_mentions(token.content, before, after):
                if found is not None:
                    found.append(username)
                if resolver is None:
                    continue
                if username not in resolved:
                    resolved[username] = resolver(username)
                url = resolved[username]
                if not url:
                    continue
                _append_text(new_children, token.content[cursor:start])
                link_open = Token("link_open", "a", 1)
                link_open.attrs = {"href": url, "class": MENTION_CLASS}
                new_children.append(link_open)
                _append_text(new_children, token.content[start:end])
                new_children.append(Token("link_close", "a", -1))
                cursor = end
            if cursor:
                _append_text(new_children, token.content[cursor:])
            else:
                new_children.append(token)
        block.children = new_children


def _append_text(children: list[Token], content: str) -> None:
    """Append a text token unless it would be empty."""
    if content:
        token = Token("text", "", 0)
        token.content = content
        children.append(token)


# Endings a bare address ("samaritans.org", "www.nhs.uk") may have and still become a link.
FUZZY_LINK_ENDINGS = (
    "com", "org", "net", "info", "io", "gov", "edu", "uk", "ie", "au", "nz", "ca", "us",
)  # fmt: skip


def _build_markdown() -> MarkdownIt:
    """Configure the one parser every render shares."""
    md = MarkdownIt(
        "js-default",
        {"html": False, "linkify": True, "typographer": False, "breaks": True},
    )
    md.disable(["html_block", "html_inline"])
    # Tables, strikethrough and bare web addresses (linkify-it-py) are markdown-it's own rules.
    md.enable(["table", "strikethrough", "linkify"])
    if md.linkify is None:
        raise ModuleNotFoundError("linkify-it-py is missing: install requirements.txt")
    # Only web and mail addresses become links by themselves; "ftp://" stays text.
    md.linkify.add("ftp:", None)
    # An address without "https://" links only when it ends in a common web ending: linkify-it
    # otherwise takes every two-letter country code, so "README.md" and "notes.txt"-style file
    # names became links. Second levels ("nhs.uk", "org.uk", "co.nz") end in a listed code.
    md.linkify.tlds(list(FUZZY_LINK_ENDINGS))
    md.core.ruler.push("lantern_headings", _shift_headings)
    md.core.ruler.push("lantern_table_alignment", _table_alignment)
    # Images would make readers' browsers fetch from wherever a member points them, telling
    # that host who reads the post; each one becomes a link with its description instead.
    # Before the mentions, so an "@name" in a description is link text like any other.
    md.core.ruler.before("text_join", "lantern_images", _images_as_links)
    # Before text_join so an escaped "\@" is still a separate token and does not ping anyone.
    md.core.ruler.before("text_join", "lantern_mentions", _mentions)
    # Ruler caches compile lazily and not atomically; warming them here keeps concurrent
    # first renders from seeing a half-built cache.
    md.render("warm *up* @cache ~~x~~ www.example.org ![a](/b)\n\n|a|\n|-|\n|b|")
    return md


_md = _build_markdown()


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    """Tell bleach whether an attribute may stay."""
    if tag in ("th", "td"):
        return name == "class" and value in ALIGN_CLASSES.values()
    if tag != "a":
        return False
    if name == "class":
        return value == MENTION_CLASS
    return name in ("href", "rel")


def _href_allowed(value: str) -> bool:
    """Accept http(s)/mailto URLs and site-absolute paths only."""
    normalized = _URI_NOISE_RE.sub("", html5lib_shim.convert_entities(value)).lower()
    return normalized.startswith(("http:", "https:", "mailto:", "/"))


# bleach re-exports html5lib's Filter from its vendored copy, which has no type information.
class _LinkPolicyFilter(html5lib_shim.Filter):  # type: ignore[name-defined]
    """Stamp rel on every link and drop hrefs bleach would wave through as "relative"."""

    def __iter__(self) -> Iterator[dict]:
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "a":
                attrs = dict(token.get("data") or {})
                href = attrs.get((None, "href"))
                # bleach treats any scheme-less value as relative, including "www.x" or a
                # mangled "java%EF%BF%BDscript:"; only "/" paths are meaningful on this site.
                if href is not None and not _href_allowed(href):
                    del attrs[(None, "href")]
                    href = None
                attrs.pop((None, "rel"), None)
                if href is not None:
                    attrs[(None, "rel")] = LINK_REL
                token["data"] = attrs
            yield token


_thread_state = threading.local()


def _cleaners() -> tuple[bleach.Cleaner, bleach.Cleaner]:
    """Return this thread's (html, text) cleaners."""
    # bleach documents Cleaner as not thread-safe (its html5lib parser keeps state), and the
    # app is served from threads, so each thread builds its pair once and reuses it.
    pair = getattr(_thread_state, "cleaners", None)
    if pair is None:
        pair = (
            bleach.Cleaner(
                tags=ALLOWED_TAGS,
                attributes=_allowed_attribute,
                protocols=ALLOWED_PROTOCOLS,
                strip=True,
                strip_comments=True,
                filters=[_LinkPolicyFilter],
            ),
            bleach.Cleaner(tags=set(), attributes={}, strip=True, strip_comments=True),
        )
        _thread_state.cleaners = pair
    return pair


_cleaners()


def sanitize_html(html_text: str) -> str:
    """Reduce HTML to the forum's allowlist; safe to apply to its own output."""
    return _cleaners()[0].clean(html_text)


def render_markdown(text: str, *, mention_url: Callable[[str], str | None] | None = None) -> str:
    """Render member Markdown to sanitized HTML, linking @mentions that `mention_url` resolves."""
    # Callers that already hold the users can pass dict.get; each name is resolved once.
    env = {_ENV_RESOLVER: mention_url} if mention_url is not None else {}
    return sanitize_html(_md.render(text, env))


def find_mentions(text: str) -> list[str]:
    """Return the distinct @usernames in `text`, as typed and in order of first appearance."""
    if "@" not in text:
        # Most stories mention no one; parsing 5 KB of Markdown only to learn that is a third
        # of what publishing costs.
        return []
    found: list[str] = []
    _md.parse(text, {_ENV_FOUND: found})
    return list(dict.fromkeys(found))


def excerpt(text: str, *, length: int = 160) -> str:
    """Return a plain-text preview of member Markdown, at most `length` characters long."""
    if length < 1:
        raise ValueError("length must be at least 1")
    # The result is plain text, not markup: templates must keep autoescaping it.
    plain = html.unescape(_cleaners()[1].clean(_md.render(text)))
    plain = " ".join(plain.split())
    if len(plain) <= length:
        return plain
    cut = plain[: length - 1]
    if not plain[length - 1].isspace():
        head, space, _ = cut.rpartition(" ")
        if space and head:
            cut = head
    return (cut.rstrip(" ,;:.!?-\u2013\u2014") or cut.rstrip()) + "\u2026"
