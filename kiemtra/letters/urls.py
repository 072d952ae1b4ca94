from django.urls import path

from .views import forms_link, handling, portal, proposals, register, requests

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
    path("theo-doi/yeu-cau/", requests.request_list, name="requests"),
    path("theo-doi/yeu-cau/moi/", requests.request_new, name="request_new"),
    path("theo-doi/yeu-cau/<int:pk>/", requests.request_detail, name="request"),
    path("theo-doi/yeu-cau/<int:pk>/cung-cap/", requests.request_provide, name="request_provide"),
    path("de-nghi/", proposals.proposal_list, name="proposals"),
    path("de-nghi/moi/", proposals.proposal_new, name="proposal_new"),
    path("de-nghi/<int:pk>/", proposals.proposal_detail, name="proposal"),
    path("de-nghi/<int:pk>/quyet-dinh/", proposals.proposal_decide, name="proposal_decide"),
    path("bieu-thong-ke/", forms_link.forms_link, name="forms"),
    path("bieu-thong-ke/dien-san/", forms_link.forms_prefill, name="forms_prefill"),
    path("don-vi/", handling.unit_options, name="units"),
    path("<uuid:uid>/", register.detail, name="detail"),
    path("<uuid:uid>/xu-ly/<slug:action>/", handling.act, name="act"),
    path("<uuid:uid>/tra-loi.pdf", handling.reply_pdf, name="reply_pdf"),
    path("<uuid:uid>/vao-so/", register.confirm, name="confirm"),
    path("<uuid:uid>/sua/", register.amend, name="amend"),
    path("<uuid:uid>/de-nghi-danh-tinh/", register.ask_reveal, name="ask_reveal"),
    path("<uuid:uid>/tep/<int:number>/", register.attachment_file, name="attachment"),
]
