"""The library's section of the members' area and panel of the Community of Practice home (network/areas.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from library import queries
from network.areas import Item, Panel, Section, register_community_panel, register_member_section

LATEST_SHOWN = 5


@register_member_section(order=35)
def library_section(request) -> Section:
    latest, count = queries.latest_documents_and_count(request.user, limit=3)
    return Section(
        key="library",
        title=_("Document library"),
        url=reverse("library:home"),
        link_text=_("Open the library"),
        summary=_("Curricula, toolkit modules, guidance and reports, in English and French."),
        count=count,
        count_label=ngettext("document you can open", "documents you can open", count),
        items=[
            Item(title=document.title, url=reverse("library:document_detail", args=[document.pk]))
            for document in latest
        ],
    )


@register_community_panel(order=30)
def latest_documents_panel(request) -> Panel | None:
    documents = queries.latest_documents(request.user, limit=LATEST_SHOWN)
    return Panel(
        key="library",
        title=_("New in the library"),
        url=reverse("library:home"),
        link_text=_("Open the library"),
        items=[
            Item(
                title=document.title,
                url=reverse("library:document_detail", args=[document.pk]),
                meta=document.get_document_type_display() or "",
            )
            for document in documents
        ],
        empty_text=_("No document yet."),
    )
