"""``kiemtra demo``: load the national tree and the demo accounts, print how to sign in."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from kiemtra.accounts.choices import Role
from kiemtra.core.demo import DEMO_PASSWORD, OPERATOR, DemoAccount, load_demo


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
        self.print_accounts(accounts, with_superuser=with_superuser)

    def print_accounts(self, accounts: list[DemoAccount], *, with_superuser: bool) -> None:
        self.stdout.write(self.style.SUCCESS("Dữ liệu trình diễn đã sẵn sàng. Tài khoản đăng nhập:"))
        self.stdout.write(f"  {'Mã định danh':<22} {'Vai trò':<22} Đơn vị")
        for a in accounts:
            self.stdout.write(f"  {a.identifier_code:<22} {Role(a.role).label!s:<22} {a.unit_code}")
        if with_superuser:
            self.stdout.write(f"  {OPERATOR:<22} {'Quản trị vận hành':<22} (Django admin)")
        self.stdout.write(f"Mật khẩu chung của tài khoản trình diễn: {DEMO_PASSWORD}")
        self.stdout.write(
            self.style.WARNING(
                "Xác thực hai lớp, bắt buộc với tài khoản quản trị, phê duyệt, cập nhật kỷ luật và đơn thư, "
                "đã được TẮT cho các tài khoản trình diễn này (chỉ để trình diễn)."
            )
        )
