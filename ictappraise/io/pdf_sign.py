"""Digital signatures on the PDFs (pyHanko): a PKCS#12 file, or a PKCS#11 USB token.

The signature is a PAdES/CMS signature in a new incremental revision, so the page content the
team printed is untouched and common PDF readers show the signer and whether the file was
changed since. Verification uses pyHanko's own validator.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from asn1crypto import pem, x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

FIELD_PREFIX = "ChuKySo"


class SigningError(ValueError):
    """The PDF could not be signed or checked; the message is Vietnamese and says why."""


@dataclass(frozen=True)
class SignatureCheck:
    """What the validator says about one signature in a PDF."""

    field: str
    signer: str
    intact: bool
    valid: bool
    trusted: bool
    signing_time: str
    covers_whole_file: bool

    @property
    def ok(self) -> bool:
        """Intact and cryptographically valid (trust in the certificate aside)."""
        return self.intact and self.valid


def _next_field(reader: PdfFileReader) -> str:
    used = {sig.field_name for sig in reader.embedded_signatures}
    number = 1
    while f"{FIELD_PREFIX}{number}" in used:
        number += 1
    return f"{FIELD_PREFIX}{number}"


def _sign_with(signer: Any, source: Path, target: Path, reason: str, location: str) -> Path:
    try:
        data = Path(source).read_bytes()
    except OSError as error:
        raise SigningError(f"Không đọc được tệp {source}: {error.strerror or error}.") from error
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    meta = PdfSignatureMetadata(
        field_name=_next_field(writer.prev),
        reason=reason or None,
        location=location or None,
        md_algorithm="sha256",
    )
    output = BytesIO()
    try:
        signers.sign_pdf(writer, meta, signer=signer, output=output)
    except Exception as error:  # pyHanko raises many kinds; the user needs one message
        raise SigningError(f"Không ký số được tệp {Path(source).name}: {error}.") from error
    temporary = Path(target).with_name(Path(target).name + ".tmp")
    try:
        temporary.write_bytes(output.getvalue())
        temporary.replace(target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise SigningError(f"Không ghi được tệp {target}: {error.strerror or error}.") from error
    return Path(target)


def load_pkcs12(p12: Path, password: str | bytes | None) -> signers.SimpleSigner:
    """The signer in a PKCS#12 (.p12/.pfx) file, or a clear refusal."""
    try:
        data = Path(p12).read_bytes()
    except OSError as error:
        raise SigningError(f"Không đọc được tệp chứng thư số {p12}: {error.strerror or error}.") from error
    secret = password.encode("utf-8") if isinstance(password, str) else password
    try:
        return signers.SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=secret or None)
    except (ValueError, TypeError) as error:
        raise SigningError(
            f"Không mở được tệp chứng thư số {Path(p12).name}: sai mật khẩu hoặc tệp không phải PKCS#12 (.p12/.pfx)."
        ) from error


def sign_pdf_pkcs12(
    source: Path,
    target: Path,
    p12: Path,
    password: str | bytes | None,
    *,
    reason: str = "Ký biên bản thẩm định",
    location: str = "",
) -> Path:
    """Sign ``source`` with the key and certificate of a PKCS#12 file into ``target``."""
    return _sign_with(load_pkcs12(p12, password), Path(source), Path(target), reason, location)


def sign_pdf_pkcs11(
    source: Path,
    target: Path,
    *,
    module: str,
    pin: str | None,
    token_label: str | None = None,
    key_label: str | None = None,
    cert_label: str | None = None,
    reason: str = "Ký biên bản thẩm định",
    location: str = "",
) -> Path:
    """Sign with a key on a PKCS#11 token (USB token, smart card, SoftHSM)."""
    try:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
    except ImportError as error:
        raise SigningError(
            "Máy này chưa cài thư viện python-pkcs11 để dùng USB token (pip install python-pkcs11)."
        ) from error
    if not os.path.exists(module):
        raise SigningError(f"Không tìm thấy thư viện PKCS#11 của token: {module}.")
    criteria = TokenCriteria(label=token_label) if token_label else None
    try:
        session = open_pkcs11_session(module, token_criteria=criteria, user_pin=pin)
    except Exception as error:  # token errors come in many kinds
        raise SigningError(f"Không mở được token ký số: {error}. Kiểm tra token đã cắm và mã PIN.") from error
    try:
        label = cert_label or key_label
        signer = PKCS11Signer(session, cert_label=label, key_label=key_label or label)
        return _sign_with(signer, Path(source), Path(target), reason, location)
    finally:
        session.close()


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """pyHanko logs an untrusted certificate with a traceback; the result already says it."""
    target = logging.getLogger(name)
    old = target.level
    target.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        target.setLevel(old)


def _load_roots(paths: tuple[Path, ...]) -> list[x509.Certificate]:
    roots = []
    for path in paths:
        data = Path(path).read_bytes()
        if pem.detect(data):
            for _type, _headers, der in pem.unarmor(data, multiple=True):
                roots.append(x509.Certificate.load(der))
        else:
            roots.append(x509.Certificate.load(data))
    return roots


def verify_pdf(path: Path, trust_roots: tuple[Path, ...] = ()) -> list[SignatureCheck]:
    """Check every signature of a PDF (integrity, validity and, given roots, trust)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise SigningError(f"Không đọc được tệp {path}: {error.strerror or error}.") from error
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as error:  # a damaged file is reported, not raised as a traceback
        raise SigningError(f"Tệp {Path(path).name} không phải PDF đọc được: {error}.") from error
    roots = _load_roots(trust_roots)
    checks = []
    for signature in signatures:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        with _quiet("pyhanko"):
            status = validate_pdf_signature(signature, context)
        signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
        when = status.signer_reported_dt.isoformat() if status.signer_reported_dt else ""
        coverage = getattr(status.coverage, "name", "")
        checks.append(
            SignatureCheck(
                signature.field_name,
                signer,
                bool(status.intact),
                bool(status.valid),
                bool(status.trusted),
                when,
                coverage == "ENTIRE_FILE",
            )
        )
    return checks
