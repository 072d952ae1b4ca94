from django.urls import path

from .views import handling, portal, register

app_name = "letters"
URL_PREFIX = "don-thu/"

urlpatterns = [
    path("", register.register, name="register"),
    path("xuat.csv", register.export, name="export"),
    path("vao-so/", register.paper, name="paper"),
    path("danh-tinh/", register.reveals, name="reveals"),
    path("danh-tinh/<int:pk>/quyet-dinh/", register.decide, name="decide"),
    path("cong-dan/", portal.home, name="portal"),
    path("cong-dan/vneid/", portal.start, name="portal_start"),
    path("cong-dan/vneid/callback/", portal.callback, name="portal_callback"),
    path("cong-dan/gui/", portal.send, name="portal_send"),
    path("cong-dan/cua-toi/", portal.mine, name="portal_mine"),
    path("cong-dan/thoat/", portal.sign_out, name="portal_sign_out"),
    path("han/", handling.due, name="due"),
    path("theo-doi/", handling.follow_lower, name="follow"),
    path("<uuid:uid>/", register.detail, name="detail"),
    path("<uuid:uid>/xu-ly/<slug:action>/", handling.act, name="act"),
    path("<uuid:uid>/tra-loi.pdf", handling.reply_pdf, name="reply_pdf"),
    path("<uuid:uid>/vao-so/", register.confirm, name="confirm"),
    path("<uuid:uid>/sua/", register.amend, name="amend"),
    path("<uuid:uid>/giao/", register.assign, name="assign"),
    path("<uuid:uid>/de-nghi-danh-tinh/", register.ask_reveal, name="ask_reveal"),
    path("<uuid:uid>/tep/<int:number>/", register.attachment_file, name="attachment"),
]
