"""{% topic_rows rows show_forum=True %}, {% post_articles posts %} and {% post_editor form label %}: cached
fragments (forums/fragments.py)."""

from django import template

from forums import fragments

register = template.Library()


@register.simple_tag
def topic_rows(rows, show_forum=False):
    return fragments.topic_rows_html(rows, show_forum=bool(show_forum))


@register.simple_tag(takes_context=True)
def post_articles(context, posts, accepted_label=False):
    return fragments.posts_html(context["request"], posts, context.flatten(), accepted_label=bool(accepted_label))


@register.simple_tag(takes_context=True)
def post_editor(context, form, submit_label, draft_button=False):
    return fragments.editor_html(context.flatten(), form, submit_label, bool(draft_button))
