"""Rendered HTML of topic rows and posts, cached by what they show.

A topic list renders 30 rows and a topic page 20 posts, each with translated counts, formatted dates and
links: most of a page's Python time. Each fragment is cached under a digest of everything it shows (the
row's or post's fields, the viewer's flags that change it, the language and time zone), so an edit, a reply,
a moderation or a renamed author makes a new key and nothing is ever stale; unused keys expire. One
`get_many` per page fetches them all. CSRF tokens are per person: a fragment keeps a placeholder, and each
page puts its own token in its place.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe

FRAGMENT_SECONDS = 24 * 3600
# Not guessable, so no post can contain it; the same in every process, so cached fragments are shared.
_CSRF_PLACEHOLDER = SimpleLazyObject(
    lambda: "csrf-" + hmac.new(settings.SECRET_KEY.encode(), b"forums.fragments.csrf", "sha256").hexdigest()[:32]
)


_TEMPLATE_DIGESTS: dict[str, str] = {}
ROW_TEMPLATE, POST_TEMPLATE, EDITOR_TEMPLATE = "forums/_topic_row.html", "forums/_post.html", "forums/_editor.html"


def template_digest(name: str) -> str:
    """A digest of a fragment's template source, read once per process: a deploy that changes the template
    makes new keys, so no fragment rendered by the old template is served after it."""
    if name not in _TEMPLATE_DIGESTS:
        source = get_template(name).template.source
        _TEMPLATE_DIGESTS[name] = hashlib.blake2b(source.encode(), digest_size=8).hexdigest()
    return _TEMPLATE_DIGESTS[name]


def _key(kind: str, pk: int, parts: tuple, template: str) -> str:
    shown = repr((translation.get_language(), timezone.get_current_timezone_name(), template_digest(template), *parts))
    return f"forums:{kind}:{pk}:{hashlib.blake2b(shown.encode(), digest_size=16).hexdigest()}"


def _cached(items: list, key_of, render) -> list[str]:
    """The fragment of each item, rendering (and storing) only the missing ones."""
    keys = [key_of(item) for item in items]
    found = cache.get_many(keys) if keys else {}
    missing = {}
    fragments = []
    for key, item in zip(keys, items, strict=True):
        if key not in found:
            found[key] = missing[key] = render(item)
        fragments.append(found[key])
    if missing:
        cache.set_many(missing, FRAGMENT_SECONDS)
    return fragments


def _author_parts(user) -> tuple:
    return (user.pk, user.first_name, user.last_name) if user is not None else None


def topic_rows_html(rows, *, show_forum: bool = False) -> SafeString:
    """The <li> of each TopicRow (templates/forums/_topic_row.html)."""

    def key_of(row):
        topic = row.topic
        last_author = topic.last_post.author if topic.last_post_id and topic.last_post else None
        forum = (topic.forum.slug, topic.forum.name) if show_forum else None
        return _key(
            "row",
            topic.pk,
            (
                topic.title,
                topic.is_pinned,
                topic.is_locked,
                topic.is_held,
                topic.is_hidden,
                topic.accepted_answer_id,
                topic.post_count,
                topic.last_post_at,
                _author_parts(last_author),
                forum,
                row.is_new,
                row.unread,
            ),
            ROW_TEMPLATE,
        )

    def render(row):
        return render_to_string(ROW_TEMPLATE, {"row": row, "topic": row.topic, "show_forum": show_forum})

    return mark_safe("".join(_cached(list(rows), key_of, render)))  # noqa: S308 -- rendered by our templates


def posts_html(request, posts, context: dict, *, accepted_label: bool = False) -> SafeString:
    """Each post's <article> (templates/forums/_post.html) for this viewer; `context` is the topic page's."""
    user_id = context["user_id"]
    can_moderate = context["can_moderate"]
    last_read = context["last_read"]
    helpful_ids = context["helpful_ids"]
    topic = context["topic"]
    viewer = (can_moderate, bool(context["refusal"]), bool(context["can_accept"]))

    def key_of(post):
        author = post.author
        profile = getattr(author, "forum_profile", None) if author is not None else None
        member = getattr(author, "member", None) if author is not None and can_moderate else None
        return _key(
            "post",
            post.pk,
            (
                post.number,
                post.created_at,
                post.edited_at,
                post.edit_count,
                post.is_hidden,
                post.is_held,
                post.helpful_count,
                post.via_email,
                _author_parts(author),
                profile.handle if profile is not None else None,
                member.public_id if member is not None else None,
                tuple((a.pk, a.original_name, a.size) for a in post.attachments.all()),
                *viewer,
                post.author_id == user_id,
                last_read is not None and post.number > last_read,
                post.pk in helpful_ids,
                topic.accepted_answer_id == post.pk,
                accepted_label,
            ),
            POST_TEMPLATE,
        )

    def render(post):
        return render_to_string(
            POST_TEMPLATE,
            {**context, "post": post, "accepted_label": accepted_label, "csrf_token": str(_CSRF_PLACEHOLDER)},
        )

    html = "".join(_cached(list(posts), key_of, render))
    return mark_safe(html.replace(str(_CSRF_PLACEHOLDER), get_token(request)))  # noqa: S308 -- our templates


def editor_html(context: dict, form, submit_label: str, draft_button: bool) -> SafeString:
    """The writing form (templates/forums/_editor.html). Blank (no text, draft, quote, preview or error), it is
    the same for everyone in a language, so it is cached under its fields' labels and help; otherwise rendered."""
    values = {**context, "form": form, "submit_label": submit_label, "draft_button": draft_button}
    if form.is_bound or form.initial or context.get("preview") is not None:
        return mark_safe(render_to_string(EDITOR_TEMPLATE, values))  # noqa: S308 -- rendered by our templates
    fields = tuple(
        (name, str(field.label), str(field.help_text), field.required, type(field.widget).__name__)
        for name, field in form.fields.items()
    )
    key = _key("editor", 0, (type(form).__name__, fields, str(submit_label), draft_button), EDITOR_TEMPLATE)
    (html,) = _cached([form], lambda _form: key, lambda _form: render_to_string(EDITOR_TEMPLATE, values))
    return mark_safe(html)  # noqa: S308 -- rendered by our templates
