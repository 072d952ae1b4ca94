"""Letters I — a commission's register with 100,000 letters: the list, filters, the first page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kiemtra .venv/bin/python bench/letters_register.py [--letters N]

Set-up (not measured): a scratch database; ``--letters`` letters (then VACUUM ANALYZE) in one provincial
commission's register (each sealed with its own data keys, as intake does), and
5 % as many in a neighbour's. Measured, through Django's test client signed in
as a user of that commission (the whole view: policy, query, count, page,
decrypting the 50 titles shown, the audit record of the read): the first page,
filters by state, kind and channel, a sender/accused name word (keyed digest),
a tracking code, and a deep page. Baseline: the sign-in page, same client.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time

from common import ROOT, load_average, report, say, scratch_database, summary


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--letters", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=40)
    return parser.parse_args()


def fill(unit, count: int, seed: int) -> str:  # type: ignore[no-untyped-def]
    from kiemtra.letters import envelope, keyring
    from kiemtra.letters.choices import Channel, Kind, Status
    from kiemtra.letters.models import Letter
    from kiemtra.letters.search_keys import name_digests
    from kiemtra.letters.services.records import new_tracking_code

    r = random.Random(seed)
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thu Hà"]
    today = dt.date(2026, 12, 7)
    batch: list[Letter] = []
    words: list[list[str]] = []
    code = ""
    for n in range(count):
        data_key, ident_key = keyring.new_data_key(), keyring.new_data_key()
        key_id, wrapped = keyring.wrap(data_key)
        _k, ident_wrapped = keyring.wrap(ident_key, key_id)
        sender, accused = r.choice(names) + f" {n % 97}", r.choice(names)
        code = new_tracking_code()
        batch.append(
            Letter(
                tracking_code=code,
                kind=r.choice(Kind.values),
                declared_kind="feedback",
                channel=r.choice(Channel.values),
                status=r.choice(Status.values),
                holding_unit=unit,
                addressed_unit=unit,
                received_on=today - dt.timedelta(days=n % 700),
                key_id=key_id,
                data_key_wrapped=wrapped,
                identity_key_wrapped=ident_wrapped,
                content_sealed=envelope.seal(
                    data_key,
                    {"title": f"Đơn số {n}", "summary": "", "content": "Nội dung " * 40, "about": {"name": accused}},
                ),
                identity_sealed=envelope.seal(ident_key, [{"full_name": sender}]),
            )
        )
        words.append(name_digests([sender, accused]))
        if len(batch) == 5000:
            store(batch, words)
            batch, words = [], []
    if batch:
        store(batch, words)
    return code


def store(batch, words) -> None:  # type: ignore[no-untyped-def]
    from kiemtra.letters.models import Letter, NameWord

    Letter.objects.bulk_create(batch)
    NameWord.objects.bulk_create(
        [NameWord(letter=letter, digest=d) for letter, digests in zip(batch, words, strict=True) for d in digests]
    )


def main() -> None:
    args = arguments()
    vendor = scratch_database("letters_register")
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from kiemtra.accounts.choices import Role
    from kiemtra.conftest import give, make_person, make_unit
    from kiemtra.orgs.choices import UnitKind

    settings.ALLOWED_HOSTS = ["*"]
    # No collectstatic in a scratch folder: static files come from the finders, as in the tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    centre = make_unit(UnitKind.CENTRAL, code="UBKTTW")
    province = make_unit(UnitKind.PROVINCIAL, centre, code="T01")
    other = make_unit(UnitKind.PROVINCIAL, centre, code="T02")
    officer = make_person("t01.donthu", unit=province)
    give(officer, province, Role.USER)
    start = time.perf_counter()
    code = fill(province, args.letters, 1)
    fill(other, args.letters // 20, 2)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does after a bulk load: statistics, and the visibility map index-only counts need.
            cursor.execute("VACUUM ANALYZE")
    say(args.json, f"{args.letters} letters sealed and stored in {time.perf_counter() - start:.0f} s")
    client = Client()
    client.force_login(officer)
    queries = {
        "first_page": "/don-thu/",
        "status": "/don-thu/?status=registered",
        "kind_and_channel": "/don-thu/?kind=denunciation&channel=vneid",
        "name_word": "/don-thu/?q=Bình",
        "two_name_words": "/don-thu/?q=tran+binh",
        "tracking_code": f"/don-thu/?q={code}",
        "date_range": "/don-thu/?from=2026-01-01&to=2026-06-30",
        "page_200": "/don-thu/?page=200",
    }
    figures: dict[str, object] = {"benchmark": "letters_register", "database": vendor, "letters": args.letters}
    load_before = load_average()
    for name, url in queries.items():
        assert client.get(url).status_code == 200
        samples = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - t)
            assert response.status_code == 200
        figures[name] = summary(samples)
    baseline = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        Client().get("/tai-khoan/dang-nhap/")
        baseline.append(time.perf_counter() - t)
    figures["baseline_sign_in_page"] = summary(baseline)
    figures["worst_p95_ms"] = max(v["p95_ms"] for k, v in figures.items() if isinstance(v, dict) and k in queries)  # type: ignore[index]
    figures["load_average"] = [load_before, load_average()]
    report(figures, args.json)
    if vendor == "postgresql":
        from urllib.parse import urlsplit, urlunsplit

        import psycopg
        from django.db import connections

        connections.close_all()
        parts = urlsplit(os.environ["DATABASE_URL"])
        name = parts.path.lstrip("/")
        if name.endswith("_letters_register_bench"):
            with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
