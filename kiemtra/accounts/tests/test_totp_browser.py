"""Two-factor enrolment in a real browser: the QR code renders, and it reads back as the device's key.

Issue 10.8: "Two-factor enrolment's QR code never renders (the SVG lacks its namespace): everyone must
type a 32-character key." The browser draws the image, the test screenshots it and decodes it with
zxing-cpp, then enrols with a code computed from the key it read — as a phone would. With the
mandatory second factor of issue 8.10 on, an admin signing in is sent to this page first.
"""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlparse

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import TEST_PASSWORD, PageWatch, Tree, browser_sign_in, give, make_person

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)  # live_server: the server thread must see committed data
def test_enrolment_qr_code_renders_and_decodes_to_the_device_key(live_server, browser, settings) -> None:
    import zxingcpp
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from PIL import Image
    from playwright.sync_api import expect

    import kiemtra.settings as production

    settings.TWO_FACTOR_REQUIRED_ROLES = production.TWO_FACTOR_REQUIRED_ROLES
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    tree = Tree()
    admin = make_person("hn.quantri", unit=tree.province)
    give(admin, tree.province, Role.ADMIN)
    base = live_server.url

    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = PageWatch(page, base)
    browser_sign_in(page, base, "hn.quantri", TEST_PASSWORD)
    # The second factor is mandatory for an admin: the enrolment page comes first.
    page.wait_for_url(f"{base}/tai-khoan/xac-thuc-hai-lop/")
    expect(page.get_by_text("bắt buộc đăng nhập hai lớp")).to_be_visible()

    qr = page.get_by_test_id("totp-qr")
    expect(qr).to_be_visible()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", qr.element_handle())
    image = Image.open(io.BytesIO(qr.screenshot())).convert("L")
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode, found
    url = urlparse(found[0].text)
    assert url.scheme == "otpauth" and url.netloc == "totp"

    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    secret = parse_qs(url.query)["secret"][0]
    assert secret == page.get_by_test_id("totp-secret").inner_text()
    assert device.config_url == found[0].text

    # Enrol with the code an authenticator app would show for the key read from the image.
    import base64

    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    code = TOTP(key, device.step, device.t0, device.digits, device.drift).token()
    page.get_by_label("Mã 6 số trên ứng dụng xác thực").fill(f"{code:06d}")
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(f"{base}/")
    device.refresh_from_db()
    assert device.confirmed
    assert not watch.problems, watch.problems
    context.close()
