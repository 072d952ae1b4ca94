"""``kiemtra demo``: load the national tree and the demo accounts, print how to sign in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kiemtra.accounts.choices import Role
from kiemtra.shell.demo import DEMO_PASSWORD, OPERATOR, load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn (cây đơn vị toàn quốc và tài khoản mẫu)."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = load_demo()
        self.stdout.write(self.style.SUCCESS("Dữ liệu trình diễn đã sẵn sàng. Tài khoản đăng nhập:"))
        self.stdout.write(f"  {'Mã định danh':<22} {'Vai trò':<22} Đơn vị")
        for a in accounts:
            self.stdout.write(f"  {a.identifier_code:<22} {Role(a.role).label!s:<22} {a.unit_code}")
        self.stdout.write(f"  {OPERATOR:<22} {'Quản trị vận hành':<22} (Django admin)")
        self.stdout.write(f"Mật khẩu chung của tài khoản trình diễn: {DEMO_PASSWORD}")
