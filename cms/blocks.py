"""StreamField blocks for the content pages.

Nothing here loads third-party content: an "embed" is stored as a link to the provider and rendered as a
plain link the visitor may follow (consent by click), so no provider sees a visitor who did not choose to.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from campaigns.choosers import target_chooser_viewset
from network.choices import MemberCategory

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul"]

TargetChooserBlock = target_chooser_viewset.get_block_class(name="TargetChooserBlock", module_path="cms.blocks")


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section heading")), ("h3", _("Subheading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "cms/blocks/heading.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it. Leave empty if it is only decoration."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)
    credit = blocks.CharBlock(label=_("credit"), required=False, max_length=150, help_text=_("e.g. UN Photo"))

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "cms/blocks/quote.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=150)
    text = blocks.TextBlock(label=_("text"), required=False)
    button_label = blocks.CharBlock(label=_("button label"), max_length=60)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("or a web address"), required=False)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "cms/blocks/call_to_action.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": blocks.BlockValidationError(_("Choose a page or enter a web address."))}
            )
        return value


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(label=_("link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "cms/blocks/document_link.html"


class ExternalMediaBlock(blocks.StructBlock):
    """A video or other media hosted elsewhere, shown as a link: nothing loads without the visitor's click."""

    url = blocks.URLBlock(label=_("web address of the media"))
    title = blocks.CharBlock(label=_("title"), max_length=200)
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    class Meta:
        icon = "media"
        label = _("Embedded media (link)")
        template = "cms/blocks/external_media.html"


class StatisticBlock(blocks.StructBlock):
    number = blocks.CharBlock(label=_("number"), max_length=30, help_text=_("e.g. 1,230 or 10 %"))
    label = blocks.CharBlock(label=_("label"), max_length=200)
    source = blocks.CharBlock(label=_("source"), required=False, max_length=200)

    class Meta:
        icon = "order"
        label = _("Statistic")
        template = "cms/blocks/statistic.html"


class CampaignProgressBlock(TargetChooserBlock):
    class Meta:
        icon = "time"
        label = _("Campaign progress")
        template = "cms/blocks/campaign_progress.html"


class TableBlock(blocks.StructBlock):
    table = TypedTableBlock(
        [
            ("text", blocks.CharBlock(label=_("text"))),
            ("number", blocks.DecimalBlock(label=_("number"))),
            ("rich_text", blocks.RichTextBlock(label=_("rich text"), features=["bold", "italic", "link"])),
        ],
        label=_("table"),
    )
    source = blocks.CharBlock(label=_("source"), required=False, max_length=200)

    class Meta:
        icon = "table"
        label = _("Table")
        template = "cms/blocks/table.html"


class ContentBlocks(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Rich text"), features=RICH_TEXT_FEATURES, template="cms/blocks/paragraph.html"
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    document = DocumentLinkBlock()
    embed = ExternalMediaBlock()
    statistic = StatisticBlock()
    campaign_progress = CampaignProgressBlock()
    table = TableBlock()


class MembershipCategoryBlock(blocks.StructBlock):
    category = blocks.ChoiceBlock(label=_("category"), choices=MemberCategory.choices)
    who = blocks.TextBlock(label=_("who may join in this category"))
    offers = blocks.RichTextBlock(label=_("what it gives access to"), features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "group"
        label = _("Membership category")
        template = "cms/blocks/membership_category.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["category_label"] = dict(MemberCategory.choices).get(value["category"], value["category"])
        return context


class MembershipCategoryBlocks(blocks.StreamBlock):
    category = MembershipCategoryBlock()


class SeriesChartBlock(blocks.StructBlock):
    series = SnippetChooserBlock("campaigns.StatisticSeries", label=_("statistic series"))
    note = blocks.TextBlock(label=_("note"), required=False)

    class Meta:
        icon = "pick"
        label = _("Chart of a statistic series")
        template = "cms/blocks/series_chart.html"


class ChartBlocks(blocks.StreamBlock):
    chart = SeriesChartBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Rich text"), features=RICH_TEXT_FEATURES, template="cms/blocks/paragraph.html"
    )
    statistic = StatisticBlock()
