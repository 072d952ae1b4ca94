from django.urls import path

from .views import admin, auth, vneid

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
    path("quan-tri/don-vi/<int:pk>/", admin.unit_detail, name="unit"),
    path("quan-tri/don-vi/<int:pk>/tao-tai-khoan/", admin.create_account, name="create_account"),
    path("quan-tri/don-vi/<int:pk>/cap-quyen/", admin.grant_existing, name="grant_existing"),
    path("quan-tri/phan-quyen/<int:grant_pk>/thu-hoi/", admin.revoke, name="revoke"),
    path("quan-tri/phan-quyen/<int:grant_pk>/giao-nguoi-dung/", admin.assign_managed_user, name="assign_managed"),
    path("quan-tri/nguoi-dung/<int:pk>/", admin.person_detail, name="person"),
    path("quan-tri/nguoi-dung/<int:pk>/dat-lai-mat-khau/", admin.reset_password, name="reset_password"),
    path("quan-tri/nguoi-dung/<int:pk>/ban-giao/", admin.hand_over, name="hand_over"),
]
