"""``kiemtra discipline <action>``: the discipline database from the command line.

``extract FILE... [--json]`` reads each file (PDF text layer, OCR, or plain text) and prints the
decisions found: one JSON object per decision and line with ``--json``, a Vietnamese summary
without. A file that cannot be read, is too long (``too_many_pages``) or holds no decision
(``not_decision``) gives a line ``{"file", "error", "message"}`` and the command goes on; it
exits with status 1 at the end when any file gave an error line.

``ingest FILE|DIR... --unit CODE --as IDENTIFIER [--confidentiality secret]`` is the bulk
load (the Centre's scanned decisions of term XIII): the same batch service as the upload
page, acting as the named editor (policy checks and audit apply), processed at once; one
line per file with its outcome. Each action is one function.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kiemtra.discipline.extraction.extractor import extract
from kiemtra.discipline.extraction.reading import ReadError, read_document
from kiemtra.discipline.extraction.types import ExtractedDecision

PENALTY_LABELS = {
    "reprimand": "Khiển trách",
    "warning": "Cảnh cáo",
    "dismissal": "Cách chức",
    "expulsion": "Khai trừ",
    "dissolution": "Giải tán",
}


class Command(BaseCommand):
    help = "Cơ sở dữ liệu kỷ luật đảng: bóc tách dữ liệu quyết định kỷ luật (extract)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ext = sub.add_parser("extract", help="Đọc và bóc tách các quyết định kỷ luật trong tệp PDF hoặc ảnh")
        ext.add_argument("files", nargs="+", metavar="FILE", help="Tệp PDF, PNG, JPEG, TIFF hoặc văn bản .txt")
        ext.add_argument("--json", action="store_true", help="Mỗi quyết định một dòng JSON")
        ext.add_argument("--no-ocr", action="store_true", help="Chỉ đọc lớp chữ của PDF, bỏ qua nhận dạng ký tự")
        ing = sub.add_parser("ingest", help="Nạp hàng loạt quyết định vào cơ sở dữ liệu (chờ đối soát)")
        ing.add_argument("paths", nargs="+", metavar="FILE", help="Tệp hoặc thư mục (PDF, ảnh, zip)")
        ing.add_argument("--unit", required=True, help="Mã đơn vị quản lý quyết định, ví dụ UBKTTW")
        ing.add_argument("--as", dest="actor", required=True, help="Mã định danh của cán bộ cập nhật")
        ing.add_argument("--confidentiality", default="ordinary", help="ordinary | secret | top_secret")

    def handle(self, *args: Any, **options: Any) -> None:
        actions: dict[str, Callable[[dict[str, Any]], None]] = {"extract": self.extract, "ingest": self.ingest}
        actions[options["action"]](options)

    # ---- extract

    def extract(self, options: dict[str, Any]) -> None:
        failed = 0
        for name in options["files"]:
            try:
                result = read_document(Path(name), ocr=not options["no_ocr"])
            except (ReadError, FileNotFoundError, IsADirectoryError, PermissionError) as exc:
                failed += 1
                code, message = _error(exc)
                if options["json"]:
                    self._json({"file": name, "error": code, "message": message})
                else:
                    self.stdout.write(_("%(file)s: lỗi — %(message)s") % {"file": name, "message": message})
                continue
            decisions = extract(result.pages)
            if not decisions:
                # a file that decides nothing is an error line too: a check must not pass on silence
                failed += 1
                message = _("Không tìm thấy quyết định kỷ luật nào trong tài liệu (%(n)s trang).") % {
                    "n": len(result.pages)
                }
                if options["json"]:
                    self._json({"file": name, "error": "not_decision", "message": message})
                else:
                    self._summary(name, result.ocr_pages, len(result.pages), decisions)
                continue
            if options["json"]:
                for decision in decisions:
                    self._json({**decision.to_json(name), "sha256": result.sha256})
            else:
                self._summary(name, result.ocr_pages, len(result.pages), decisions)
        if failed:
            raise CommandError(_("%(n)d tệp không đọc được hoặc không có quyết định kỷ luật.") % {"n": failed})

    # ---- ingest

    def ingest(self, options: dict[str, Any]) -> None:
        from kiemtra.accounts.models import User
        from kiemtra.core.errors import DomainError, PolicyDenied
        from kiemtra.discipline.choices import IngestOutcome
        from kiemtra.discipline.services import ingest
        from kiemtra.orgs.models import OrgUnit

        unit = OrgUnit.objects.filter(code=options["unit"]).first()
        actor = User.objects.filter(identifier_code=options["actor"], is_active=True).first()
        if unit is None or actor is None:
            raise CommandError(_("Không tìm thấy đơn vị %(unit)s hoặc tài khoản %(actor)s.") % options)
        files = [p for name in options["paths"] for p in _files(Path(name))]
        try:
            with ExitStack() as opened:
                uploads = [ingest.Upload(p.name, file=opened.enter_context(p.open("rb"))) for p in files]
                for upload, path in zip(uploads, files, strict=True):
                    upload.size = path.stat().st_size
                batch = ingest.start_batch(actor, unit, uploads, options["confidentiality"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except PolicyDenied as exc:
            raise CommandError(
                _("Tài khoản %(actor)s không có quyền cập nhật quyết định kỷ luật tại %(unit)s.")
                % {"actor": actor.identifier_code, "unit": unit.name}
            ) from exc
        while ingest.process_queued(limit=50):
            pass
        failed = 0
        for item in batch.items.order_by("position"):
            failed += item.outcome != IngestOutcome.EXTRACTED
            self.stdout.write(f"{item.filename}: {item.get_outcome_display()} — {item.message}")
        self.stdout.write(
            _("Lô %(pk)s: %(n)d tệp, %(d)d quyết định chờ đối soát.")
            % {"pk": batch.pk, "n": batch.total, "d": sum(batch.items.values_list("decisions", flat=True))}
        )
        if failed:
            self.stderr.write(_("%(n)d tệp không nạp được quyết định mới (xem từng dòng ở trên).") % {"n": failed})

    def _json(self, obj: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(obj, ensure_ascii=False))

    def _summary(self, name: str, ocr_pages: int, pages: int, decisions: list[ExtractedDecision]) -> None:
        """The readable form: one paragraph per decision, the fields a person checks first."""
        header = _("%(file)s: %(pages)d trang (%(ocr)d trang nhận dạng ký tự), %(n)d quyết định kỷ luật.") % {
            "file": name,
            "pages": pages,
            "ocr": ocr_pages,
            "n": len(decisions),
        }
        self.stdout.write(header)
        if not decisions:
            self.stdout.write("  " + _("Không tìm thấy quyết định kỷ luật nào trong tài liệu này."))
        for i, d in enumerate(decisions, 1):
            day = d.value("date")
            penalty = d.value("penalty")
            lines = [
                f"  {i}. "
                + _("Số %(number)s, ngày %(date)s — %(body)s")
                % {
                    "number": d.value("number") or "?",
                    "date": day.strftime("%d/%m/%Y") if day else "?",
                    "body": d.value("issuing_body") or "?",
                },
                "     "
                + _("Đối tượng: %(name)s") % {"name": d.value("subject_name") or "?"}
                + (f" ({d.value('birth_year')})" if d.value("birth_year") else ""),
                "     "
                + _("Hình thức: %(penalty)s") % {"penalty": PENALTY_LABELS.get(penalty, "—") if penalty else "—"},
            ]
            if d.value("action") == "change":
                lines.append(
                    "     "
                    + _("Thay đổi hình thức kỷ luật của Quyết định %(n)s") % {"n": d.value("amends_number") or "?"}
                )
            elif d.value("action") == "annul":
                lines.append("     " + _("Xóa bỏ Quyết định kỷ luật %(n)s") % {"n": d.value("amends_number") or "?"})
            if d.value("positions"):
                lines.append("     " + _("Chức vụ: %(positions)s") % {"positions": "; ".join(d.value("positions"))})
            if d.value("violations"):
                lines.append("     " + _("Vi phạm: %(text)s") % {"text": d.value("violations")})
            low = [name for name, f in vars(d).items() if hasattr(f, "confidence") and f.confidence < 0.7]
            if low:
                lines.append("     " + _("Cần đối soát kỹ: %(fields)s") % {"fields": ", ".join(low)})
            self.stdout.write("\n".join(lines))


def _files(path: Path) -> list[Path]:
    """A folder stands for every file in it (recursively), in name order."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file())
    if not path.exists():
        raise CommandError(_("Không tìm thấy tệp %(p)s.") % {"p": path})
    return [path]


def _error(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, ReadError):
        return exc.code, exc.message
    if isinstance(exc, FileNotFoundError):
        return "not_found", _("Không tìm thấy tệp.")
    return "unreadable", _("Không mở được tệp.")
