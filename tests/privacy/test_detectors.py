"""Detectors, whitelist and masking: each family on the cases that decide it."""

from __future__ import annotations

import random

import polars as pl
import pytest
from stdnum import iban as std_iban
from stdnum.fr import nir as std_nir

from privacy.helpers import found, scan_table
from publisher.findings import shown_value
from publisher.privacy.masking import mask_nir, mask_text


def random_nirs(count: int) -> list[str]:
    """Valid and invalid NIRs, Corsica (2A, 2B) included, built with python-stdnum."""
    rng = random.Random(7)
    values = []
    for _ in range(count):
        department = rng.choice(["33", "75", "2A", "2B", "97"])
        body = f"{rng.choice('12')}{rng.randint(30, 99)}{rng.randint(1, 12):02d}{department}"
        body += "".join(rng.choice("0123456789") for _ in range(13 - len(body)))
        key = std_nir.calc_check_digits(body + "00")
        values.append(body + (key if rng.random() < 0.5 else f"{(int(key) + 1) % 97:02d}"))
    return values


def test_nir_detection_agrees_with_python_stdnum_on_the_key():
    values = random_nirs(300)
    hits = scan_table({"texte": [f"n° {value}" for value in values]})
    flagged = {row - 2 for hit in hits if hit.family.value == "nir" for row in hit.rows}
    expected = {index for index, value in enumerate(values) if std_nir.is_valid(value)}
    assert flagged == expected and 100 < len(expected) < 200


def test_short_nir_only_under_a_nir_header():
    assert found({"numero_secu": ["2690549588157"]}) == {("nir", "numero_secu", "direct")}
    assert found({"reference": ["2690549588157"]}) == set()


def test_iban_needs_mod_97_and_weighs_more_beside_a_person():
    good, bad = "FR76 3000 6000 0112 3456 7890 189", "FR76 3000 6000 0112 3456 7890 188"
    assert std_iban.is_valid(good) and not std_iban.is_valid(bad)
    assert found({"iban": [good, bad]}) == {("iban", "iban", "review")}
    assert found({"iban": [good], "nom": ["GARNIER Sophie"]}) == {
        ("iban", "iban", "direct"),
        ("name", "nom", "direct"),
    }


@pytest.mark.parametrize(
    "value,expected",
    [
        ("06 12 34 56 78", {("phone", "texte", "review")}),
        ("+33 (0)6 12 34 56 78", {("phone", "texte", "review")}),
        ("+262 692 12 34 56", {("phone", "texte", "review")}),
        ("05 56 44 03 42", set()),  # a switchboard: public
        ("0 800 33 33 33", set()),  # service number
        ("07 12 34 56 78", set()),  # not in the numbering plan
        ("21330039500109", set()),  # SIRET
        ("213300395", set()),  # SIREN
    ],
)
def test_phone_numbers(value, expected):
    assert found({"texte": [value]}) == expected


def test_phone_beside_a_person_blocks():
    assert found({"texte": ["Mme Garnier : 06 12 34 56 78"]}) == {
        ("name", "texte", "direct"),
        ("phone", "texte", "direct"),
    }
    assert found({"texte": ["Mme Garnier : 05 56 44 03 42"]}) == {
        ("name", "texte", "direct"),
        ("phone", "texte", "review"),
    }


@pytest.mark.parametrize(
    "address,grade",
    [
        ("sophie.garnier33@gmail.com", "direct"),
        ("jean.dupont@cabinet-dupont.fr", "direct"),
        ("jean.dupont@mairie-begles.fr", "review"),  # an agent of the commune
        ("jean.dupont@gironde.gouv.fr", "review"),
        ("contact@asso.fr", None),
        ("accueil@mairie-begles.fr", None),
        ("president.club@gmail.com", None),
    ],
)
def test_emails(address, grade):
    expected = {("email", "courriel", grade)} if grade else set()
    assert found({"courriel": [address]}) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Mme Garnier",
        "Contacter Sophie Garnier",
        "GARNIER Sophie",
        "Jean-Pierre DUPONT",
        "Acquisition auprès de M. Paul Girard",
    ],
)
def test_names_with_two_signals(text):
    assert found({"texte": [text]}) == {("name", "texte", "direct")}


@pytest.mark.parametrize(
    "text",
    [
        "12 rue Victor Hugo",
        "École élémentaire Jules Ferry",
        "Amicale Laïque Paul Bert",
        "Les Amis de Simone Signoret",
        "Rue Pierre et Marie Curie",
        "Élection de M. Jean Dupont, maire",
        "Rapport de Mme Martin, adjointe au maire",
        "Monsieur le Maire",
        "Comité des fêtes Victor Hugo",
        "Sophie",  # one word, no person header
        "Handball Club des Rives de Garonne",
    ],
)
def test_places_organisations_and_officials_are_not_persons(text):
    assert found({"texte": [text]}) == set()


def test_person_header_and_person_value():
    columns = {"nom": ["DURAND", "Parking de l'Hôtel de ville"], "prenom": ["Louise", "Zyx"]}
    assert found(columns) == {("name", "nom", "direct"), ("name", "prenom", "direct")}
    hits = {h.column: h.rows for h in scan_table(columns)}
    assert hits == {"nom": (2,), "prenom": (2, 3)}


def test_elected_officials_columns_are_named_by_law():
    assert found({"nom_elu": ["Sophie GARNIER"], "rapporteur": ["M. Jean Dupont"]}) == set()


def test_birth_dates_need_a_birth_context():
    assert found({"date_naissance": ["12/03/1985"]}) == {("birth_date", "date_naissance", "direct")}
    assert found({"date_plantation": ["12/03/1985"]}) == set()
    assert found({"texte": ["Arbre planté le 12/03/1985"]}) == set()


def test_addresses_only_beside_a_person():
    assert found({"adresse": ["12 rue des Lilas, 33130 Bègles"]}) == set()
    assert found({"texte": ["M. Lopez, domicilié au 4 bis rue des Écoles"]}) == {
        ("name", "texte", "direct"),
        ("address", "texte", "direct"),
    }


def test_plates_need_a_vehicle_context():
    assert found({"reference": ["AB-123-CD"]}) == set()
    assert found({"immatriculation": ["AB-123-CD"]}) == {("plate", "immatriculation", "review")}
    assert found({"texte": ["Véhicule FG 456 HJ enlevé"]}) == {("plate", "texte", "review")}


def test_parcels_only_with_an_owner():
    assert found({"parcelle": ["33039000AB0123"]}) == set()
    assert found({"parcelle": ["33039000AB0123"], "proprietaire": ["M. Paul Girard"]}) == {
        ("parcel", "parcelle", "review"),
        ("name", "proprietaire", "direct"),
    }


def test_precise_coordinates_of_people_only():
    columns = {"latitude": ["44.807846", "44.8"], "nom_prenom": ["GARNIER Sophie", ""]}
    assert ("geolocation", "latitude", "review") in found(columns)
    assert found({"latitude": ["44.807846"]}) == set()
    assert found({"latitude": ["44.807846"]}, about_people=True) == {
        ("geolocation", "latitude", "review")
    }


def test_sensitive_words_only_with_a_person():
    assert found({"texte": ["Sport et handicap"]}) == set()
    assert ("sensitive", "texte", "direct") in found({"texte": ["Mme Garnier, suivie par la MDPH"]})


def test_a_value_with_words_of_several_categories_is_told_under_the_first_category():
    def category(value: str) -> list[str]:
        hits = scan_table({"texte": [value]})
        return [hit.detail for hit in hits if hit.family.value == "sensitive"]

    assert category("Mme Garnier, sortie de prison, suivie pour une maladie") == ["santé"]
    assert category("M. Dupont, condamné, syndiqué CGT") == ["syndicat"]
    assert category("Mme Martin, suivie par la MDPH, au RSA") == ["handicap"]
    # « sante » inside « sympathisante »: the words found together do not overlap
    assert category("Mme Garnier, sympathisante") == ["santé"]
    assert category("Mme Garnier, pratiquante et sympathisante CGT") == ["santé"]


def test_an_obfuscated_address_is_read_beside_a_written_one():
    hits = scan_table({"contact": ["mairie@ville.fr ou jean.dupont(at)gmail.com"]})
    assert [(h.family.value, h.sample) for h in hits] == [("email", "j•••@gmail.com")]


def test_the_sample_of_a_cell_with_two_phone_numbers_is_always_its_first():
    values = ["06 12 34 56 78 et 0033 6 12 34 56 79", "Mme Garnier 06 98 76 54 32"]
    samples = {
        tuple(h.sample for h in scan_table({"texte": values}) if h.family.value == "phone")
        for _ in range(12)
    }
    assert samples == {("06 •• •• •• 78", "06 •• •• •• 32")}


@pytest.mark.parametrize(
    "value",
    [
        "21330039500109",
        "W332001234",
        "33039",
        "33039_0730_00077",
        "033-213300395-20260213-DEL_2026_001-DE",
        "FR*A12*P12345",
        "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "2026",
        "24 500",
        "4006381333931",
        " w332001234\u00a0",
        "fr*a12*p12345 ",
        "12 500 eur",
    ],
)
def test_public_identifiers_are_never_flagged(value):
    assert found({"texte": [value], "nir": [value], "telephone_portable": [value]}) == set()


def test_masks_keep_only_what_finds_the_cell_again():
    assert mask_nir("185057800608436") == "1 85 05 •• ••• ••• 36"
    assert shown_value("Appeler le 06 12 34 56 78") == "Appeler le 06 •• •• •• 78"
    text = "Mme Sophie Garnier, jean.dupont(at)gmail.com, FR76 3000 6000 0112 3456 7890 189"
    masked = mask_text(text)
    assert "Garnier" not in masked and "dupont" not in masked and "0112" not in masked
    assert mask_text("SIRET 21330039500109") == "SIRET 21330039500109"


def test_whole_columns_at_once():
    frame = pl.DataFrame({"texte": ["rien"] * 5000 + ["Mme Garnier"]})
    (hit,) = scan_table({"texte": frame.get_column("texte").to_list()})
    assert hit.rows == (5002,)


def test_kind_of_line_by_block_of_a_thousand_numbers_agrees_with_phonenumbers():
    from publisher.privacy.detectors import _phone_kind, plan_prefix

    rng = random.Random(3)
    numbers = [
        rng.choice(["+33", "+262", "+590", "+594", "+596"])
        + str(rng.randint(100_000_000, 999_999_999))
        for _ in range(3000)
    ]
    blocks = pl.select(plan_prefix(pl.Series(numbers))).to_series().to_list()
    assert [_phone_kind(n) for n in numbers] == [_phone_kind(b) for b in blocks]


def test_messages_filled_in_any_language_are_masked():
    from publisher.i18n import translator

    for language in ("fr", "en"):
        filled = translator(language).template(
            "Détail : {detail}", {"detail": "tél. 06 12 34 56 78"}
        )
        assert filled.endswith("06 •• •• •• 78"), language


def test_the_sample_is_the_first_match_of_the_first_row_in_the_order_the_cell_reads():
    from publisher.privacy.masking import mask_email

    objets = [f"Dossier {index} suivi par agent{index}@gmail.com" for index in range(3000)]
    objets[0] = "Écrire à jean.dupont@gmail.com ou à marie.curie@gmail.com"
    samples = set()
    for _ in range(5):
        (hit,) = [h for h in scan_table({"objet": objets}) if h.family.value == "email"]
        samples.add(hit.sample)
        assert hit.rows[:2] == (2, 3) and hit.count == 3000  # cells, each counted once
    assert samples == {mask_email("jean.dupont@gmail.com")}


def test_a_table_whose_cells_are_all_blanked_has_nothing_to_scan():
    from publisher.privacy.scanner import ScanOptions, scan

    empty = pl.DataFrame(
        {"montant": [None] * 3, "date": [None] * 3},
        schema={"montant": pl.String, "date": pl.String},
    )
    assert scan(empty, pl.Series([2, 3, 4]), ScanOptions()) == []
    assert scan(
        empty.with_columns(pl.lit("Mme Garnier").alias("nom")), pl.Series([2, 3, 4]), ScanOptions()
    )
