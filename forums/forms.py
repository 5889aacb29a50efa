from django import forms
from django.utils.translation import gettext_lazy as _

from forums.choices import FlagReason
from forums.services import MAX_TITLE_LENGTH
from network.choices import Delivery

BODY_HELP = _(
    "Markdown: **bold**, *italic*, [a link](https://…), > a quote, - a list. Mention a member with @ and her "
    "handle, e.g. @amina.diallo."
)
ATTACHMENT_HELP = _(
    "Optional. A PDF, a PNG or JPEG image, a Word, Excel, PowerPoint or OpenDocument text file, or plain text, "
    "up to 10 MB."
)


class PostForm(forms.Form):
    # Lengths are checked by the services with a message that says by how much; the browser's maxlength would
    # cut a pasted text silently.
    body = forms.CharField(
        label=_("Your reply"), required=False, widget=forms.Textarea(attrs={"rows": 10}), help_text=BODY_HELP
    )
    attachment = forms.FileField(label=_("Attach a file"), required=False, help_text=ATTACHMENT_HELP)


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=MAX_TITLE_LENGTH * 2)
    body = forms.CharField(
        label=_("Your post"), required=False, widget=forms.Textarea(attrs={"rows": 14}), help_text=BODY_HELP
    )
    attachment = forms.FileField(label=_("Attach a file"), required=False, help_text=ATTACHMENT_HELP)


class EditPostForm(forms.Form):
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 14}), help_text=BODY_HELP
    )
    reason = forms.CharField(label=_("Reason for the change (moderators)"), required=False, max_length=500)


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why does this post need a moderator?"), choices=FlagReason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("Details (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(label=_("Email me"), choices=Delivery.choices)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (kept in the audit log)"), max_length=1000)


class MoveTopicForm(ReasonForm):
    forum = forms.ModelChoiceField(label=_("Move to"), queryset=None)

    def __init__(self, *args, forums, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums


class MergeTopicForm(ReasonForm):
    into = forms.IntegerField(
        label=_("Number of the topic to merge into"),
        min_value=1,
        help_text=_("The number in the other topic's address: …/topics/<number>/"),
    )


class SuspendForm(ReasonForm):
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=365, initial=7)
