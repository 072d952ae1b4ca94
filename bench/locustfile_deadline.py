"""The Locust side of ``bench/deadline_day.py``: commune teams filing on deadline day, or the baseline.

Not run by hand: ``deadline_day.py`` writes a plan (JSON) and starts
``locust -f bench/locustfile_deadline.py --headless … CLASS`` with ``DEADLINE_PLAN``
pointing at it; the user class named says what runs:

- ``CommuneTeam``: each simulated user takes the next commune team from a shared
  pool until it is empty. The commune's statistician signs in, opens the home
  page, the report list and each of the team's reports, saves its figures in
  chunks of 20–50 cells (using the revision each save returns) and forwards it;
  then (cookies cleared: another person) the approver signs in, opens the list
  and approves each report. Every step is checked: a sign-in must redirect, a
  save must answer 200 with a higher revision, a chain action must redirect to a
  page showing its success message.
- ``Baseline``: the same number of users, the same think times, GET of the
  sign-in page until the plan's number of requests is made.

Every request is recorded (name, milliseconds, status, error) and written to
``plan["results"]`` when Locust quits; the last user to finish quits Locust.
Only the standard library and Locust here: no Django in the load generator.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, events, task
from locust.env import Environment
from locust.exception import StopUser

PLAN: dict[str, Any] = json.loads(Path(os.environ["DEADLINE_PLAN"]).read_text(encoding="utf-8"))
TEAMS: list[dict[str, Any]] = list(PLAN.get("teams", []))
STATE: dict[str, Any] = {
    "next_team": 0,
    "remaining": int(PLAN.get("requests", 0)),
    "active": 0,
    "first": None,
    "last": None,
    "teams_done": [],
    "problems": [],
}
SAMPLES: list[tuple[str, float, int, str]] = []  # name, ms, status, error ("" = fine)

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_GRID = re.compile(r'data-csrf="([^"]+)"')
CONFIG = re.compile(r'<script id="entry-config" type="application/json">(.*?)</script>', re.S)


@events.request.add_listener
def _record(
    request_type: str,
    name: str,
    response_time: float,
    response_length: int,
    response: Any = None,
    exception: BaseException | None = None,
    start_time: float | None = None,
    **kwargs: Any,
) -> None:
    status = int(getattr(response, "status_code", 0) or 0)
    now = time.time()
    if STATE["first"] is None and start_time is not None:
        STATE["first"] = start_time
    STATE["last"] = now
    SAMPLES.append((name, round(response_time, 3), status, "" if exception is None else str(exception)[:300]))


@events.quitting.add_listener
def _write(environment: Environment, **kwargs: Any) -> None:
    with open(PLAN["results"], "w", encoding="utf-8") as out:
        json.dump(
            {
                "samples": SAMPLES,
                "first": STATE["first"],
                "last": STATE["last"],
                "teams_done": STATE["teams_done"],
                "teams_total": len(TEAMS),
                "problems": STATE["problems"][:50],
            },
            out,
        )


class _Bench(FastHttpUser):
    """A user that stops when the shared work runs out; the last one to stop quits Locust."""

    abstract = True
    # The sign-in form's POST answers 302; a chain action answers 302: we read those, not the next page.
    max_retries = 0
    network_timeout = 120.0
    connection_timeout = 30.0

    def wait_a_little(self) -> None:
        gevent.sleep(random.uniform(PLAN["think_min"], PLAN["think_max"]))

    def on_start(self) -> None:
        STATE["active"] += 1

    def on_stop(self) -> None:
        STATE["active"] -= 1
        if STATE["active"] == 0 and self.environment.runner is not None:
            gevent.spawn_later(0.1, self.environment.runner.quit)

    def problem(self, text: str) -> None:
        STATE["problems"].append(text)


class Baseline(_Bench):
    """GET of the sign-in page: the server's floor (middleware, session, template), no database work to speak of."""

    @task
    def sign_in_page(self) -> None:
        if STATE["remaining"] <= 0:
            raise StopUser
        STATE["remaining"] -= 1
        self.client.get("/tai-khoan/dang-nhap/", name="baseline: GET sign-in page")
        self.wait_a_little()


class CommuneTeam(_Bench):
    """A commune's statistician then its approver, one commune after another until the pool is empty."""

    def sign_in(self, username: str) -> bool:
        self.client.cookiejar.clear()  # another person, another browser
        page = self.client.get("/tai-khoan/dang-nhap/", name="GET sign-in page")
        found = CSRF_INPUT.search(page.text or "")
        if not found:
            self.problem(f"{username}: no CSRF token on the sign-in page")
            return False
        self.wait_a_little()
        with self.client.post(
            "/tai-khoan/dang-nhap/",
            data={
                "csrfmiddlewaretoken": found.group(1),
                "username": username,
                "password": PLAN["password"],
                "otp_token": "",
            },
            headers={"Referer": f"{self.host}/tai-khoan/dang-nhap/"},
            name="POST sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in of {username} answered {response.status_code}, not 302")
                return False
        self.client.get("/", name="GET home")
        self.wait_a_little()
        self.client.get("/thong-ke/", name="GET report list")
        self.wait_a_little()
        return True

    def open_report(self, pk: int) -> tuple[str, int] | None:
        """GET the report page: its CSRF token and revision, or None."""
        page = self.client.get(f"/thong-ke/bao-cao/{pk}/", name="GET report page")
        token, config = CSRF_GRID.search(page.text or ""), CONFIG.search(page.text or "")
        if page.status_code != 200 or not token or not config:
            self.problem(f"report {pk}: page answered {page.status_code} without the grid's token or config")
            return None
        self.wait_a_little()
        return token.group(1), int(json.loads(config.group(1))["revision"])

    def save(self, pk: int, token: str, revision: int, cells: dict[str, str]) -> int | None:
        with self.client.post(
            f"/thong-ke/bao-cao/{pk}/luu/",
            data=json.dumps({"revision": revision, "cells": cells}),
            headers={
                "Content-Type": "application/json",
                "X-CSRFToken": token,
                "Referer": f"{self.host}/thong-ke/bao-cao/{pk}/",
            },
            name="POST save values",
            catch_response=True,
        ) as response:
            if response.status_code == 409:
                response.failure("409 stale revision")
                return None
            if response.status_code != 200:
                response.failure(f"save answered {response.status_code}: {(response.text or '')[:200]}")
                return None
            answer = json.loads(response.text or "{}")
            if int(answer.get("revision", -1)) != revision + 1:
                response.failure(f"save of report {pk}: revision {answer.get('revision')} after {revision}")
                return None
        self.wait_a_little()
        return revision + 1

    def act(self, pk: int, token: str, slug: str, label: str) -> bool:
        """A chain button: POST, expect the redirect, then the report page with the success message."""
        with self.client.post(
            f"/thong-ke/bao-cao/{pk}/{slug}/",
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/thong-ke/bao-cao/{pk}/"},
            name=f"POST {label}",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{label} of report {pk} answered {response.status_code}, not 302")
                return False
        with self.client.get(
            f"/thong-ke/bao-cao/{pk}/", name=f"GET report page after {label}", catch_response=True
        ) as page:
            text = page.text or ""
            if page.status_code != 200 or 'class="alert alert-success"' not in text or "alert-danger" in text:
                page.failure(f"{label} of report {pk} refused (no success message)")
                return False
        self.wait_a_little()
        return True

    def file(self, team: dict[str, Any]) -> bool:
        if not self.sign_in(team["statistician"]):
            return False
        for report in team["reports"]:
            opened = self.open_report(report["pk"])
            if opened is None:
                return False
            token, revision = opened
            for cells in report["saves"]:
                saved = self.save(report["pk"], token, revision, cells)
                if saved is None:
                    return False
                revision = saved
            if not self.act(report["pk"], token, "chuyen-phe-duyet", "forward"):
                return False
        if not self.sign_in(team["approver"]):
            return False
        for report in team["reports"]:
            opened = self.open_report(report["pk"])
            if opened is None or not self.act(report["pk"], opened[0], "phe-duyet", "approve"):
                return False
        return True

    @task
    def next_commune(self) -> None:
        if STATE["next_team"] >= len(TEAMS):
            raise StopUser
        team = TEAMS[STATE["next_team"]]
        STATE["next_team"] += 1
        if self.file(team):
            STATE["teams_done"].append(team["commune"])
        else:
            self.problem(f"team {team['commune']} did not finish")
