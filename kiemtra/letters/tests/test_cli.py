"""``kiemtra letters``: VNeID clients, counts (exact JSON), audited."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kiemtra.audit.models import AuditEvent
from kiemtra.letters.choices import Channel
from kiemtra.letters.models import VneidClient
from kiemtra.letters.services import records, vneid

from .conftest import Platform, submission

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("letters", *args, stdout=out)
    return out.getvalue()


def test_vneid_client_add_prints_one_json_line_and_revoke_ends_it(client: object, org_tree: object) -> None:
    output = run("vneid-client", "add", "Nền tảng VNeID")
    assert output.count("\n") == 1
    created = json.loads(output)
    assert set(created) == {"client_id", "secret"}
    stored = VneidClient.objects.get(client_id=created["client_id"])
    assert created["secret"] not in stored.secret_encrypted
    # The printed secret signs requests exactly as the contract says.
    platform = Platform(client)
    platform.vneid_client, platform.secret = stored, created["secret"]
    assert platform.post(submission("cli-1")).status_code == 201
    run("vneid-client", "revoke", created["client_id"])
    assert platform.post(submission("cli-2")).status_code == 401
    actions = list(
        AuditEvent.objects.filter(object_type="letters.vneidclient", object_id=str(stored.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["letters.vneid_client.added", "letters.vneid_client.revoked"]
    with pytest.raises(CommandError):
        run("vneid-client", "revoke", "vneid-khongco")


def test_count_json_counts_every_channel(platform: Platform, org_tree: object) -> None:
    assert json.loads(run("count", "--json")) == {
        "letters": 0,
        "by_channel": {"vneid": 0, "portal": 0, "post": 0, "in_person": 0},
    }
    platform.post(submission("c1"))
    platform.post(submission("c1"))  # a retry is not a second letter
    platform.post(submission("c2"))
    records.create(
        None,
        records.NewLetter(
            channel=Channel.IN_PERSON,
            kind="complaint",
            holding_unit=org_tree.province,  # type: ignore[attr-defined]
            received_on=timezone.localdate(),
            title="t",
            content="c",
            anonymous=True,
        ),
    )
    assert json.loads(run("count", "--json")) == {
        "letters": 3,
        "by_channel": {"vneid": 2, "portal": 0, "post": 0, "in_person": 1},
    }


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    import hashlib
    import hmac

    assert (
        vneid.sign("khoa", "1700000000", b'{"a":1}')
        == hmac.new(b"khoa", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    )
