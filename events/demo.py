"""Demo courses and events for `make run`, from ../shared/facts.md: the 2011 train-the-trainer pilots on
sexual and gender-based violence (Manila, Kigali in English and French, Santiago, Germany), the Gender Toolkit
pilot at the IAWP conference in Lexington (English and French), and upcoming webinars. The home page and the
Training programme list them (events/queries.py). The French site has the French translations of the two
pilots, which hold their French-language sessions. Safe to run again: nothing is created twice."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from wagtail.models import Locale, Page

from events import services
from events.choices import EventKind, Region, RegistrationState
from events.models import CoursePage, EventPage, EventsIndexPage, Registration, Session
from network.choices import AccessLevel
from network.demo import register_demo
from network.models import User


def _at(day: str, hour: int, zone: str) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour), ZoneInfo(zone))


def _session(label, start, end, zone, place, country, language, capacity=20, **extra) -> Session:
    return Session(
        label=label,
        starts_at=_at(start, 9, zone),
        ends_at=_at(end, 17, zone),
        time_zone=zone,
        place=place,
        country=country,
        language=language,
        capacity=capacity,
        **extra,
    )


def _add(parent: Page, page: Page) -> Page:
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific
    page.locale_id = parent.locale_id
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _programme(slug: str, language: str) -> Page | None:
    return Page.objects.filter(slug=slug, locale__language_code=language, depth__gte=3).first()


def _upcoming(days: int, hour: int, zone: str = "UTC") -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), ZoneInfo(zone))


@register_demo(order=40)
def seed_events_demo() -> None:
    training = _programme("training", "en")
    if training is None:
        return
    index = _add(
        training,
        EventsIndexPage(
            title="Courses and events",
            slug="courses",
            intro="<p>Regional courses, pilots and webinars of the network and its partners.</p>",
        ),
    )
    sgbv = CoursePage(
        title="Train-the-trainer course on SGBV investigation",
        slug="sgbv-train-the-trainer",
        intro="Two weeks preparing police trainers to teach the investigation and prevention of sexual and "
        "gender-based violence in post-conflict settings.",
        body="<p>The course follows the 2011 UN curriculum: the dynamics of sexual and gender-based violence, "
        "crime scenes and interviews, UN standards, mentoring, and prevention for women and children.</p>",
        region=Region.GLOBAL,
        organiser="UN Police Division",
        selective=True,
    )
    sgbv.sessions = [
        _session("Manila", "2011-06-20", "2011-07-01", "Asia/Manila", "Manila", "PH", "en", capacity=19),
        _session("Kigali (English)", "2011-07-18", "2011-07-29", "Africa/Kigali", "Kigali", "RW", "en"),
        _session("Kigali (French)", "2011-08-01", "2011-08-12", "Africa/Kigali", "Kigali", "RW", "fr"),
        _session("Santiago", "2011-10-03", "2011-10-14", "America/Santiago", "Santiago", "CL", "en"),
        _session("Germany", "2011-11-07", "2011-11-18", "Europe/Berlin", "Germany", "DE", "en"),
    ]
    sgbv = _add(index, sgbv)
    toolkit = CoursePage(
        title="Gender Toolkit pilot training",
        slug="gender-toolkit-pilot",
        intro="A pilot of the UN Police Gender Toolkit at the IAWP annual conference, in English and in French.",
        body="<p>The toolkit helps officers mainstream gender in UN policing, support host-State police with "
        "gender policies and specialised units, mentor investigators and work with referral services.</p>",
        region=Region.AMERICAS,
        organiser="UN Police Division and IAWP",
    )
    toolkit.sessions = [
        _session(
            "English",
            "2011-08-23",
            "2011-08-23",
            "America/New_York",
            "IAWP conference, Lexington, Kentucky",
            "US",
            "en",
        ),
        _session(
            "French", "2011-08-25", "2011-08-25", "America/New_York", "IAWP conference, Lexington, Kentucky", "US", "fr"
        ),
    ]
    toolkit = _add(index, toolkit)
    webinar = EventPage(
        title="Webinar: preparing for a first deployment",
        slug="webinar-first-deployment",
        kind=EventKind.WEBINAR,
        intro="Members who served in missions answer questions from colleagues preparing for their first one.",
        region=Region.GLOBAL,
        organiser="Peacekeepers Network",
    )
    webinar.sessions = [
        Session(
            label="English",
            starts_at=_upcoming(21, 13),
            ends_at=_upcoming(21, 14),
            time_zone="UTC",
            online=True,
            online_link="https://meet.example.org/first-deployment",
            language="en",
            capacity=3,
            min_access_level=AccessLevel.MEMBERS,
        )
    ]
    webinar = _add(index, webinar)
    networking = EventPage(
        title="Networking meeting of women police commanders",
        slug="commanders-networking",
        kind=EventKind.NETWORKING,
        intro="An evening for network members in command roles to meet and compare notes.",
        region=Region.AFRICA,
        organiser="Peacekeepers Network",
        access_level=AccessLevel.NETWORK,
    )
    networking.sessions = [
        Session(
            starts_at=_upcoming(45, 18, "Africa/Nairobi"),
            ends_at=_upcoming(45, 21, "Africa/Nairobi"),
            time_zone="Africa/Nairobi",
            place="Nairobi",
            country="KE",
            language="en",
            capacity=30,
            min_access_level=AccessLevel.NETWORK,
        )
    ]
    _add(index, networking)

    # The French site: its index, and a French webinar.
    formation = _programme("formation", "fr")
    if formation is not None:
        index_fr = index.get_translation_or_none(Locale.objects.get(language_code="fr"))
        if index_fr is None:
            index_fr = index.copy_for_translation(Locale.objects.get(language_code="fr"))
            index_fr.title, index_fr.slug = "Cours et événements", "cours"
            index_fr.intro = "<p>Cours régionaux, formations pilotes et webinaires du réseau et de ses partenaires.</p>"
            index_fr.save()  # the new slug into the tree's url_path
            index_fr.save_revision().publish()
        webinaire = EventPage(
            title="Webinaire : enquêter sur les violences sexuelles et sexistes",
            slug="webinaire-enquetes-vss",
            kind=EventKind.WEBINAR,
            intro="Des enquêtrices partagent leurs méthodes d'audition et de travail avec les services d'orientation.",
            region=Region.AFRICA,
            organiser="Réseau des policières",
        )
        webinaire.sessions = [
            Session(
                starts_at=_upcoming(28, 10, "Africa/Dakar"),
                ends_at=_upcoming(28, 11, "Africa/Dakar"),
                time_zone="Africa/Dakar",
                online=True,
                online_link="https://meet.example.org/vss-fr",
                language="fr",
                capacity=50,
            )
        ]
        _add(index_fr.specific, webinaire)
        _french_course(
            sgbv,
            index_fr.specific,
            title="Formation de formateurs aux enquêtes sur les violences sexuelles et sexistes",
            slug="formation-formateurs-vss",
            intro="Deux semaines pour préparer des formatrices et formateurs de police à enseigner la prévention "
            "des violences sexuelles et sexistes et les enquêtes sur ces violences après un conflit. La session "
            "en français a lieu à Kigali.",
            body="<p>Le programme suit le cursus des Nations Unies de 2011 : comprendre les violences sexuelles "
            "et sexistes, résoudre les problèmes sur le terrain, traiter une scène de crime, mener des auditions, "
            "appliquer les normes des Nations Unies, accompagner des collègues par le mentorat et protéger les "
            "personnes les plus exposées, notamment les femmes et les enfants.</p>",
            organiser="Division de la police des Nations Unies",
            labels={"Kigali (French)": "Kigali (en français)"},
        )
        _french_course(
            toolkit,
            index_fr.specific,
            title="Formation pilote à la boîte à outils sur le genre",
            slug="boite-a-outils-genre-pilote",
            intro="La boîte à outils sur le genre de la police des Nations Unies mise à l'essai lors de la "
            "conférence annuelle de l'IAWP à Lexington : en anglais le 23 août 2011, en français le 25 août.",
            body="<p>La boîte à outils aide les policières et policiers à intégrer le genre dans leur travail en "
            "mission, à épauler la police du pays hôte dans ses politiques d'égalité et la création d'unités "
            "spécialisées, à encadrer les enquêtes sur les violences sexuelles et sexistes et à travailler avec "
            "les services d'orientation des victimes.</p>",
            organiser="Division de la police des Nations Unies et IAWP",
            labels={"French": "En français"},
            places={"IAWP conference, Lexington, Kentucky": "Conférence de l'IAWP, Lexington (Kentucky)"},
        )

    _demo_registrations(sgbv, toolkit, webinar)


def _french_course(english, index_fr, *, title, slug, intro, body, organiser, labels, places=None) -> Page:
    """The French translation of a course, holding its French-language sessions: they move over from the
    English page (with any registrations), so each session is written once and its seats counted once."""
    french_locale = Locale.objects.get(language_code="fr")
    existing = english.get_translation_or_none(french_locale)
    if existing is not None:
        return existing.specific
    page = CoursePage(
        title=title,
        slug=slug,
        intro=intro,
        body=body,
        region=english.region,
        organiser=organiser,
        organiser_email=english.organiser_email,
        selective=english.selective,
        access_level=english.access_level,
        translation_key=english.translation_key,
        locale=french_locale,
    )
    index_fr.add_child(instance=page)
    runs = Session.objects.filter(page=english, language="fr")
    for session in runs:
        session.page = page
        session.label = labels.get(session.label, session.label)
        session.place = (places or {}).get(session.place, session.place)
        session.save()
    page = CoursePage.objects.get(pk=page.pk)
    page.save_revision().publish()
    # The English page's next revision no longer holds the sessions that moved.
    english = CoursePage.objects.get(pk=english.pk)
    english.save_revision().publish()
    return page


def _demo_registrations(sgbv, toolkit, webinar) -> None:
    """Past attendance (training records and certificates) and a full webinar with a waiting list."""
    people = list(User.objects.filter(member__category__in=["active", "civilian", "honorary"]).order_by("pk")[:6])
    organiser = User.objects.filter(email="organiser@example.org").first()
    if not people or organiser is None:
        return
    manila = Session.objects.filter(page=sgbv, label="Manila").first()
    lexington = Session.objects.filter(page=toolkit).order_by("sort_order", "pk").first()
    for session in (manila, lexington):
        if session is None or Registration.objects.filter(session=session).exists():
            continue
        for person in people[:4]:
            Registration.objects.create(session=session, user=person, state=RegistrationState.REGISTERED)
        attended = Registration.objects.filter(session=session).values_list("pk", flat=True)[:3]
        services.mark_attendance(actor=organiser, session=session, attended_ids=list(attended))
    online = Session.objects.filter(page=webinar).first()
    if online is not None and not Registration.objects.filter(session=online).exists():
        for person in people:
            try:
                services.register(actor=person, session=online, join_waitlist=True)
            except services.RegistrationError:
                continue
