from django.urls import path

from . import (
    views,
    views_actions,
    views_board,
    views_file,
    views_import,
    views_programmes,
    views_proposals,
    views_requests,
    views_stats,
)

app_name = "cases"
URL_PREFIX = "kiem-tra/"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("tien-do/", views_board.board, name="board"),
    path("chuong-trinh/", views_programmes.programme_list, name="programmes"),
    path("chuong-trinh/moi/", views_programmes.programme_new, name="programme_new"),
    path("chuong-trinh/<int:pk>/", views_programmes.programme_detail, name="programme"),
    path("chuong-trinh/<int:pk>/sua-doi/", views_programmes.programme_amend, name="programme_amend"),
    path("chuong-trinh/<int:pk>/phe-duyet/", views_programmes.approve, name="programme_approve"),
    path("de-nghi/", views_proposals.proposal_list, name="proposals"),
    path("de-nghi/<int:pk>/mo-ho-so/", views_proposals.proposal_open, name="proposal_open"),
    path("tai-lieu/tim/", views_file.search, name="search"),
    path("ho-so/<int:pk>/tai-lieu/", views_file.upload_document, name="upload_document"),
    path("ho-so/<int:pk>/nguoi-xem/", views_file.add_reader, name="add_reader"),
    path("ho-so/<int:pk>/yeu-cau-xem/", views_file.request_content, name="request_content"),
    path("ho-so/<int:pk>/ky-luat/", views_file.record_discipline, name="record_discipline"),
    path("ho-so/<int:pk>/kiem-tra-lai/", views_file.follow_up, name="follow_up"),
    path("ho-so/<int:pk>/luu-tru/", views_file.close, name="close"),
    path("ho-so/<int:pk>/ban-luu-tru/", views_file.archive_copy, name="archive"),
    path("qua-han/", views_board.overdue_list, name="overdue"),
    path("ho-so/<int:pk>/", views.case_detail, name="case"),
    path("mo-ho-so/", views_actions.open_page, name="open"),
    path("ho-so/<int:pk>/doan/", views_actions.set_team, name="set_team"),
    path("ho-so/<int:pk>/ket-luan/", views_actions.conclude, name="conclude"),
    path("yeu-cau/", views_requests.request_list, name="requests"),
    path("yeu-cau/<int:pk>/bao-cao/", views_actions.report_request, name="report_request"),
    path("yeu-cau/<int:pk>/xac-minh/", views_actions.verify_request, name="verify_request"),
    path("ho-so/<int:pk>/buoc/<int:step_pk>/xong/", views.finish_step, name="finish_step"),
    path("tai-lieu/<int:pk>/", views.document, name="document"),
    path("nap-ho-so/", views_import.upload, name="import"),
    path("doi-chieu-thong-ke/", views_stats.stats_link, name="stats_link"),
    path("doi-chieu-thong-ke/<int:report_pk>/dien-san/", views_stats.stats_prefill, name="stats_prefill"),
    path("nap-ho-so/<int:pk>/", views_import.batch_page, name="import_batch"),
]
