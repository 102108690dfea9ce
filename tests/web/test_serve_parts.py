"""The parts of `publisher serve` on their own: sizes, shown names, schema detection on the
registry's official examples, the result store, and the command line."""

from __future__ import annotations

import asyncio
import socket

import pytest
from click.testing import CliRunner

from conftest import REPO
from publisher.cli import main
from publisher.schemas import SchemaRegistry
from publisher.web import server
from publisher.web.detect import detect_schema
from publisher.web.results import ResultStore
from publisher.web.security import trusted_hosts
from publisher.web.uploads import (
    FORM_OVERHEAD,
    UploadRefused,
    parse_size,
    receive_upload,
    shown_name,
    shown_size,
)

REGISTRY = SchemaRegistry.load(REPO / "schemas")


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("50Mo", 50_000_000),
        ("50 MB", 50_000_000),
        ("500ko", 500_000),
        ("1,5Go", 1_500_000_000),
        ("2000", 2000),
        ("12o", 12),
    ],
)
def test_sizes_are_read_in_french_or_english_units(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "beaucoup", "50 Mio", "-3Mo"])
def test_what_is_not_a_size_is_refused(text):
    with pytest.raises(ValueError):
        parse_size(text)


def test_limits_are_shown_as_an_officer_reads_them():
    assert shown_size(50_000_000) == "50 Mo"
    assert shown_size(1_500_000) == "1,5 Mo"
    assert shown_size(200_000) == "200 ko"
    assert shown_size(588) == "588 octets"


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\agent\\Bureau\\subventions.csv", "subventions.csv"),
        ("nom\x00caché\n.csv", "nomcaché.csv"),
        ("..", ".."),
        ("", "fichier"),
    ],
)
def test_the_browsers_file_name_is_reduced_to_a_bare_name_for_display(sent, shown):
    assert shown_name(sent) == shown


OFFICIAL_EXAMPLES = [
    pytest.param(schema, example.path, id=f"{schema.ref}/{example.file}")
    for schema in REGISTRY
    for example in schema.examples
    if schema.is_tabular and example.valid and example.path.suffix == ".csv"
]


@pytest.mark.parametrize(("schema", "path"), OFFICIAL_EXAMPLES)
def test_detection_finds_the_schema_of_each_official_example(schema, path):
    detection = detect_schema(path, REGISTRY)
    assert detection.chosen is not None
    assert detection.chosen.name == schema.name
    assert detection.candidates[0].score == pytest.approx(1.0)


def test_detection_reads_headers_made_of_field_titles(tmp_path):
    specs = REGISTRY.resolve("subventions").descriptor["fields"]
    data = tmp_path / "export-tableur.csv"
    data.write_text(";".join(spec["title"] for spec in specs) + "\n", "utf-8")
    detection = detect_schema(data, REGISTRY)
    assert detection.chosen is not None and detection.chosen.short_name == "subventions"
    assert detection.candidates[0].matched == len(specs)


def test_detection_never_proposes_a_wrong_schema_for_the_corpus(corpus):
    """Real files of other communities, each meant to follow a known schema: when detection
    proposes one, it is that one; it finds at least half of them (many predate the schema
    and name their columns otherwise)."""
    from oracle import CORPUS_SCHEMAS

    found, meant = 0, 0
    for path in sorted(corpus.rglob("*.csv")):
        relative = path.relative_to(corpus).as_posix()
        expected = next((n for p, n in CORPUS_SCHEMAS.items() if relative.startswith(p)), None)
        chosen = detect_schema(path, REGISTRY).chosen
        assert chosen is None or chosen.name == expected, relative
        meant += expected is not None
        found += chosen is not None
    assert found * 2 >= meant


def test_detection_of_a_misspelt_header_still_finds_the_schema(tmp_path):
    header = REGISTRY.resolve("subventions").descriptor["fields"]
    names = [spec["name"] for spec in header]
    names[0] = names[0].upper()  # NOMATTRIBUANT: matched as the checks match it
    data = tmp_path / "donnees.csv"
    data.write_text(";".join(names[:12]) + "\n" + ";" * 11 + "\n", "utf-8")
    detection = detect_schema(data, REGISTRY)
    assert detection.chosen is not None and detection.chosen.short_name == "subventions"
    assert detection.candidates[0].matched == 12


def test_result_store_forgets_expired_results_and_keeps_a_bounded_number():
    store = ResultStore(lifetime=0)
    token = store.put("navigateur", object())
    assert store.get("navigateur", token) is None
    store = ResultStore(capacity=2)
    tokens = [store.put("navigateur", object()) for _ in range(3)]
    assert store.get("navigateur", tokens[0]) is None
    assert store.get("navigateur", tokens[2]) is not None
    assert store.get("autre navigateur", tokens[2]) is None
    assert len(store) == 2


def test_result_store_refuses_an_owner_token_of_any_characters_without_failing():
    store = ResultStore()
    token = store.put("navigateur", object())
    assert store.get("navigatéur", token) is None
    store.forget("navigatéur", token)
    assert store.get("navigateur", token) is not None


def _many_fields_body(count: int, consumed: list[int]):
    """A chunked form: CSRF token, `count` fields of 4 000 bytes, then a small file; the size
    of every chunk the server reads is recorded in `consumed`."""

    async def body():
        head = '--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\njeton\r\n'
        chunks = [head.encode()]
        for index in range(count):
            field = f'--b\r\nContent-Disposition: form-data; name="champ{index}"\r\n\r\n'
            chunks.append(field.encode() + b"x" * 4000 + b"\r\n")
        chunks.append(
            b'--b\r\nContent-Disposition: form-data; name="fichier"; filename="petit.csv"\r\n'
            b"Content-Type: text/csv\r\n\r\nx;y\n1;2\n\r\n--b--\r\n"
        )
        for chunk in chunks:
            consumed.append(len(chunk))
            yield chunk

    return body()


@pytest.mark.parametrize("count", [1500, 40])
def test_a_form_of_many_small_fields_is_refused_and_its_body_not_read_to_the_end(tmp_path, count):
    limit = 200_000
    consumed: list[int] = []
    with pytest.raises(UploadRefused) as refused:
        asyncio.run(
            receive_upload(
                "multipart/form-data; boundary=b",
                None,
                _many_fields_body(count, consumed),
                tmp_path,
                limit,
                lambda token: token == "jeton",
            )
        )
    assert refused.value.status in (400, 413)
    assert list(tmp_path.iterdir()) == []
    if count == 1500:  # 6 Mo sent: read at most twice what a form may weigh, then dropped
        assert sum(consumed) <= 2 * (limit + FORM_OVERHEAD) + 5000


def test_every_byte_of_the_body_counts_against_the_limit(tmp_path):
    async def body():
        yield b"x" * 300_000  # a preamble, which the multipart parser skips
        yield (
            b'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\njeton\r\n'
            b'--b\r\nContent-Disposition: form-data; name="fichier"; filename="petit.csv"\r\n'
            b"Content-Type: text/csv\r\n\r\nx;y\n1;2\n\r\n--b--\r\n"
        )

    with pytest.raises(UploadRefused) as refused:
        asyncio.run(
            receive_upload("multipart/form-data; boundary=b", None, body(), tmp_path, 200_000, bool)
        )
    assert refused.value.status == 413
    assert refused.value.params == {"limit": "200 ko"}
    assert list(tmp_path.iterdir()) == []


def test_trusted_hosts_are_the_loopback_names_and_the_address_listened_on():
    assert trusted_hosts("127.0.0.1") == ["127.0.0.1", "[::1]", "localhost"]
    assert "192.168.1.10" in trusted_hosts("192.168.1.10")
    assert "[fe80::1]" in trusted_hosts("fe80::1")
    assert "intranet.mairie.fr" in trusted_hosts("Intranet.Mairie.fr")
    assert socket.gethostname().lower() in trusted_hosts("0.0.0.0")


@pytest.fixture
def started(monkeypatch):
    """What `publisher serve` would serve, and on which socket, without serving it."""
    calls = []

    def record(app, sock):
        calls.append((app, sock.getsockname()))
        sock.close()

    monkeypatch.setattr(server, "serve_forever", record)
    return calls


def test_serve_listens_on_loopback_by_default_with_the_limit_given(started):
    result = CliRunner().invoke(
        main, ["serve", "--repo", str(REPO), "--taille-max", "2Mo", "--port", "0"]
    )
    assert result.exit_code == 0, result.output
    [(app, (host, port))] = started
    assert host == "127.0.0.1" and port > 0
    assert app.state.settings.max_upload == 2_000_000
    assert "Attention" not in result.output
    assert f"http://127.0.0.1:{port}/" in result.output


def test_serve_on_a_port_already_taken_says_so_in_french(started):
    taken = server.bind("127.0.0.1", 0)
    taken.listen()
    port = taken.getsockname()[1]
    try:
        result = CliRunner().invoke(main, ["serve", "--repo", str(REPO), "--port", str(port)])
    finally:
        taken.close()
    assert result.exit_code == 2
    assert f"impossible d'écouter sur 127.0.0.1:{port}" in result.output
    assert "--port 8001" in result.output
    assert started == []


def test_serve_warns_in_french_when_open_to_the_network(started):
    result = CliRunner().invoke(
        main, ["serve", "--repo", str(REPO), "--host", "0.0.0.0", "--port", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "Attention : la page est ouverte au réseau (0.0.0.0)" in result.output
    [(app, _)] = started
    assert app.state.settings.host == "0.0.0.0"


def test_serve_refuses_a_size_it_cannot_read(started):
    result = CliRunner().invoke(main, ["serve", "--taille-max", "énorme"])
    assert result.exit_code == 2
    assert "« énorme » n'est pas une taille" in result.output
    assert started == []


def test_serve_outside_a_data_repository_says_so(started, tmp_path):
    result = CliRunner().invoke(main, ["serve", "--repo", str(tmp_path)])
    assert result.exit_code == 2
    assert "federation.yaml" in result.output
    assert started == []
