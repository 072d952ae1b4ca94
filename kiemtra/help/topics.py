"""The help topics: one per task an official does, with the written steps.

Each topic's screenshots and video come from the browser test that walks the same
task (``kiemtra/help/tests/test_walks.py``, one test per slug), so what the help
shows is what the product does. The written steps are shown always.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Topic:
    slug: str
    title: Any
    who: Any  # the role that does the task
    summary: Any
    steps: list[Any]
    notes: list[Any] = field(default_factory=list)
    module: Any = ""


TOPICS: list[Topic] = [
    Topic(
        "nhap-va-gui-bao-cao",
        _("Nhập và gửi báo cáo thống kê"),
        _("Người làm thống kê của đơn vị"),
        _("Nhập số liệu của một biểu như trên Excel, kiểm tra, rồi chuyển lãnh đạo phê duyệt."),
        [
            _(
                "Ở trang chủ, chọn «Báo cáo thống kê» trong thanh bên trái: các biểu của kỳ đang mở hiện ra "
                "cùng trạng thái và thời hạn."
            ),
            _("Bấm vào tên biểu để mở bảng nhập liệu."),
            _(
                "Gõ số vào ô; Tab sang phải, Enter xuống dưới, các phím mũi tên đi bất kỳ hướng nào. Có thể dán "
                "cả một vùng sao chép từ Excel."
            ),
            _("Các ô tính toán và các quy tắc kiểm tra được cập nhật ngay khi gõ; số liệu được lưu tự động."),
            _(
                "Khi không còn lỗi, bấm «Chuyển lãnh đạo phê duyệt» và xác nhận. Sau khi chuyển, số liệu chỉ "
                "sửa được nếu báo cáo bị trả lại."
            ),
        ],
        [_("Báo cáo bị trả lại hiện lý do ở đầu trang: sửa theo lý do rồi chuyển phê duyệt lại.")],
        _("Thống kê"),
    ),
    Topic(
        "phe-duyet",
        _("Phê duyệt và gửi báo cáo lên cấp trên"),
        _("Lãnh đạo phê duyệt của đơn vị"),
        _("Xem báo cáo người thống kê đã chuyển, phê duyệt hoặc trả lại, rồi gửi lên cấp trên."),
        [
            _("Ở trang chủ, chọn «Báo cáo thống kê»: báo cáo chờ phê duyệt có trạng thái «Chờ phê duyệt»."),
            _("Mở báo cáo, xem số liệu và kết quả kiểm tra."),
            _(
                "Bấm «Phê duyệt» và xác nhận; hoặc ghi lý do vào ô «Lý do trả lại» rồi bấm «Trả lại cho người "
                "thống kê»."
            ),
            _(
                "Báo cáo đã phê duyệt: bấm «Gửi lên cấp trên». Báo cáo đã phê duyệt và gửi là báo cáo chính "
                "thức (Điều 4, Quy định 11-QĐ/UBKTTW)."
            ),
        ],
        [_("Người thống kê và người phê duyệt của một đơn vị phải là hai người khác nhau.")],
        _("Thống kê"),
    ),
    Topic(
        "tiep-nhan-va-tra-lai",
        _("Tiếp nhận và trả lại báo cáo của cấp dưới"),
        _("Người làm thống kê của đơn vị cấp trên"),
        _("Theo dõi các đơn vị cấp dưới, tiếp nhận báo cáo đã gửi hoặc trả lại kèm lý do."),
        [
            _("Ở trang chủ, chọn «Theo dõi tiến độ»: mỗi đơn vị cấp dưới một dòng, cùng trạng thái báo cáo."),
            _("Mở báo cáo «Đã gửi» của một đơn vị, xem số liệu."),
            _("Bấm «Tiếp nhận»: số liệu được cộng ngay vào báo cáo tổng hợp của đơn vị bạn."),
            _(
                "Nếu số liệu chưa đúng: ghi lý do rồi bấm «Trả lại cho đơn vị cấp dưới»; nếu đã tiếp nhận, số "
                "liệu được trừ khỏi tổng hợp."
            ),
        ],
        [
            _("Chỉ chuyển báo cáo tổng hợp lên trên khi đã tiếp nhận đủ 100% báo cáo của cấp dưới."),
            _("Cấp trên chỉ trả lại được theo thứ tự từ trên xuống."),
        ],
        _("Thống kê"),
    ),
    Topic(
        "excel",
        _("Tải báo cáo ra Excel, nhập lại từ Excel và in PDF"),
        _("Người làm thống kê"),
        _("Làm việc trên tệp Excel của biểu rồi nạp lại, có xem trước các thay đổi."),
        [
            _("Mở báo cáo và tải tệp Excel của biểu (có số liệu hoặc trống): tệp có biểu mẫu được bảo vệ."),
            _("Nhập số liệu vào các ô nền trắng; không thêm, xóa dòng, cột hay trang tính; lưu tệp."),
            _("Trên trang «Tải lên biểu Excel», chọn tệp rồi bấm «Kiểm tra tệp»: các ô thay đổi hiện ra để xem trước."),
            _("Lỗi trong tệp nêu rõ trang tính và ô; sửa trong Excel rồi tải lên lại."),
            _("Bấm «Xác nhận lưu» để lưu mọi thay đổi trong một lần."),
            _("Tải bản PDF của báo cáo theo mẫu chính thức để in, ký."),
        ],
        [],
        _("Thống kê"),
    ),
    Topic(
        "mo-va-khoa-ky",
        _("Mở và khóa kỳ báo cáo"),
        _("Quản trị hệ thống"),
        _("Mở một kỳ báo cáo cho các biểu và các đơn vị; khóa kỳ khi đến thời hạn."),
        [
            _("Ở trang chủ, chọn «Kỳ báo cáo», mở mục «Mở kỳ báo cáo mới»."),
            _(
                "Nhập mã, tên, loại kỳ; ngày theo dạng dd/mm/yyyy (bấm biểu tượng lịch để chọn ngày); thời điểm "
                "theo dạng dd/mm/yyyy hh:mm, giờ Việt Nam."
            ),
            _("Chọn các biểu của kỳ rồi bấm «Mở kỳ»."),
            _("Đến thời hạn, kỳ tự khóa; người quản trị cũng có thể bấm «Khóa kỳ ngay» trên trang của kỳ."),
        ],
        [
            _(
                "Kỳ báo cáo phải được mở chậm nhất 15 ngày trước thời điểm kết thúc lấy số liệu (Điều 7.1). Kỳ "
                "đột xuất phải có thông báo gửi các đơn vị."
            ),
            _("Kỳ chạy thử: toàn bộ dữ liệu bị xóa khi kết thúc chạy thử."),
        ],
        _("Thống kê"),
    ),
    Topic(
        "gia-han-va-chinh-ly",
        _("Gia hạn và chỉnh lý sau kỳ báo cáo"),
        _("Đơn vị cấp tỉnh đề nghị; quản trị hệ thống quyết định"),
        _("Đề nghị gia hạn khi có lý do bất khả kháng, hoặc chỉnh lý báo cáo sau kỳ; Trung ương quyết định."),
        [
            _(
                "Đơn vị cấp tỉnh: trên trang của kỳ, mở «Đề nghị gia hạn (Điều 6.4)», ghi lý do, số ngày, văn "
                "bản đề nghị rồi gửi."
            ),
            _(
                "Quản trị hệ thống: trên trang của kỳ, ở dòng đề nghị, chọn «Đồng ý», nhập thời hạn mới dạng "
                "dd/mm/yyyy hh:mm rồi bấm «Quyết định»."
            ),
            _(
                "Chỉnh lý sau kỳ (Điều 10): đơn vị gửi đề nghị kèm văn bản; khi được đồng ý, báo cáo mở lại "
                "thành một lần chỉnh lý mới đến hạn chỉnh lý."
            ),
        ],
        [],
        _("Thống kê"),
    ),
    Topic(
        "tai-len-va-doi-soat",
        _("Tải lên và đối soát quyết định kỷ luật"),
        _("Người cập nhật cơ sở dữ liệu kỷ luật"),
        _("Tải lên các tệp quyết định; kiểm tra từng trường bóc tách được trước khi công bố."),
        [
            _(
                "Ở trang chủ, chọn «Tải lên quyết định», chọn một hoặc nhiều tệp PDF, ảnh hoặc tệp .zip, chọn "
                "độ mật rồi bấm «Tải lên và bóc tách»."
            ),
            _("Trang của lô hiện tiến độ đọc từng tệp và kết quả của mỗi tệp."),
            _(
                "Chọn «Đối soát»: quyết định kém chắc chắn nhất hiện trước. Bên trái là văn bản gốc, phần nguồn "
                "của trường đang chọn được tô sáng; bên phải là các trường."
            ),
            _(
                "Sửa trường sai, rồi chọn «Đối soát xong và công bố…», xem lại và xác nhận: quyết định được công "
                "bố và trang chuyển sang quyết định tiếp theo."
            ),
        ],
        [_("Chỉ quyết định đã đối soát mới được công bố và tra cứu được.")],
        _("Kỷ luật đảng"),
    ),
    Topic(
        "tra-cuu-quyet-dinh",
        _("Tra cứu quyết định kỷ luật"),
        _("Người được cấp quyền tra cứu"),
        _("Tìm quyết định theo họ tên, số quyết định, hình thức kỷ luật, thời gian, đơn vị."),
        [
            _("Ở trang chủ, chọn «Tra cứu quyết định»."),
            _("Gõ họ tên hoặc số quyết định, có dấu hoặc không dấu; chọn thêm bộ lọc nếu cần rồi bấm «Tìm»."),
            _("Bấm số quyết định để xem chi tiết; bấm tên người để xem mọi quyết định về người đó."),
            _("Bấm «Xuất Excel (.xlsx)» để lấy danh sách kết quả."),
        ],
        [
            _(
                "Mỗi đơn vị chỉ thấy quyết định của mình và của các đơn vị cấp dưới; mỗi lần xem quyết định mật "
                "được ghi nhật ký."
            )
        ],
        _("Kỷ luật đảng"),
    ),
    Topic(
        "tai-khoan-va-vai-tro",
        _("Tài khoản và phân quyền"),
        _("Quản trị của đơn vị"),
        _("Tạo tài khoản, cấp và thu hồi vai trò theo định mức của Quy định 11-QĐ/UBKTTW."),
        [
            _(
                "Ở trang chủ, chọn «Tài khoản và phân quyền», chọn đơn vị: trang hiện định mức đã dùng và các "
                "quyền đang hiệu lực."
            ),
            _(
                "Tạo tài khoản: nhập mã định danh, họ tên, vai trò và văn bản phê duyệt; mật khẩu tạm thời được "
                "hiện một lần để bàn giao."
            ),
            _("Thu hồi quyền: ghi văn bản phê duyệt thu hồi rồi bấm «Thu hồi»; lịch sử được giữ lại."),
        ],
        [
            _("UBKT cấp tỉnh: tối đa 10 tài khoản đang hoạt động (1 quản trị, 1 phê duyệt, 8 thống kê và tra cứu)."),
            _("UBKT cấp xã: tối đa 3 tài khoản (1 quản trị, 1 phê duyệt, 1 thống kê)."),
            _("Tài khoản thống kê và tài khoản phê duyệt của một đơn vị phải là hai người khác nhau."),
        ],
        _("Quản trị"),
    ),
    Topic(
        "dang-nhap-va-bao-mat",
        _("Đăng nhập, đổi mật khẩu và xác thực hai lớp"),
        _("Mọi người dùng"),
        _("Đăng nhập bằng VNeID hoặc mật khẩu; đổi mật khẩu; bật xác thực hai lớp."),
        [
            _("Đăng nhập bằng VNeID mức 2, hoặc bằng mã định danh và mật khẩu trên mạng nội bộ."),
            _(
                "Mật khẩu mặc định hoặc tạm thời phải được đổi ngay ở lần đăng nhập đầu và sau mỗi lần bàn giao "
                "tài khoản."
            ),
            _("Chọn «Xác thực hai lớp», quét mã QR bằng ứng dụng xác thực rồi nhập mã 6 số."),
        ],
        [
            _("Sau 5 lần nhập sai, tài khoản tạm khóa 15 phút."),
            _(
                "Mọi thay đổi và mọi lần đọc dữ liệu được bảo vệ đều được ghi vào nhật ký không sửa được. Dữ "
                "liệu được sao lưu tự động ít nhất mỗi tuần một lần."
            ),
        ],
        _("Chung"),
    ),
]

BY_SLUG = {t.slug: t for t in TOPICS}
