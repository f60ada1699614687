"""The minutes of a visit (biên bản thẩm định) as a Party-format PDF (docs/rules.md §6).

The renderer receives plain data (MinutesDoc) and knows nothing of the database, so the
batch can lay out many minutes off the GUI thread and tests can feed it any table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ictappraise.io.pdf_followup import followup_section
from ictappraise.io.pdf_fonts import FontSet, document_fonts
from ictappraise.io.pdf_layout import (
    TEXT_WIDTH,
    DashRule,
    Header,
    HeaderBlock,
    PageMarks,
    Styles,
    base_font,
    body_dates,
    build_pdf,
    clock_text,
    copies_text,
    long_date,
    make_styles,
    nfc,
    number_line,
    para,
    para_text,
    pdf_bytes,
)
from ictappraise.io.pdf_minutes_table import TableRow, results_table
from ictappraise.io.pdf_watermark import watermark

SIGN_ROOM = 26 * mm
DRAFT_MARK = "DỰ THẢO"


@dataclass(frozen=True)
class Person:
    """Someone named in the minutes: name, title and (team members) role."""

    name: str
    title: str = ""
    role: str = ""


@dataclass(frozen=True)
class SignatureBlock:
    """A signature block: heading lines, the name, and a signature image when one is on file."""

    headings: tuple[str, ...]
    name: str
    subtitle: str = ""
    image: bytes | None = None


@dataclass(frozen=True)
class MinutesDoc:
    """Everything printed in one set of minutes."""

    issuer: str
    issuing_unit: str
    number: str
    number_suffix: str
    place: str
    day: date | None
    year: int
    agency_name: str
    catalog_title: str
    legal_basis: tuple[str, ...]
    start: str
    end: str
    venue: str
    team: tuple[Person, ...]
    representatives: tuple[Person, ...]
    rows: tuple[TableRow, ...]
    fact_lines: tuple[str, ...]
    reasons: tuple[str, ...]
    total_text: str
    band: str
    strengths: str
    weaknesses: str
    recommendations: str
    opinion: str
    opinion_text: str
    copies: int
    agency_sign: SignatureBlock
    lead_sign: SignatureBlock
    secretary_sign: SignatureBlock | None
    revision: int
    fingerprint: str
    signed: bool = False
    draft_reason: str = ""
    provisional_note: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    #: Across every page when set (signed minutes whose data changed since: pdf_watermark).
    watermark: str = ""
    #: Last year's recommendations and what was done ("1. … — Đã khắc phục: …"), and their year.
    followups: tuple[str, ...] = ()
    followup_year: int | None = None
    #: "Kết quả các năm trước: 2021: Khá (741,5/800)" or "".
    trend: str = ""

    @property
    def draft(self) -> bool:
        return bool(self.draft_reason)

    @property
    def subject(self) -> str:
        return (
            f"Thẩm định kết quả tự đánh giá, xếp hạng ứng dụng công nghệ thông tin năm {self.year} "
            f"tại {self.agency_name}"
        )

    @property
    def footer(self) -> str:
        """One discreet line: the verification code and what it is for."""
        return f"Mã đối chiếu: {self.fingerprint} (để đối chiếu bản giấy với dữ liệu thẩm định)"

    @property
    def keywords(self) -> tuple[str, ...]:
        """What the old footer said, now in the PDF's metadata: revision, code, state."""
        state = "Dự thảo, chưa ký" if self.draft else ("Đã ký" if self.signed else "Bản để ký")
        return (f"Lần lập: {self.revision}", f"Mã nội dung: {self.fingerprint}", state)


def render_minutes(doc: MinutesDoc, out: str | Path | BinaryIO, fonts: FontSet | None = None) -> int:
    """Write the minutes PDF; return its number of pages."""
    fonts = fonts or document_fonts()
    styles = make_styles(fonts)
    story = _story(doc, fonts, styles)
    marks = PageMarks(footer=doc.footer, draft=DRAFT_MARK if doc.draft else "")
    on_page = watermark(doc.watermark, fonts) if doc.watermark else None
    return build_pdf(
        story,
        out,
        fonts,
        title=f"Biên bản thẩm định — {doc.agency_name}",
        subject=doc.subject,
        marks=marks,
        on_page=on_page,
        keywords=doc.keywords,
    )


def minutes_bytes(doc: MinutesDoc, fonts: FontSet | None = None) -> bytes:
    """The minutes PDF in memory (for the preview)."""
    return pdf_bytes(lambda out: render_minutes(doc, out, fonts))


class _Writer:
    """Builds paragraphs in the document's styles (keeps the story code short)."""

    def __init__(self, fonts: FontSet, styles: Styles) -> None:
        self.fonts = fonts
        self.st = styles

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return para(text, style or self.st.body, self.fonts)

    def rich(self, markup: str) -> Paragraph:
        return Paragraph(self.fonts.clean(nfc(markup)), self.st.body)

    def head(self, *texts: str, room: float = 30 * mm) -> list[Flowable]:
        """Headings that never end a page alone: a new page when less than ``room`` is left."""
        return [CondPageBreak(room), *(self.p(text, self.st.heading) for text in texts)]

    def items(self, lines: Sequence[str]) -> list[Flowable]:
        """ "- " items, ";" between them and "." after the last."""
        out = []
        for i, line in enumerate(lines):
            text = nfc(line).strip().rstrip(";.")
            out.append(self.p(f"- {text}{'.' if i == len(lines) - 1 else ';'}"))
        return out


def _story(doc: MinutesDoc, fonts: FontSet, st: Styles) -> list[Flowable]:
    w = _Writer(fonts, st)
    header = Header(
        doc.issuer,
        doc.issuing_unit,
        number_line(doc.number, doc.number_suffix),
        long_date(doc.place, doc.day),
    )
    story: list[Flowable] = [HeaderBlock(header, fonts)]
    if doc.draft:
        story.append(w.p(f"DỰ THẢO — {doc.draft_reason}", st.note))
    story += [w.p("BIÊN BẢN", st.title), w.p(doc.subject, st.subject), DashRule(fonts), Spacer(1, 6)]
    story += [w.p(_basis_line(text, i == len(doc.legal_basis) - 1)) for i, text in enumerate(doc.legal_basis)]
    story.append(w.p(_opening(doc)))
    story += _participants(doc, w)
    story += w.head("II. NỘI DUNG, KẾT QUẢ THẨM ĐỊNH", "1. Công việc đã thực hiện")
    story.append(w.p(_work_done(doc)))
    story += w.head("2. Kết quả chấm điểm", room=60 * mm)
    story += [results_table(doc.rows, fonts, st), Spacer(1, 6)]
    story += w.head("3. Kiểm tra các trường hợp hạ bậc, điểm liệt")
    story += w.items([*doc.fact_lines, *doc.reasons])
    story += w.head("4. Đề xuất xếp loại")
    story.append(w.rich(_proposal(doc, fonts)))
    story += _remarks(doc, w)
    story.append(KeepTogether([w.p(_closing(doc)), Spacer(1, 8), *_signatures(doc, fonts, st)]))
    return story


def _proposal(doc: MinutesDoc, fonts: FontSet) -> str:
    """The proposed band; none while anything is unscored (the note says why)."""
    total = para_text(doc.total_text, fonts)
    if not doc.band:
        why = para_text(doc.provisional_note or "chưa đủ điều kiện", fonts)
        return f"Tổng điểm thẩm định của các tiêu chí đã chấm: {total} điểm. Chưa đề xuất xếp loại: {why}."
    return f"Tổng điểm thẩm định: {total} điểm. Tổ thẩm định đề xuất xếp loại: <b>{para_text(doc.band, fonts)}</b>."


def _basis_line(text: str, last: bool) -> str:
    text = body_dates(nfc(text).strip().rstrip(";."))
    if not text.lower().startswith("căn cứ"):
        text = f"Căn cứ {text}"
    return text + ("." if last else ";")


def _opening(doc: MinutesDoc) -> str:
    day = f"ngày {doc.day.day:02d} tháng {doc.day.month:02d} năm {doc.day.year}" if doc.day else "ngày …………"
    venue = doc.venue or "…………………………"
    return (
        f"Hôm nay, vào lúc {clock_text(doc.start)}, {day}, tại {venue}, Tổ thẩm định tiến hành thẩm định "
        f"kết quả tự đánh giá, xếp hạng ứng dụng công nghệ thông tin năm {doc.year} của {doc.agency_name}."
    )


def _participants(doc: MinutesDoc, w: _Writer) -> list[Flowable]:
    out = w.head("I. THÀNH PHẦN THAM DỰ", "1. Tổ thẩm định")
    team = list(doc.team) or [Person("…………………………")]
    out += w.items([", ".join([f"Đồng chí {m.name}"] + [x for x in (m.title, m.role) if x]) for m in team])
    out += w.head(f"2. Đại diện {doc.agency_name}")
    reps = list(doc.representatives) or [Person("…………………………", "…………………………")]
    out += w.items([", ".join([f"Đồng chí {r.name}"] + ([r.title] if r.title else [])) for r in reps])
    return out


def _work_done(doc: MinutesDoc) -> str:
    # The catalog by its Phụ lục only: "Bộ tiêu chí mẫu" is the app's label, not the minutes'.
    found = re.search(r"Phụ lục\s*\d+", doc.catalog_title)
    catalog = f" {found.group(0)}" if found else ""
    return (
        f"Tổ thẩm định nghe đại diện {doc.agency_name} báo cáo kết quả tự đánh giá; kiểm tra hồ sơ, tài liệu "
        f"kiểm chứng và thực tế ứng dụng công nghệ thông tin tại đơn vị theo từng tiêu chí của bộ tiêu chí"
        f"{catalog}; đối chiếu điểm tự đánh giá với thực tế, xác định điểm thẩm định và ghi rõ lý do ở các "
        "tiêu chí có điểm thẩm định khác điểm tự đánh giá."
    )


def _remarks(doc: MinutesDoc, w: _Writer) -> list[Flowable]:
    def text_or_dots(text: str) -> str:
        return text.strip() or "…………………………………………………………………………"

    out: list[Flowable] = []
    for title, text in (
        ("1. Ưu điểm", doc.strengths),
        ("2. Hạn chế", doc.weaknesses),
        ("3. Kiến nghị", doc.recommendations),
    ):
        heads = ("III. NHẬN XÉT, KIẾN NGHỊ", title) if title.startswith("1.") else (title,)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        out += w.head(*heads) + [w.p(line) for line in lines or [text_or_dots("")]]
    out += followup_section(doc.followups, w.head, w.p, doc.followup_year, doc.trend)
    out += w.head(f"IV. Ý KIẾN CỦA {doc.agency_name.upper()}")
    if doc.opinion == "reserve":
        lead = f"{doc.agency_name} bảo lưu ý kiến"
        out.append(w.p(f"{lead}: {doc.opinion_text.strip()}" if doc.opinion_text.strip() else f"{lead}."))
    else:
        out.append(w.p(doc.opinion_text.strip() or f"{doc.agency_name} thống nhất với kết quả thẩm định."))
    return out


def _closing(doc: MinutesDoc) -> str:
    team_copies = max(doc.copies - 1, 1)
    return (
        f"Buổi thẩm định kết thúc vào lúc {clock_text(doc.end)} cùng ngày. Biên bản đã được đọc lại cho "
        f"các thành viên tham dự cùng nghe và thống nhất ký tên. Biên bản được lập thành "
        f"{copies_text(doc.copies)} bản có giá trị như nhau; Tổ thẩm định giữ {copies_text(team_copies)} "
        f"bản, {doc.agency_name} giữ 01 (một) bản./."
    )


def _sign_cell(block: SignatureBlock, fonts: FontSet, st: Styles, keep: str = "") -> list[list[object]]:
    """Heading, room to sign (or the image), name; ``keep`` is never broken across lines."""
    heads: list[Flowable] = [Paragraph(para_text(h, fonts), st.sign_head) for h in block.headings]
    if block.subtitle:
        subtitle = nfc(block.subtitle)
        if keep and nfc(keep) in subtitle:
            # "Phó Bí thư Thường trực / Huyện ủy Tuy Phong", never a lone "Phong" on a line.
            subtitle = subtitle.replace(nfc(keep), nfc(keep).replace(" ", "\u00a0"))
        heads.append(Paragraph(para_text(subtitle, fonts), st.sign_text))
    room: Flowable = Spacer(1, SIGN_ROOM)
    if block.image:
        room = _signature_image(block.image) or room
    return [heads, [room], [Paragraph(para_text(block.name or " ", fonts), st.sign_name)]]


def _signature_image(data: bytes) -> Flowable | None:
    try:
        reader = ImageReader(BytesIO(data))
        width, height = reader.getSize()
    except Exception:  # a broken image must not stop the minutes: leave room to sign
        return None
    scale = min(SIGN_ROOM / height, (70 * mm) / width)
    return Image(BytesIO(data), width=width * scale, height=height * scale)


def _signatures(doc: MinutesDoc, fonts: FontSet, st: Styles) -> list[Flowable]:
    half = TEXT_WIDTH / 2
    left = _sign_cell(doc.agency_sign, fonts, st, keep=doc.agency_name)
    right = _sign_cell(doc.lead_sign, fonts, st)
    rows = [[left[i], right[i]] for i in range(3)]
    style = TableStyle(
        [
            base_font(fonts),
            ("VALIGN", (0, 0), (-1, 0), "TOP"),
            ("VALIGN", (0, 1), (-1, 1), "MIDDLE"),
            ("ALIGN", (0, 1), (-1, 1), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ]
    )
    # splitByRow=0: a signature block is never cut from its name by a page break.
    blocks: list[Flowable] = [Table(rows, colWidths=(half, half), style=style, splitByRow=0)]
    if doc.secretary_sign is not None:
        third = _sign_cell(doc.secretary_sign, fonts, st)
        blocks += [
            Spacer(1, 14),
            Table([[c] for c in third], colWidths=(half,), style=style, splitByRow=0, hAlign="CENTER"),
        ]
    return blocks
