"""``kiemtra letters <action>``: the letters module for operators.

- ``vneid-client add NAME``: registers a VNeID client; prints one JSON line
  ``{"client_id", "secret"}`` (the secret is shown only here). ``vneid-client
  revoke CLIENT_ID``. Both audited.
- ``count --json``: ``{"letters": N, "by_channel": {...}}`` over the whole system.
- ``rotate-key [--resume] [--limit N]``: a new master key, and every letter's
  data keys re-wrapped under it (content untouched); resumable, with progress.
- ``custodian UNIT_CODE IDENTIFIER --document REF --as ADMIN``: designate the
  person who decides on identity reveals for a commission.
"""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils.translation import gettext as _

from kiemtra.accounts.models import User
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs.models import OrgUnit

from ...choices import Channel
from ...models import Letter
from ...services import identity, rotation, vneid
from ._handling import add_handling_arguments, handling_actions


class Command(BaseCommand):
    help = "Quản lý đơn thư: ứng dụng VNeID, đếm đơn, xoay khóa chủ."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        client = sub.add_parser("vneid-client", help="Đăng ký hoặc thu hồi ứng dụng gửi đơn qua VNeID")
        client_sub = client.add_subparsers(dest="client_action", required=True)
        add = client_sub.add_parser("add", help="Đăng ký ứng dụng mới; in client_id và khóa bí mật")
        add.add_argument("name", metavar="NAME")
        revoke = client_sub.add_parser("revoke", help="Thu hồi ứng dụng")
        revoke.add_argument("client_id", metavar="CLIENT_ID")
        count = sub.add_parser("count", help="Đếm đơn thư theo kênh tiếp nhận")
        count.add_argument("--json", action="store_true")
        rotate = sub.add_parser("rotate-key", help="Tạo khóa chủ mới và bọc lại khóa dữ liệu của mọi đơn thư")
        rotate.add_argument("--resume", action="store_true", help="Tiếp tục lần xoay khóa trước, không tạo khóa mới")
        rotate.add_argument("--limit", type=int, default=None, help="Dừng sau N đơn (chạy tiếp bằng --resume)")
        custodian = sub.add_parser("custodian", help="Phân công người quản lý danh tính người tố cáo của một cơ quan")
        custodian.add_argument("unit", metavar="UNIT_CODE")
        custodian.add_argument("person", metavar="IDENTIFIER")
        custodian.add_argument("--document", required=True)
        custodian.add_argument("--as", dest="actor", required=True, help="Mã định danh của tài khoản quản trị")
        holidays = sub.add_parser("holidays", help="Lịch ngày nghỉ lễ, Tết và ngày làm bù")
        holidays_sub = holidays.add_subparsers(dest="holidays_action", required=True)
        load = holidays_sub.add_parser("load", help="Nạp tệp CSV date,name,kind (off | working)")
        load.add_argument("file", metavar="FILE")
        listing = holidays_sub.add_parser("list", help="Liệt kê các ngày trong lịch của một năm")
        listing.add_argument("--year", type=int, required=True)
        due = sub.add_parser(
            "due-date", help="Tính hạn: ngày làm việc thứ 1 là ngày làm việc đầu tiên sau ngày bắt đầu"
        )
        due.add_argument("--start", required=True, help="YYYY-MM-DD")
        limit = due.add_mutually_exclusive_group(required=True)
        limit.add_argument("--working-days", type=int, dest="working_days")
        limit.add_argument("--days", type=int, dest="days")
        add_handling_arguments(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        actions: dict[str, Callable[[dict[str, Any]], None]] = {
            "vneid-client": self.client,
            "count": self.count,
            "rotate-key": self.rotate,
            "custodian": self.custodian,
            "holidays": self.holidays,
            "due-date": self.due_date,
            **handling_actions(self),
        }
        try:
            actions[options["action"]](options)
        except DomainError as refused:
            raise CommandError(refused.message) from refused
        except PolicyDenied as denied:
            raise CommandError(_("Không có quyền: %(action)s") % {"action": denied.action}) from denied

    def _json(self, value: Any) -> None:
        self.stdout.write(json.dumps(value, ensure_ascii=False))

    def client(self, options: dict[str, Any]) -> None:
        if options["client_action"] == "add":
            client, secret = vneid.add_client("CLI", options["name"])
            self._json({"client_id": client.client_id, "secret": secret})
        else:
            client = vneid.revoke_client("CLI", options["client_id"])
            self._json({"client_id": client.client_id, "revoked": True})

    def count(self, options: dict[str, Any]) -> None:
        by_channel = {c: 0 for c in Channel.values}
        for row in Letter.objects.values("channel").annotate(n=Count("id")):
            by_channel[row["channel"]] = row["n"]
        total = sum(by_channel.values())
        if options["json"]:
            self._json({"letters": total, "by_channel": by_channel})
        else:
            self.stdout.write(_("%(n)d đơn thư") % {"n": total})
            for channel, n in by_channel.items():
                self.stdout.write(f"  {Channel(channel).label}: {n}")

    def rotate(self, options: dict[str, Any]) -> None:
        def progress(done: int, total: int) -> None:
            self.stderr.write(_("Đã bọc lại %(done)d/%(total)d đơn thư") % {"done": done, "total": total})

        result = rotation.rewrap(new_key=not options["resume"], limit=options["limit"], progress=progress)
        self._json(result)

    def custodian(self, options: dict[str, Any]) -> None:
        actor = User.objects.filter(identifier_code=options["actor"]).first()
        person = User.objects.filter(identifier_code=options["person"]).first()
        unit = OrgUnit.objects.filter(code=options["unit"], valid_to__isnull=True).first()
        if actor is None or person is None or unit is None:
            raise CommandError(_("Không tìm thấy tài khoản hoặc đơn vị."))
        custodian = identity.designate_custodian(actor, unit, person, options["document"])
        self._json({"unit": custodian.unit.code, "person": person.identifier_code})

    def holidays(self, options: dict[str, Any]) -> None:
        from kiemtra.workdays import services as workdays
        from kiemtra.workdays.models import CalendarDay

        if options["holidays_action"] == "load":
            path = Path(options["file"])
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as failed:
                raise CommandError(_("Không đọc được tệp %(f)s.") % {"f": path}) from failed
            result = workdays.load_csv("CLI", text, source=path.name)
            self._json({"created": result.created, "updated": result.updated})
            return
        for day in CalendarDay.objects.filter(date__year=options["year"]).order_by("date"):
            self.stdout.write(f"{day.date.isoformat()},{day.name},{day.kind}")

    def due_date(self, options: dict[str, Any]) -> None:
        from kiemtra.workdays import calendar

        try:
            start = dt.date.fromisoformat(options["start"])
        except ValueError as bad:
            raise CommandError(_("--start phải là ngày dạng YYYY-MM-DD.")) from bad
        count = options["working_days"] if options["working_days"] is not None else options["days"]
        if count < 0:
            raise CommandError(_("Số ngày không được âm."))
        cal = calendar.current()
        if options["working_days"] is not None:
            self.stdout.write(cal.add_working_days(start, count).isoformat())
        else:
            self.stdout.write(cal.add_calendar_days(start, count).isoformat())
