from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms.cache import invalidate_anonymous_pages
from cms.models import SiteBranding


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(page_slug_changed)
def _invalidate_on_page_change(sender, **kwargs):
    invalidate_anonymous_pages()


@receiver(post_delete)
def _invalidate_on_page_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate_anonymous_pages()


@receiver(post_save, sender=SiteBranding)
@receiver(post_delete, sender=SiteBranding)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _invalidate_on_settings_change(sender, **kwargs):
    invalidate_anonymous_pages()
