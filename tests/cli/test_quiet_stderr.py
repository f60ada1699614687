"""Every command, on its success path and its error path, writes to stderr only our Vietnamese lines.

The commands run as a user runs them (subprocesses) with every Python warning switched on
(PYTHONWARNINGS=default), so a library that warns on import — cryptography deprecating DSA when
pyHanko loads — would show here. Warnings belong in the data folder's log (ictappraise.app_log).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ictappraise.domain.fields import crit_field
from ictappraise.services.seed import seed_round
from ictappraise.services.workspace import Workspace
from ictappraise.store.database import open_database
from tests.support import member_ws as acting
from tests.support import run_cli

LEAD = "Nguyễn Thị Thắng"
# Our own stderr lines: a refusal, a note, a skipped item. Anything else (an English warning, a
# traceback, a library's log line) is noise that must have gone to the log.
OURS = re.compile(r"^(Lỗi|Lưu ý|Bỏ qua|Máy này chưa khai báo)\b")
CONTINUATION = re.compile(r"^(– |\s+)\S")
NOISE = re.compile(r"Warning|Traceback|deprecat|^\s*warnings\.warn|^[A-Z]\w+Error\b", re.IGNORECASE)


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(
        ICTAPPRAISE_CONFIG_DIR=str(home / "config"),
        ICTAPPRAISE_DATA_DIR=str(home / "data"),
        PYTHONWARNINGS="default",  # every warning shown, unless the program routes it to the log
        QT_QPA_PLATFORM="offscreen",
    )
    return run_cli(env, *args)


def assert_quiet(result: subprocess.CompletedProcess[str], *, ok: bool) -> None:
    """Exit code as expected, and every stderr line one of ours."""
    where = f"{result.args[3:]}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    assert (result.returncode == 0) is ok, where
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    if not ok:
        assert lines, where  # a refusal says why
    for number, line in enumerate(lines):
        continued = number > 0 and CONTINUATION.match(line)  # a list item of the message above
        assert (OURS.match(line) or continued) and not NOISE.search(line), f"not ours: {line!r}\n{where}"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def p12(tmp_path: Path) -> tuple[Path, str]:
    """A self-signed PKCS#12 identity for signing PDFs (built here, in the test process)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LEAD)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "signer.p12"
    password = "mat-khau"
    encryption = serialization.BestAvailableEncryption(password.encode())
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"signer", key, cert, None, encryption))
    return path, password


def test_round_and_excel_commands(demo_db: Path, tmp_path: Path, home: Path) -> None:
    db = str(demo_db)
    assert_quiet(run(home, "identity"), ok=False)  # nobody declared yet
    assert_quiet(run(home, "identity", "--set", "Chuyên viên A"), ok=True)
    assert_quiet(run(home, "demo", "--db", db), ok=False)  # exists already
    assert_quiet(run(home, "demo", "--db", str(tmp_path / "demo2.db")), ok=True)
    assert_quiet(run(home, "results", "--db", db), ok=True)
    assert_quiet(run(home, "results", "--db", str(tmp_path / "none.db")), ok=False)
    form = tmp_path / "form.xlsx"
    assert_quiet(run(home, "template", "--db", db, "--agency", "VPTU", "--out", str(form)), ok=True)
    assert_quiet(run(home, "template", "--db", db, "--agency", "KHONGCO", "--out", str(form)), ok=False)
    common = ("import-xlsx", "--db", db, "--sent", "05/12/2022", "--as", LEAD, "--yes")
    assert_quiet(run(home, *common, str(form)), ok=True)
    not_excel = tmp_path / "not.xlsx"
    not_excel.write_text("không phải Excel", encoding="utf-8")
    assert_quiet(run(home, *common, str(not_excel)), ok=False)
    assert_quiet(run(home, "export-xlsx", "--db", db, "--out", str(tmp_path / "kq.xlsx")), ok=True)
    assert_quiet(run(home, "export-xlsx", "--db", db, "--out", str(tmp_path)), ok=False)


def test_catalog_import(demo_db: Path, tmp_path: Path, home: Path) -> None:
    from openpyxl import Workbook

    fresh = tmp_path / "fresh.db"
    database = open_database(fresh, create=True)
    seed_round(Workspace(database))
    database.close()
    sheet = tmp_path / "pl7.xlsx"
    book = Workbook()
    book.active.append(["Mã", "Tiêu chí", "Điểm tối đa", "Cách tính điểm", "Tài liệu kiểm chứng"])
    for code, name, points in (("I", "Văn bản", 60), ("II", "Nhân lực", 60), ("III", "Ứng dụng", 190)):
        book.active.append([code, name, points, None, None])
        book.active.append([f"{code}.1", f"{name} của đơn vị", points, "Kiểm tra thực tế.", "Báo cáo"])
    book.active.append(["IV", "Hạ tầng", 90, None, None])
    book.active.append(["IV.1", "Máy tính, mạng", 90, "Kiểm tra thực tế.", "Biên bản"])
    book.save(sheet)
    args = ("import-catalog", "--category", "7", str(sheet), "--as", LEAD)
    assert_quiet(run(home, *args[:3], "--db", str(fresh), *args[3:]), ok=True)
    assert_quiet(run(home, *args[:3], "--db", str(demo_db), *args[3:]), ok=False)  # agencies scored


def test_exchange_commands(demo_db: Path, tmp_path: Path, home: Path) -> None:
    members = {"a": "Chuyên viên A", "b": "Chuyên viên B"}
    packages = []
    for key, name in members.items():
        copy = tmp_path / f"{key}.db"
        shutil.copy(demo_db, copy)
        ws = acting(copy, name)
        ws.set(crit_field(ws.find_agency("VPTU").id, "I.1", "note"), f"Ghi chú của {name}")
        ws.db.close()
        package = tmp_path / f"{key}.ictx"
        assert_quiet(
            run(home, "export-package", "--db", str(copy), "--out", str(package), "--as", name), ok=True
        )
        packages.append(str(package))
    db = str(demo_db)
    assert_quiet(run(home, "export-package", "--db", str(tmp_path / "none.db"), "--out", "x.ictx"), ok=False)
    assert_quiet(run(home, "merge", "--db", db, *packages, "--as", LEAD, "--yes"), ok=True)
    assert_quiet(run(home, "merge", "--db", db, str(tmp_path / "a.db"), "--as", LEAD), ok=False)
    listed = run(home, "conflicts", "--db", db)
    assert_quiet(listed, ok=True)
    assert_quiet(run(home, "conflicts", "--db", db, "--agency", "KHONGCO"), ok=False)
    lead = acting(demo_db, LEAD)
    field = crit_field(lead.find_agency("VPTU").id, "I.1", "note")
    lead.db.close()
    resolve = ("resolve", "--db", db, "--field", field, "--as", LEAD)
    assert_quiet(run(home, *resolve, "--value", "x", "--reason", " "), ok=False)
    assert_quiet(run(home, *resolve, "--value", "Ghi chú đã thống nhất", "--reason", "Thống nhất"), ok=True)


def test_document_commands(demo_db: Path, tmp_path: Path, home: Path, p12: tuple[Path, str]) -> None:
    db = str(demo_db)
    key, password = p12
    os.environ["ICTAPPRAISE_TEST_P12_PASSWORD"] = password
    try:
        signing = ("--p12", str(key), "--p12-password-env", "ICTAPPRAISE_TEST_P12_PASSWORD")
        one = tmp_path / "hutp.pdf"
        assert_quiet(run(home, "minutes", "--db", db, "--agency", "HUTP", "--out", str(one)), ok=True)
        assert_quiet(run(home, "minutes", "--db", db, "--agency", "KHONGCO", "--out", str(one)), ok=False)
        report = tmp_path / "bao-cao.pdf"
        assert_quiet(run(home, "report", "--db", db, "--out", str(report)), ok=True)
        assert_quiet(run(home, "report", "--db", db, "--out", str(tmp_path)), ok=False)
        signed = tmp_path / "tupt.pdf"
        sign = ("sign", "--db", db, "--as", LEAD)
        assert_quiet(run(home, *sign, "--agency", "TUPT", "--out", str(signed), *signing), ok=True)
        assert_quiet(run(home, *sign, "--agency", "VPTU"), ok=False)  # criteria not scored
        assert_quiet(run(home, "verify-pdf", str(signed)), ok=True)
        assert_quiet(run(home, "verify-pdf", str(one)), ok=False)  # no signature in it
        reopen = ("reopen", "--db", db, "--agency", "TUPT", "--as", LEAD)
        assert_quiet(run(home, *reopen, "--reason", "Sửa lỗi đánh máy"), ok=True)
        assert_quiet(run(home, *reopen, "--reason", "Lần nữa"), ok=False)  # not signed any more
    finally:
        os.environ.pop("ICTAPPRAISE_TEST_P12_PASSWORD", None)
