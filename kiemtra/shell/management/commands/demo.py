"""``kiemtra demo``: load the national tree, the demo accounts and each module's demo data; print how to sign in."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from kiemtra.accounts.choices import Role
from kiemtra.core import registry
from kiemtra.orgs.models import OrgUnit
from kiemtra.shell.demo import DEMO_PASSWORD, OPERATOR, DemoAccount, load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn (cây đơn vị toàn quốc và tài khoản mẫu)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--with-superuser",
            action="store_true",
            help=f"Tạo thêm tài khoản siêu quản trị {OPERATOR} (vào /django-admin/); mặc định không tạo.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with_superuser = bool(options.get("with_superuser"))
        accounts = load_demo(with_superuser=with_superuser)
        for loader in registry.demo_loaders():  # each module's own demo data (letters, …)
            loader(self.stdout)
        self.print_accounts(accounts, with_superuser=with_superuser)

    def print_accounts(self, accounts: list[DemoAccount], *, with_superuser: bool) -> None:
        names = dict(OrgUnit.objects.filter(code__in={a.unit_code for a in accounts}).values_list("code", "name"))
        rows: dict[str, list[str]] = {}
        for a in accounts:  # one line per person, with every role they hold
            row = rows.setdefault(
                a.identifier_code, [a.identifier_code, "", f"{a.full_name} — {names.get(a.unit_code, a.unit_code)}"]
            )
            row[1] = f"{row[1]}, {Role(a.role).label}" if row[1] else str(Role(a.role).label)
        table = [["Mã định danh", "Vai trò", "Người, đơn vị"], *rows.values()]
        if with_superuser:
            table.append([OPERATOR, "Quản trị vận hành", "(Django admin)"])
        widths = [max(len(r[i]) for r in table) for i in range(2)]
        self.stdout.write(self.style.SUCCESS("Dữ liệu trình diễn đã sẵn sàng. Tài khoản đăng nhập:"))
        for code, roles, who in table:
            self.stdout.write(f"  {code:<{widths[0]}}  {roles:<{widths[1]}}  {who}")
        self.stdout.write(f"Mật khẩu chung của tài khoản trình diễn: {DEMO_PASSWORD}")
        self.stdout.write(
            self.style.WARNING(
                "Xác thực hai lớp, bắt buộc với tài khoản quản trị, phê duyệt, cập nhật kỷ luật và đơn thư, "
                "đã được TẮT cho các tài khoản trình diễn này (chỉ để trình diễn)."
            )
        )
