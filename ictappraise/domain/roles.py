"""The team's roles (docs/rules.md §1) and their Vietnamese names, declared once.

Constants only, importing nothing: settings reads them where it parses the identity, not at
import, so the start-up frame loads no domain module (docs/ARCHITECTURE.md, Start-up).
"""

from __future__ import annotations

ROLE_LEAD = "lead"
ROLE_MEMBER = "member"
ROLE_SECRETARY = "secretary"
ROLE_LABELS = {ROLE_LEAD: "Tổ trưởng", ROLE_MEMBER: "Thành viên", ROLE_SECRETARY: "Thư ký"}
