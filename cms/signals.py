from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms.access import forget_restricted_paths
from cms.models import FeaturedMember, SiteBranding
from network.models import ConsentRecord
from network.page_cache import invalidate_anonymous_pages


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(page_slug_changed)
def _invalidate_on_page_change(sender, **kwargs):
    forget_restricted_paths()
    invalidate_anonymous_pages()


@receiver(post_delete)
def _invalidate_on_page_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        forget_restricted_paths()
        invalidate_anonymous_pages()


@receiver(post_save)
def _forget_access_levels_on_page_save(sender, instance, **kwargs):
    # A page's access level, or its place in the tree, may have changed: recompute the restricted sections.
    if isinstance(instance, Page):
        forget_restricted_paths()


@receiver(post_save, sender=SiteBranding)
@receiver(post_delete, sender=SiteBranding)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_delete, sender=FeaturedMember)
# A withdrawn consent must take a featured member off the cached public pages at once.
@receiver(post_save, sender=ConsentRecord)
@receiver(post_delete, sender=ConsentRecord)
def _invalidate_on_settings_change(sender, **kwargs):
    invalidate_anonymous_pages()


# Saves that only record a new draft revision of a featured member (the admin's "Save draft", its autosave, a
# nomination's first revision) change nothing the public sees. Publishing and unpublishing save the whole
# entry, so they still replace the cached pages.
_DRAFT_BOOKKEEPING_FIELDS = frozenset({"latest_revision", "has_unpublished_changes"})


@receiver(post_save, sender=FeaturedMember)
def _invalidate_on_featured_member_save(sender, instance, update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= _DRAFT_BOOKKEEPING_FIELDS:
        return
    invalidate_anonymous_pages()
