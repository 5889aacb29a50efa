"""Messages between members through the platform; addresses stay hidden on both sides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from network import permissions, queries
from network.forms import MemberMessageForm
from network.models import Member, MemberMessage
from network.services import messaging
from network.views.directory import render_directory_refusal


def _rate_limited(form: MemberMessageForm) -> None:
    form.add_error(
        None,
        _(
            "You have sent %(count)s messages in the last hour, the most allowed. Your text is kept below: "
            "please send it a little later."
        )
        % {"count": messaging.MESSAGES_PER_HOUR},
    )


@login_required
@never_cache
def contact_member(request, public_id):
    if not permissions.can_view_directory(request.user):
        return render_directory_refusal(request)
    recipient = Member.objects.select_related("user").filter(public_id=public_id).first()
    # Not found rather than forbidden: whether a hidden member exists is itself private.
    if recipient is None or not permissions.can_contact_member(request.user, recipient):
        raise Http404
    status = 200
    if request.method == "POST":
        form = MemberMessageForm(request.POST)
        if form.is_valid():
            try:
                message = messaging.send_member_message(
                    permissions.get_member(request.user), recipient, body=form.cleaned_data["body"]
                )
            except messaging.MessageRateLimited:
                _rate_limited(form)
                status = 429
            else:
                messages.success(
                    request,
                    _("Your message has been sent. You will be told by email when %(name)s replies.")
                    % {"name": recipient.display_name},
                )
                return redirect("network:message_detail", message.pk)
    else:
        form = MemberMessageForm()
    return render(request, "network/messages_contact.html", {"form": form, "recipient": recipient}, status=status)


@login_required
@never_cache
def inbox(request):
    member = permissions.get_member(request.user)
    box = "sent" if request.GET.get("box") == "sent" else "received"
    if member is None:
        found = MemberMessage.objects.none()
    elif box == "sent":
        found = queries.list_sent_messages(member)
    else:
        found = queries.list_received_messages(member)
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    return render(request, "network/messages_inbox.html", {"page": page, "box": box})


def _reply_target(member: Member, message: MemberMessage, conversation: list[MemberMessage]):
    """The message a reply answers: the one opened if it was sent to the member, else the latest received."""
    if message.recipient_id == member.pk and message.sender_id is not None:
        return message
    for candidate in reversed(conversation):
        if candidate.recipient_id == member.pk and candidate.sender_id is not None:
            return candidate
    return None


@login_required
@never_cache
def message_detail(request, pk: int):
    member = permissions.get_member(request.user)
    if member is None:
        raise Http404
    try:
        message = queries.get_message_for_member(member, pk)
    except MemberMessage.DoesNotExist:
        raise Http404 from None
    conversation = queries.list_conversation(member, message)
    target = _reply_target(member, message, conversation)
    status = 200
    form = MemberMessageForm()
    if request.method == "POST":
        if target is None:
            raise Http404
        form = MemberMessageForm(request.POST)
        if form.is_valid():
            try:
                reply = messaging.reply_to_message(target, sender=member, body=form.cleaned_data["body"])
            except messaging.MessageRateLimited:
                _rate_limited(form)
                status = 429
            else:
                messages.success(request, _("Your reply has been sent."))
                return redirect("network:message_detail", reply.pk)
    else:
        messaging.mark_conversation_read(member, message)
    counterpart = message.recipient if message.sender_id == member.pk else message.sender
    return render(
        request,
        "network/messages_detail.html",
        {
            "message": message,
            "conversation": conversation,
            "counterpart": counterpart,
            "me": member,
            "form": form if target is not None else None,
        },
        status=status,
    )
