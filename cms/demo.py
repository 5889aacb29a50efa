"""The demo site's home and content pages in English and French (registered for `manage.py seed_demo`).

Idempotent: a page that already exists (found by its slug under its parent, or as the translation of its
English page) is left as editors made it; only what is missing is created.
"""

import datetime
import io
from decimal import Decimal

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from campaigns.choices import TargetUnit
from campaigns.models import Campaign, StatisticPoint, StatisticSeries
from cms.models import (
    CampaignPage,
    ContactFormField,
    ContactPage,
    FeaturedMember,
    HomePage,
    JoinPage,
    NewsIndexPage,
    ProgrammeKind,
    ProgrammePage,
    SectionIndexPage,
    StandardPage,
    StatisticsPage,
    StoryPage,
    safe_reverse,
)
from cms.services import ensure_home_pages
from network.choices import AccessLevel, ConsentKind, MemberCategory
from network.demo import register_demo
from network.models import ConsentRecord, Member

RACE_TO_2014_SLUG = "race-to-2014"


# --- small builders -------------------------------------------------------------------------------


HOME = {
    "en": {
        "title": "International Network of Female Police Peacekeepers",
        "intro": (
            "Women who serve, or have served, as police officers in United Nations peace operations, "
            "supporting one another and opening the way for those who follow."
        ),
        "body": (
            "<h2>Why the network exists</h2>"
            "<p>The United Nations has sent police to peace operations since the 1960s. In 2009 only about "
            "one UN police officer in fourteen was a woman, and the Global Effort set out to bring that share "
            "to one in five.</p>"
            "<h2>What members do together</h2>"
            "<ul><li>Advocate at home and in missions for more women in UN policing.</li>"
            "<li>Mentor one another as leaders and share what works in the field.</li>"
            "<li>Train on preventing and investigating sexual and gender-based violence.</li>"
            "<li>Meet at regional events and in the online Community of Practice.</li></ul>"
        ),
    },
    "fr": {
        "title": "Réseau international des femmes policières de maintien de la paix",
        "intro": (
            "Des femmes qui servent, ou ont servi, comme policières dans les opérations de paix des Nations "
            "Unies, et qui s'épaulent pour ouvrir la voie à celles qui suivront."
        ),
        "body": (
            "<h2>Pourquoi ce réseau</h2>"
            "<p>Les Nations Unies déploient des policiers dans les opérations de paix depuis les années 1960. "
            "En 2009, à peine un membre de la police des Nations Unies sur quatorze était une "
            "femme ; l'Effort mondial visait à porter cette part à une sur cinq.</p>"
            "<h2>Ce que font les membres ensemble</h2>"
            "<ul><li>Plaider, chez elles et en mission, pour davantage de femmes dans la police des Nations "
            "Unies.</li><li>Se mentorer comme dirigeantes et partager ce qui fonctionne sur le terrain.</li>"
            "<li>Se former à la prévention des violences sexuelles et sexistes et aux enquêtes.</li>"
            "<li>Se retrouver lors d'événements régionaux et dans la Communauté de pratique en ligne.</li></ul>"
        ),
    },
}


@register_demo(order=10)
def seed_home_pages() -> None:
    ensure_home_pages(HOME, site_name="Peacekeepers Network", tagline="Women in UN policing, together")


def _child(parent: Page, model: type[Page], slug: str, **fields) -> Page:
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, locale_id=parent.locale_id, show_in_menus=fields.pop("show_in_menus", False), **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _translation(source: Page, locale: Locale, slug: str, *, tags=None, form_fields=None, **fields) -> Page:
    existing = source.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    page = source.copy_for_translation(locale)
    page.slug = slug
    for name, value in fields.items():
        setattr(page, name, value)
    if tags is not None:
        page.tags.set(tags)
    if form_fields is not None:
        page.form_fields.set(form_fields)
    page.save_revision().publish()
    return page


def _heading(text: str) -> dict:
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def _text(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def _statistic(number: str, label: str, source: str = "") -> dict:
    return {"type": "statistic", "value": {"number": number, "label": label, "source": source}}


def _cta(title: str, text: str, button: str, url: str) -> dict:
    return {
        "type": "call_to_action",
        "value": {"title": title, "text": text, "button_label": button, "page": None, "url": url},
    }


def _image(image, alt: str, caption: str, credit: str) -> dict:
    return {"type": "image", "value": {"image": image.pk, "alt_text": alt, "caption": caption, "credit": credit}}


def _table(headings: list[str], rows: list[list], source: str, caption: str) -> dict:
    columns = [{"type": "text", "heading": heading} for heading in headings]
    return {
        "type": "table",
        "value": {
            "table": {
                "columns": columns,
                "rows": [{"values": [str(cell) for cell in row]} for row in rows],
                "caption": caption,
            },
            "source": source,
        },
    }


def _apply_url(language: str) -> str:
    with translation.override(language):
        return safe_reverse("network:apply", "account_signup")


def _demo_image(title: str, colours: tuple[str, str], description: str):
    """A simple generated illustration (no photographs of real people in the demo)."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    from PIL import Image as PILImage
    from PIL import ImageDraw

    width, height = 1600, 900
    canvas = PILImage.new("RGB", (width, height), colours[0])
    draw = ImageDraw.Draw(canvas)
    for step in range(0, height, 6):
        shade = int(40 * step / height)
        draw.rectangle([0, step, width, step + 6], fill=_shift(colours[0], shade))
    for index, radius in enumerate((420, 300, 180)):
        draw.ellipse(
            [width * 0.68 - radius, height * 0.5 - radius, width * 0.68 + radius, height * 0.5 + radius],
            outline=colours[1],
            width=18 - index * 4,
        )
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=82)
    name = title.lower().replace(" ", "-") + ".jpg"
    image = Image(title=title, description=description, file=ImageFile(buffer, name=name))
    image.save()
    return image


def _shift(colour: str, amount: int) -> tuple[int, int, int]:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return (max(red - amount, 0), max(green - amount, 0), max(blue - amount, 0))


# --- statistic series -------------------------------------------------------------------------------


def _statistic_series() -> list[StatisticSeries]:
    """The series the statistics page charts: the campaigns' own if seeded, else two from the sources."""
    existing = list(StatisticSeries.objects.order_by("pk")[:4])
    if existing:
        return existing
    women = StatisticSeries.objects.create(
        title="Women among UN police (%)",
        title_fr="Part des femmes dans la police des Nations Unies (%)",
        unit=TargetUnit.PERCENT,
        source="UN Police Division",
        source_fr="Division de la police des Nations Unies",
    )
    StatisticPoint.objects.bulk_create(
        [
            StatisticPoint(series=women, year=2009, value=Decimal("7.0"), sort_order=0),
            StatisticPoint(series=women, year=2017, value=Decimal("10.0"), sort_order=1),
        ]
    )
    strength = StatisticSeries.objects.create(
        title="Authorised UN police strength",
        title_fr="Effectif autorisé de la police des Nations Unies",
        unit=TargetUnit.COUNT,
        source="UN Police Division",
        source_fr="Division de la police des Nations Unies",
    )
    StatisticPoint.objects.bulk_create(
        [
            StatisticPoint(series=strength, year=1995, value=Decimal("5840"), sort_order=0),
            StatisticPoint(series=strength, year=2017, value=Decimal("15000"), sort_order=1),
        ]
    )
    return [women, strength]


def _chart(series: StatisticSeries, note: str) -> dict:
    return {"type": "chart", "value": {"series": series.pk, "note": note}}


# --- the tree ---------------------------------------------------------------------------------------


@transaction.atomic
@register_demo(order=30)
def seed_content_pages() -> dict[str, Page]:
    """Create the demo tree under the English and French home pages (missing pages only)."""
    home_en = HomePage.objects.get(locale__language_code="en")
    home_fr = HomePage.objects.get(locale__language_code="fr")
    fr = home_fr.locale
    campaign = Campaign.objects.filter(slug=RACE_TO_2014_SLUG).first()
    series = _statistic_series()
    pictures = {
        "training": _demo_image(
            "Demo illustration – training", ("#0b4f8a", "#ffd23f"), "Abstract blue illustration with rings"
        ),
        "toolkit": _demo_image(
            "Demo illustration – toolkit", ("#1e6b34", "#f3f6f9"), "Abstract green illustration with rings"
        ),
        "award": _demo_image(
            "Demo illustration – award", ("#6b2f8a", "#ffd23f"), "Abstract purple illustration with rings"
        ),
    }
    pages: dict[str, Page] = {}

    # About ----------------------------------------------------------------------------------------
    pages["about"] = _child(
        home_en,
        SectionIndexPage,
        "about",
        title="About the network",
        show_in_menus=True,
        intro="<p>Who we are, why women in UN policing matter, and the campaign that brought us together.</p>",
    )
    _translation(
        pages["about"],
        fr,
        "a-propos",
        title="À propos du réseau",
        intro="<p>Qui nous sommes, pourquoi les femmes comptent dans la police des Nations Unies, et la "
        "campagne qui nous a réunies.</p>",
    )
    pages["un_policing"] = _child(
        pages["about"],
        StandardPage,
        "un-policing",
        title="Women in UN policing",
        intro="<p>The United Nations has sent police to peace operations since the 1960s.</p>",
        search_description="How UN police work grew from observing to mentoring host-State police, and where "
        "women stand in it.",
        body=[
            _heading("From observers to mentors"),
            _text(
                "<p>The first UN police officers watched, monitored and reported. From the early 1990s their "
                "work widened to advising, mentoring and training the police of the countries that host a "
                "mission. Since 1990, 129 countries have seconded police officers to UN operations.</p>"
            ),
            _statistic("13,000", "UN police from 90 countries in the mid-2010s"),
            _statistic("129", "countries have seconded police since 1990"),
            _table(
                ["Component", "Share of UN police"],
                [["Formed police units", "66 %"], ["Individual police officers", "34 %"]],
                "UN Police Division, mid-2010s",
                "How UN police were deployed",
            ),
            _heading("Why women officers"),
            _text(
                "<p>Women officers reach people that a mission would otherwise not hear from: survivors of "
                "sexual and gender-based violence, women and children in camps, women in communities where "
                "speaking to a male officer is not an option. They are also role models for the host-State "
                "police services the UN helps to rebuild.</p>"
            ),
        ],
    )
    _translation(
        pages["un_policing"],
        fr,
        "police-des-nations-unies",
        title="Les femmes dans la police des Nations Unies",
        intro="<p>Les Nations Unies déploient des policiers dans les opérations de paix depuis les années 1960.</p>",
        search_description="Comment le travail de la police des Nations Unies est passé de l'observation au "
        "mentorat, et quelle place y tiennent les femmes.",
        body=[
            _heading("D'observatrices à mentores"),
            _text(
                "<p>Les premiers policiers des Nations Unies observaient, surveillaient et rendaient compte. Dès "
                "le début des années 1990, leur mission s'est élargie : conseiller, accompagner et former la "
                "police des pays qui accueillent une mission. Depuis 1990, 129 pays ont détaché des policiers "
                "auprès des opérations des Nations Unies.</p>"
            ),
            _statistic("13 000", "policiers des Nations Unies venus de 90 pays au milieu des années 2010"),
            _statistic("129", "pays ont détaché des policiers depuis 1990"),
            _table(
                ["Composante", "Part de la police des Nations Unies"],
                [["Unités de police constituées", "66 %"], ["Policiers hors unités constituées", "34 %"]],
                "Division de la police des Nations Unies, milieu des années 2010",
                "Comment la police des Nations Unies était déployée",
            ),
            _heading("Pourquoi des policières"),
            _text(
                "<p>Les policières atteignent des personnes qu'une mission n'entendrait pas autrement : "
                "victimes de violences sexuelles et sexistes, femmes et enfants dans les camps, femmes de "
                "communautés où parler à un policier n'est pas envisageable. Elles sont aussi des modèles pour "
                "les services de police que les Nations Unies aident à reconstruire.</p>"
            ),
        ],
    )
    pages["global_effort"] = _child(
        pages["about"],
        StandardPage,
        "global-effort",
        title="The Global Effort",
        intro="<p>In 2009 the UN set out to make one in five of its police officers a woman by 2014.</p>",
        body=[
            _text(
                "<p>When the Global Effort was launched in 2009, about 900 of the 12,000 UN police officers "
                "were women: roughly 7 %. The goal was 20 % by 2014. Police-contributing countries were asked "
                "to recruit, train and put forward more women officers, and the network was founded so that "
                "those officers could support one another.</p>"
            ),
            _statistic("7 %", "women among UN police in 2009 (about 900 of 12,000)"),
            _statistic("10 %", "women among UN police in 2017 (1,230 of 12,300)"),
            _text(
                "<p>In September 2010, at the annual training conference of the International Association of "
                "Women Police, the Global Effort opened its social-media page, which members were encouraged "
                "to follow.</p>"
            ),
        ],
    )
    _translation(
        pages["global_effort"],
        fr,
        "effort-mondial",
        title="L'Effort mondial",
        intro="<p>En 2009, les Nations Unies se sont fixé pour but qu'un policier sur cinq soit une femme en 2014.</p>",
        body=[
            _text(
                "<p>Au lancement de l'Effort mondial, en 2009, environ 900 des 12 000 policiers des Nations "
                "Unies étaient des femmes, soit à peu près 7 %. L'objectif : 20 % en 2014. Les pays "
                "contributeurs ont été invités à recruter, former et proposer davantage de policières, et le "
                "réseau est né pour que ces policières puissent s'entraider.</p>"
            ),
            _statistic("7 %", "de femmes dans la police des Nations Unies en 2009 (environ 900 sur 12 000)"),
            _statistic("10 %", "de femmes dans la police des Nations Unies en 2017 (1 230 sur 12 300)"),
            _text(
                "<p>En septembre 2010, lors de la conférence annuelle de formation de l'Association "
                "internationale des femmes policières (IAWP), l'Effort mondial a ouvert sa page sur les "
                "réseaux sociaux, que les membres étaient invitées à suivre.</p>"
            ),
        ],
    )
    pages["race"] = _child(
        pages["about"],
        CampaignPage,
        "race-to-2014",
        title="Race to 2014",
        campaign=campaign,
        intro="<p>Our action campaign: 2,014 members and 2,014 supporters of the Global Effort page by the end "
        "of 2014, alongside the UN's own goal of 20 % women among its police.</p>",
        body=[
            _heading("How you can help"),
            _text(
                "<p>Every member counts, whatever her category. Tell a colleague about the network, speak at "
                "your police academy, or bring the Global Effort to a meeting with your service's leadership, "
                "then log what you did so that it shows in the campaign's progress.</p>"
            ),
            _cta(
                "Not a member yet?",
                "Serving and former police officers, civilians and supporters can join.",
                "Apply for membership",
                _apply_url("en"),
            ),
        ],
    )
    _translation(
        pages["race"],
        fr,
        "course-vers-2014",
        title="Course vers 2014",
        intro="<p>Notre campagne d'action : 2 014 membres et 2 014 soutiens de la page de l'Effort mondial d'ici "
        "fin 2014, aux côtés de l'objectif des Nations Unies de 20 % de femmes dans leur police.</p>",
        body=[
            _heading("Comment participer"),
            _text(
                "<p>Chaque membre compte, quelle que soit sa catégorie. Parlez du réseau à une collègue, "
                "intervenez dans votre école de police ou présentez l'Effort mondial à la direction de votre "
                "service, puis enregistrez votre action pour qu'elle apparaisse dans les progrès de la "
                "campagne.</p>"
            ),
            _cta(
                "Pas encore membre ?",
                "Policières en service ou retraitées, civiles et soutiens peuvent adhérer.",
                "Demander l'adhésion",
                _apply_url("fr"),
            ),
        ],
    )

    # Programmes -----------------------------------------------------------------------------------
    pages["programmes"] = _child(
        home_en,
        SectionIndexPage,
        "programmes",
        title="Programmes",
        show_in_menus=True,
        intro="<p>Advocacy, mentoring and training: how members take part.</p>",
    )
    _translation(
        pages["programmes"],
        fr,
        "programmes",
        title="Programmes",
        intro="<p>Plaidoyer, mentorat et formation : comment les membres y participent.</p>",
    )
    pages["advocacy"] = _child(
        pages["programmes"],
        ProgrammePage,
        "advocacy",
        title="Advocacy",
        kind=ProgrammeKind.ADVOCACY,
        workflow="advocacy",
        intro="<p>Members speak up, at home and in UN missions, for more women police in peace operations.</p>",
        body=[
            _text(
                "<p>The network gives advocates support material: key figures, talking points and examples "
                "of what has worked in recruiting women for missions. Members use them in police academies, "
                "in meetings with their leadership and with the media.</p>"
            ),
        ],
    )
    _translation(
        pages["advocacy"],
        fr,
        "plaidoyer",
        title="Plaidoyer",
        intro="<p>Les membres plaident, chez elles et dans les missions des Nations Unies, pour davantage de "
        "policières dans les opérations de paix.</p>",
        body=[
            _text(
                "<p>Le réseau fournit aux membres du matériel d'appui : chiffres clés, arguments et exemples de "
                "ce qui a permis de recruter des femmes pour les missions. Elles s'en servent dans les écoles "
                "de police, auprès de leur hiérarchie et dans les médias.</p>"
            ),
        ],
    )
    pages["advocacy_kit"] = _child(
        pages["advocacy"],
        StandardPage,
        "advocacy-kit",
        title="Advocacy kit for members",
        access_level=AccessLevel.MEMBERS,
        intro="<p>Talking points and figures for your next presentation.</p>",
        body=[
            _text(
                "<ul><li>In 2009 about one UN police officer in fourteen was a woman.</li>"
                "<li>The Global Effort aimed at one in five by 2014.</li>"
                "<li>In 2017 women were 10 % of UN police.</li></ul>"
            )
        ],
    )
    _translation(
        pages["advocacy_kit"],
        fr,
        "kit-de-plaidoyer",
        title="Kit de plaidoyer pour les membres",
        intro="<p>Arguments et chiffres pour votre prochaine présentation.</p>",
        body=[
            _text(
                "<ul><li>En 2009, environ un policier des Nations Unies sur quatorze était une femme.</li>"
                "<li>L'Effort mondial visait une sur cinq en 2014.</li>"
                "<li>En 2017, les femmes représentaient 10 % de la police des Nations Unies.</li></ul>"
            )
        ],
    )
    pages["mentoring"] = _child(
        pages["programmes"],
        ProgrammePage,
        "mentoring",
        title="Mentoring",
        kind=ProgrammeKind.MENTORING,
        workflow="mentoring",
        intro="<p>Members help one another grow as leaders and share what works in the field.</p>",
        body=[
            _text(
                "<p>Mentors who have served in missions pair with members preparing for, or serving in, a "
                "deployment. Together they share good practice and lessons learned, within one peace "
                "operation and across several, and work on the skills that make an effective leader.</p>"
            )
        ],
    )
    _translation(
        pages["mentoring"],
        fr,
        "mentorat",
        title="Mentorat",
        intro="<p>Les membres s'aident à devenir des dirigeantes et partagent ce qui fonctionne sur le terrain.</p>",
        body=[
            _text(
                "<p>Des mentores ayant servi en mission accompagnent des membres qui préparent un déploiement "
                "ou qui sont en poste. Elles échangent bonnes pratiques et enseignements, au sein d'une "
                "opération de paix comme entre plusieurs, et travaillent les compétences qui font une "
                "dirigeante efficace.</p>"
            )
        ],
    )
    pages["training"] = _child(
        pages["programmes"],
        ProgrammePage,
        "training",
        title="Training",
        kind=ProgrammeKind.TRAINING,
        workflow="training",
        intro="<p>Regional UN courses on preventing and investigating sexual and gender-based violence in "
        "post-conflict settings.</p>",
        body=[
            _text(
                "<p>The two-week courses cover the dynamics of sexual and gender-based violence, problem "
                "solving, mentoring, crime-scene investigation and interviewing, the UN's standards, and "
                "prevention for vulnerable groups such as women and children. The 2011 curriculum is "
                "available to members in the Community of Practice.</p>"
            ),
            _text(
                "<p>The UN Police Gender Toolkit, finalised in 2011, helps officers mainstream gender in UN "
                "policing, support host-State police in writing gender policies, set up specialised units for "
                "sexual and gender-based violence, mentor investigators and work with referral services.</p>"
            ),
        ],
    )
    _translation(
        pages["training"],
        fr,
        "formation",
        title="Formation",
        intro="<p>Des cours régionaux des Nations Unies sur la prévention des violences sexuelles et sexistes et "
        "les enquêtes dans les contextes d'après-conflit.</p>",
        body=[
            _text(
                "<p>Ces cours de deux semaines traitent de la dynamique des violences sexuelles et sexistes, "
                "de la résolution de problèmes, du mentorat, des scènes de crime et des auditions, des normes "
                "des Nations Unies et de la prévention auprès des groupes vulnérables comme les femmes et les "
                "enfants. Le programme de 2011 est à la disposition des membres dans la Communauté de "
                "pratique.</p>"
            ),
            _text(
                "<p>La Boîte à outils genre de la police des Nations Unies, finalisée en 2011, aide à intégrer "
                "le genre dans le travail policier des Nations Unies, à accompagner la police du pays hôte dans "
                "ses politiques d'égalité, à créer des unités spécialisées, à encadrer les enquêtrices et "
                "enquêteurs et à travailler avec les services d'orientation.</p>"
            ),
        ],
    )

    # News -----------------------------------------------------------------------------------------
    pages["news"] = _child(
        home_en,
        NewsIndexPage,
        "news",
        title="News",
        show_in_menus=True,
        intro="<p>Courses, campaigns and the people of the network.</p>",
    )
    _translation(
        pages["news"], fr, "actualites", title="Actualités", intro="<p>Formations, campagnes et membres du réseau.</p>"
    )
    stories = [
        (
            "first-sgbv-course-manila",
            "premier-cours-vss-manille",
            datetime.date(2011, 6, 30),
            pictures["training"],
            {
                "title": "First regional course on sexual and gender-based violence held in Manila",
                "intro": "Nineteen police officers from thirteen countries spent two weeks in Manila learning to "
                "prevent and investigate sexual and gender-based violence after conflict.",
                "lead_image_caption": "Illustration",
                "body": [
                    _text(
                        "<p>The first of the regional UN courses took place in Manila, in the Philippines, in "
                        "June 2011. Over two weeks its 19 participants, from 13 countries, worked through "
                        "the dynamics of this violence, crime-scene work and interviewing survivors, and "
                        "the UN's standards for investigations.</p>"
                    ),
                    _statistic("19", "participants"),
                    _statistic("13", "countries"),
                    _text(
                        "<p>Several participants went on to train colleagues at home and in their missions: "
                        "the course was designed from the start to multiply.</p>"
                    ),
                ],
            },
            ["training", "SGBV"],
            {
                "title": "Premier cours régional sur les violences sexuelles et sexistes à Manille",
                "intro": "Dix-neuf policières et policiers de treize pays ont passé deux semaines à Manille "
                "pour apprendre à prévenir les violences sexuelles et sexistes après un conflit et à "
                "enquêter sur elles.",
                "lead_image_caption": "Illustration",
                "body": [
                    _text(
                        "<p>Le premier des cours régionaux des Nations Unies s'est tenu à Manille, aux "
                        "Philippines, en juin 2011. Pendant deux semaines, ses 19 participants venus de 13 "
                        "pays ont étudié la dynamique de ces violences, le travail sur les scènes de crime, "
                        "l'audition des victimes et les normes des Nations Unies en matière d'enquête.</p>"
                    ),
                    _statistic("19", "participants"),
                    _statistic("13", "pays"),
                    _text(
                        "<p>Plusieurs participants ont ensuite formé leurs collègues, chez eux et dans leur "
                        "mission : le cours a été conçu dès le départ pour se démultiplier.</p>"
                    ),
                ],
            },
            ["formation", "VSS"],
        ),
        (
            "gender-toolkit-pilot-iawp",
            "boite-a-outils-genre-iawp",
            datetime.date(2011, 8, 26),
            pictures["toolkit"],
            {
                "title": "Gender Toolkit piloted at the IAWP conference in Lexington",
                "intro": "Two one-day pilot trainings, in English and in French, put the new UN Police Gender "
                "Toolkit in front of police officers from around the world.",
                "lead_image_caption": "Illustration",
                "body": [
                    _text(
                        "<p>The International Association of Women Police met in Lexington, Kentucky, in "
                        "August 2011. On 23 August an English-speaking group, and on 25 August a French-"
                        "speaking one, tried out the modules of the toolkit: mainstreaming gender in UN "
                        "policing, helping host-State police draft gender policies, setting up specialised "
                        "units, mentoring investigators and working with referral services.</p>"
                    ),
                ],
            },
            ["gender toolkit", "events"],
            {
                "title": "La Boîte à outils genre testée à la conférence de l'IAWP à Lexington",
                "intro": "Deux formations pilotes d'une journée, en anglais et en français, ont présenté la "
                "nouvelle Boîte à outils genre de la police des Nations Unies à des policières du monde "
                "entier.",
                "lead_image_caption": "Illustration",
                "body": [
                    _text(
                        "<p>L'Association internationale des femmes policières s'est réunie à Lexington "
                        "(Kentucky) en août 2011. Le 23 août un groupe anglophone, puis le 25 août un groupe "
                        "francophone, ont essayé les modules de la boîte à outils : intégrer le genre dans le "
                        "travail policier des Nations Unies, aider la police du pays hôte à rédiger ses "
                        "politiques, créer des unités spécialisées, encadrer les enquêtes et travailler avec "
                        "les services d'orientation.</p>"
                    ),
                ],
            },
            ["boîte à outils genre", "événements"],
        ),
        (
            "train-the-trainer-pilots-2011",
            "formations-de-formateurs-2011",
            datetime.date(2011, 11, 18),
            None,
            {
                "title": "Train-the-trainer pilots reach four countries",
                "intro": "Between June and November 2011 the new course on sexual and gender-based violence "
                "was piloted as a train-the-trainer programme in the Philippines, Rwanda, Chile and Germany.",
                "body": [
                    _text(
                        "<p>The pilots ran for two weeks each: in the Philippines from 20 June to 1 July, in "
                        "Rwanda in English from 18 to 29 July and in French from 1 to 12 August, in Chile from "
                        "3 to 14 October and in Germany from 7 to 18 November. Each trained instructors who "
                        "can now teach the course in their own region.</p>"
                    ),
                ],
            },
            ["training"],
            {
                "title": "Des formations de formateurs pilotes dans quatre pays",
                "intro": "De juin à novembre 2011, le nouveau cours sur les violences sexuelles et sexistes a "
                "été testé comme formation de formateurs aux Philippines, au Rwanda, au Chili et en "
                "Allemagne.",
                "body": [
                    _text(
                        "<p>Chaque session a duré deux semaines : aux Philippines du 20 juin au 1er juillet, au "
                        "Rwanda en anglais du 18 au 29 juillet puis en français du 1er au 12 août, au Chili du "
                        "3 au 14 octobre et en Allemagne du 7 au 18 novembre. Chacune a formé des formatrices "
                        "et formateurs capables d'enseigner le cours dans leur région.</p>"
                    ),
                ],
            },
            ["formation"],
        ),
        (
            "woman-police-officer-of-the-year-2023",
            "policiere-de-l-annee-2023",
            datetime.date(2023, 11, 1),
            pictures["award"],
            {
                "title": "Youngest ever UN Woman Police Officer of the Year",
                "intro": "The 2023 award went to a 27-year-old officer who runs a crime database for the UN "
                "mission in the Central African Republic.",
                "lead_image_caption": "Illustration",
                "body": [
                    _text(
                        "<p>Serving with MINUSCA, the award winner built and keeps the crime database that "
                        "helps the mission and national police see where violence happens and follow up cases. "
                        "At 27 she is the youngest officer to receive the award since it was created.</p>"
                    ),
                ],
            },
            ["award", "MINUSCA"],
            {
                "title": "La plus jeune Policière de l'année des Nations Unies",
                "intro": "Le prix 2023 a été décerné à une policière de 27 ans qui gère une base de données "
                "criminelles pour la mission des Nations Unies en République centrafricaine.",
                "lead_image_caption": "Illustration",
                "body": [
                    _text(
                        "<p>En poste à la MINUSCA, la lauréate a conçu et tient à jour la base de données "
                        "criminelles qui aide la mission et la police nationale à voir où se produisent les "
                        "violences et à suivre les affaires. À 27 ans, elle est la plus jeune policière "
                        "récompensée depuis la création du prix.</p>"
                    ),
                ],
            },
            ["prix", "MINUSCA"],
        ),
    ]
    for slug_en, slug_fr, date, picture, english, tags_en, french, tags_fr in stories:
        story = _child(
            pages["news"], StoryPage, slug_en, date=date, lead_image=picture, author="Network secretariat", **english
        )
        if not story.tags.exists():
            story.tags.set(tags_en)
            story.save_revision().publish()
        _translation(story, fr, slug_fr, tags=tags_fr, author="Secrétariat du réseau", **french)
        pages[slug_en] = story

    # Statistics -----------------------------------------------------------------------------------
    pages["statistics"] = _child(
        home_en,
        StatisticsPage,
        "statistics",
        title="UN Police in figures",
        show_in_menus=True,
        intro="<p>How many police the UN deploys, and how many of them are women.</p>",
        charts=[
            *(_chart(item, "") for item in series),
            _statistic("90", "countries contributed police in 2024"),
            _statistic("about 6,300", "UN police officers in 14 peace operations in 2024"),
            _text(
                "<p>The largest contributors in 2024 were Rwanda, Senegal, Egypt, Bangladesh and Cameroon; the "
                "largest UN police presence was in MINUSCA, in the Central African Republic.</p>"
            ),
        ],
    )
    _translation(
        pages["statistics"],
        fr,
        "statistiques",
        title="La police des Nations Unies en chiffres",
        intro="<p>Combien de policiers les Nations Unies déploient, et combien sont des femmes.</p>",
        charts=[
            *(_chart(item, "") for item in series),
            _statistic("90", "pays contributeurs de police en 2024"),
            _statistic("environ 6 300", "policiers des Nations Unies dans 14 opérations de paix en 2024"),
            _text(
                "<p>En 2024, les principaux contributeurs étaient le Rwanda, le Sénégal, l'Égypte, le Bangladesh "
                "et le Cameroun ; la plus forte présence policière des Nations Unies se trouvait à la MINUSCA, en "
                "République centrafricaine.</p>"
            ),
        ],
    )

    # Join -----------------------------------------------------------------------------------------
    def category(value: str, who: str, offers: str) -> dict:
        return {"type": "category", "value": {"category": value, "who": who, "offers": offers}}

    pages["join"] = _child(
        home_en,
        JoinPage,
        "join",
        title="Join the network",
        show_in_menus=True,
        intro="<p>Membership is free. Choose the category that fits you; the membership team checks each "
        "application.</p>",
        categories=[
            category(
                MemberCategory.ACTIVE,
                "Women serving as police officers, in their national service or in a UN peace operation.",
                "<ul><li>The membership database</li><li>The Community of Practice, on request</li>"
                "<li>Mentoring and training</li></ul>",
            ),
            category(
                MemberCategory.CIVILIAN,
                "Civilians who work with police in peace operations or in police services.",
                "<ul><li>The membership database</li><li>The Community of Practice, on request</li></ul>",
            ),
            category(
                MemberCategory.HONORARY,
                "Retired officers and people the network recognises for their support.",
                "<ul><li>The membership database</li><li>The Community of Practice, on request</li></ul>",
            ),
            category(
                MemberCategory.OBSERVER,
                "Researchers, students, partners and anyone who follows the network's work.",
                "<ul><li>Members' pages and news</li><li>Not the membership database or the Community of "
                "Practice</li></ul>",
            ),
        ],
    )
    _translation(
        pages["join"],
        fr,
        "adherer",
        title="Rejoindre le réseau",
        intro="<p>L'adhésion est gratuite. Choisissez la catégorie qui vous correspond ; l'équipe des adhésions "
        "examine chaque demande.</p>",
        categories=[
            category(
                MemberCategory.ACTIVE,
                "Les femmes policières en service, dans leur police nationale ou dans une opération de paix des "
                "Nations Unies.",
                "<ul><li>L'annuaire des membres</li><li>La Communauté de pratique, sur demande</li>"
                "<li>Le mentorat et les formations</li></ul>",
            ),
            category(
                MemberCategory.CIVILIAN,
                "Les civiles et civils qui travaillent avec la police dans les opérations de paix ou les "
                "services de police.",
                "<ul><li>L'annuaire des membres</li><li>La Communauté de pratique, sur demande</li></ul>",
            ),
            category(
                MemberCategory.HONORARY,
                "Les policières retraitées et les personnes que le réseau distingue pour leur soutien.",
                "<ul><li>L'annuaire des membres</li><li>La Communauté de pratique, sur demande</li></ul>",
            ),
            category(
                MemberCategory.OBSERVER,
                "Chercheurs, étudiants, partenaires et toute personne qui suit le travail du réseau.",
                "<ul><li>Les pages et nouvelles réservées aux membres</li><li>Ni l'annuaire ni la Communauté "
                "de pratique</li></ul>",
            ),
        ],
    )

    # Contact --------------------------------------------------------------------------------------
    pages["contact"] = _child(
        home_en,
        ContactPage,
        "contact",
        title="Contact",
        show_in_menus=True,
        intro="<p>Questions about membership, the programmes or the campaign? Write to the secretariat.</p>",
        thank_you_text="<p>Thank you. The secretariat will answer within a few working days.</p>",
        to_address="secretariat@example.org",
        subject="Message from the website",
        form_fields=[
            ContactFormField(label="Your name", field_type="singleline", required=True, sort_order=0),
            ContactFormField(label="Your email address", field_type="email", required=True, sort_order=1),
            ContactFormField(label="Your message", field_type="multiline", required=True, sort_order=2),
        ],
    )
    _translation(
        pages["contact"],
        fr,
        "contact",
        title="Contact",
        intro="<p>Une question sur l'adhésion, les programmes ou la campagne ? Écrivez au secrétariat.</p>",
        thank_you_text="<p>Merci. Le secrétariat vous répondra sous quelques jours ouvrables.</p>",
        subject="Message depuis le site",
        form_fields=[
            ContactFormField(label="Votre nom", field_type="singleline", required=True, sort_order=0),
            ContactFormField(label="Votre adresse électronique", field_type="email", required=True, sort_order=1),
            ContactFormField(label="Votre message", field_type="multiline", required=True, sort_order=2),
        ],
    )

    _home_links(home_en, home_fr, pages, campaign, pictures["training"])
    _featured_members(fr)
    return pages


def _home_links(home_en, home_fr, pages, campaign, hero) -> None:
    """Point each home page at the campaign and the join page, where editors have not chosen already."""
    calls = {
        home_en.pk: (
            "Join us",
            "Serving or former police officer, civilian or supporter: there is a place for you in the network.",
        ),
        home_fr.pk: (
            "Rejoignez-nous",
            "Policière en service ou retraitée, civile ou soutien : le réseau a une place pour vous.",
        ),
    }
    for stale in (home_en, home_fr):
        # Fresh copies: pages were added below them meanwhile, and saving a stale copy would reset the
        # tree's child count.
        home = HomePage.objects.get(pk=stale.pk)
        locale = home.locale
        changed = False
        if home.featured_campaign_id is None and campaign is not None:
            home.featured_campaign = campaign
            changed = True
        if home.campaign_page_id is None:
            home.campaign_page = pages["race"].get_translation_or_none(locale)
            changed = True
        if home.join_page_id is None:
            home.join_page = pages["join"].get_translation_or_none(locale)
            home.join_title, home.join_text = calls[home.pk]
            changed = True
        if home.hero_image_id is None:
            home.hero_image = hero
            changed = True
        if changed:
            home.save_revision().publish()


def _featured_members(fr: Locale) -> None:
    """A demo member who agreed to be featured (with her consent on record), in both languages."""
    member = Member.objects.filter(user__email="amina.diallo@example.org").select_related("user").first()
    if member is None:
        return
    if not ConsentRecord.objects.filter(user=member.user, kind=ConsentKind.FEATURE).exists():
        ConsentRecord.objects.create(user=member.user, kind=ConsentKind.FEATURE, version="demo")
    english = FeaturedMember.objects.filter(member=member, locale__language_code="en").first()
    if english is None:
        english = FeaturedMember.objects.create(
            member=member,
            locale=Locale.objects.get(language_code="en"),
            name="Amina Diallo",
            role="Commissaire, Police nationale du Sénégal",
            country="SN",
            citation="Leads a unit for survivors of violence in Senegal and has mentored more than twenty "
            "officers before their first deployment, with MINUSMA and MINUSCA behind her.",
        )
    french = english.get_translation_or_none(fr)
    if french is None:
        french = english.copy_for_translation(fr)
        french.citation = (
            "Dirige au Sénégal une unité consacrée aux victimes de violences et a accompagné plus de vingt "
            "policières avant leur premier déploiement, forte de son expérience à la MINUSMA et à la MINUSCA."
        )
        french.save()
    # Featured members are shown once an editor publishes them; the demo ones are published as the editor
    # would (an existing draft, e.g. from a database seeded before the editorial step, is published too).
    for entry in (english, french):
        if not entry.live:
            entry.save_revision().publish()
