"""The forum pages. Every form works without JavaScript: Preview, Save draft and Post are buttons of one form,
and a refused post comes back with the text as typed (and kept as a draft on the server)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from forums import permissions, queries, services
from forums.forms import (
    DeliveryForm,
    EditPostForm,
    FlagForm,
    MergeTopicForm,
    MoveTopicForm,
    PostForm,
    ReasonForm,
    SuspendForm,
    TopicForm,
)
from forums.models import Attachment, Forum, Topic
from forums.services import ForumError, render_post_html
from network.files import extension_of, file_response
from network.models import Member


def forums_required(view):
    """Signed in and allowed in at least one forum; otherwise one page that says why."""

    @login_required
    @never_cache
    def wrapped(request, *args, **kwargs):
        if not permissions.can_use_forums(request.user):
            return render(request, "forums/refused.html", status=403)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _forum_or_404(request, slug) -> Forum:
    forum = queries.get_forum_for_user(request.user, slug)
    if forum is None:
        raise Http404
    return forum


def _topic_or_404(request, pk) -> Topic:
    topic = queries.get_topic_for_user(request.user, pk)
    if topic is None:
        raise Http404
    return topic


def _post_or_404(request, pk):
    post = queries.get_post_for_user(request.user, pk)
    if post is None:
        raise Http404
    return post


def _add_error(form, error: ForumError) -> None:
    field = error.code if error.code in form.fields else "body"
    for message in error.messages:
        form.add_error(field if field in form.fields else None, message)


def post_url(post) -> str:
    return reverse("forums:post_link", args=[post.pk])


@forums_required
def forum_index(request):
    # Her handle exists from her first visit, so colleagues can mention her before she writes.
    services.forum_profile(request.user)
    return render(
        request,
        "forums/index.html",
        {
            "tree": queries.forum_tree(request.user),
            "latest": queries.latest_topics(request.user, limit=5),
            "can_moderate": permissions.can_moderate_any_forum(request.user),
        },
    )


@forums_required
def latest(request):
    return render(request, "forums/latest.html", {"rows": queries.latest_topics(request.user)})


@forums_required
def forum_detail(request, slug):
    forum = _forum_or_404(request, slug)
    page, rows = queries.forum_topics_page(request.user, forum, request.GET.get("page"))
    state = queries.forum_viewer_state(request.user, forum)
    delivery = state.delivery
    return render(
        request,
        "forums/forum_detail.html",
        {
            "forum": forum,
            "page": page,
            "rows": rows,
            "held": state.held,
            "refusal": permissions.posting_refusal(request.user, forum),
            "delivery_form": DeliveryForm(initial={"delivery": delivery or "daily"}),
            "delivery_is_default": delivery is None,
        },
    )


@forums_required
@require_POST
def forum_delivery(request, slug):
    forum = _forum_or_404(request, slug)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        services.set_forum_delivery(user=request.user, forum=forum, delivery=form.cleaned_data["delivery"])
        messages.success(request, _("Saved: how you follow “%(forum)s”.") % {"forum": forum.name})
    else:
        messages.error(request, _("Choose how you want to follow this forum."))
    return redirect("forums:forum_detail", forum.slug)


@forums_required
def new_topic(request, slug):
    forum = _forum_or_404(request, slug)
    refusal = permissions.posting_refusal(request.user, forum)
    preview = None
    status = 200
    if request.method == "POST":
        form = TopicForm(request.POST, request.FILES)
        action = request.POST.get("action", "post")
        title, body = request.POST.get("title", ""), request.POST.get("body", "")
        if action == "preview":
            preview = render_post_html(body)
        elif action == "draft":
            services.save_draft(user=request.user, forum=forum, title=title, body=body)
            messages.success(request, _("Your draft is saved. It waits here for you."))
            return redirect("forums:new_topic", forum.slug)
        elif form.is_valid():
            try:
                topic = services.start_topic(
                    author=request.user,
                    forum=forum,
                    title=title,
                    body=body,
                    attachments=request.FILES.getlist("attachment"),
                )
            except ForumError as error:
                _add_error(form, error)
                services.save_draft(user=request.user, forum=forum, title=title, body=body)
                status = 400
            else:
                if topic.is_held:
                    messages.info(
                        request, _("Thank you. A moderator will review your first post before others see it.")
                    )
                return redirect("forums:topic_detail", topic.pk)
        else:
            status = 400
    else:
        draft = queries.get_draft(request.user, forum=forum)
        form = TopicForm(initial={"title": draft.title, "body": draft.body} if draft else None)
    return render(
        request,
        "forums/topic_form.html",
        {"forum": forum, "form": form, "preview": preview, "refusal": refusal},
        status=status,
    )


@forums_required
def topic_detail(request, pk):
    topic = _topic_or_404(request, pk)
    page = queries.topic_posts_page(request.user, topic, request.GET.get("page"))
    posts = list(page.object_list)
    state = queries.topic_viewer_state(request.user, topic)
    if posts:
        services.mark_topic_read(user=request.user, topic=topic, number=posts[-1].number, last_read=state.last_read)
    return _render_topic(request, topic, page, posts, state.last_read, form=None, state=state)


def _render_topic(request, topic, page, posts, last_read, *, form, preview=None, status=200, state=None):
    forum = topic.forum
    if state is None:
        state = queries.topic_viewer_state(request.user, topic)
    refusal = permissions.posting_refusal(request.user, forum, topic)
    if form is None:
        quote = request.GET.get("quote")
        initial = None
        if quote and quote.isdigit():
            quoted = queries.get_post_for_user(request.user, int(quote))
            if quoted is not None and quoted.topic_id == topic.pk:
                from forums.markup import quote_markdown

                name = quoted.author.get_full_name() if quoted.author else _("A former member")
                initial = {"body": quote_markdown(name, quoted.body)}
        if initial is None:
            initial = {"body": state.draft.body} if state.draft else None
        form = PostForm(initial=initial)
    can_moderate = permissions.can_moderate_forum(request.user, forum)
    accepted = None
    if topic.accepted_answer_id and page.number == 1:
        accepted = queries.get_post_for_user(request.user, topic.accepted_answer_id)
    context = {
        "topic": topic,
        "forum": forum,
        "page": page,
        "posts": posts,
        "accepted": accepted,
        "accepted_posts": [accepted] if accepted else [],
        "last_read": last_read,
        "form": form,
        "preview": preview,
        "refusal": refusal,
        "can_moderate": can_moderate,
        "can_accept": permissions.can_accept_answer(request.user, topic),
        "helpful_ids": {post.pk for post in posts if post.viewer_found_helpful},
        "watching": state.watch == "immediate",
        "user_id": request.user.pk,
        "reason_form": ReasonForm() if can_moderate else None,
        "move_form": MoveTopicForm(forums=Forum.objects.filter(pk__in=permissions.moderated_forum_ids(request.user)))
        if can_moderate
        else None,
        "merge_form": MergeTopicForm() if can_moderate else None,
    }
    return render(request, "forums/topic_detail.html", context, status=status)


@forums_required
def topic_unread(request, pk):
    """Jump to her first unread post."""
    topic = _topic_or_404(request, pk)
    last_read = queries.read_state(request.user, topic) or 0
    number = min(last_read + 1, topic.post_count)
    page = queries.page_of_post_number(request.user, topic, number)
    return HttpResponseRedirect(f"{reverse('forums:topic_detail', args=[topic.pk])}?page={page}#post-{number}")


@forums_required
@require_POST
def reply(request, pk):
    topic = _topic_or_404(request, pk)
    form = PostForm(request.POST, request.FILES)
    action = request.POST.get("action", "post")
    body = request.POST.get("body", "")
    preview = None
    status = 200
    if action == "preview":
        preview = render_post_html(body)
    elif action == "draft":
        services.save_draft(user=request.user, forum=topic.forum, topic=topic, body=body)
        messages.success(request, _("Your draft is saved. It waits for you under this topic."))
        return HttpResponseRedirect(reverse("forums:topic_detail", args=[topic.pk]) + "#reply")
    elif form.is_valid():
        try:
            post = services.reply_to_topic(
                author=request.user, topic=topic, body=body, attachments=request.FILES.getlist("attachment")
            )
        except ForumError as error:
            _add_error(form, error)
            services.save_draft(user=request.user, forum=topic.forum, topic=topic, body=body)
            status = 400
        else:
            if post.is_held:
                messages.info(request, _("Thank you. A moderator will review your post before others see it."))
            return redirect(post_url(post))
    else:
        status = 400
    page = queries.topic_posts_page(request.user, topic, "last")
    return _render_topic(request, topic, page, list(page.object_list), None, form=form, preview=preview, status=status)


@forums_required
@require_POST
def autosave_draft(request, pk):
    """Called every few seconds by static/js/forums.js while she writes (the Save draft button does the same)."""
    topic = _topic_or_404(request, pk)
    draft = services.save_draft(user=request.user, forum=topic.forum, topic=topic, body=request.POST.get("body", ""))
    return JsonResponse({"saved": draft is not None})


@forums_required
def attachment(request, pk):
    """A post's file, only for those who may read the post; never from a public URL."""
    found = Attachment.objects.select_related("post__topic__forum").filter(pk=pk).first()
    if found is None or not permissions.can_read_post(request.user, found.post):
        raise Http404
    # Always a download: a post's file never opens in the site's own origin.
    return file_response(
        found.file,
        filename=found.original_name,
        extension=extension_of(found.original_name),
        public=False,
        inline=False,
    )


@forums_required
def post_link(request, pk):
    """The address of one post, wherever it sits: its topic's page and anchor."""
    post = _post_or_404(request, pk)
    page = queries.page_of_post_number(request.user, post.topic, post.number)
    return HttpResponseRedirect(
        f"{reverse('forums:topic_detail', args=[post.topic_id])}?page={page}#post-{post.number}"
    )


@forums_required
def edit_post(request, pk):
    post = _post_or_404(request, pk)
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied
    status = 200
    preview = None
    if request.method == "POST":
        form = EditPostForm(request.POST)
        body = request.POST.get("body", "")
        if request.POST.get("action") == "preview":
            preview = render_post_html(body)
        elif form.is_valid():
            try:
                services.edit_post(post, actor=request.user, body=body, reason=form.cleaned_data["reason"])
            except ForumError as error:
                _add_error(form, error)
                status = 400
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(post_url(post))
        else:
            status = 400
    else:
        form = EditPostForm(initial={"body": post.body})
    return render(request, "forums/post_edit.html", {"post": post, "form": form, "preview": preview}, status=status)


@forums_required
def delete_post(request, pk):
    post = _post_or_404(request, pk)
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.delete_post(post, actor=request.user, reason=request.POST.get("reason", ""))
        except ForumError as error:
            messages.error(request, error.messages[0])
            return redirect(post_url(post))
        messages.success(request, _("The post is deleted."))
        return redirect("forums:topic_detail", post.topic_id)
    return render(request, "forums/post_delete.html", {"post": post})


@forums_required
def post_history(request, pk):
    post = _post_or_404(request, pk)
    if not permissions.can_see_post_history(request.user, post):
        raise Http404
    revisions = [{"revision": r, "html": render_post_html(r.body)} for r in post.revisions.select_related("edited_by")]
    return render(request, "forums/post_history.html", {"post": post, "revisions": revisions})


@forums_required
def flag_post(request, pk):
    post = _post_or_404(request, pk)
    if request.method == "POST":
        form = FlagForm(request.POST)
        if form.is_valid():
            services.flag_post(post, reporter=request.user, **form.cleaned_data)
            messages.success(request, _("Thank you. The moderators will look at this post."))
            return redirect(post_url(post))
        status = 400
    else:
        form, status = FlagForm(), 200
    return render(request, "forums/post_flag.html", {"post": post, "form": form}, status=status)


@forums_required
@require_POST
def helpful(request, pk):
    post = _post_or_404(request, pk)
    services.mark_helpful(post, user=request.user, helpful=request.POST.get("helpful") != "0")
    return redirect(post_url(post))


@forums_required
@require_POST
def accept_answer(request, pk):
    post = _post_or_404(request, pk)
    clear = request.POST.get("clear") == "1"
    try:
        services.accept_answer(post.topic, None if clear else post, actor=request.user)
    except ForumError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("The accepted answer is cleared.") if clear else _("Marked as the accepted answer.")
        )
    return redirect("forums:topic_detail", post.topic_id)


@forums_required
@require_POST
def watch_topic(request, pk):
    topic = _topic_or_404(request, pk)
    watching = request.POST.get("watch") == "1"
    services.set_topic_watch(user=request.user, topic=topic, watching=watching)
    messages.success(
        request,
        _("You will get an email for every reply.") if watching else _("You no longer get an email for every reply."),
    )
    return redirect("forums:topic_detail", topic.pk)


@forums_required
def mention_suggestions(request):
    """Handles for the @ autocomplete: only members the writer may see."""
    return JsonResponse({"results": queries.mention_candidates(request.user, request.GET.get("q", ""))})


@login_required
@never_cache
def member_posts(request, public_id):
    member = Member.objects.select_related("user").filter(public_id=public_id).first()
    from network.permissions import can_view_profile

    if member is None or not can_view_profile(request.user, member):
        raise Http404
    page = queries.member_posts_page(request.user, member.user, request.GET.get("page"))
    return render(request, "forums/member_posts.html", {"member": member, "page": page})


# --- moderation ----------------------------------------------------------------------------------------------


def moderators_only(view):
    @forums_required
    def wrapped(request, *args, **kwargs):
        if not permissions.can_moderate_any_forum(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


@moderators_only
def moderation_queue(request):
    return render(
        request, "forums/moderation_queue.html", {**queries.moderation_queue(request.user), "reason_form": ReasonForm()}
    )


POST_ACTIONS = {
    "hide": (services.hide_post, _("The post is hidden.")),
    "restore": (services.restore_post, _("The post is visible again.")),
    "approve": (services.approve_post, _("The post is approved and published.")),
    "reject": (services.reject_post, _("The post is rejected.")),
    "dismiss": (services.dismiss_flags, _("The flags are dismissed.")),
}


@forums_required
@require_POST
def moderate_post(request, pk):
    post = queries.get_post_for_user(request.user, pk)
    if post is None or not permissions.can_moderate_forum(request.user, post.topic.forum):
        raise Http404
    action = POST_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Choose what to do with the post."))
        return redirect(post_url(post))
    function, done = action
    try:
        function(post, actor=request.user, reason=request.POST.get("reason", ""))
    except ForumError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, done)
    # Back to the queue when the action came from it (on the site or in the Wagtail admin), else to the post.
    if request.POST.get("next") in (reverse("forums:moderation"), reverse("forums_admin_moderation")):
        return redirect(request.POST["next"])
    return redirect(post_url(post))


@forums_required
@require_POST
def moderate_topic(request, pk):
    topic = _topic_or_404(request, pk)
    if not permissions.can_moderate_forum(request.user, topic.forum):
        raise Http404
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    simple = {
        "lock": (services.lock_topic, {"locked": True}, _("The topic is locked.")),
        "unlock": (services.lock_topic, {"locked": False}, _("The topic is open for replies again.")),
        "pin": (services.pin_topic, {"pinned": True}, _("The topic is pinned.")),
        "unpin": (services.pin_topic, {"pinned": False}, _("The topic is no longer pinned.")),
        "hide": (services.hide_topic, {"hidden": True}, _("The topic is hidden.")),
        "restore": (services.hide_topic, {"hidden": False}, _("The topic is visible again.")),
    }
    try:
        if action in simple:
            function, kwargs, done = simple[action]
            function(topic, actor=request.user, reason=reason, **kwargs)
        elif action == "move":
            form = MoveTopicForm(
                request.POST, forums=Forum.objects.filter(pk__in=permissions.moderated_forum_ids(request.user))
            )
            if not form.is_valid():
                raise ForumError(_("Choose the forum to move the topic to, and give a reason."))
            services.move_topic(topic, actor=request.user, forum=form.cleaned_data["forum"], reason=reason)
            done = _("The topic is moved.")
        elif action == "merge":
            form = MergeTopicForm(request.POST)
            into = queries.get_topic_for_user(request.user, form.data.get("into") or 0) if form.is_valid() else None
            if into is None:
                raise ForumError(_("No topic you moderate has this number."))
            topic = services.merge_topics(topic, into=into, actor=request.user, reason=reason)
            done = _("The topics are merged.")
        else:
            raise ForumError(_("Choose what to do with the topic."))
    except ForumError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, done)
    return redirect("forums:topic_detail", topic.pk)


@moderators_only
def suspend_member(request, public_id):
    member = Member.objects.select_related("user").filter(public_id=public_id).first()
    if member is None or not permissions.is_forum_moderator(request.user):
        raise Http404
    status = 200
    if request.method == "POST":
        form = SuspendForm(request.POST)
        if form.is_valid():
            until = timezone.now() + datetime.timedelta(days=form.cleaned_data["days"])
            try:
                services.suspend_from_forums(
                    member.user, actor=request.user, until=until, reason=form.cleaned_data["reason"]
                )
            except ForumError as error:
                form.add_error(None, error.messages[0])
                status = 400
            else:
                messages.success(
                    request, _("%(name)s may not post until the date given.") % {"name": member.display_name}
                )
                return redirect("forums:moderation")
        else:
            status = 400
    else:
        form = SuspendForm()
    return render(request, "forums/suspend.html", {"member": member, "form": form}, status=status)
