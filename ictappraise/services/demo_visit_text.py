"""The demo's visit remarks and representatives: fixed prose that fits each agency's table.

Pure text helpers of services.demo (a split of that module): praise without the clauses the
table contradicts, weaknesses that name what lost points, who signs for an agency.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ictappraise.services import remarks
from ictappraise.services.model import AgencyDetail, Representative

STRENGTHS = (
    "Cấp ủy quan tâm lãnh đạo, chỉ đạo; 100% văn bản đi được xử lý trên phần mềm quản lý văn bản "
    "và hồ sơ công việc; sử dụng thường xuyên hộp thư điện tử công vụ và chữ ký số chuyên dùng.",
    "Hạ tầng mạng thông tin diện rộng của Đảng vận hành ổn định; máy tính được cài phần mềm phòng, "
    "chống mã độc; bố trí máy tính độc lập soạn thảo văn bản mật theo quy định.",
    "Cập nhật kịp thời Cơ sở dữ liệu đảng viên; tổ chức tốt các hội nghị truyền hình trực tuyến.",
)
WEAKNESSES = (
    "Việc sao lưu dữ liệu định kỳ chưa được ghi nhật ký đầy đủ.",
    "Số lượng tin, bài đăng trên Cổng Thông tin điện tử Đảng bộ tỉnh chưa đều giữa các tháng.",
    "Một số máy tính chưa cập nhật bản vá hệ điều hành; tỷ lệ ký số văn bản đi chưa cao.",
)
#: When no weakness of the list fits the table (every criterion it speaks of at its maximum).
FALLBACK_WEAKNESS = "Việc ứng dụng công nghệ thông tin ở một số tổ chức cơ sở đảng trực thuộc chưa đồng đều."
RECOMMENDATIONS = (
    "Tiếp tục đẩy mạnh ký số văn bản đi; xây dựng quy trình sao lưu dữ liệu hằng tuần và lưu nhật ký.",
    "Phân công cán bộ phụ trách cung cấp tin, bài cho Cổng Thông tin điện tử Đảng bộ tỉnh theo tháng.",
)


def fitting_strengths(detail: AgencyDetail, strengths: str) -> str:
    """The praise without the clauses the table contradicts (a criterion scored low)."""
    checked = replace(detail, visit=replace(detail.visit, strengths=strengths))
    bad = {c.clause for c in remarks.contradictions(checked)}
    sentences = []
    for sentence in re.split(r"(?<=\.)\s+", strengths.strip()):
        kept = [clause for clause in remarks.clauses(sentence) if clause not in bad]
        if kept:
            text = "; ".join(kept)
            sentences.append(text[:1].upper() + text[1:] + ".")
    return " ".join(sentences)


def weaknesses_text(detail: AgencyDetail, general: str) -> str:
    """The failed criteria and applied penalties first, then a general remark that fits."""
    required = remarks.required_weaknesses(detail)
    start = WEAKNESSES.index(general) if general in WEAKNESSES else 0
    fitting = [
        w
        for w in WEAKNESSES[start:] + WEAKNESSES[:start]
        if _fits(detail, w) and not any(item.covered_by(w) for item in required)
    ][:1] or [FALLBACK_WEAKNESS]
    if not required:
        return fitting[0]
    return "\n".join([f"- {item.sentence}." for item in required] + [f"- {w}" for w in fitting])


def _fits(detail: AgencyDetail, weakness: str) -> bool:
    """A weakness fits when every criterion it speaks of lost points."""
    for clause in remarks.clauses(weakness):
        row = detail.scorecard.rows.get(remarks.subject_of(detail, clause))
        if row is not None and (row.points is None or row.points >= row.maximum):
            return False
    return True


def representatives(name: str) -> list[Representative]:
    """Who signs for an agency, with the titles such bodies really have."""
    head = name.split(" ")[0]
    if head in ("Huyện", "Thị", "Thành") or name.startswith("Đảng ủy Khối"):
        return [
            Representative("Nguyễn Văn A", f"Phó Bí thư Thường trực {name}"),
            Representative("Trần Thị B", f"Chánh Văn phòng {name}"),
        ]
    first = next((title for start, title in LEADER_TITLES if name.startswith(start)), "Phó Thủ trưởng")
    second = "Chánh Văn phòng Ban" if head == "Ban" else "Chánh Văn phòng"
    if name == "Văn phòng Tỉnh ủy":
        return [
            Representative("Lê Văn C", "Chánh Văn phòng Tỉnh ủy"),
            Representative("Phạm Thị D", "Trưởng phòng Hành chính - Lưu trữ, Văn phòng Tỉnh ủy"),
        ]
    return [Representative("Lê Văn C", f"{first} {name}"), Representative("Phạm Thị D", second)]


#: The deputy head's title by the start of the agency's name.
LEADER_TITLES = (
    ("Ban", "Phó Trưởng"),
    ("Ủy ban Kiểm tra", "Phó Chủ nhiệm"),
    ("Ủy ban MTTQ", "Phó Chủ tịch"),
    ("Hội", "Phó Chủ tịch"),
    ("Liên đoàn", "Phó Chủ tịch"),
    ("Tỉnh đoàn", "Phó Bí thư"),
    ("Trường Chính trị", "Phó Hiệu trưởng"),
    ("Báo", "Phó Tổng Biên tập"),
)
