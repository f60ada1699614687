"""Help → the rules of the round in Vietnamese: bands, penalties, the decided points, signing, merge.

The numbers (maxima, thresholds, deadline, quota) come from the open round, so the help
always describes the rules the app applies to this round (docs/rules.md §3, §4, §7).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ictappraise.domain.dates import format_day
from ictappraise.domain.numbers import format_points
from ictappraise.domain.rating import LATE_REPORT_DAYS, PORTAL_MONTHS_LIMIT, CategoryRules
from ictappraise.services.workspace import Workspace

TABLE_STYLE = "border-collapse: collapse; margin: 6px 0;"
CELL = "border: 1px solid #999; padding: 3px 8px;"


class RulesHelpDialog(QDialog):
    """The rules of the round as rich text."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle(self.tr("Quy tắc thẩm định, xếp loại"))
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.document().setDefaultStyleSheet("li { margin-bottom: 4px; } h3 { margin-top: 14px; }")
        self.browser.setHtml(self.html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Đóng"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.setMinimumSize(560, 400)
        self.resize(900, 680)

    def _descriptions(self) -> dict[int, str]:
        return {
            2: self.tr("Văn phòng Tỉnh ủy, các huyện ủy, thị ủy, thành ủy, Đảng ủy Khối"),
            3: self.tr("Các ban của Tỉnh ủy, Ủy ban Kiểm tra Tỉnh ủy"),
            4: self.tr("Ủy ban MTTQ, Hội Liên hiệp Phụ nữ, Hội Nông dân, Tỉnh đoàn, Trường Chính trị"),
            5: self.tr("Liên đoàn Lao động tỉnh"),
            6: self.tr("Báo Bình Thuận"),
            7: self.tr("Hội Cựu chiến binh tỉnh"),
        }

    def html(self) -> str:
        """The whole help text (HTML)."""
        info = self.ws.round_info()
        parts = [
            f"<h2>{escape(info.name or self.tr('Đợt đánh giá'))}</h2>",
            self._bands_section(),
            self._penalties_section(),
            self._decided_section(),
            self._signing_section(),
            self._merge_section(),
            self._years_section(),
        ]
        return "\n".join(parts)

    # -- sections ----------------------------------------------------------------------------
    def _bands_section(self) -> str:
        counts = Counter(a.category for a in self.ws.agencies())
        catalogs = self.ws.catalogs()
        head = "".join(
            f"<th style='{CELL}'>{escape(text)}</th>"
            for text in (
                self.tr("Phụ lục"),
                self.tr("Đối tượng"),
                self.tr("Số đơn vị"),
                self.tr("Điểm tối đa"),
                self.tr("Tốt"),
                self.tr("Khá"),
                self.tr("Trung bình"),
                self.tr("Yếu"),
            )
        )
        rows = []
        descriptions = self._descriptions()
        for category, rules in sorted(self.ws.rules().items()):
            catalog = catalogs.get(category)
            note = ""
            if catalog is not None and catalog.sample:
                note = f"<br><i>{escape(self.tr('(đang dùng bộ tiêu chí mẫu)'))}</i>"
            cells = [
                str(category),
                escape(descriptions.get(category, "")) + note,
                str(counts.get(category, 0)),
                format_points(rules.maximum),
                *self._band_ranges(rules),
            ]
            rows.append("<tr>" + "".join(f"<td style='{CELL}'>{c}</td>" for c in cells) + "</tr>")
        return (
            f"<h3>{self.tr('1. Nhóm đối tượng, điểm tối đa và ngưỡng xếp loại')}</h3>"
            f"<table style='{TABLE_STYLE}' cellspacing='0'><tr>{head}</tr>{''.join(rows)}</table>"
            f"<p>{self._inclusive_note()}</p>"
        )

    def _inclusive_note(self) -> str:
        category, rules = min(self.ws.rules().items())
        return self.tr(
            "Cận dưới của mỗi mức được tính vào mức đó (ví dụ Phụ lục {category}: đúng {tot} điểm là Tốt, "
            "{below} điểm là Khá). Ngưỡng là dữ liệu của đợt đánh giá: Tổ trưởng sửa trong "
            "«Thiết lập đợt đánh giá»."
        ).format(
            category=category,
            tot=format_points(rules.tot),
            below=format_points(rules.tot - Decimal("0.01")),
        )

    def _band_ranges(self, rules: CategoryRules) -> list[str]:
        def points(value: Decimal) -> str:
            return format_points(value)

        return [
            self.tr("{low}–{high}").format(low=points(rules.tot), high=points(rules.maximum)),
            self.tr("{low} đến dưới {high}").format(low=points(rules.kha), high=points(rules.tot)),
            self.tr("{low} đến dưới {high}").format(low=points(rules.trung_binh), high=points(rules.kha)),
            self.tr("dưới {high}").format(high=points(rules.trung_binh)),
        ]

    def _penalties_section(self) -> str:
        info = self.ws.round_info()
        deadline = format_day(info.report_deadline) or self.tr("(chưa đặt)")
        items = [
            self.tr(
                "<b>Tiêu chí đạt 0 điểm</b> (không đạt): xếp loại bị hạ một bậc "
                "(Tốt → Khá → Trung bình → Yếu; đã Yếu thì giữ Yếu)."
            ),
            self.tr(
                "<b>Báo cáo gửi muộn hoặc thiếu</b>: đơn vị gửi báo cáo kết quả muộn từ {days} ngày trở lên "
                "so với hạn ({deadline}), hoặc chỉ gửi phiếu tự đánh giá mà không kèm báo cáo kết quả, "
                "thì không được xếp loại Tốt."
            ).format(days=LATE_REPORT_DAYS, deadline=deadline),
            self.tr(
                "<b>Tin, bài trên Cổng thông tin điện tử Đảng bộ tỉnh</b>: đơn vị có từ {months} tháng trở lên "
                "trong năm không đủ số tin, bài theo quy định ({quota} tin, bài mỗi tháng) thì xếp loại Yếu."
            ).format(months=PORTAL_MONTHS_LIMIT, quota=info.portal_quota),
        ]
        return _list_section(self.tr("2. Điểm liệt, hạ bậc"), items, numbered=True)

    def _decided_section(self) -> str:
        items = [
            self.tr(
                "<b>Thứ tự áp dụng.</b> Xếp loại cơ sở theo tổng điểm thẩm định; sau đó hạ một bậc nếu có "
                "tiêu chí đạt 0 điểm; sau đó giới hạn ở mức Khá nếu báo cáo muộn hoặc thiếu; cuối cùng xếp "
                "Yếu nếu thiếu tin, bài trên Cổng thông tin. Ví dụ: đơn vị 760 điểm (Phụ lục 2) có một tiêu chí "
                "0 điểm và gửi báo cáo muộn được xếp Khá (hạ xuống Khá, giới hạn Khá không đổi gì), "
                "không phải Trung bình."
            ),
            self.tr(
                "<b>Hạ bậc vì tiêu chí 0 điểm chỉ áp dụng một lần</b>, dù có nhiều tiêu chí đạt 0 điểm. "
                "Tiêu chí có tiểu mục bị coi là 0 điểm khi tổng các tiểu mục bằng 0."
            ),
            self.tr(
                "<b>Số ngày muộn</b> = số ngày theo lịch từ hạn nộp đến ngày đơn vị gửi báo cáo (ngày trên "
                "công văn gửi; nếu không rõ thì ngày Văn phòng Tỉnh ủy nhận). Gửi đúng hạn hoặc sớm: 0 ngày."
            ),
            self.tr(
                "<b>Số tháng thiếu tin, bài</b> (0–12) được đếm từng tháng theo số tin, bài của tháng so với "
                "định mức; các tháng không cần liên tiếp."
            ),
            self.tr(
                "<b>Làm tròn.</b> Điểm của từng tiêu chí được làm tròn đến 0,01 (từ 0,005 làm tròn lên) rồi "
                "mới cộng; tổng điểm là tổng chính xác các điểm đó. Ví dụ 1/3 × 20 = 6,67. Mọi phép tính dùng "
                "số thập phân chính xác, không sai số."
            ),
            self.tr(
                "<b>Chưa chấm không phải 0 điểm.</b> Tiêu chí chưa ai chấm hiển thị «chưa chấm», không bao "
                "giờ làm hạ bậc. Khi còn tiêu chí chưa chấm, xếp loại được ghi «tạm tính» và cho biết còn bao "
                "nhiêu tiêu chí; chỉ ký biên bản được khi mọi tiêu chí đã chấm."
            ),
            self.tr(
                "<b>Mỗi quy tắc đều có dòng giải thích</b> trong phần xem trước và trong biên bản; quy tắc "
                "đã kiểm tra nhưng không làm thay đổi xếp loại vẫn được ghi «Đã kiểm tra»."
            ),
            self.tr(
                "<b>Thiếu dữ kiện thì «Chưa kiểm tra được».</b> Điều kiện hạ bậc chưa có dữ kiện để xét "
                "(chưa ghi ngày gửi báo cáo hoặc đợt chưa có hạn gửi; còn tháng chưa nhập số tin, bài trên "
                "Cổng thông tin) được ghi «Chưa kiểm tra được» và tự nó không bao giờ làm hạ bậc. Biên bản "
                "vẫn ký được, nhưng ký rồi thì kết quả được giữ nguyên: Tổ thẩm định cần nhập đủ dữ kiện "
                "trước khi ký."
            ),
            self.tr(
                "<b>Xếp hạng</b> trong từng nhóm đối tượng: theo xếp loại cuối cùng (Tốt trước), rồi tổng "
                "điểm thẩm định từ cao xuống thấp, rồi tên đơn vị. Cùng xếp loại và cùng tổng điểm thì cùng "
                "thứ hạng. Đơn vị còn tạm tính hoặc còn xung đột chưa được xếp hạng."
            ),
            self.tr(
                "<b>Số liệu ngoài khoảng bị từ chối</b> kèm lý do, không bao giờ tự sửa: điểm một tiêu chí "
                "vượt điểm tối đa hoặc âm, tử số lớn hơn mẫu số, tổng điểm vượt điểm tối đa của nhóm đối "
                "tượng, nhóm đối tượng không có."
            ),
            self.tr(
                "<b>Chênh lệch phải có lý do.</b> Tiêu chí có điểm thẩm định khác điểm tự đánh giá phải ghi "
                "lý do (ghi chú, minh chứng) trước khi chuyển sang chờ ký."
            ),
        ]
        return _list_section(self.tr("3. Cách tính đã thống nhất"), items)

    def _signing_section(self) -> str:
        items = [
            self.tr(
                "Biên bản chỉ ký được khi mọi tiêu chí đã chấm, không còn xung đột và mọi chênh lệch đã "
                "ghi lý do."
            ),
            self.tr(
                "Biên bản đã ký là bản cuối cùng: điểm, dữ kiện điểm liệt, thông tin buổi thẩm định và tệp "
                "minh chứng của đơn vị bị khóa."
            ),
            self.tr(
                "Muốn sửa, chỉ Tổ trưởng được mở lại biên bản và phải ghi lý do; lý do được lưu trong lịch "
                "sử thay đổi. Sửa xong thì ký lại."
            ),
            self.tr(
                "Mọi thay đổi đều ghi người thực hiện, thời gian, giá trị cũ và mới, lý do; xem bằng "
                "«Lịch sử thay đổi» của từng tiêu chí hoặc của đơn vị."
            ),
        ]
        return _list_section(self.tr("4. Ký biên bản và khóa số liệu"), items)

    def _merge_section(self) -> str:
        items = [
            self.tr(
                "Mỗi thành viên làm việc trên máy của mình, không cần mạng; Tổ trưởng tổng hợp dữ liệu các "
                "máy, rồi các thành viên nhận lại bản đã tổng hợp."
            ),
            self.tr(
                "Tổng hợp là gộp mọi thay đổi của các máy: gộp nhiều lần, theo thứ tự nào cũng cho cùng kết "
                "quả, không mất và không nhân đôi thay đổi nào. Chép tệp dữ liệu sang máy khác là an toàn."
            ),
            self.tr(
                "Hai máy cùng sửa một ô mà không biết nhau: nếu cùng giá trị thì không có gì phải làm; nếu "
                "khác giá trị thì là <b>xung đột</b>, hiển thị cả hai giá trị để Tổ chọn. Khi còn xung đột, "
                "đơn vị chưa có xếp loại và chưa ký được biên bản."
            ),
            self.tr(
                "Thay đổi của máy khác đến sau khi biên bản đã ký (mà chữ ký không bao gồm và không được thực "
                "hiện sau khi mở lại) bị <b>giữ lại</b>: vẫn được lưu, liệt kê cho Tổ trưởng xem, nhưng không "
                "được áp dụng — trên mọi máy như nhau."
            ),
            self.tr("Hoàn tác (Ctrl+Z) cũng là một thay đổi mới, khôi phục giá trị cũ; lịch sử vẫn giữ đủ."),
        ]
        return _list_section(self.tr("5. Nhiều máy, một kết quả: tổng hợp dữ liệu"), items)

    def _years_section(self) -> str:
        """Previous years, follow-ups and the commendation rules of this round."""
        from ictappraise.services import chain, commendation

        model, individual = commendation.rules_text(commendation.top_n(self.ws))
        years = ", ".join(str(a.year) for a in chain.archives(self.ws)) or self.tr("chưa có")
        items = [
            self.tr("Kết quả các năm trước được lưu trong tệp dữ liệu của đợt này (năm: {y}).").format(
                y=years
            ),
            self.tr(
                "Kiến nghị của Tổ năm trước trở thành danh sách cần kiểm tra tại buổi thẩm định năm nay: Đã "
                "khắc phục / Đang khắc phục / Chưa khắc phục, kèm ghi chú."
            ),
            escape(model),
            escape(individual),
            self.tr(
                "Tổ trưởng xác nhận hoặc bỏ từng đề xuất; mỗi quyết định được lưu vết như mọi thay đổi khác."
            ),
        ]
        return _list_section(self.tr("6. Các năm trước và đề xuất khen thưởng"), items)


def _list_section(title: str, items: list[str], *, numbered: bool = False) -> str:
    """A titled section of the help: an <h3> and its items as a list."""
    tag = "ol" if numbered else "ul"
    return f"<h3>{title}</h3><{tag}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{tag}>"
