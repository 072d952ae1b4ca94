"""Services announce; the in-app centre (and e-mail, when enabled) delivers after the commit, to the recipient only."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from kiemtra.conftest import make_person, signed_in
from kiemtra.core import events
from kiemtra.notifications import channels
from kiemtra.notifications.models import Notification


def _unread_badge(client) -> str | None:
    page = client.get("/thong-bao/").content.decode()
    marker = 'data-testid="unread-count">'
    if marker not in page:
        return None
    return page.split(marker, 1)[1].split("<", 1)[0].strip()


@pytest.mark.django_db(transaction=True)
def test_an_announcement_is_delivered_only_when_its_transaction_commits() -> None:
    """Issue 9.6: services announce with transaction.on_commit — a rolled-back change tells no one."""
    person = make_person()
    with transaction.atomic():
        events.announce("stats.report.returned", [person], "Báo cáo bị trả lại", url="/thong-ke/")
        assert not Notification.objects.exists()  # not before the commit
    assert list(Notification.objects.values_list("recipient_id", "kind")) == [(person.pk, "stats.report.returned")]

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        events.announce("stats.report.returned", [person], "Không bao giờ gửi")
        raise Refused
    assert Notification.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failing_channel_does_not_cost_the_in_app_notice() -> None:
    def broken(item: events.Announcement) -> None:
        raise ConnectionRefusedError("máy chủ thư không chạy")

    person = make_person()
    events.register_channel("test-broken", broken)
    try:
        with transaction.atomic():
            events.announce("stats.period.opened", [person], "Kỳ báo cáo mới")
    finally:
        events._channels.pop("test-broken", None)
    assert Notification.objects.filter(recipient=person).count() == 1


@pytest.mark.django_db
def test_the_bell_counts_my_unread_notifications_and_marking_read_lowers_it(
    django_capture_on_commit_callbacks,
) -> None:
    me, other = make_person(), make_person()
    with django_capture_on_commit_callbacks(execute=True):
        events.announce("stats.report.waiting", [me, other], "Báo cáo chờ phê duyệt", url="/thong-ke/")
        events.announce("discipline.batch.read", [me], "Đã đọc xong lô 3", url="/ky-luat/lo/3/")
    client = signed_in(me)
    home = client.get("/").content.decode()
    assert 'data-testid="notification-bell"' in home
    assert _unread_badge(client) == "2"
    newest = Notification.objects.filter(recipient=me).first()
    assert newest is not None and newest.title == "Đã đọc xong lô 3"  # newest first
    page = client.get("/thong-bao/").content.decode()
    assert page.index("Đã đọc xong lô 3") < page.index("Báo cáo chờ phê duyệt")

    response = client.post(f"/thong-bao/{newest.pk}/da-doc/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/ky-luat/lo/3/"
    assert _unread_badge(client) == "1"
    client.post("/thong-bao/da-doc-het/")
    assert _unread_badge(client) is None
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1  # theirs untouched


@pytest.mark.django_db
def test_another_user_can_neither_see_nor_mark_my_notifications(django_capture_on_commit_callbacks) -> None:
    me, intruder = make_person(), make_person()
    with django_capture_on_commit_callbacks(execute=True):
        events.announce("stats.report.returned", [me], "Báo cáo của tôi bị trả lại")
    mine = Notification.objects.get(recipient=me)
    client = signed_in(intruder)
    assert "Báo cáo của tôi bị trả lại" not in client.get("/thong-bao/").content.decode()
    assert client.post(f"/thong-bao/{mine.pk}/da-doc/").status_code == 404
    client.post("/thong-bao/da-doc-het/")
    mine.refresh_from_db()
    assert mine.read_at is None


@pytest.mark.django_db
def test_marking_read_needs_a_post_with_the_csrf_token(django_capture_on_commit_callbacks) -> None:
    from django.test import Client

    me = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        events.announce("stats.report.returned", [me], "Trả lại")
    mine = Notification.objects.get(recipient=me)
    client = Client(enforce_csrf_checks=True)
    client.force_login(me)
    assert client.get(f"/thong-bao/{mine.pk}/da-doc/").status_code == 405
    assert client.post(f"/thong-bao/{mine.pk}/da-doc/").status_code == 403
    mine.refresh_from_db()
    assert mine.read_at is None


@pytest.mark.django_db
def test_the_email_channel_writes_to_recipients_who_have_an_address() -> None:
    with_address, without = make_person(), make_person()
    with_address.email = "thongke@ubkt.vn"
    with_address.save(update_fields=["email"])
    channels.email(
        events.Announcement(
            kind="stats.period.opened",
            recipient_ids=(with_address.pk, without.pk),
            title="Mở kỳ báo cáo 6 tháng",
            url="/thong-ke/ky/1/",
        )
    )
    assert [m.to for m in mail.outbox] == [["thongke@ubkt.vn"]]
    assert mail.outbox[0].subject == "Mở kỳ báo cáo 6 tháng" and "/thong-ke/ky/1/" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_signed_out_visitor_is_sent_to_sign_in() -> None:
    from django.test import Client

    response = Client().get("/thong-bao/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
