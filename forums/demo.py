"""Demo forums for `make run`: English and French forums, a question with an accepted answer, a locked
announcement and a working group's restricted forum. Written through the services, as members would."""

from django.contrib.auth.models import Group

from forums import services
from forums.choices import ForumKind
from forums.models import Forum
from network.choices import AccessLevel
from network.demo import register_demo
from network.models import User

WORKING_GROUP = "SGBV curriculum working group"


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


@register_demo(order=30)
def seed_forums_demo() -> None:
    if Forum.objects.filter(slug="network-announcements").exists():
        return
    maria, ingrid = _user("maria.santos@example.org"), _user("ingrid.larsen@example.org")
    moderator = _user("moderator@example.org")
    if not (maria and ingrid and moderator):
        return
    for person in (maria, ingrid, moderator):
        services.forum_profile(person)

    announcements = Forum.objects.create(
        name="Network announcements",
        slug="network-announcements",
        position=1,
        description="News from the network's coordinators. Read only: discuss in the other forums.",
    )
    practice = Forum.objects.create(
        name="Good practice from the field",
        slug="good-practice",
        position=2,
        description="What worked in your mission: patrols, community engagement, working with host-State police.",
    )
    questions = Forum.objects.create(
        name="Questions and answers",
        slug="questions",
        position=3,
        kind=ForumKind.QUESTIONS,
        description="Ask colleagues who have served before you. The answer that helped most is shown first.",
    )
    francophone = Forum.objects.create(
        name="Forum francophone",
        slug="forum-francophone",
        position=4,
        description="Échanges en français entre policières des missions francophones (MINUSCA, MONUSCO, MINUSMA…).",
    )
    Forum.objects.create(
        name="Network members' corner",
        slug="members-corner",
        position=5,
        access_level=AccessLevel.NETWORK,
        description="Open to every active, civilian and honorary member, with or without Community of Practice access.",
    )
    group_forum = Forum.objects.create(
        name="Working group: SGBV training curriculum",
        slug="sgbv-curriculum-group",
        parent=practice,
        position=1,
        is_restricted=True,
        description="Drafting the next edition of the SGBV investigation curriculum. Members of the working group only.",
    )
    group, _created = Group.objects.get_or_create(name=WORKING_GROUP)
    maria.groups.add(group)
    services.set_forum_groups(group_forum, perm="forums.read_forum", groups=[group], actor=None)

    notice = services.start_topic(
        author=moderator,
        forum=announcements,
        title="Welcome to the Community of Practice forums",
        body=(
            "These forums are for members of the Community of Practice only.\n\n"
            "- Share what you learned in your mission, and ask before you deploy.\n"
            "- Never post operational details, names of victims or anything that identifies a witness.\n"
            "- Flag a post that breaks these rules: a moderator will look at it.\n\n"
            "You can answer any notification email to reply in the topic."
        ),
    )
    services.pin_topic(notice, actor=moderator, reason="Forum rules")
    services.lock_topic(notice, actor=moderator, reason="Announcements take no replies")

    patrols = services.start_topic(
        author=maria,
        forum=practice,
        title="Mixed patrols and community trust",
        body=(
            "In my mission we started sending **mixed patrols** to the markets twice a week. Women traders "
            "began reporting thefts and threats they had never reported to an all-male patrol.\n\n"
            "Has anyone measured the effect of mixed patrols on reporting?"
        ),
    )
    services.reply_to_topic(
        author=ingrid,
        topic=patrols,
        body=(
            "We counted reports for six months before and after. Reports from women more than doubled. "
            "The key was a regular timetable: people knew when the patrol would come. @maria.santos, did you "
            "keep the same officers on each route?"
        ),
    )
    services.reply_to_topic(
        author=maria,
        topic=patrols,
        body="Yes, the same pairs for three months at least. Rotating them every week undid the trust.",
    )

    question = services.start_topic(
        author=ingrid,
        forum=questions,
        title="Setting up a specialised SGBV unit with the host-State police: where to start?",
        body=(
            "I am about to deploy as an adviser to a police service that has no SGBV unit yet. "
            "What should come first: the premises, the training or the referral partners?"
        ),
    )
    answer = services.reply_to_topic(
        author=maria,
        topic=question,
        body=(
            "From the Gender Toolkit module on specialised units and my own mission:\n\n"
            "1. Agree on the referral path first (health, legal aid, shelters), so survivors have somewhere to go.\n"
            "2. Then a private interview room, even a small one.\n"
            "3. Train the first officers on interviewing and crime-scene work, then let them mentor the next.\n\n"
            "Premises without referral partners become an empty office."
        ),
    )
    services.reply_to_topic(
        author=moderator, topic=question, body="Thank you both. The toolkit is in the document library."
    )
    services.accept_answer(question, answer, actor=ingrid)

    topic_fr = services.start_topic(
        author=ingrid,
        forum=francophone,
        title="Formation des formatrices au Rwanda : retours d'expérience",
        body=(
            "J'ai suivi la session pilote en français au Rwanda. Les modules sur l'audition des victimes ont été "
            "les plus utiles. Qui d'autre y a participé ?"
        ),
    )
    services.reply_to_topic(
        author=maria,
        topic=topic_fr,
        body="Moi aussi. Nous pourrions partager nos fiches pratiques ici pour les collègues qui partent bientôt.",
    )

    services.start_topic(
        author=maria,
        forum=group_forum,
        title="Draft outline of the revised curriculum",
        body="First draft of the outline for the next edition: comments welcome before the end of the month.",
    )
