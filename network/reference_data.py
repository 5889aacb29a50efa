"""Lists members choose from. Names are marked for translation; the database stores the English."""

from django.utils.translation import gettext_noop as _

MISSIONS = [
    # acronym, name, ISO country code of the host (blank where it has none)
    ("BINUH", "United Nations Integrated Office in Haiti", "HT"),
    ("MINURCAT", "United Nations Mission in the Central African Republic and Chad", "TD"),
    ("MINURSO", "United Nations Mission for the Referendum in Western Sahara", "EH"),
    (
        "MINUSCA",
        "United Nations Multidimensional Integrated Stabilization Mission in the Central African Republic",
        "CF",
    ),
    ("MINUSMA", "United Nations Multidimensional Integrated Stabilization Mission in Mali", "ML"),
    ("MINUSTAH", "United Nations Stabilization Mission in Haiti", "HT"),
    ("MONUC", "United Nations Organization Mission in the Democratic Republic of the Congo", "CD"),
    ("MONUSCO", "United Nations Organization Stabilization Mission in the Democratic Republic of the Congo", "CD"),
    ("UNAMA", "United Nations Assistance Mission in Afghanistan", "AF"),
    ("UNAMID", "African Union–United Nations Hybrid Operation in Darfur", "SD"),
    ("UNFICYP", "United Nations Peacekeeping Force in Cyprus", "CY"),
    ("UNISFA", "United Nations Interim Security Force for Abyei", "SD"),
    ("UNMIK", "United Nations Interim Administration Mission in Kosovo", ""),
    ("UNMIL", "United Nations Mission in Liberia", "LR"),
    ("UNMIS", "United Nations Mission in the Sudan", "SD"),
    ("UNMISS", "United Nations Mission in the Republic of South Sudan", "SS"),
    ("UNMIT", "United Nations Integrated Mission in Timor-Leste", "TL"),
    ("UNOCI", "United Nations Operation in Côte d'Ivoire", "CI"),
    ("UNSOM", "United Nations Assistance Mission in Somalia", "SO"),
]

LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
    ("sw", _("Swahili")),
    ("other", _("Other language")),
]

EXPERTISE_AREAS = [
    ("sgbv-investigation", _("Sexual and gender-based violence investigation")),
    ("community-policing", _("Community policing")),
    ("crime-scene", _("Crime-scene investigation")),
    ("interviewing", _("Interviewing victims and witnesses")),
    ("gender-mainstreaming", _("Gender mainstreaming")),
    ("training", _("Training and curriculum design")),
    ("mentoring", _("Mentoring and advising")),
    ("formed-police-units", _("Formed police units")),
    ("public-order", _("Public order management")),
    ("child-protection", _("Child protection")),
    ("criminal-intelligence", _("Criminal intelligence and analysis")),
    ("leadership", _("Leadership and management")),
]
