"""Her notifications page, opening one, and the unsubscribe links of notification emails."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from network import notifications
from network.models import Notification

NOTIFICATIONS_PER_PAGE = 30


@login_required
@never_cache
def notification_list(request):
    page = Paginator(notifications.list_notifications(request.user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "network/notifications.html", {"page": page})


@login_required
@require_POST
def mark_all_read(request):
    notifications.mark_notifications_read(request.user)
    messages.success(request, _("All your notifications are marked as read."))
    return redirect("network:notifications")


@login_required
@require_POST
def resume_emails(request):
    notifications.resume_notification_emails(request.user)
    messages.success(request, _("Notification emails are on again."))
    return redirect("network:notifications")


@login_required
def open_notification(request, pk: int):
    # Only her own: someone else's notification is "not found".
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications.mark_notifications_read(request.user, ids=[notification.pk])
    # A site-relative path as the apps post it; anything else (an old or tampered row) goes to the list.
    if url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None) and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect("network:notifications")


# Mail clients POST to the link without a session or CSRF token (RFC 8058 one-click unsubscribe); the signed
# token is what authorises the change, and it only ever turns emails off.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        user, scope = notifications.read_unsubscribe_token(token)
    except notifications.InvalidUnsubscribeToken:
        return render(request, "network/notification_unsubscribe_invalid.html", status=400)
    context = {"what": notifications.describe_unsubscribe_scope(user, scope), "token": token}
    if request.method == "POST":
        notifications.unsubscribe(user, scope)
        return render(request, "network/notification_unsubscribe.html", {**context, "done": True})
    return render(request, "network/notification_unsubscribe.html", {**context, "done": False})
