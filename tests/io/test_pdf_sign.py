"""Digital signatures: a PKCS#12 file and a PKCS#11 token (SoftHSM2), checked by pyHanko."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from ictappraise.io.pdf_sign import SigningError, sign_pdf_pkcs11, sign_pdf_pkcs12, verify_pdf
from ictappraise.services import minutes
from ictappraise.services.workspace import Workspace

PASSWORD = "mật-khẩu"
SOFTHSM_LIBS = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")


@pytest.fixture(scope="module")
def identity(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A self-signed certificate for "Nguyễn Thị Thắng" as .p12, PEM and PKCS#8 key."""
    folder = tmp_path_factory.mktemp("cert")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Nguyễn Thị Thắng"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tổ thẩm định Tỉnh ủy Bình Thuận"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(True, True, False, False, False, True, True, False, False)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    files = {
        "p12": folder / "signer.p12",
        "pem": folder / "root.pem",
        "key": folder / "key.pem",
        "der": folder / "c.der",
    }
    encryption = serialization.BestAvailableEncryption(PASSWORD.encode())
    files["p12"].write_bytes(pkcs12.serialize_key_and_certificates(b"signer", key, cert, None, encryption))
    files["pem"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files["der"].write_bytes(cert.public_bytes(serialization.Encoding.DER))
    pkcs8 = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    files["key"].write_bytes(pkcs8)
    return files


@pytest.fixture
def minutes_pdf(lead_ws: Workspace, tmp_path: Path) -> Path:
    path = tmp_path / "HUTP.pdf"
    minutes.write_minutes(lead_ws, lead_ws.find_agency("HUTP").id, path)
    return path


def test_pkcs12_signature_is_intact_valid_and_trusted_with_its_root(
    minutes_pdf: Path, identity: dict[str, Path], tmp_path: Path
) -> None:
    signed = tmp_path / "signed.pdf"
    sign_pdf_pkcs12(minutes_pdf, signed, identity["p12"], PASSWORD, location="Phan Thiết")
    (check,) = verify_pdf(signed)
    assert check.intact and check.valid and check.covers_whole_file
    assert not check.trusted  # a self-signed certificate nobody declared trusted
    assert "Nguyễn Thị Thắng" in check.signer
    (trusted,) = verify_pdf(signed, (identity["pem"],))
    assert trusted.ok and trusted.trusted
    # The page content is the minutes as printed: signing adds a revision, it does not rewrite.
    assert signed.read_bytes().startswith(minutes_pdf.read_bytes())


def test_a_changed_byte_breaks_the_signature(
    minutes_pdf: Path, identity: dict[str, Path], tmp_path: Path
) -> None:
    signed = tmp_path / "signed.pdf"
    sign_pdf_pkcs12(minutes_pdf, signed, identity["p12"], PASSWORD)
    data = bytearray(signed.read_bytes())
    spot = data.index(b"/Title")
    data[spot + 8] ^= 0x01  # inside the signed range (document info), not the signature itself
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    (check,) = verify_pdf(tampered)
    assert not check.ok


def test_wrong_password_or_missing_file_is_a_clear_refusal(
    minutes_pdf: Path, identity: dict[str, Path], tmp_path: Path
) -> None:
    with pytest.raises(SigningError, match="sai mật khẩu"):
        sign_pdf_pkcs12(minutes_pdf, tmp_path / "x.pdf", identity["p12"], "sai")
    with pytest.raises(SigningError, match="Không đọc được tệp chứng thư số"):
        sign_pdf_pkcs12(minutes_pdf, tmp_path / "x.pdf", tmp_path / "none.p12", PASSWORD)
    assert not (tmp_path / "x.pdf").exists()
    assert verify_pdf(minutes_pdf) == []


def _softhsm() -> str | None:
    library = next((lib for lib in SOFTHSM_LIBS if os.path.exists(lib)), None)
    if library is None or shutil.which("softhsm2-util") is None:
        return None
    try:
        import pkcs11  # noqa: F401
    except ImportError:
        return None
    return library


@pytest.mark.skipif(
    _softhsm() is None, reason="SoftHSM2 (apt-get install softhsm2) or python-pkcs11 is missing"
)
def test_pkcs11_token_signature_with_softhsm(
    minutes_pdf: Path, identity: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pkcs11
    from asn1crypto import x509 as asn1_x509
    from pkcs11 import Attribute, CertificateType, ObjectClass

    library = _softhsm()
    assert library is not None
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    run = {"check": True, "capture_output": True, "env": {**os.environ, "SOFTHSM2_CONF": str(config)}}
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", "ict", "--pin", "1234", "--so-pin", "5678"],
        **run,
    )
    subprocess.run(
        [
            "softhsm2-util",
            "--import",
            str(identity["key"]),
            "--token",
            "ict",
            "--label",
            "thang",
            "--id",
            "01",
            "--pin",
            "1234",
        ],
        **run,
    )
    der = identity["der"].read_bytes()
    token = pkcs11.lib(library).get_token(token_label="ict")
    with token.open(rw=True, user_pin="1234") as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.VALUE: der,
                Attribute.SUBJECT: asn1_x509.Certificate.load(der).subject.dump(),
                Attribute.LABEL: "thang",
                Attribute.ID: b"\x01",
                Attribute.TOKEN: True,
            }
        )
    signed = tmp_path / "token.pdf"
    sign_pdf_pkcs11(minutes_pdf, signed, module=library, pin="1234", token_label="ict", key_label="thang")
    (check,) = verify_pdf(signed, (identity["pem"],))
    assert check.ok and check.trusted and "Nguyễn Thị Thắng" in check.signer
    with pytest.raises(SigningError, match="token"):
        sign_pdf_pkcs11(
            minutes_pdf, tmp_path / "x.pdf", module=library, pin="0000", token_label="ict", key_label="thang"
        )
