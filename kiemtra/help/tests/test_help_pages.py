"""The help area: a page per task with its written steps always, and its media when they were produced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from kiemtra.conftest import make_person, signed_in
from kiemtra.help.topics import TOPICS

pytestmark = pytest.mark.django_db

TASKS = {
    "nhap-va-gui-bao-cao",
    "phe-duyet",
    "tiep-nhan-va-tra-lai",
    "excel",
    "mo-va-khoa-ky",
    "gia-han-va-chinh-ly",
    "tai-len-va-doi-soat",
    "tra-cuu-quyet-dinh",
    "tai-khoan-va-vai-tro",
}


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.HELP_MEDIA_DIR = tmp_path / "help-media"
    return settings.HELP_MEDIA_DIR


def test_every_task_of_the_issue_has_a_page_and_a_walk_that_films_it() -> None:
    """Issue 10, item 13: a help page per task, its media produced by a browser test of the same slug."""
    slugs = {t.slug for t in TOPICS}
    assert slugs >= TASKS
    walks = "".join(p.read_text() for p in Path(__file__).parent.glob("test_walks_*.py"))
    assert all(f'walk("{slug}")' in walks for slug in slugs)


def test_the_help_home_is_where_the_shell_link_leads_and_lists_every_topic(media: Path) -> None:
    client = signed_in(make_person())
    page = client.get("/huong-dan/").content.decode()
    for topic in TOPICS:
        assert f'href="/huong-dan/{topic.slug}/"' in page
    assert client.get("/huong-dan/").resolver_match.view_name == "help:index"


def test_a_topic_shows_its_steps_and_says_when_its_media_are_missing(media: Path) -> None:
    client = signed_in(make_person())
    page = client.get("/huong-dan/phe-duyet/").content.decode()
    assert "Bấm «Phê duyệt» và xác nhận" in page
    assert 'data-testid="help-no-media"' in page and "<video" not in page


def test_a_topic_shows_the_screenshots_and_the_video_the_walk_produced(media: Path) -> None:
    folder = media / "phe-duyet"
    folder.mkdir(parents=True)
    (folder / "01.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "walk.webm").write_bytes(b"\x1aE\xdf\xa3")
    index = {"screenshots": [{"file": "01.png", "caption": "Báo cáo chờ phê duyệt"}], "video": "walk.webm"}
    (folder / "index.json").write_text(json.dumps(index))
    client = signed_in(make_person())
    page = client.get("/huong-dan/phe-duyet/").content.decode()
    assert 'src="/huong-dan/phe-duyet/tep/walk.webm"' in page and 'alt="Báo cáo chờ phê duyệt"' in page
    response = client.get("/huong-dan/phe-duyet/tep/01.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.getvalue().startswith(b"\x89PNG")
    assert client.get("/huong-dan/phe-duyet/tep/walk.webm")["Content-Type"] == "video/webm"


def test_nothing_outside_a_topics_media_folder_is_served(media: Path) -> None:
    (media / "phe-duyet").mkdir(parents=True)
    (media / "phe-duyet" / "index.json").write_text("{}")
    (media / "secret.png").write_bytes(b"x")
    client = signed_in(make_person())
    for url in [
        "/huong-dan/phe-duyet/tep/index.json",
        "/huong-dan/phe-duyet/tep/..%2Fsecret.png",
        "/huong-dan/khong-co/tep/01.png",
        "/huong-dan/khong-co/",
    ]:
        assert client.get(url).status_code == 404, url


def test_help_is_for_signed_in_users() -> None:
    response = Client().get("/huong-dan/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
