"""The public site's page types, the featured-member snippet and the site settings.

Every content page inherits `BasePage`, whose access level (public, members, network, Community of Practice)
applies to the page and everything below it; cms/access.py answers who may see what, and
cms/wagtail_hooks.py enforces it when a page is served.
"""

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, Locale, Page, RevisionMixin, TranslatableMixin
from wagtail.search import index

from campaigns.permissions import can_view_campaign
from cms.access import effective_access_level, filter_pages_for_user
from cms.blocks import ChartBlocks, ContentBlocks, MembershipCategoryBlocks
from events.queries import upcoming_trainings
from network.choices import AccessLevel, ConsentKind
from network.models import ConsentRecord

INTRO_FEATURES = ["bold", "italic", "link"]
BODY_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]

CONTENT_PAGES = [
    "cms.StandardPage",
    "events.EventsIndexPage",
    "cms.SectionIndexPage",
    "cms.NewsIndexPage",
    "cms.ProgrammePage",
    "cms.CampaignPage",
    "cms.StatisticsPage",
]


def safe_reverse(*names: str) -> str:
    """The first of the URL names that exists; "" when none does (another feature may not be installed)."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


def application_url() -> str:
    return safe_reverse("network:apply", "account_signup")


class BasePage(Page):
    """Common to every page of the site: who may see it (and everything below it)."""

    access_level = models.PositiveSmallIntegerField(
        _("who may see this page"),
        choices=AccessLevel.choices,
        default=AccessLevel.PUBLIC,
        help_text=_(
            "Applies to this page and every page below it. Members: any admitted member; Network: active, "
            "civilian and honorary members; Community of Practice: network members with approved access."
        ),
    )

    settings_panels = [FieldPanel("access_level"), *Page.settings_panels]

    class Meta:
        abstract = True

    @property
    def required_access_level(self) -> AccessLevel:
        return effective_access_level(self)

    @property
    def summary(self) -> str:
        """A line of plain text for lists of pages: the search description, else the introduction."""
        return self.search_description or strip_tags(str(getattr(self, "intro", "") or ""))

    def get_sitemap_urls(self, request=None):
        # The sitemap lists public pages only; cms/sitemaps.py filters too, this guards any other caller.
        if self.required_access_level > AccessLevel.PUBLIC:
            return []
        return super().get_sitemap_urls(request)


class HomePage(BasePage):
    """The root of each language's site."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = RichTextField(_("body"), blank=True, features=BODY_FEATURES)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hero image"),
    )
    featured_campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("campaign shown"),
        help_text=_("Its targets and their progress are shown on the home page."),
    )
    campaign_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("campaign page"),
        help_text=_("Where “More about the campaign” leads."),
    )
    join_title = models.CharField(_("join call: title"), max_length=150, blank=True)
    join_text = models.TextField(_("join call: text"), blank=True)
    join_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("join call: page"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("featured_campaign"), PageChooserPanel("campaign_page", page_type="cms.CampaignPage")],
            heading=_("Campaign progress"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("join_title"),
                FieldPanel("join_text"),
                PageChooserPanel("join_page", page_type="cms.JoinPage"),
            ],
            heading=_("Join call"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [*CONTENT_PAGES, "cms.JoinPage", "cms.ContactPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        stories = filter_pages_for_user(user, StoryPage.objects.live().descendant_of(self))
        context["latest_stories"] = stories.select_related("lead_image").order_by("-date", "-pk")[:3]
        context["news_index"] = filter_pages_for_user(user, NewsIndexPage.objects.live().descendant_of(self)).first()
        campaign = self.featured_campaign
        if can_view_campaign(user, campaign):
            context["campaign"] = campaign
            context["campaign_targets"] = list(campaign.targets.all())
            context["campaign_ended"] = campaign.deadline < timezone.localdate()
        # The courses and events of this language's site (events/queries.py), the next ones or the latest.
        context["upcoming_events"], context["events_are_upcoming"] = upcoming_trainings(user, under=self)
        context["featured_members"] = featured_members_for(self.locale)[:3]
        context["join_url"] = self.join_page.get_url(request) if self.join_page_id else application_url()
        return context


class StandardPage(BasePage):
    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    body = StreamField(ContentBlocks(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = [
        "cms.HomePage",
        "cms.SectionIndexPage",
        "cms.StandardPage",
        "cms.ProgrammePage",
        "cms.CampaignPage",
    ]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class SectionIndexPage(BasePage):
    """A section (About, Programmes…) listing the pages below it that the visitor may open."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    body = StreamField(ContentBlocks(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.SectionIndexPage"]
    subpage_types = [*CONTENT_PAGES, "cms.ContactPage"]

    class Meta:
        verbose_name = _("section index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["children"] = filter_pages_for_user(request.user, self.get_children().live()).specific()
        return context


class NewsIndexPage(BasePage):
    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage", "cms.SectionIndexPage"]
    subpage_types = ["cms.StoryPage"]

    stories_per_page = 10

    class Meta:
        verbose_name = _("news index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = filter_pages_for_user(request.user, StoryPage.objects.child_of(self).live())
        context["tags"] = list(
            Tag.objects.filter(cms_storypagetag_items__content_object__in=stories)
            .distinct()
            .order_by("name")
            .values("name", "slug")
        )
        tag = request.GET.get("tag", "").strip()
        if tag:
            stories = stories.filter(tags__slug=tag)
            context["tag"] = next((t for t in context["tags"] if t["slug"] == tag), {"name": tag, "slug": tag})
        stories = stories.select_related("lead_image").prefetch_related("tags").order_by("-date", "-pk")
        context["stories"] = Paginator(stories, self.stories_per_page).get_page(request.GET.get("page"))
        return context


class StoryPageTag(TaggedItemBase):
    content_object = ParentalKey("cms.StoryPage", on_delete=models.CASCADE, related_name="tagged_items")


class StoryPage(BasePage):
    date = models.DateField(_("date"), default=timezone.localdate)
    author = models.CharField(_("author"), max_length=150, blank=True)
    intro = models.TextField(_("summary"), max_length=400, blank=True)
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead image"),
    )
    lead_image_caption = models.CharField(_("lead image caption"), max_length=300, blank=True)
    body = StreamField(ContentBlocks(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=StoryPageTag, blank=True, verbose_name=_("tags"))

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("author")]),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("lead_image"), FieldPanel("lead_image_caption")], heading=_("Lead image")),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("author"),
        index.FilterField("date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")


class ProgrammeKind(models.TextChoices):
    ADVOCACY = "advocacy", _("Advocacy")
    MENTORING = "mentoring", _("Mentoring")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


# The member-facing features each programme leads to, by the URL names their features register. A name
# that is not (yet) installed is skipped, so a page never breaks because a feature is missing.
MEMBER_WORKFLOWS = {
    "apply": (_("Apply for membership"), ("network:apply", "account_signup")),
    "advocacy": (_("Log an advocacy action"), ("advocacy:advocacy_actions",)),
    "mentoring": (_("Find a mentor"), ("mentoring:index", "mentoring:home")),
    "training": (_("Training materials in the Community of Practice"), ("network:community_status",)),
    "community": (_("Request Community of Practice access"), ("network:community_status",)),
}


class ProgrammePage(BasePage):
    """One of the network's programmes, leading members to the feature where they take part."""

    kind = models.CharField(_("programme"), max_length=20, choices=ProgrammeKind.choices)
    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    body = StreamField(ContentBlocks(), verbose_name=_("body"), blank=True)
    workflow = models.CharField(
        _("member feature"),
        max_length=20,
        blank=True,
        choices=[(key, label) for key, (label, _names) in MEMBER_WORKFLOWS.items()],
        help_text=_("Where members take part in this programme."),
    )
    workflow_url = models.CharField(
        _("or a link"), max_length=300, blank=True, help_text=_("A path on this site (/en/…) or a web address.")
    )
    workflow_label = models.CharField(_("link text"), max_length=100, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("workflow"), FieldPanel("workflow_url"), FieldPanel("workflow_label")],
            heading=_("Take part"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("kind"),
    ]

    parent_page_types = ["cms.HomePage", "cms.SectionIndexPage"]
    subpage_types = ["cms.StandardPage", "events.EventsIndexPage"]

    class Meta:
        verbose_name = _("programme page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.kind == ProgrammeKind.TRAINING:
            # The courses and events of this language's site, from the events pages (events/queries.py).
            context["trainings"], context["trainings_are_upcoming"] = upcoming_trainings(
                request.user, under=HomePage.objects.ancestor_of(self).first(), limit=10
            )
        return context

    def clean(self):
        super().clean()
        url = self.workflow_url
        if url and not (url.startswith("/") or url.startswith("https://") or url.startswith("http://")):
            raise ValidationError({"workflow_url": _("Enter a path starting with / or a web address.")})

    @property
    def workflow_link(self) -> dict | None:
        """{"label", "url"} of the member feature, or None when it is not available."""
        if self.workflow_url:
            label = self.workflow_label or MEMBER_WORKFLOWS.get(self.workflow, (_("Take part"),))[0]
            return {"label": label, "url": self.workflow_url}
        if self.workflow in MEMBER_WORKFLOWS:
            label, names = MEMBER_WORKFLOWS[self.workflow]
            url = safe_reverse(*names)
            if url:
                return {"label": self.workflow_label or label, "url": url}
        return None


class CampaignPage(BasePage):
    """A campaign (such as Race to 2014) with the live progress of its targets."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("campaign"),
    )
    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    body = StreamField(ContentBlocks(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("campaign"), FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.SectionIndexPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("campaign page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if can_view_campaign(request.user, self.campaign):
            context["campaign"] = self.campaign
            context["campaign_targets"] = list(self.campaign.targets.all())
            context["campaign_ended"] = self.campaign.deadline < timezone.localdate()
        return context


class StatisticsPage(BasePage):
    """Charts of data series (women among UN police, authorised strength…) with tables for screen readers."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    charts = StreamField(ChartBlocks(), verbose_name=_("charts"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("charts")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("charts")]

    parent_page_types = ["cms.HomePage", "cms.SectionIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("statistics page")


class JoinPage(BasePage):
    """Who may join in which category, and the way to the membership application."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    categories = StreamField(MembershipCategoryBlocks(), verbose_name=_("membership categories"), blank=True)
    body = StreamField(ContentBlocks(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("categories"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("categories"),
        index.SearchField("body"),
    ]

    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("join page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["apply_url"] = application_url()
        return context


# --- contact form ---------------------------------------------------------------------------------

HONEYPOT_FIELD = "website_address"
# A message longer than this is refused (and kept on the page to be shortened), not emailed whole to staff.
MESSAGE_MAX_LENGTH = 5000


class ContactFormBuilder(FormBuilder):
    """Adds a field people never see and bots fill in; limits the length of multi-line answers."""

    def create_multiline_field(self, field, options):
        # max_length also puts maxlength on the <textarea>, so the browser stops at the limit too.
        options["max_length"] = MESSAGE_MAX_LENGTH
        options["error_messages"] = {
            **options.get("error_messages", {}),
            "max_length": _(
                "Please shorten your message to 5,000 characters at most (it has %(show_value)d); "
                "what you wrote is kept below."
            ),
        }
        return super().create_multiline_field(field, options)

    @property
    def formfields(self):
        fields = super().formfields
        fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        return fields


class ContactFormField(AbstractFormField):
    page = ParentalKey("cms.ContactPage", on_delete=models.CASCADE, related_name="form_fields")


class ContactPage(BasePage, AbstractEmailForm):
    """A contact form: submissions are kept in the admin and emailed to the addresses configured."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    thank_you_text = RichTextField(_("thank-you message"), blank=True, features=INTRO_FEATURES)

    form_builder = ContactFormBuilder
    # Carries a CSRF token and per-visitor errors: never served from the anonymous page cache.
    cache_anonymous = False
    # Submissions accepted per client address and hour, against bots that skip the hidden field.
    submissions_per_hour = 5
    message_max_length = MESSAGE_MAX_LENGTH

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("Email"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage", "cms.SectionIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("contact page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["honeypot_field"] = HONEYPOT_FIELD
        return context

    def serve(self, request, *args, **kwargs):
        if request.method != "POST":
            return super().serve(request, *args, **kwargs)
        if request.POST.get(HONEYPOT_FIELD):
            # A bot: pretend it worked, keep and send nothing.
            return self.render_landing_page(request, None, *args, **kwargs)
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        status = 200
        if form.is_valid():
            if self._consume_submission_allowance(request):
                form.cleaned_data.pop(HONEYPOT_FIELD, None)
                submission = self.process_form_submission(form)
                return self.render_landing_page(request, submission, *args, **kwargs)
            form.add_error(
                None,
                _(
                    "We have received several messages from your connection in the last hour. Please try again "
                    "later; your message is still below."
                ),
            )
            status = 429
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context, status=status)

    def send_mail(self, form):
        """The email to staff, answerable: Reply-To is the visitor's address (the first email field)."""
        from wagtail.admin.mail import send_mail

        email_fields = [field.clean_name for field in self.get_form_fields() if field.field_type == "email"]
        reply_to = [form.cleaned_data[name] for name in email_fields[:1] if form.cleaned_data.get(name)]
        addresses = [address.strip() for address in self.to_address.split(",")]
        send_mail(self.subject, self.render_email(form), addresses, self.from_address, reply_to=reply_to or None)

    def _consume_submission_allowance(self, request) -> bool:
        from allauth.account.adapter import get_adapter

        try:
            client = get_adapter(request).get_client_ip(request)
        except Exception:  # noqa: BLE001 - no address: count them all together
            client = "unknown"
        key = f"cms:contact-submissions:{self.pk}:{client}"
        cache.add(key, 0, timeout=3600)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=3600)
            count = 1
        return count <= self.submissions_per_hour


# --- featured members -----------------------------------------------------------------------------


class FeaturedMemberQuerySet(models.QuerySet):
    def publicly_shown(self):
        """Entries an editor has published, for people whose consent to be featured is on record."""
        return self.with_consent().filter(live=True)

    def with_consent(self):
        """Only people whose consent to be featured is on record and not withdrawn (published or not)."""
        member_consent = ConsentRecord.objects.filter(
            user_id=OuterRef("member__user_id"), kind=ConsentKind.FEATURE, withdrawn_at__isnull=True
        )
        return self.filter(
            (Q(member__isnull=False) & Exists(member_consent))
            | (Q(member__isnull=True, consent_recorded_on__isnull=False) & ~Q(consent_note=""))
        )


class FeaturedMember(DraftStateMixin, RevisionMixin, TranslatableMixin, models.Model):
    """An outstanding member or award winner shown on the public site.

    An entry appears once an editor publishes it (a nomination from a campaign's contributors starts as a
    draft), and then only while the member's "featured on the public website" consent is recorded and not
    withdrawn; someone who is not a member (an award winner) only once staff record when and how they
    consented.
    """

    member = models.ForeignKey(
        "network.Member",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("member"),
        help_text=_("Shown only while this member's consent to be featured is on record."),
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo"),
    )
    citation = models.TextField(_("citation"), max_length=1200)
    award = models.CharField(_("award"), max_length=200, blank=True)
    consent_recorded_on = models.DateField(
        _("consent recorded on"),
        null=True,
        blank=True,
        help_text=_("For someone who is not a member: when they agreed to be featured."),
    )
    consent_note = models.TextField(
        _("how consent was given"), blank=True, help_text=_("e.g. “Email of 3 May 2024 to the secretariat”.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = FeaturedMemberQuerySet.as_manager()

    panels = [
        FieldPanel("member"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("role")]),
        FieldRowPanel([FieldPanel("country"), FieldPanel("award")]),
        FieldPanel("photo"),
        FieldPanel("citation"),
        MultiFieldPanel(
            [FieldPanel("consent_recorded_on"), FieldPanel("consent_note")], heading=_("Consent of a non-member")
        ),
        FieldPanel("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order", "name"]
        verbose_name = _("featured member")
        verbose_name_plural = _("featured members")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.member_id is None:
            errors = {}
            if self.consent_recorded_on is None:
                errors["consent_recorded_on"] = _("Record when this person agreed to be featured.")
            if not self.consent_note.strip():
                errors["consent_note"] = _("Note how this person agreed to be featured.")
            if errors:
                raise ValidationError(errors)

    @property
    def has_consent(self) -> bool:
        return FeaturedMember.objects.with_consent().filter(pk=self.pk).exists()

    def copy_for_translation(self, locale, exclude_fields=None):
        """A translation starts as a draft, as a translated page does: an editor publishes it once the
        citation reads well in the new language (it is copied in the source language)."""
        translation = super().copy_for_translation(locale, exclude_fields=exclude_fields)
        translation.live = False
        translation.has_unpublished_changes = True
        translation.live_revision = None
        translation.first_published_at = translation.last_published_at = None
        return translation


def featured_members_for(locale: Locale):
    return FeaturedMember.objects.publicly_shown().filter(locale=locale).select_related("photo")


# --- settings -------------------------------------------------------------------------------------


@register_setting(icon="site")
class SiteBranding(BaseSiteSetting):
    """The network's name and logo as shown in the header, editable per site in the admin."""

    site_name = models.CharField(_("site name"), max_length=100, default="Peacekeepers Network")
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )

    panels = [FieldPanel("site_name"), FieldPanel("tagline"), FieldPanel("logo")]

    class Meta:
        verbose_name = _("site branding")
