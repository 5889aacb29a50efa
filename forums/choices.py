from django.db import models
from django.utils.translation import gettext_lazy as _


class ForumKind(models.TextChoices):
    DISCUSSION = "discussion", _("Discussion")
    QUESTIONS = "questions", _("Questions and answers")


class FlagReason(models.TextChoices):
    ABUSIVE = "abusive", _("Abusive or harassing")
    PRIVATE = "private", _("Reveals private or operational information")
    SPAM = "spam", _("Spam or advertising")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Something else")


class FlagState(models.TextChoices):
    OPEN = "open", _("Waiting for a moderator")
    ACTED = "acted", _("Acted on")
    DISMISSED = "dismissed", _("Dismissed")
