"""The content fingerprint of an agency's minutes, and whether signed minutes still match it.

A short SHA-256 of the canonical appraisal data (scores, notes, penalty facts, visit details,
required "Hạn chế" lines dropped with their reasons)
— exactly what signing locks. Kept apart from services.minutes so the agency list can flag
signed minutes whose data changed without loading the PDF machinery (docs/rules.md §9: printed
fingerprints never lie).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import date
from typing import Any

from ictappraise.domain.fields import VISIT_KEYS
from ictappraise.domain.numbers import format_points
from ictappraise.services.model import AgencyDetail

MISMATCH_MARK = "KHÔNG KHỚP VỚI BẢN ĐÃ KÝ"

FINGERPRINT_LENGTH = 12


def _plain(value: Any) -> Any:
    """JSON-ready canonical value: NFC strings, decimals as text, sorted keys by json."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def canonical_data(detail: AgencyDetail) -> dict[str, Any]:
    """The appraisal data the fingerprint covers (what signing locks), as plain JSON."""
    rows = {}
    for code, entry in sorted(detail.entries.items()):
        score = detail.scorecard.rows.get(code)
        rows[code] = {
            "appraised": entry.appraisal.to_json() if entry.appraisal else None,
            "points": format_points(score.points, comma=False)
            if score and score.points is not None
            else None,
            "self": format_points(entry.self_points, comma=False) if entry.self_points is not None else None,
            "note": entry.note.strip(),
        }
    facts = detail.facts
    visit = detail.visit
    # Dropped required lines change what the minutes say; the key is only present when some
    # are, so minutes signed before this key existed keep their fingerprint.
    dropped = {"dropped": dict(visit.dropped)} if visit.dropped else {}
    data: dict[str, Any] = _plain(
        {
            "agency": detail.agency.id,
            "rows": rows,
            "facts": {
                "deadline": facts.deadline,
                "report_sent": facts.report_sent,
                "report_received": facts.report_received,
                "report_attached": facts.report_attached,
                "portal_counts": list(facts.portal_counts),
                "portal_quota": facts.portal_quota,
            },
            "visit": {
                **{key: getattr(visit, key) for key in VISIT_KEYS if key != "representatives"},
                "representatives": [[r.name, r.title] for r in visit.representatives],
                **dropped,
            },
        }
    )
    return data  # _plain keeps a dict a dict


def fingerprint(detail: AgencyDetail) -> str:
    """Short SHA-256 (12 hex digits) of the canonical appraisal data of an agency."""
    text = json.dumps(canonical_data(detail), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def fingerprint_mismatch(detail: AgencyDetail) -> tuple[str, str] | None:
    """(stored, current) fingerprints when signed minutes no longer match the data, else None."""
    if not detail.signed:
        return None
    stored = str(detail.status_value.get("fingerprint") or "")
    current = fingerprint(detail)
    return (stored, current) if stored and stored != current else None


def mismatch_text(detail: AgencyDetail) -> str:
    """A Vietnamese sentence for the lists and reports, or "" when the minutes match."""
    found = fingerprint_mismatch(detail)
    if found is None:
        return ""
    return (
        f"{MISMATCH_MARK}: biên bản đã ký mang mã đối chiếu {found[0]}, dữ liệu hiện nay có mã {found[1]} "
        "(đã bị sửa sau khi ký)"
    )
