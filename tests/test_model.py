"""Loading the data repository: configuration errors stop, descriptor problems become findings."""

from __future__ import annotations

import pytest
import yaml

from conftest import descriptor
from publisher import ConfigurationError, SchemaRegistry, load_federation, validate_federation
from publisher.model import find_root


def codes_of(repo, name="jeu"):
    federation = load_federation(repo.root)
    dataset = next(d for _, d in federation.datasets() if d.name == name)
    return federation, dataset, [f.code for f in dataset.problems]


def test_valid_dataset_has_no_problem(mini_repo):
    mini_repo.dataset("jeu")
    federation, dataset, codes = codes_of(mini_repo)
    assert codes == []
    assert [c.slug for c in federation.communes] == [
        "begles",
        "merignac",
        "le-taillan-medoc",
        "pessac",
        "talence",
    ]
    assert dataset.portal_id == "begles-jeu"
    assert dataset.resources[0].relpath == "communes/begles/datasets/jeu/donnees.csv"


def test_invalid_yaml_is_a_finding_with_its_line(mini_repo):
    mini_repo.dataset("jeu", raw_descriptor="name: jeu\ntitle: [oops\nkeywords: x\n")
    _, dataset, codes = codes_of(mini_repo)
    assert codes == ["DESC-YAML"]
    finding = dataset.problems[0]
    assert finding.location.path == "communes/begles/datasets/jeu/datapackage.yaml"
    assert finding.location.row is not None
    assert "ligne" in finding.message


def test_missing_key_names_the_key_and_how_to_fix(mini_repo):
    mini_repo.dataset("jeu", licenses=None)
    _, dataset, codes = codes_of(mini_repo)
    assert codes == ["DESC-PROFILE"]
    assert dataset.problems[0].location.key == "licenses"
    assert "licenses" in dataset.problems[0].message
    assert "Ajoutez" in dataset.problems[0].hint


def test_wrong_enum_lists_allowed_values(mini_repo):
    folder = mini_repo.dataset("jeu", frequency="tous les jours")
    _, dataset, _ = codes_of(mini_repo)
    finding = dataset.problems[0]
    assert finding.location.key == "frequency"
    assert "daily" in finding.hint
    lines = (folder / "datapackage.yaml").read_text("utf-8").splitlines()
    assert lines[finding.location.row - 1].startswith("frequency:")


@pytest.mark.parametrize(
    "path", ["../../../federation.yaml", "/etc/passwd", ".cache/x.csv", "https://example.org/x.csv"]
)
def test_resource_path_outside_the_dataset_is_refused(mini_repo, path):
    mini_repo.dataset("jeu", resources=[{"name": "x", "path": path, "format": "csv"}])
    _, dataset, codes = codes_of(mini_repo)
    assert codes == ["DESC-PATH"]
    assert dataset.resources == ()


def test_missing_data_file_and_unknown_schema(mini_repo):
    mini_repo.dataset(
        "jeu",
        resources=[
            {"name": "a", "path": "absent.csv", "format": "csv"},
            {"name": "b", "path": "donnees.csv", "format": "csv", "schema": "scdl/inconnu@1.0.0"},
        ],
    )
    _, dataset, codes = codes_of(mini_repo)
    assert codes == ["DESC-FILE-MISSING", "DESC-SCHEMA-UNKNOWN"]
    assert "publisher schemas list" in dataset.problems[1].hint


def test_folder_without_descriptor(mini_repo):
    (mini_repo.root / "communes/begles/datasets/vide").mkdir(parents=True)
    _, _, codes = codes_of(mini_repo, "vide")
    assert codes == ["DESC-MISSING"]


def test_name_must_match_folder(mini_repo):
    text = yaml.safe_dump(descriptor("autre-nom"), allow_unicode=True)
    mini_repo.dataset("jeu", raw_descriptor=text)
    _, _, codes = codes_of(mini_repo)
    assert codes == ["DESC-NAME"]


def test_unknown_commune_is_a_configuration_error(mini_repo):
    with pytest.raises(ConfigurationError) as raised:
        load_federation(mini_repo.root, ["bordeaux"])
    assert "bordeaux" in str(raised.value)
    assert "begles" in str(raised.value)
    assert raised.value.exit_code == 2


def test_broken_commune_file_names_file_and_key(mini_repo):
    path = mini_repo.root / "communes/pessac/commune.yaml"
    path.write_text(path.read_text("utf-8").replace('insee: "33318"\n', ""), "utf-8")
    with pytest.raises(ConfigurationError) as raised:
        load_federation(mini_repo.root)
    assert raised.value.path == "communes/pessac/commune.yaml"
    assert "insee" in str(raised.value)


def test_commune_siren_must_match_insee(mini_repo):
    path = mini_repo.root / "communes/talence/commune.yaml"
    path.write_text(path.read_text("utf-8").replace("213305220", "213305221"), "utf-8")
    with pytest.raises(ConfigurationError, match="SIREN"):
        load_federation(mini_repo.root)


def test_a_new_commune_is_one_folder_and_one_line(mini_repo):
    folder = mini_repo.root / "communes/bordeaux"
    folder.mkdir()
    (folder / "commune.yaml").write_text(
        'name: Bordeaux\nofficial_name: Ville de Bordeaux\ninsee: "33063"\nsiren: "213300635"\n'
        "population: {total: 271552, millesime: 2023}\nstaff_fte: {value: 4500, date: 2025-12-31}\n"
        "contact: {name: Open data, email: opendata@mairie-bordeaux.fr}\n",
        "utf-8",
    )
    federation_file = mini_repo.root / "federation.yaml"
    federation_file.write_text(federation_file.read_text("utf-8") + "  - bordeaux\n", "utf-8")
    mini_repo.dataset("jeu", commune="bordeaux")
    federation = load_federation(mini_repo.root)
    validation = validate_federation(federation, SchemaRegistry.load(federation.schemas_dir))
    assert federation.commune("bordeaux").datasets[0].portal_id == "bordeaux-jeu"
    assert not validation.has_blocking and validation.counts()["warning"] == 0


def test_find_root_walks_up(mini_repo):
    folder = mini_repo.dataset("jeu")
    assert find_root(folder) == mini_repo.root.resolve()
    with pytest.raises(ConfigurationError):
        find_root(mini_repo.root.parent)


def test_edited_schema_copy_is_refused(mini_repo):
    from publisher import SchemaRegistryError

    schema = mini_repo.root / "schemas/scdl/subventions/2.1.1/schema.json"
    schema.write_text(schema.read_text("utf-8").replace("Subventions", "Subsides"), "utf-8")
    registry = SchemaRegistry.load(mini_repo.root / "schemas")
    with pytest.raises(SchemaRegistryError, match="modifiée"):
        _ = registry.resolve("subventions").descriptor


def test_descriptor_not_in_utf8_is_a_finding(mini_repo):
    folder = mini_repo.dataset("jeu")
    path = folder / "datapackage.yaml"
    path.write_bytes(path.read_text("utf-8").replace("Données", "Donn\xe9es").encode("latin-1"))
    _, dataset, codes = codes_of(mini_repo)
    assert codes == ["DESC-ENCODING"]
    assert "UTF-8" in dataset.problems[0].message


def test_descriptor_that_is_a_list_or_has_no_resources(mini_repo):
    mini_repo.dataset("jeu", raw_descriptor="- une liste\n- pas un descripteur\n")
    mini_repo.dataset("vide", resources=None)
    federation = load_federation(mini_repo.root)
    problems = {d.name: [f.code for f in d.problems] for _, d in federation.datasets()}
    assert problems["jeu"] == ["DESC-PROFILE"]
    assert "DESC-PROFILE" in problems["vide"]


def test_resource_path_that_is_a_folder_or_a_link_outside(mini_repo, tmp_path):
    folder = mini_repo.dataset(
        "dossier", resources=[{"name": "x", "path": "sous", "format": "csv"}]
    )
    (folder / "sous").mkdir()
    outside = tmp_path / "ailleurs.csv"
    outside.write_text("a\n1\n", "utf-8")
    linked = mini_repo.dataset("lien", resources=[{"name": "x", "path": "l.csv", "format": "csv"}])
    (linked / "l.csv").symlink_to(outside)
    federation = load_federation(mini_repo.root)
    problems = {d.name: [f.code for f in d.problems] for _, d in federation.datasets()}
    assert problems == {"dossier": ["DESC-FILE-MISSING"], "lien": ["DESC-PATH"]}


def test_dataset_folder_linked_outside_the_repository_is_refused(mini_repo, tmp_path):
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (mini_repo.root / "communes/begles/datasets").mkdir(parents=True, exist_ok=True)
    (mini_repo.root / "communes/begles/datasets/secret").symlink_to(outside)
    _, dataset, codes = codes_of(mini_repo, "secret")
    assert codes == ["DESC-PATH"]
    assert dataset.resources == ()


def test_unknown_key_is_named_with_its_line(mini_repo):
    path = mini_repo.root / "communes/pessac/commune.yaml"
    path.write_text(path.read_text("utf-8") + "maire: Jean Dupont\n", "utf-8")
    with pytest.raises(ConfigurationError) as raised:
        load_federation(mini_repo.root)
    message = str(raised.value)
    assert "clé inconnue : « maire »" in message and "was unexpected" not in message
    line = len(path.read_text("utf-8").splitlines())
    assert f"ligne {line}" in message


@pytest.mark.parametrize(
    "content,message",
    [
        (b"schemas: []\n# \xe9\n", "pas en UTF-8"),
        (b"schemas: [1]\n", "entrée n° 1 invalide"),
        (b"schemas: [{name: x}]\n", "incomplète"),
    ],
    ids=["not-utf8", "not-a-mapping", "incomplete"],
)
def test_broken_schema_registry_is_a_french_error(mini_repo, content, message):
    from publisher import SchemaRegistryError

    (mini_repo.root / "schemas/registry.yaml").write_bytes(content)
    with pytest.raises(SchemaRegistryError) as raised:
        load_federation(mini_repo.root)
    assert message in str(raised.value)
    assert raised.value.exit_code == 2
