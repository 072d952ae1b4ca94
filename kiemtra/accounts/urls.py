from django.urls import path, register_converter

from .views import admin, auth, vneid


class RowId:
    """A database id: at most 18 digits, so a 20-digit number is a 404, not an integer overflow (issue 8.6)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RowId, "row_id")

app_name = "accounts"
URL_PREFIX = "tai-khoan/"  # discovered by kiemtra/urls.py

urlpatterns = [
    path("dang-nhap/", auth.sign_in, name="login"),
    path("dang-xuat/", auth.sign_out, name="logout"),
    path("doi-mat-khau/", auth.password_change, name="password_change"),
    path("xac-thuc-hai-lop/", auth.totp, name="totp"),
    path("chon-don-vi/", auth.switch_unit, name="switch_unit"),
    path("vneid/", vneid.start, name="vneid_login"),
    path("vneid/callback/", vneid.callback, name="vneid_callback"),
    path("quan-tri/", admin.units, name="units"),
    path("quan-tri/don-vi/<row_id:pk>/", admin.unit_detail, name="unit"),
    path("quan-tri/don-vi/<row_id:pk>/tao-tai-khoan/", admin.create_account, name="create_account"),
    path("quan-tri/don-vi/<row_id:pk>/cap-quyen/", admin.grant_existing, name="grant_existing"),
    path("quan-tri/phan-quyen/<row_id:grant_pk>/thu-hoi/", admin.revoke, name="revoke"),
    path("quan-tri/phan-quyen/<row_id:grant_pk>/giao-nguoi-dung/", admin.assign_managed_user, name="assign_managed"),
    path("quan-tri/nguoi-dung/<row_id:pk>/", admin.person_detail, name="person"),
    path("quan-tri/nguoi-dung/<row_id:pk>/dat-lai-mat-khau/", admin.reset_password, name="reset_password"),
    path("quan-tri/nguoi-dung/<row_id:pk>/ban-giao/", admin.hand_over, name="hand_over"),
]
