from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    CURRICULUM = "curriculum", _("Curriculum")
    TOOLKIT_MODULE = "toolkit_module", _("Toolkit module")
    GUIDANCE = "guidance", _("Guidance")
    REPORT = "report", _("Report")
    ADVOCACY = "advocacy", _("Advocacy material")
    FORM = "form", _("Form")


class DocumentLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for text extraction")
    DONE = "done", _("Text extracted")
    FAILED = "failed", _("Text extraction failed")
