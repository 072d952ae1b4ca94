"""The reception desk in a real browser: a paper denunciation with two senders and a scan read by OCR."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

from kiemtra.conftest import TEST_PASSWORD, PageWatch, browser_sign_in
from kiemtra.letters.choices import Channel, Status
from kiemtra.letters.models import Letter
from kiemtra.letters.services import records

from .conftest import Register

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINES = [
    "Kính gửi: Ủy ban Kiểm tra Thành ủy Hà Nội",
    "Chúng tôi tố cáo ông Lương Văn Tám, Chủ tịch",
    "phường, đã nhận tiền của người dân để cấp phép",
    "xây dựng sai quy định.",
]


def scanned_letter(path: Path) -> Path:
    """A page as a scanner gives it: black text on white, 200 dpi, no text layer."""
    if not Path(FONT).exists():
        pytest.skip("needs the DejaVu fonts (fonts-dejavu-core)")
    image = Image.new("L", (1700, 900), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 44)
    for i, line in enumerate(LINES):
        draw.text((80, 80 + i * 90), line, fill=0, font=font)
    image.save(path, dpi=(200, 200))
    return path


@pytest.mark.django_db(transaction=True)
def test_staff_register_a_paper_letter_with_several_senders_and_a_scan_read_by_ocr(
    live_server: Any, browser: Any, people: Register, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    scan = scanned_letter(tmp_path / "don-to-cao.png")
    base = live_server.url
    page = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(30_000)
    watch = PageWatch(page, base, {"/don-thu/vao-so/": {400}})  # the refused first try
    browser_sign_in(page, base, people.officer.identifier_code, TEST_PASSWORD)
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/don-thu/vao-so/")
    page.get_by_label("Kênh tiếp nhận", exact=True).select_option(Channel.POST)
    page.get_by_label("Loại đơn", exact=True).select_option("denunciation")
    page.get_by_label("Người gửi 1 — họ tên").fill("Nguyễn Thị Lụa")
    page.get_by_label("Người gửi 1 — số định danh cá nhân").fill("001186002233")
    page.get_by_label("Người gửi 2 — họ tên").fill("Trần Văn Mộc")
    page.get_by_label("Người gửi 2 — số định danh cá nhân").fill("abc")  # wrong: refused first
    page.get_by_label("Người hoặc tổ chức bị phản ánh, tố cáo").fill("Lương Văn Tám")
    page.get_by_label("Chức vụ", exact=True).fill("Chủ tịch UBND phường")
    page.get_by_label("Tiêu đề", exact=True).fill("Tố cáo <b>cán bộ</b> phường")
    page.get_by_label("Bản quét đơn (PDF, JPEG, PNG)").set_input_files(str(scan))
    page.get_by_role("button", name="Vào sổ", exact=True).click()
    expect(page.get_by_text("Số định danh cá nhân phải gồm 12 chữ số.")).to_be_visible()
    assert not Letter.objects.exists()
    page.get_by_label("Người gửi 2 — số định danh cá nhân").fill("")
    page.get_by_label("Bản quét đơn (PDF, JPEG, PNG)").set_input_files(str(scan))  # a refused form drops files
    page.get_by_role("button", name="Vào sổ", exact=True).click()
    page.wait_for_url(f"{base}/don-thu/*/")
    expect(page.get_by_role("alert")).to_contain_text("Đã vào sổ đơn thư")
    letter = Letter.objects.get()
    assert letter.channel == Channel.POST and letter.status == Status.REGISTERED and letter.sender_count == 2
    assert letter.received_by == people.officer
    # The officer is not the letter's handler: the denouncers are protected, the scan's text is shown.
    expect(page.get_by_test_id("senders")).to_contain_text("người tố cáo được bảo vệ")
    page.get_by_text("Chữ đọc được (OCR)").click()
    ocr_text = page.get_by_test_id("ocr-text").inner_text()
    assert "tố cáo" in ocr_text.lower() and "Tám" in ocr_text
    expect(page.locator("h2", has_text="Tố cáo <b>cán bộ</b> phường")).to_be_visible()  # shown as text, escaped
    content = records.content_of(letter)
    assert "Lương Văn Tám" in content["content"]  # the content came from the scan
    assert [s["full_name"] for s in records.senders_of(letter)] == ["Nguyễn Thị Lụa", "Trần Văn Mộc"]
    assert not watch.problems, watch.problems
