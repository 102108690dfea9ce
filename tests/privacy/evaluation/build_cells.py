"""Write `cells.csv`, the labelled evaluation set of the privacy scanner (run once, then review
the diff: `python tests/privacy/evaluation/build_cells.py`).

Seven small tables shaped like commune files, every cell labelled by hand-written rules with
the families it holds (`expected`, `|`-separated, empty when it holds none) and whether it is a
trap (`trap`: a public value built to look personal: SIRET, street or school named after
someone, switchboard, functional mailbox, accounting number, ACTES id…). People, numbers and
addresses are invented; identifiers get valid keys so that only context can tell them apart.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.fr import nir as std_nir

HERE = Path(__file__).parent
RANDOM = random.Random(2026)

FIRST = [
    "Sophie",
    "Nathalie",
    "Isabelle",
    "Catherine",
    "Sandrine",
    "Céline",
    "Julie",
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Émilie",
    "Jean",
    "Pierre",
    "Michel",
    "Philippe",
    "Alain",
    "Nicolas",
    "Julien",
    "Thomas",
    "Hugo",
    "Lucas",
    "Mathieu",
    "Éric",
    "Karim",
    "Mohamed",
    "Fatima",
    "Inès",
    "Yasmine",
    "Théo",
    "Gaëlle",
    "Hélène",
    "Jérôme",
    "François",
]
LAST = [
    "Garnier",
    "Martin",
    "Bernard",
    "Dubois",
    "Leroy",
    "Moreau",
    "Fournier",
    "Girard",
    "Bonnet",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefèvre",
    "Faure",
    "Mercier",
    "Guérin",
    "Boyer",
    "Garcia",
    "Chevalier",
    "Legrand",
    "Gauthier",
    "Perrin",
    "Robin",
    "Dupuis",
    "Benali",
    "Nguyen",
    "Marchand",
    "Roussel",
    "Lacroix",
    "Brunet",
    "Da Silva",
]
STREETS = (
    "rue des Lilas",
    "allée des Pins",
    "impasse du Moulin",
    "chemin de Brousse",
    "avenue de la Libération",
    "rue Pasteur",
    "résidence Les Acacias",
    "cours Gambetta",
)
PUBLIC_PLACES = (
    "Gymnase Jean Moulin",
    "École élémentaire Jules Ferry",
    "Stade Robert Lhoste",
    "Médiathèque Jacques Ellul",
    "Piscine Marcel Cerdan",
    "Salle polyvalente Simone Veil",
    "Centre social Pierre Mendès France",
    "Collège Victor Hugo",
    "Crèche Louise Michel",
    "Maison de quartier Jean Jaurès",
    "Parc Denis Diderot",
    "Dojo Camille Claudel",
    "Théâtre Olympe de Gouges",
    "Espace Marie Curie",
    "Halle Georges Brassens",
)
ASSOCIATIONS = (
    "Association Jean Moulin",
    "Amicale Laïque Paul Bert",
    "Club Léo Lagrange",
    "Comité des fêtes Victor Hugo",
    "Association Sportive Béglaise",
    "Handball Club des Rives",
    "Les Amis de Simone Signoret",
    "Union Sportive Talençaise",
    "Compagnie Théâtre de l'Alouette",
    "Fondation Abbé Pierre",
    "Cercle Jules Verne",
    "Secours Populaire Français",
    "ASB Rugby Loisirs",
    "Ensemble vocal Francis Poulenc",
)


def person() -> tuple[str, str]:
    return RANDOM.choice(FIRST), RANDOM.choice(LAST)


def digits(count: int) -> str:
    return "".join(RANDOM.choice("0123456789") for _ in range(count))


def nir(department: str | None = None) -> str:
    sex = RANDOM.choice("12")
    year, month = f"{RANDOM.randint(40, 99):02d}", f"{RANDOM.randint(1, 12):02d}"
    dep = department or f"{RANDOM.randint(1, 95):02d}".replace("20", "33")
    body = f"{sex}{year}{month}{dep}{digits(3)}{digits(3)}"
    number = body + std_nir.calc_check_digits(body + "00")
    return RANDOM.choice(
        (
            number,
            f"{number[0]} {number[1:3]} {number[3:5]} {number[5:7]} "
            f"{number[7:10]} {number[10:13]} {number[13:]}",
        )
    )


def bad_nir() -> str:
    """Fifteen digits that look like a NIR but fail its key: an accounting number."""
    while True:
        number = "1" + digits(14)
        if not std_nir.is_valid(number):
            return number


def iban() -> str:
    bank, branch, account = digits(5), digits(5), digits(11)
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    bban = f"{bank}{branch}{account}{key:02d}"
    number = "FR" + std_iban.calc_check_digits("FR00" + bban) + bban
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def bad_iban() -> str:
    number = iban().replace(" ", "")
    broken = number[:-1] + str((int(number[-1]) + 1) % 10)
    return " ".join(broken[i : i + 4] for i in range(0, len(broken), 4))


def siret() -> str:
    siren = digits(8)
    siren += luhn.calc_check_digit(siren)
    nic = digits(4)
    return siren + nic + luhn.calc_check_digit(siren + nic)


def mobile() -> str:
    prefix = RANDOM.choice(
        ("060", "061", "062", "064", "065", "066", "067", "068", "075", "076", "077", "078")
    )
    number = prefix + digits(7)
    pairs = " ".join(number[i : i + 2] for i in range(0, 10, 2))
    return RANDOM.choice(
        (pairs, pairs.replace(" ", "."), number, "+33 " + pairs[1:], "+33 (0)" + pairs[1:])
    )


def landline() -> str:
    number = "055" + digits(7)
    return " ".join(number[i : i + 2] for i in range(0, 10, 2))


def personal_email(first: str, last: str) -> str:
    local = f"{first}.{last}".lower().replace(" ", "")
    for accented, plain in zip("éèëêïçâô", "eeeeicao", strict=True):
        local = local.replace(accented, plain)
    return RANDOM.choice(
        (
            f"{local}@gmail.com",
            f"{local}{RANDOM.randint(1, 99)}@orange.fr",
            f"{local}@free.fr",
            f"{local}@cabinet-{last.lower().replace(' ', '')}.fr",
        )
    )


def birth_date() -> str:
    day, month, year = RANDOM.randint(1, 28), RANDOM.randint(1, 12), RANDOM.randint(1935, 2015)
    return RANDOM.choice((f"{day:02d}/{month:02d}/{year}", f"{year}-{month:02d}-{day:02d}"))


def other_date() -> str:
    return f"2025-{RANDOM.randint(1, 12):02d}-{RANDOM.randint(1, 28):02d}"


def address() -> str:
    return f"{RANDOM.randint(1, 180)} {RANDOM.choice(STREETS)}, 33130 Bègles"


def name_form(first: str, last: str) -> str:
    return RANDOM.choice(
        (
            f"{last.upper()} {first}",
            f"{first} {last}",
            f"{first} {last.upper()}",
            f"Mme {first} {last}",
            f"M. {last}",
        )
    )


def usagers() -> list[dict[str, tuple[str, bool]]]:
    """A register of people (school canteen): nearly every cell is personal."""
    rows = []
    for _ in range(16):
        first, last = person()
        rows.append(
            {
                "nom_prenom": (
                    name_form(first, last).replace("Mme ", "").replace("M. ", ""),
                    "name",
                ),
                "date_naissance": (birth_date(), "birth_date"),
                "telephone_portable": (mobile(), "phone"),
                "courriel": (personal_email(first, last), "email"),
                "adresse_domicile": (address(), "address"),
                "iban": (iban(), "iban"),
                "numero_secu": (nir(RANDOM.choice((None, None, "2A", "2B"))), "nir"),
                "latitude": (f"44.{digits(6)}", "geolocation"),
                "longitude": (f"-0.{digits(6)}", "geolocation"),
            }
        )
    return [{key: (value, label, False) for key, (value, label) in row.items()} for row in rows]


def subventions() -> list[dict]:
    """Subsidies: associations (some named after people) and a few natural persons."""
    rows = []
    for index in range(22):
        natural = index % 4 == 3
        first, last = person()
        if natural:
            beneficiary = (f"{last.upper()} {first}", "name", False)
            identifier = (nir(), "nir", False) if index % 8 == 7 else ("", "", False)
        else:
            beneficiary = (ASSOCIATIONS[index % len(ASSOCIATIONS)], "", True)
            identifier = (siret(), "", True)
        objects = [
            (f"Aide au projet, contact {personal_email(first, last)}", "email", False),
            (f"Projet porté par {first} {last}, tél. {mobile()}", "name|phone", False),
            (f"Versement sur le compte {iban()} de {first} {last}", "iban|name", False),
            ("Fonctionnement annuel, contact@asso-begles.fr", "", True),
            (f"Accueil au {landline()} (secrétariat de l'association)", "", True),
            ("Organisation du tournoi Jean Dauguet au stade municipal", "", True),
            ("Sport et handicap : achat de fauteuils", "", True),
            ("Fête de quartier et animations de proximité", "", False),
        ]
        objet = (
            objects[index % len(objects)]
            if not natural
            else (
                f"Aide exceptionnelle à {first} {last}, bénéficiaire du RSA",
                "name|sensitive",
                False,
            )
        )
        rows.append(
            {
                "nomBeneficiaire": beneficiary,
                "idBeneficiaire": identifier,
                "objet": objet,
                "montant": (str(RANDOM.randint(300, 90000)), "", False),
                "dateConvention": (other_date(), "", True),
            }
        )
    return rows


def equipements() -> list[dict]:
    """Public equipment: names, addresses, switchboards, coordinates of public places."""
    rows = []
    for index, place in enumerate(PUBLIC_PLACES):
        street = place.split(" ", 1)[1] if index % 2 else "Jean Jaurès"
        rows.append(
            {
                "EQUIP_NOM": (place, "", True),
                "ADR": (f"{RANDOM.randint(1, 90)} rue {street}, 33130 Bègles", "", True),
                "EQUIP_TEL": (landline(), "", True),
                "EQUIP_EMAIL": (
                    RANDOM.choice(
                        (
                            "accueil@mairie-begles.fr",
                            "piscine@mairie-begles.fr",
                            "contact@mediatheque-begles.fr",
                        )
                    ),
                    "",
                    True,
                ),
                "ADR_CLE_INTEROP": (f"33039_{digits(4)}_{RANDOM.randint(1, 200):05d}", "", True),
                "EQUIP_LAT": (f"44.{digits(6)}", "", True),
                "EQUIP_LONG": (f"-0.{digits(6)}", "", True),
            }
        )
    return rows


def deliberations() -> list[dict]:
    """Council acts: elected officials and acts' authors are named by law."""
    rows = []
    for index in range(16):
        first, last = person()
        objects = [
            (f"Élection de M. {first} {last}, maire", "", True),
            (f"Rapport de Mme {last}, adjointe au maire chargée des finances", "", True),
            (f"Délégation de signature à {first} {last.upper()}, conseiller municipal", "", True),
            ("Vote du budget primitif 2026 - budget principal", "", False),
            (
                f"Acquisition de la parcelle section AB n° {RANDOM.randint(10, 999)} appartenant "
                f"à M. {first} {last}",
                "name|parcel",
                False,
            ),
            (f"Aide au ravalement de façade accordée à Mme {first} {last}", "name", False),
            ("Dénomination de la place Simone Veil", "", True),
            ("Convention avec l'association Jean Moulin", "", True),
        ]
        rows.append(
            {
                "DELIB_OBJET": objects[index % len(objects)],
                "DELIB_DATE": (other_date(), "", True),
                "PREF_ID": (
                    f"033-213300395-2026{RANDOM.randint(1, 12):02d}{RANDOM.randint(1, 28):02d}"
                    f"-DEL_2026_{index:03d}-DE",
                    "",
                    True,
                ),
                "DELIB_URL": (
                    f"https://www.mairie-begles.fr/deliberations/2026/DEL-{index:03d}.pdf",
                    "",
                    True,
                ),
            }
        )
    return rows


def signalements() -> list[dict]:
    """Reports by residents: free text where people slip in."""
    rows = []
    for index in range(20):
        first, last = person()
        plate = (
            f"{RANDOM.choice('ABCDEFGH')}{RANDOM.choice('KLMNPRST')}-{digits(3)}-"
            f"{RANDOM.choice('ABCDEFGH')}{RANDOM.choice('KLMNPRST')}"
        )
        comments = [
            (f"Véhicule immatriculé {plate} stationné devant le {address()}", "plate", False),
            (f"Signalé par Mme {last}, {address()}", "name|address", False),
            (f"Merci de rappeler {first} {last.upper()} au {mobile()}", "name|phone", False),
            (
                f"Chute de {first} {last}, née le {birth_date()}, hospitalisée",
                "name|birth_date|sensitive",
                False,
            ),
            ("Éclairage en panne au stade Robert Lhoste", "", True),
            ("Nid de poule avenue Victor Hugo, devant l'école Jules Ferry", "", True),
            ("Dépôt sauvage rue Pierre et Marie Curie", "", True),
            ("Banc cassé dans le parc", "", False),
            (
                f"Réponse envoyée par {first.lower()}.{last.lower().replace(' ', '')}"
                "@mairie-begles.fr",
                "email",
                False,
            ),
            ("Pour toute question : 05 56 49 88 00 (standard de la mairie)", "", True),
        ]
        rows.append(
            {
                "commentaire": comments[index % len(comments)],
                "reference": (plate if index % 3 == 0 else f"SIG-2026-{index:04d}", "", True),
                "categorie": (
                    RANDOM.choice(("Voirie", "Propreté", "Éclairage", "Espaces verts")),
                    "",
                    False,
                ),
            }
        )
    return rows


def numeros() -> list[dict]:
    """Numbers that look like identifiers: only the valid ones under the right header are."""
    rows = []
    for index in range(14):
        ean = digits(12)
        check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(ean)) % 10) % 10
        rows.append(
            {
                "compte_comptable": (bad_nir(), "", True),
                "iban_fournisseur": (bad_iban(), "", True),
                "code_barre": (ean + str(check), "", True),
                "identifiant": (
                    f"{digits(8)}-{digits(4)}-4{digits(3)}-a{digits(3)}-{digits(12)}",
                    "",
                    True,
                ),
                "passeport": (
                    f"{digits(2)}{RANDOM.choice('ABCDEF')}{RANDOM.choice('KLMN')}{digits(5)}",
                    "identifier",
                    False,
                )
                if index % 2
                else ("", "", False),
            }
        )
    return rows


def prenoms() -> list[dict]:
    """First names counted per year (scdl/prenoms): statistics, small counts to review."""
    rows = []
    for index in range(12):
        count = RANDOM.randint(1, 2) if index % 3 == 0 else RANDOM.randint(3, 40)
        rows.append(
            {
                "ENFANT_PRENOM": (FIRST[index], "", True),
                "NOMBRE_OCCURRENCES": (str(count), "small_count" if count < 3 else "", False),
                "ANNEE": ("2025", "", False),
            }
        )
    return rows


MESSY = (
    # (column, value, expected, trap): hand-written cases from real files, easy and hard
    ("texte", "Appeler sophie garnier en fin de journée", "name", False),
    ("texte", "Dossier suivi par Kwame MENSAH", "name", False),
    ("texte", "Écrire à jean.dupont(at)gmail.com", "email", False),
    ("texte", "Contact : JEAN.DUPONT@GMAIL.COM", "email", False),
    ("texte", "Adhésion réglée par j.dupont@laposte.net", "email", False),
    ("texte", "Joindre le 06-12-34-56-78 après 18 h", "phone", False),
    ("texte", "Portable : +33612345678", "phone", False),
    ("texte", "Tél. 0033 6 12 34 56 78", "phone", False),
    ("texte", "tél 6 12 34 56 78", "phone", False),
    ("texte", "Virement fr76 3000 6000 0112 3456 7890 189", "iban", False),
    ("texte", "RIB FR7630006000011234567890189", "iban", False),
    ("texte", "Date de naissance : 03/04/1980, M. Petit", "name|birth_date", False),
    ("texte", "Mme Petit, née le 1er mars 1975", "name|birth_date", False),
    ("texte", "M. Lopez, domicilié au 4 bis rue des Écoles", "name|address", False),
    ("texte", "Voiture plaque FG 456 HJ enlevée par la fourrière", "plate", False),
    ("texte", "NIR 1 85 05 2A 123 456 33", "nir", False),
    ("texte", "Hommage à Simone Veil", "", True),
    ("texte", "Lecture publique des Misérables de Victor Hugo", "", True),
    ("texte", "Prix Albert Londres du jeune reportage", "", True),
    ("texte", "Travaux avenue du Général de Gaulle", "", True),
    ("texte", "Arrêt de tram Jean Jaurès déplacé", "", True),
    ("texte", "Travaux rue Sophie Germain", "", True),
    ("texte", "Navette vers Saint-Jean-d'Illac", "", True),
    ("texte", "Code produit AB-123-CD en rupture", "", True),
    ("texte", "SIRET 213 300 395 00109, RNA W332001234", "", True),
    ("texte", "RIB erroné FR76 3000 6000 0112 3456 7890 188", "", True),
    ("texte", "Courrier à Monsieur le Préfet de la Gironde", "", True),
    ("texte", "M. Dupont, président du club, remercie la ville", "", True),
    ("texte", "Arbre planté le 12/03/1985 devant la mairie", "", True),
    ("texte", "Permanence le 12 mars 2026 à 14 h, salle Jean Vilar", "", True),
    ("texte", "Standard : 05 56 49 88 00", "", True),
    ("texte", "Numéro vert 0 800 33 33 33", "", True),
    ("texte", "Capacité 1 200 places, tarif 06,50 €", "", True),
    ("texte", "Ligne 12 du tram, direction Pessac Centre", "", True),
    ("texte", "Marché de Noël place Aristide Briand", "", True),
    ("texte", "Référence cadastrale 33039000AB0123", "", True),
    ("rib_mairie", "FR76 1007 1330 0000 0020 0000 469", "iban", False),
)


def messy() -> list[dict]:
    """Hand-written cases, one a row: formats and contexts the generated tables do not have."""
    return [{column: (value, expected, trap)} for column, value, expected, trap in MESSY]


TABLES = {
    "usagers": usagers,
    "subventions": subventions,
    "equipements": equipements,
    "deliberations": deliberations,
    "signalements": signalements,
    "numeros": numeros,
    "prenoms": prenoms,
    "divers": messy,
}


def main() -> None:
    with (HERE / "cells.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";", lineterminator="\n")
        writer.writerow(["table", "row", "column", "value", "expected", "trap"])
        for table, build in TABLES.items():
            for number, row in enumerate(build(), start=2):
                for column, (value, expected, trap) in row.items():
                    if value:
                        writer.writerow(
                            [table, number, column, value, expected, "oui" if trap else "non"]
                        )


if __name__ == "__main__":
    main()
