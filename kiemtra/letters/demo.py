"""Demo letters for ``make demo``: a realistic register across channels, commissions and kinds.

The integrator calls ``seed_demo(stdout)`` after the demo accounts exist (it uses
``hn.donthu1`` when present as the desk officer and ``hn.quanly.donthu`` as the
custodian of Hà Nội's commission). Idempotent: nothing is added when demo letters
exist. Prints a VNeID client and a ``curl`` line to try the API.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from kiemtra.accounts.models import User
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

from .choices import Channel, Kind, Status
from .models import Custodian, Letter
from .services import identity, records, vneid

SIZE = 300
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thị Hoa", "Văn Hùng", "Thu Lan", "Đức Long", "Thị Mai"]
# (position, field catalog code, what happened)
SUBJECTS = [
    ("Chủ tịch UBND phường", "land", "ký giao đất công cho doanh nghiệp của người nhà không qua đấu giá"),
    ("Bí thư chi bộ", "discipline", "không tổ chức sinh hoạt chi bộ định kỳ và tự ý kết nạp người thân"),
    ("Giám đốc Sở Tài chính", "finance", "chi sai mục đích kinh phí hỗ trợ, hồ sơ thanh toán khống"),
    ("Trưởng phòng Tài nguyên", "land", "cấp giấy chứng nhận quyền sử dụng đất sai đối tượng"),
    ("Phó Chủ tịch UBND xã", "personnel", "bổ nhiệm người không đủ tiêu chuẩn, có biểu hiện chạy chức"),
    ("Cán bộ một cửa", "administration", "gây khó khăn, chậm giải quyết hồ sơ của người dân nhiều tháng"),
]


def _name(r: random.Random) -> str:
    return f"{r.choice(FAMILY)} {r.choice(GIVEN)}"


def _commissions() -> list[OrgUnit]:
    units = list(OrgUnit.objects.filter(valid_to__isnull=True, kind=UnitKind.PROVINCIAL).order_by("code")[:8])
    units += list(OrgUnit.objects.filter(valid_to__isnull=True, kind=UnitKind.COMMUNE).order_by("code")[:8])
    centre = OrgUnit.objects.filter(valid_to__isnull=True, kind=UnitKind.CENTRAL).first()
    return ([centre] if centre else []) + units


@transaction.atomic
def seed_letters(size: int = SIZE, seed: int = 6) -> int:
    if Letter.objects.exists():
        return 0
    r = random.Random(seed)  # noqa: S311 — demo data, not secrets
    units = _commissions()
    hanoi = OrgUnit.objects.filter(code__in=[u.code for u in units], kind=UnitKind.PROVINCIAL).first()
    officer = User.objects.filter(identifier_code="hn.donthu1").first()
    today = timezone.localdate()
    channels = [Channel.VNEID] * 4 + [Channel.PORTAL] * 2 + [Channel.POST] * 3 + [Channel.IN_PERSON]
    for n in range(size):
        unit = hanoi if hanoi is not None and n % 3 == 0 else r.choice(units)
        position, field, act = r.choice(SUBJECTS)
        kind = r.choice(Kind.values)
        channel = r.choice(channels)
        accused = _name(r)
        anonymous = channel in (Channel.POST,) and r.random() < 0.15
        senders = (
            []
            if anonymous
            else [
                records.Sender(
                    full_name=_name(r),
                    citizen_id=f"0{r.randrange(10**10, 10**11)}",
                    address="Hà Nội",
                    phone=f"09{r.randrange(10**7, 10**8)}",
                    party_member=r.random() < 0.3,
                )
                for _ in range(2 if r.random() < 0.1 else 1)
            ]
        )
        new = records.NewLetter(
            channel=channel,
            kind=kind,
            holding_unit=unit,
            addressed_unit=unit,
            received_on=today - dt.timedelta(days=r.randrange(0, 120)),
            title=f"{Kind(kind).label} về việc {act[:60]}",
            summary=f"Phản ánh {position.lower()} {accused} {act}.",
            content=f"Kính gửi Ủy ban Kiểm tra. Tôi xin {Kind(kind).label.lower()} việc ông/bà {accused}, "
            f"{position}, {act}. Đề nghị Ủy ban xem xét, làm rõ và xử lý theo quy định.",
            senders=senders,
            anonymous=anonymous,
            false_name=anonymous is False and r.random() < 0.03,
            keep_identity_confidential=kind == Kind.DENUNCIATION or r.random() < 0.2,
            about=records.About(name=accused, position=position, organisation=unit.name),
            field_code=field,
            citizen_id=senders[0].citizen_id if senders and channel in (Channel.VNEID, Channel.PORTAL) else "",
            submitted_at=timezone.now() if channel in (Channel.VNEID, Channel.PORTAL) else None,
        )
        paper = channel in (Channel.POST, Channel.IN_PERSON)
        records.create(
            officer if paper and officer else "demo",
            new,
            status=Status.REGISTERED if paper or r.random() < 0.5 else Status.RECEIVED,
        )
    return size


def seed_demo(stdout: TextIO) -> None:
    """Fill the register, name Hà Nội's custodian, register a VNeID client and print how to call the API."""
    created = seed_letters()
    stdout.write(f"Đơn thư demo: {created} đơn mới ({Letter.objects.count()} trong sổ).\n")
    admin = User.objects.filter(identifier_code="vp.quantri.donthu").first()
    custodian = User.objects.filter(identifier_code="hn.quanly.donthu").first()
    hanoi = custodian.home_unit if custodian is not None else None
    if admin and custodian and hanoi and not Custodian.objects.filter(unit=hanoi, active=True).exists():
        identity.designate_custodian(admin, hanoi, custodian, "Quyết định demo số 06/2025")
    from .demo_handling import advance

    advance(stdout)
    client, secret = vneid.add_client("demo", "VNeID (demo)")
    body: dict[str, Any] = {
        "submission_id": "demo-1",
        "submitted_at": "2026-12-07T08:00:00+07:00",
        "sender": {
            "full_name": "Nguyễn Văn Dân",
            "citizen_id": "001099000001",
            "phone": "0912000000",
            "address": "Hà Nội",
        },
        "keep_identity_confidential": False,
        "kind": "feedback",
        "addressed_unit_code": None,
        "title": "Phản ánh thử",
        "content": "Nội dung phản ánh thử qua API.",
        "attachments": [],
    }
    stdout.write(json.dumps({"client_id": client.client_id, "secret": secret}, ensure_ascii=False) + "\n")
    stdout.write(
        "Thử API:\n"
        f"  BODY='{json.dumps(body, ensure_ascii=False)}'; TS=$(date +%s)\n"
        f"  SIG=$(printf '%s.%s' \"$TS\" \"$BODY\" | openssl dgst -sha256 -hmac '{secret}' -r | cut -d' ' -f1)\n"
        "  curl -s -X POST http://127.0.0.1:8000/api/vneid/v1/submissions -H 'Content-Type: application/json' "
        f'-H \'X-Client-Id: {client.client_id}\' -H "X-Timestamp: $TS" -H "X-Signature: $SIG" --data "$BODY"\n'
    )
