"""Evidence files: attach, list, export with the original name, remove, size limit, lock."""

from __future__ import annotations

import hashlib

import pytest

from ictappraise.services import evidence
from ictappraise.services.workspace import ServiceError, VisitLocked
from ictappraise.store import repository


def test_attach_list_export_remove(lead_ws, tmp_path):
    vptu = lead_ws.find_agency("VPTU")  # visited, not signed
    first = tmp_path / "Kế hoạch CNTT 2022.pdf"
    first.write_bytes(b"%PDF-1.4 ke hoach")
    second = tmp_path / "anh chup.jpg"
    second.write_bytes(b"\xff\xd8\xff anh")
    assert evidence.attach_files(lead_ws, vptu.id, "I.1", [first, second]) == 2
    assert evidence.attach_files(lead_ws, vptu.id, "I.1", [first]) == 0  # same content: nothing new
    found = evidence.list_attachments(lead_ws, vptu.id, "I.1")
    assert [a.name for a in found] == ["Kế hoạch CNTT 2022.pdf", "anh chup.jpg"]
    digest = hashlib.sha256(first.read_bytes()).hexdigest()
    assert found[0].sha256 == digest and found[0].size == len(b"%PDF-1.4 ke hoach")
    assert found[0].added is not None
    with lead_ws.db.reading() as session:
        assert repository.get_attachment(session, digest) == first.read_bytes()

    out = evidence.export_attachment(lead_ws, digest, found[0].name, folder=tmp_path / "out")
    assert out.name == "Kế hoạch CNTT 2022.pdf" and out.read_bytes() == first.read_bytes()

    evidence.remove_attachment(lead_ws, vptu.id, "I.1", digest)
    assert [a.name for a in evidence.list_attachments(lead_ws, vptu.id, "I.1")] == ["anh chup.jpg"]
    with pytest.raises(ServiceError, match="không có tệp"):
        evidence.remove_attachment(lead_ws, vptu.id, "I.1", digest)


def test_too_large_file_is_refused_before_anything_is_stored(lead_ws, tmp_path, monkeypatch):
    monkeypatch.setattr(evidence, "MAX_BYTES", 10)
    big = tmp_path / "video.mp4"
    big.write_bytes(b"x" * 11)
    vptu = lead_ws.find_agency("VPTU")
    with pytest.raises(ServiceError, match="quá giới hạn 50 MB"):
        evidence.attach_file(lead_ws, vptu.id, "I.1", big)
    with lead_ws.db.reading() as session:
        assert repository.attachment_digests(session) == set()


def test_signed_visit_refuses_evidence(lead_ws, tmp_path):
    hutp = lead_ws.find_agency("HUTP")  # signed in the demo
    path = tmp_path / "a.txt"
    path.write_text("x")
    with pytest.raises(VisitLocked, match="đã ký"):
        evidence.attach_file(lead_ws, hutp.id, "I.1", path)


def test_missing_file_and_unknown_criterion(lead_ws, tmp_path):
    vptu = lead_ws.find_agency("VPTU")
    with pytest.raises(ServiceError, match="Không mở được"):
        evidence.attach_file(lead_ws, vptu.id, "I.1", tmp_path / "khong-co.pdf")
    with pytest.raises(ServiceError, match="không có tiêu chí IX.9"):
        evidence.attach_file(lead_ws, vptu.id, "IX.9", tmp_path / "khong-co.pdf")


def test_helpers():
    assert evidence.safe_file_name("..\\..\\bi:mat?.pdf") == "bi_mat_.pdf"
    assert evidence.format_size(820) == "820 B"
    assert evidence.format_size(3 * 1024 * 1024 + 200_000) == "3,2 MB"
