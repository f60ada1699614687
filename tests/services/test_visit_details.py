"""Visit details are cleaned before they are saved."""

from __future__ import annotations

import pytest

from ictappraise.services.model import Representative
from ictappraise.services.visit_details import current_visit, update_visit
from ictappraise.services.workspace import ServiceError, VisitLocked


def test_update_visit_cleans_values(lead_ws):
    hupq = lead_ws.find_agency("HUPQ")
    visit = update_visit(
        lead_ws,
        hupq.id,
        start="8h",
        end="10.15",
        place="  Hội trường  ",
        representatives=[{"name": " Lê  Văn C ", "title": "Phó Bí thư"}, ("", "Chánh Văn phòng")],
        team=["a", "a", "b"],
    )
    assert (visit.start, visit.end, visit.place) == ("08:00", "10:15", "Hội trường")
    assert visit.representatives == (Representative("Lê Văn C", "Phó Bí thư"),)
    assert visit.team == ("a", "b")
    with pytest.raises(ServiceError, match="phải sau giờ bắt đầu"):
        update_visit(lead_ws, hupq.id, end="07:00")
    assert current_visit(lead_ws, hupq.id).end == "10:15"


def test_signed_visit_refuses(lead_ws):
    with pytest.raises(VisitLocked):
        update_visit(lead_ws, lead_ws.find_agency("HUTP").id, place="Nơi khác")
