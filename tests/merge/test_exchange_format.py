"""The package format and the bad-input corpus: each refused clearly, the database unchanged."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from merge_helpers import LEAD, MEMBER_A, fingerprint, open_as, rewrite
from sqlalchemy import event

from ictappraise.domain.editlog import Edit
from ictappraise.domain.scorecard import Appraisal
from ictappraise.io import exchange
from ictappraise.services import appraisal as svc
from ictappraise.services import merge
from ictappraise.services.workspace import Workspace
from ictappraise.store import repository
from ictappraise.store.database import StoreError

ROUND = "binh-thuan-2022"


@pytest.fixture(scope="module")
def package_template(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid package from member A (two new edits, one attachment), built once per module."""
    folder = tmp_path_factory.mktemp("package")
    with pytest.MonkeyPatch.context() as patch:  # never the real per-user folders
        patch.setenv("ICTAPPRAISE_CONFIG_DIR", str(folder / "config"))
        patch.setenv("ICTAPPRAISE_DATA_DIR", str(folder / "data"))
        shutil.copyfile(demo_template, folder / "a.db")
        a = open_as(folder / "a.db", MEMBER_A, "a")
        try:
            agency = a.find_agency("HUPQ")
            code = next(iter(a.catalog(agency.category).leaves())).code
            svc.set_appraisal(a, agency.id, code, Appraisal(override=Decimal(1)))
            with a.db.transaction() as session:
                digest = repository.put_attachment(session, b"minh chung " * 50)
            a.set(f"agency/{agency.id}/crit/{code}/attachment/{digest}", {"name": "mc.pdf", "size": 550})
            return merge.export_package(a, folder / "a.ictx").path
        finally:
            a.db.close()


@pytest.fixture
def package(laptops, package_template: Path, tmp_path: Path) -> tuple[Workspace, Path]:
    """The lead's workspace and a private copy of the valid package."""
    target = tmp_path / "a.ictx"
    shutil.copyfile(package_template, target)
    return laptops(LEAD, "lead"), target


def edits_of(path: Path) -> list[dict]:
    with zipfile.ZipFile(path) as archive:
        return [json.loads(line) for line in archive.read(exchange.EDITS).decode().splitlines()]


def jsonl(items: list[dict]) -> bytes:
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items).encode()


def assert_refused(lead: Workspace, path: Path, pattern: str) -> None:
    """Merging refuses with a message matching a pattern; the database is byte-for-byte the same."""
    before = fingerprint(lead.db.path)
    with pytest.raises(merge.MergeRefused, match=pattern):
        merge.merge_packages(lead, [path], accept_unknown=True)
    assert fingerprint(lead.db.path) == before


def test_valid_package_layout_and_manifest(package) -> None:
    _lead, path = package
    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        meta = json.loads(archive.read(exchange.MANIFEST))
    assert names[0].startswith("attachments/") and names[1:] == ["edits.jsonl", "manifest.json"]
    assert meta["format"] == "ictappraise-exchange" and meta["format_version"] == 3
    assert meta["package_id"] and meta["since_last"] is False and meta["continues"] is None
    assert meta["schema_version"] == 2 and meta["round_key"] == ROUND
    assert meta["sender"]["name"] == MEMBER_A and meta["device_id"] == "a"
    assert meta["counts"]["attachments"] == 1 and meta["counts"]["edits"] == len(edits_of(path))
    read = exchange.read_package(path, round_key=ROUND, schema_version=2)
    assert len(read.edits) == meta["counts"]["edits"] and len(read.attachments) == 1
    assert all(isinstance(e, Edit) for e in read.edits)


@pytest.mark.parametrize(
    ("make", "pattern"),
    [
        (lambda src, dst: dst.write_bytes(b"hello, not a zip"), "bị hỏng hoặc không đầy đủ"),
        (lambda src, dst: dst.write_bytes(b""), "bị hỏng hoặc không đầy đủ"),
        (lambda src, dst: dst.write_bytes(src.read_bytes()[: src.stat().st_size // 2]), "bị hỏng"),
        (lambda src, dst: dst.write_bytes(src.read_bytes()[:-30]), "bị hỏng"),
    ],
    ids=["not-a-zip", "empty", "truncated-half", "truncated-tail"],
)
def test_corrupt_and_truncated(package, tmp_path: Path, make, pattern: str) -> None:
    lead, path = package
    bad = tmp_path / "bad.ictx"
    make(path, bad)
    assert_refused(lead, bad, pattern)


def test_flipped_bytes_inside_the_edits(package, tmp_path: Path) -> None:
    lead, path = package
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(exchange.EDITS)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 10, start + 40):
        data[offset] ^= 0x5A
    bad = tmp_path / "flipped.ictx"
    bad.write_bytes(bytes(data))
    assert_refused(lead, bad, "bị hỏng")


def test_tampered_edits_and_attachment(package, tmp_path: Path) -> None:
    lead, path = package
    edits = edits_of(path)
    edits[-2]["value"] = {"override": "30"}
    assert_refused(
        lead, rewrite(path, tmp_path / "t1.ictx", members={exchange.EDITS: jsonl(edits)}), "SHA-256"
    )
    name = next(n for n in zipfile.ZipFile(path).namelist() if n.startswith("attachments/"))
    swapped = rewrite(path, tmp_path / "t2.ictx", members={name: b"other bytes"})
    assert_refused(lead, swapped, "đã bị sửa đổi")
    # Even with checksums recomputed, the attachment's bytes must match its name.
    forged = rewrite(path, tmp_path / "t3.ictx", members={name: b"other bytes"}, fix_checksums=True)
    assert_refused(lead, forged, "không khớp tên")


def test_same_edit_id_with_other_content_is_refused(package, tmp_path: Path) -> None:
    lead, path = package
    edits = edits_of(path)
    edits[0]["value"] = "Tên khác"  # a seed edit the lead already holds
    forged = rewrite(path, tmp_path / "f.ictx", members={exchange.EDITS: jsonl(edits)}, fix_checksums=True)
    assert_refused(lead, forged, "khác với bản cùng mã")


def test_foreign_files(package, tmp_path: Path) -> None:
    lead, path = package
    other = tmp_path / "report.docx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert_refused(lead, other, "không phải gói dữ liệu của ictappraise")
    renamed = rewrite(path, tmp_path / "x.ictx", manifest=lambda m: m.update(format="other-app"))
    assert_refused(lead, renamed, "không phải gói dữ liệu của ictappraise")


def test_other_round_newer_schema_newer_format(package, tmp_path: Path) -> None:
    lead, path = package
    cases = [
        (lambda m: m.update(round_key="binh-thuan-2023"), "đợt đánh giá khác"),
        (lambda m: m.update(schema_version=99), "mới hơn .*lược đồ 99"),
        (lambda m: m.update(format_version=4), "mới hơn .*định dạng gói 4"),
        (lambda m: m.pop("package_id"), "manifest.json không hợp lệ"),
        (lambda m: m.pop("sender"), "manifest.json không hợp lệ"),
        (lambda m: m["counts"].update(edits=1), "số sửa đổi"),
    ]
    for index, (change, pattern) in enumerate(cases):
        assert_refused(lead, rewrite(path, tmp_path / f"m{index}.ictx", manifest=change), pattern)


@pytest.mark.parametrize(
    ("damage", "pattern"),
    [
        (lambda e: e.pop("field"), "dòng 1 .*thiếu khóa «field»"),
        (lambda e: e.update(parents="abc"), "«parents» phải là danh sách"),
        (lambda e: e.update(author=7), "«author» phải là chuỗi"),
        (lambda e: e.update(field="../../etc/passwd"), "tên trường"),
        (lambda e: e.update(field="agency//crit"), "tên trường"),
        (lambda e: e.update(id="a b"), "mã sửa đổi"),
        (lambda e: e.update(created_at="hôm qua"), "created_at"),
        (lambda e: e.update(extra=1), "khóa lạ"),
        (lambda e: e.update(reason=["x"]), "lý do"),
    ],
)
def test_malformed_edits(package, tmp_path: Path, damage, pattern: str) -> None:
    lead, path = package
    edits = edits_of(path)
    damage(edits[0])
    bad = rewrite(path, tmp_path / "m.ictx", members={exchange.EDITS: jsonl(edits)}, fix_checksums=True)
    assert_refused(lead, bad, pattern)


def test_not_json_nan_and_cut_lines(package, tmp_path: Path) -> None:
    lead, path = package
    text = jsonl(edits_of(path))
    for index, payload in enumerate(
        [
            b"{not json}\n" + text,
            text.replace(b'"value": {"override": "1"}', b'"value": NaN', 1),
            text[:-1],
            b'"just a string"\n',
            text.replace(b'"value": {"override": "1"}', b'"value": "\\ud800"', 1),
        ]
    ):
        bad = rewrite(
            path, tmp_path / f"j{index}.ictx", members={exchange.EDITS: payload}, fix_checksums=True
        )
        assert_refused(lead, bad, "JSON|NaN|bị cắt ngang|không phải một sửa đổi|UTF-8")


def test_path_traversal_and_unexpected_names(package, tmp_path: Path) -> None:
    lead, path = package
    for index, name in enumerate(["../evil.txt", "/etc/passwd", "attachments/../../x", "attachments/ABC"]):
        bad = rewrite(path, tmp_path / f"p{index}.ictx", members={name: b"x"}, fix_checksums=True)
        assert_refused(lead, bad, "tệp không hợp lệ")


def test_duplicate_names(package, tmp_path: Path) -> None:
    lead, path = package
    bad = tmp_path / "dup.ictx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(bad, "w") as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        with pytest.warns(UserWarning, match="Duplicate name"):
            target.writestr(exchange.EDITS, b"")
    assert_refused(lead, bad, "xuất hiện hai lần")


def test_zip_bombs(package, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lead, path = package
    zeros = bytes(3 * 1024 * 1024)  # compresses about 1000:1
    bomb = rewrite(path, tmp_path / "bomb.ictx", members={"attachments/" + "0" * 64: zeros})
    assert_refused(lead, bomb, "bom nén")
    with monkeypatch.context() as patch:
        patch.setattr(exchange, "MAX_TOTAL_BYTES", 1000)
        assert_refused(lead, path, r"giải nén ra .* quá giới hạn 1000 B")
    with monkeypatch.context() as patch:
        patch.setattr(exchange, "MAX_MEMBERS", 2)
        assert_refused(lead, path, "quá giới hạn 2")


def _not_decompressed(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a member of the package was decompressed")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)


def test_attachment_over_the_evidence_limit_is_refused_from_the_directory(
    package, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """60 MB of evidence at 80:1 passes the ratio check; the 50 MB cap refuses it unread."""
    lead, path = package
    rng = random.Random(7)
    chunk = bytearray(1024 * 1024)
    for index in range(0, len(chunk), 400):
        chunk[index] = rng.randrange(256)
    big = bytes(chunk) * 60
    name = "attachments/" + hashlib.sha256(big).hexdigest()
    real = rewrite(
        path,
        tmp_path / "big.ictx",
        members={name: big},
        fix_checksums=True,
        manifest=lambda m: m["counts"].update(attachments=2),
    )
    del big
    assert real.stat().st_size < 2 * 1024 * 1024
    _not_decompressed(monkeypatch)
    assert_refused(
        lead,
        real,
        rf"Gói big.ictx bị từ chối: tệp minh chứng {name[12:24]}… giải nén ra 60,0 MB, quá giới hạn 50,0 MB",
    )


def test_declared_sizes_are_checked_before_reading(package, monkeypatch: pytest.MonkeyPatch) -> None:
    lead, path = package
    _not_decompressed(monkeypatch)
    with monkeypatch.context() as patch:
        patch.setattr(exchange, "MAX_ATTACHMENT_BYTES", 500)  # the package's one attachment: 550 B
        assert_refused(lead, path, r"tệp minh chứng [0-9a-f]{12}… giải nén ra 550 B, quá giới hạn 500 B")
    with monkeypatch.context() as patch:
        patch.setattr(exchange, "MAX_EDITS_BYTES", 100)
        assert_refused(lead, path, r"edits\.jsonl giải nén ra .*, quá giới hạn 100 B")


def test_sqlite_size_error_reaches_the_user_in_vietnamese(package) -> None:
    """Whatever gets past the limits, SQLite's «string or blob too big» is never shown as is."""
    lead, path = package
    plan = merge.plan_merge(lead, [path])
    lead.db.engine.dispose()

    @event.listens_for(lead.db.engine, "connect")
    def _small(connection: sqlite3.Connection, _record: object) -> None:
        connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 400)  # the package's attachment is 550 B

    before = fingerprint(lead.db.path)
    with pytest.raises(StoreError) as raised:
        merge.apply_merge(lead, plan)
    message = str(raised.value)
    assert "too big" not in message and "quá lớn" in message, message
    event.remove(lead.db.engine, "connect", _small)
    lead.db.engine.dispose()
    assert fingerprint(lead.db.path) == before


def test_missing_file_and_folder(package, tmp_path: Path) -> None:
    lead, _path = package
    assert_refused(lead, tmp_path / "nothing.ictx", "Không tìm thấy")
    assert_refused(lead, tmp_path, "không phải một tệp")


def test_cli_refuses_with_a_message_and_no_traceback(package, tmp_path: Path) -> None:
    lead, path = package
    lead.db.close()
    bad = tmp_path / "bad.ictx"
    bad.write_bytes(path.read_bytes()[:100])
    before = fingerprint(lead.db.path)
    done = subprocess.run(
        [sys.executable, "-m", "ictappraise", "merge", "--db", str(lead.db.path), str(bad)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("Lỗi: Gói bad.ictx bị hỏng") and "Traceback" not in done.stderr
    assert fingerprint(lead.db.path) == before
