from django.urls import path

from . import views, views_board, views_import

app_name = "cases"
URL_PREFIX = "kiem-tra/"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("tien-do/", views_board.board, name="board"),
    path("qua-han/", views_board.overdue_list, name="overdue"),
    path("ho-so/<int:pk>/", views.case_detail, name="case"),
    path("ho-so/<int:pk>/buoc/<int:step_pk>/xong/", views.finish_step, name="finish_step"),
    path("nap-ho-so/", views_import.upload, name="import"),
    path("nap-ho-so/<int:pk>/", views_import.batch_page, name="import_batch"),
]
