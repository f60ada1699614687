"""The team's roles (domain.md §1) and their Vietnamese names, declared once."""

from __future__ import annotations

ROLE_LEAD = "lead"
ROLE_MEMBER = "member"
ROLE_SECRETARY = "secretary"
ROLE_LABELS = {ROLE_LEAD: "Tổ trưởng", ROLE_MEMBER: "Thành viên", ROLE_SECRETARY: "Thư ký"}
