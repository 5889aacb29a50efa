"""Builders for content pages: each page is added under its parent and published, as an editor would."""

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from cms.models import ContactFormField, ContactPage
from network.choices import AccessLevel


def publish_child(parent: Page, model: type[Page], **fields) -> Page:
    fields.setdefault("title", f"{model.__name__} page")
    fields.setdefault("slug", fields["title"].lower().replace(" ", "-"))
    page = model(locale_id=parent.locale_id, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def translate(page: Page, language: str, **fields) -> Page:
    """The page's translation into `language`, published with the given field values."""
    translation = page.copy_for_translation(Locale.objects.get(language_code=language))
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


def make_image(title: str = "Test image", size: tuple[int, int] = (640, 360)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "#0b4f8a").save(buffer, format="PNG")
    image = get_image_model()(title=title, file=ImageFile(buffer, name="test-image.png"))
    image.save()
    return image


def make_document(title: str = "Annual report"):
    # Public, as documents were before the library (library.Document defaults to members only).
    document = get_document_model()(
        title=title, file=ContentFile(b"%PDF-1.4 test", name="report.pdf"), access_level=AccessLevel.PUBLIC
    )
    document.save()
    return document


def contact_page(parent: Page, **fields) -> ContactPage:
    fields.setdefault("title", "Contact")
    fields.setdefault("to_address", "secretariat@example.org")
    fields.setdefault("subject", "Message from the website")
    fields.setdefault(
        "form_fields",
        [
            ContactFormField(label="Your name", field_type="singleline", required=True, sort_order=0),
            ContactFormField(label="Your email address", field_type="email", required=True, sort_order=1),
            ContactFormField(label="Your message", field_type="multiline", required=True, sort_order=2),
        ],
    )
    return publish_child(parent, ContactPage, **fields)
