"""Letters tests: a keyring and a files folder of the test's own, a signed-request helper, a register."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.conftest import Tree, give, make_person
from kiemtra.letters.services import vneid

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def letters_storage(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """Each test's own master keys and files folder: what a dump of them holds is this test's alone."""
    settings.LETTERS_KEYRING_PATH = str(tmp_path / "keys" / "letters-master-keys.json")
    settings.MEDIA_ROOT = str(tmp_path / "files")
    yield tmp_path


def sign(secret: str, body: bytes, offset: int = 0) -> dict[str, str]:
    """Headers of a request signed ``offset`` seconds away from now."""
    ts = str(int(time.time()) + offset)
    return {"HTTP_X_TIMESTAMP": ts, "HTTP_X_SIGNATURE": vneid.sign(secret, ts, body)}


def submission(submission_id: str = "vn-1", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "submission_id": submission_id,
        "submitted_at": "2026-12-01T08:30:00+07:00",
        "sender": {
            "full_name": "Trần Thị Bình",
            "citizen_id": "001190012345",
            "phone": "0912345678",
            "address": "12 Hàng Bài, Hoàn Kiếm, Hà Nội",
        },
        "keep_identity_confidential": True,
        "kind": "denunciation",
        "addressed_unit_code": "T01",
        "about": {"name": "Lê Văn Cường", "position": "Chủ tịch UBND phường", "organisation": "Phường Ba Đình"},
        "title": "Tố cáo sai phạm đất đai",
        "content": "Ông Cường ký giao đất trái thẩm quyền cho doanh nghiệp người nhà.",
        "attachments": [
            {
                "filename": "bien-ban.pdf",
                "content_type": "application/pdf",
                "data_base64": base64.b64encode(PDF_BYTES).decode(),
            }
        ],
    }
    body.update(overrides)
    return body


class Platform:
    """The VNeID platform as our API sees it: a registered client that signs its requests."""

    def __init__(self, client: Any) -> None:
        self.http = client
        self.vneid_client, self.secret = vneid.add_client("CLI", "Nền tảng VNeID (thử nghiệm)")

    @property
    def client_id(self) -> str:
        return self.vneid_client.client_id

    def post(
        self, body: Any, *, raw: bytes | None = None, headers: dict[str, str] | None = None, **sign_args: Any
    ) -> Any:
        data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
        signed = {"HTTP_X_CLIENT_ID": self.client_id, **sign(self.secret, data, **sign_args), **(headers or {})}
        return self.http.post("/api/vneid/v1/submissions", data=data, content_type="application/json", **signed)

    def status(self, submission_id: str, **sign_args: Any) -> Any:
        signed = {"HTTP_X_CLIENT_ID": self.client_id, **sign(self.secret, b"", **sign_args)}
        return self.http.get(f"/api/vneid/v1/submissions/{submission_id}", **signed)


@pytest.fixture
def platform(org_tree: Tree, client: Any) -> Platform:
    return Platform(client)


class Register:
    """The people of the letter roles around two provinces (Quy định 06 Art. 2.8, 6)."""

    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        self.admin = make_person("vp.quantri", unit=tree.office)
        give(self.admin, tree.office, Role.NATIONAL_ADMIN)
        self.officer = make_person("t01.donthu", unit=tree.province)
        self.officer_grant = give(self.officer, tree.province, Role.USER)
        self.colleague = make_person("t01.donthu2", unit=tree.province)
        give(self.colleague, tree.province, Role.USER)
        self.commune_officer = make_person("x04.donthu", unit=tree.commune)
        self.commune_grant = give(self.commune_officer, tree.commune, Role.USER)
        self.other = make_person("t79.donthu", unit=tree.other_province)
        give(self.other, tree.other_province, Role.USER)
        self.custodian = make_person("t01.baomat", unit=tree.province)
        self.centre_officer = make_person("vp.donthu", unit=tree.office)
        give(self.centre_officer, tree.office, Role.USER)

    def person(self, code: str) -> User:
        return User.objects.get(identifier_code=code)


@pytest.fixture
def people(org_tree: Tree) -> Register:
    return Register(org_tree)
