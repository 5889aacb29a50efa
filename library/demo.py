"""Demo documents for seed_demo: real small PDFs and Word files generated here, with text written from the
network's own material (the Gender Toolkit modules, the SGBV investigation curriculum, the 2011 pilot
reports), some in French and one open only to the Community of Practice. Idempotent: a document already
there (by title) is left as it is."""

import io

from network.choices import AccessLevel
from network.demo import register_demo


def make_pdf(pages: list[str], *, password: str | None = None) -> bytes:
    """A PDF with one page per text (fpdf2), encrypted with `password` if given."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text.encode("latin-1", "replace").decode("latin-1"))
    if password:
        pdf.set_encryption(owner_password=password + "-owner", user_password=password)
    return bytes(pdf.output())


def make_docx(title: str, paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# (title, type, language, year, level, file kind, topics, summary, pages of text, translation of (title))
DEMO_DOCUMENTS = [
    (
        "Gender Toolkit, module 1: gender mainstreaming in UN policing",
        "toolkit_module",
        "en",
        2011,
        AccessLevel.PUBLIC,
        "pdf",
        ["gender-mainstreaming"],
        "Why the needs of women, men, girls and boys shape every police task in a mission, and how a unit "
        "checks its own plans for them.",
        [
            "Module 1 of the UN Police Gender Toolkit, finalised in 2011. Gender mainstreaming means asking, "
            "for every patrol plan, every training course and every reform project, how it affects women and "
            "men in the community differently.",
            "Exercise: review the last month of patrol reports of your unit. Who reported crimes, at what "
            "time of day, and who was never heard from? Agree on one change to the patrol routine.",
        ],
        None,
    ),
    (
        "Boîte à outils genre, module 1 : intégrer la dimension de genre dans la police des Nations Unies",
        "toolkit_module",
        "fr",
        2011,
        AccessLevel.PUBLIC,
        "pdf",
        ["gender-mainstreaming"],
        "Pourquoi les besoins des femmes, des hommes, des filles et des garçons comptent dans chaque tâche "
        "de police d'une mission.",
        [
            "Module 1 de la boîte à outils genre de la police des Nations Unies, achevée en 2011. Intégrer la "
            "dimension de genre, c'est se demander pour chaque plan de patrouille et chaque formation comment "
            "il touche différemment les femmes et les hommes de la communauté.",
        ],
        "Gender Toolkit, module 1: gender mainstreaming in UN policing",
    ),
    (
        "Gender Toolkit, module 3: setting up specialised SGBV units",
        "toolkit_module",
        "en",
        2011,
        AccessLevel.MEMBERS,
        "pdf",
        ["sgbv-prevention-investigation", "gender-mainstreaming"],
        "Steps for host-State police who want a dedicated unit for sexual and gender-based violence cases.",
        [
            "A specialised unit needs a private room for interviews, trained investigators of both sexes, a "
            "referral list of medical, legal and psychosocial services, and a way to record cases that "
            "protects the survivor's identity.",
            "Checklist: premises, staffing, standard operating procedures, case records, referral partners.",
        ],
        None,
    ),
    (
        "Gender Toolkit, module 4: mentoring on SGBV investigations",
        "toolkit_module",
        "en",
        2011,
        AccessLevel.NETWORK,
        "docx",
        ["sgbv-prevention-investigation", "mentoring"],
        "How a UN police mentor accompanies host-State investigators from the first report to the court file.",
        [
            "Mentoring is not doing the investigation for a colleague. Agree on goals with the investigator, "
            "sit in on interviews with her consent, and review the case file together each week.",
            "Common pitfalls: taking over the case, promising outcomes the justice system cannot deliver, "
            "forgetting the referral services.",
        ],
        None,
    ),
    (
        "Curriculum: preventing and investigating SGBV in post-conflict environments",
        "curriculum",
        "en",
        2011,
        AccessLevel.COMMUNITY,
        "pdf",
        ["sgbv-prevention-investigation", "pre-deployment"],
        "The two-week regional course: SGBV dynamics, problem solving, mentoring, crime-scene work and "
        "interviewing, to UN standards. Shared with the Community of Practice.",
        [
            "Week 1: the dynamics of sexual and gender-based violence in post-conflict settings; UN standards; "
            "prevention for vulnerable groups, women and children in particular; problem-solving policing.",
            "Week 2: crime-scene investigation, interviewing survivors and witnesses, mentoring local "
            "investigators, and a practical case exercise assessed by the trainers.",
        ],
        None,
    ),
    (
        "Train-the-trainer pilots 2011: summary report",
        "report",
        "en",
        2011,
        AccessLevel.NETWORK,
        "docx",
        ["sgbv-prevention-investigation", "leadership"],
        "What the five pilot courses of 2011 taught the trainers, from Manila to Germany.",
        [
            "The first regional course ran in Manila in June 2011 for two weeks, with 19 participants from "
            "13 countries. Pilots followed in Rwanda in English (July) and in French (August), in Chile in "
            "October and in Germany in November.",
            "Participants asked for more time on interviewing practice and for the material in French.",
        ],
        None,
    ),
    (
        "Pilote de formation des formateurs, Rwanda (session en français), août 2011",
        "report",
        "fr",
        2011,
        AccessLevel.NETWORK,
        "pdf",
        ["sgbv-prevention-investigation"],
        "Bilan de la session francophone du cours sur les violences sexuelles et basées sur le genre.",
        [
            "La session francophone s'est tenue au Rwanda du 1er au 12 août 2011. Les participantes ont "
            "travaillé sur l'audition des victimes et la scène de crime.",
        ],
        "Train-the-trainer pilots 2011: summary report",
    ),
    (
        "Race to 2014: why more women in UN police",
        "advocacy",
        "en",
        2012,
        AccessLevel.PUBLIC,
        "pdf",
        ["recruitment", "women-peace-security"],
        "A one-page leaflet for members who speak to police academies and ministries about deploying women.",
        [
            "In 2009 about 7 % of UN police officers were women. The Global Effort set out to reach 20 % by "
            "2014, and the network's own campaign aimed at 2,014 members by 2014.",
        ],
        None,
    ),
]


@register_demo(order=40)
def seed_library_demo() -> None:
    from library import services
    from library.models import Document, Topic
    from network.models import User

    editor = User.objects.filter(email="editor@example.org").first()
    by_title: dict[str, Document] = {}
    for title, kind, language, year, level, file_kind, topics, summary, pages, original in DEMO_DOCUMENTS:
        document = Document.objects.filter(title=title).first()
        if document is None:
            data = make_pdf(pages) if file_kind == "pdf" else make_docx(title, pages)
            name = f"{kind}-{year}-{language}.{file_kind}"
            document = services.upload_document(
                actor=editor,
                upload=io.BytesIO(data),
                name=name,
                title=title,
                summary=summary,
                document_type=kind,
                language=language,
                year=year,
                author="UN Police Division",
                access_level=level,
                translation_of=by_title.get(original),
                topics=list(Topic.objects.filter(slug__in=topics)),
            )
            # The demo shows extracted text at once, whether or not a worker runs (the queued task then does nothing).
            services.extract_document_text(document.pk, 1)
        by_title[title] = document
