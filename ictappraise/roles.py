"""The team's roles (docs/rules.md §1) and their Vietnamese names, declared once.

A leaf module outside domain/ on purpose: settings re-exports these names and the start-up
frame imports settings before any domain module may load; domain.authority reads
them from here too.
"""

from __future__ import annotations

ROLE_LEAD = "lead"
ROLE_MEMBER = "member"
ROLE_SECRETARY = "secretary"
ROLE_LABELS = {ROLE_LEAD: "Tổ trưởng", ROLE_MEMBER: "Thành viên", ROLE_SECRETARY: "Thư ký"}
