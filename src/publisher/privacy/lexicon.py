"""Words the scanner reads in headers and cells, kept apart from the detection logic.

Headers are compared as lists of tokens: `nomBeneficiaire`, `NOM_BENEFICIAIRE` and
`Nom du bénéficiaire` all become `nom`, `du`, `beneficiaire` (see `header_tokens`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources


@cache
def word_list(name: str) -> frozenset[str]:
    """A vendored word list of `publisher/privacy/data/`: one word a line, `#` comments. Read
    once: the name detector and the masking of findings both use the first names."""
    text = resources.files("publisher.privacy").joinpath(f"data/{name}").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


WEBMAIL_DOMAINS = (
    "gmail.com",
    "googlemail.com",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "laposte.net",
    "hotmail.com",
    "hotmail.fr",
    "outlook.com",
    "outlook.fr",
    "live.fr",
    "live.com",
    "msn.com",
    "yahoo.com",
    "yahoo.fr",
    "sfr.fr",
    "neuf.fr",
    "icloud.com",
    "me.com",
    "aol.com",
    "aol.fr",
    "bbox.fr",
    "numericable.fr",
    "gmx.fr",
    "gmx.com",
    "protonmail.com",
    "proton.me",
)
FUNCTIONAL_MAILBOXES = (
    "contact",
    "accueil",
    "mairie",
    "info",
    "infos",
    "information",
    "dpo",
    "rgpd",
    "secretariat",
    "direction",
    "communication",
    "presse",
    "service",
    "services",
    "courrier",
    "admin",
    "association",
    "asso",
    "bureau",
    "president",
    "tresorier",
    "secretaire",
    "club",
    "noreply",
    "no-reply",
    "webmaster",
    "opendata",
    "reservation",
    "inscriptions",
    "inscription",
    "police-municipale",
    "mediatheque",
    "piscine",
    "urbanisme",
    "etat-civil",
    "ccas",
)
PUBLIC_DOMAINS = ("gouv.fr", "bordeaux-metropole.fr", "mairie-bordeaux.fr", "bordeaux.fr")
"""Public bodies' domains (and their subdomains): a nominative address there is an agent's."""

CIVILITY = r"(?:M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame|Mademoiselle|Me|Maître|Dr|Docteur|Pr\.)"
NAME_WORD = r"\p{Lu}[\p{L}'’]+(?:-\p{Lu}[\p{L}'’]+)?"
"""A capitalised word, hyphenated compounds included (Jean-Pierre, Martin-Lalande)."""
UPPER_WORD = r"\p{Lu}[\p{Lu}'’]+(?:-\p{Lu}[\p{Lu}'’]+)?"

PLACE_WORDS = (
    "rue|avenue|av\\.|boulevard|bd|allée|allee|allées|impasse|chemin|place|route|cours|quai|"
    "square|esplanade|passage|voie|rond-point|cité|cite|résidence|residence|lieu-dit|hameau|"
    "sentier|parvis|promenade|pont|parc|jardin|stade|gymnase|piscine|salle|espace|centre|"
    "maison|complexe|halle|école|ecole|groupe scolaire|collège|college|lycée|lycee|"
    "université|faculté|médiathèque|mediatheque|bibliothèque|bibliotheque|théâtre|theatre|"
    "musée|musee|crèche|creche|ehpad|hôpital|hopital|clinique|foyer|auditorium|dojo|"
    "boulodrome|skatepark|plaine|aire|square|port|gare|station|arrêt|arret|tram|ligne|"
    "prix|trophée|trophee|challenge|tournoi|festival|fondation|institut|association|"
    "amicale|club|comité|comite|cercle|union|ligue|fédération|federation|société|societe|"
    "compagnie|collectif|entente|ensemble|chorale|orchestre|harmonie|troupe|atelier|"
    "quartier|fête|fete|cinéma|cinema|galerie|salon|lotissement|domaine|château|chateau|"
    "église|eglise|chapelle|temple|cimetière|cimetiere|zone|zac|za|zi"
)
"""Words after which a person's name names a place, an event or an organisation
(« rue Victor Hugo », « collège Jules Ferry », « Amicale Jean Moulin »)."""

ROLE_WORDS = (
    "maire|adjoint|adjointe|conseiller|conseillère|conseillere|conseillers|élu|élue|elu|elue|"
    "rapporteur|rapporteure|président|présidente|president|presidente|vice-président|"
    "vice-présidente|délégué|déléguée|delegue|deleguee|signataire|secrétaire de séance|"
    "secretaire de seance|directeur général des services|directrice générale des services|"
    "député|députée|sénateur|sénatrice|préfet|préfète|ministre|garde des sceaux"
)
"""Public roles: elected officials and acts' authors are named by law (CRPA L212-1,
CGCT R2131-1), so a name next to one of these words is not a leak."""

LEGAL_PERSON_WORDS = word_list("personnes-morales.txt")
"""Words of a legal person's name: a cell holding one names an organisation, not a person."""

SENSITIVE_TERMS = {
    "santé": r"sant[ée]|maladie|m[ée]dical|pathologie|diagnostic|hospitalis|cancer|diab[èe]t|"
    r"s[ée]ropositi|VIH|grossesse|psychiatri|addiction|toxicoman",
    "handicap": r"handicap|MDPH|AAH|invalidit[ée]|RQTH",
    "situation sociale": r"(?-u:\b)RSA(?-u:\b)|aide sociale|surendett|minima sociaux|SDF|"
    r"sans domicile|expulsion|impay[ée]s? de loyer",
    "religion": r"religion|confession|musulman|catholique|protestant|juif|juive|pratiquant",
    "syndicat": r"syndiqu[ée]|adh[ée]rent (?:de la|du) (?:CGT|CFDT|FO|SUD|CFTC|UNSA)|"
    r"(?-u:\b)(?:CGT|CFDT|CFTC|UNSA)(?-u:\b)",
    "orientation sexuelle": r"orientation sexuelle|homosexuel|bisexuel|transgenre|LGBT",
    "origine": r"origine ethnique|origine raciale|ethnie|nationalit[ée] d'origine",
    "opinions politiques": r"opinion politique|militant (?:du|de la)|sympathisant",
    "condamnation": r"condamn[ée]|casier judiciaire|infraction|d[ée]lit|garde à vue|"
    r"incarc[ée]r|prison|peine de",
}
"""RGPD art. 9 and 10 categories: a person next to one of these words needs a legal ground."""

HEADER_FAMILIES: dict[str, tuple[str, ...]] = {
    "person": (
        "nom",
        "prenom",
        "prenoms",
        "patronyme",
        "beneficiaire",
        "demandeur",
        "petitionnaire",
        "proprietaire",
        "locataire",
        "titulaire",
        "agent",
        "usager",
        "enfant",
        "eleve",
        "patient",
        "habitant",
        "declarant",
        "requerant",
        "redevable",
        "abonne",
        "adherent",
        "mandataire",
        "tuteur",
        "parent",
        "personne",
        "particulier",
        "contribuable",
        "allocataire",
        "concessionnaire",
        "defunt",
        "epoux",
        "epouse",
        "conjoint",
        "naissance",
        "civilite",
    ),
    "first_name": ("prenom", "prenoms", "firstname", "givenname"),
    "last_name": ("nom", "patronyme", "lastname", "surname", "familyname"),
    "thing": (
        "station",
        "enseigne",
        "equip",
        "equipement",
        "site",
        "parking",
        "voie",
        "nomvoie",
        "lieu",
        "commune",
        "coll",
        "organisme",
        "structure",
        "association",
        "operateur",
        "amenageur",
        "etablissement",
        "service",
        "dispositif",
        "attribuant",
        "arret",
        "ligne",
        "parc",
        "batiment",
        "ecole",
        "salle",
        "ville",
        "projet",
        "direction",
        "secteur",
        "categorie",
        "theme",
        "type",
    ),
    "role": (
        "elu",
        "elus",
        "maire",
        "adjoint",
        "conseiller",
        "rapporteur",
        "signataire",
        "auteur",
        "secretaire",
        "delegue",
        "president",
        "presidence",
    ),
    "birth": ("naissance", "naiss", "ddn", "birth", "birthdate", "datenaissance", "nele"),
    "phone_personal": ("portable", "mobile", "perso", "personnel", "gsm"),
    "nir": ("nir", "secu", "securite", "ss", "numss"),
    "plate": ("immatriculation", "immat", "plaque", "vehicule", "vehicle"),
    "owner": ("proprietaire", "proprietaires", "titulaire", "possesseur"),
    "passport": ("passeport", "passport"),
    "tax_number": ("spi", "fiscal", "numfiscal"),
    "student_number": ("ine",),
    "family_allowance": ("caf", "allocataire"),
    "latitude": ("lat", "latitude", "ylat", "y"),
    "longitude": ("lon", "lng", "long", "longitude", "xlong", "x"),
    "count": ("nombre", "nb", "effectif", "effectifs", "occurrences", "count", "total"),
    "people": (
        "occurrences",
        "naissances",
        "personnes",
        "beneficiaires",
        "enfants",
        "habitants",
        "eleves",
        "allocataires",
        "demandeurs",
        "usagers",
        "deces",
        "mariages",
        "patients",
        "individus",
        "menages",
    ),
}
"""Header tokens that say what a column holds."""

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def header_tokens(header: str) -> tuple[str, ...]:
    """`nomBeneficiaire` → (`nom`, `beneficiaire`); `Date de naissance` → (`date`, `de`,
    `naissance`)."""
    spaced = _CAMEL.sub(" ", strip_accents(header))
    return tuple(token for token in _NON_WORD.split(spaced.lower()) if token)


@lru_cache(maxsize=4096)
def header_says(header: str, family: str) -> bool:
    """Whether one of the header's tokens belongs to a family of `HEADER_FAMILIES`."""
    tokens = header_tokens(header)
    words = HEADER_FAMILIES[family]
    joined = "".join(tokens)
    return any(token in words for token in tokens) or (family == "birth" and "naiss" in joined)
