"""The people `make load` plays (locust; benchmarks/load.py starts it, twice).

SignInPage asks for the sign-in page and nothing else: the cheapest page the stack
serves, whose rate is the ceiling the page mix is compared with. Reader, Officer and
Scrutiny sign in as the people benchmarks/load_plan.py made (LOAD_PLAN), one plan entry
each, and then, with no pause between requests:

- readers open the register (plain, paged, sorted and filtered), partnership pages,
  assessment pages and, now and then, an assessment's PDF;
- officers do the same and fill in their own draft checklist, a section at a time
  (open it, save every answer in it with new text);
- scrutiny members do the same and queue a small pack every PACK_EVERY seconds.

Every request after all the people have signed in is written to LOAD_RECORD on
quitting, with what each save and pack request said it did, for load.py to measure and
to check against the database.
"""

import itertools
import json
import os
import re
import time
from collections import defaultdict

from locust import FastHttpUser, constant, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read()) if os.environ.get("LOAD_PLAN") else {}
PACK_EVERY = float(os.environ.get("LOAD_PACK_EVERY", 20))
THINK = float(os.environ.get("LOAD_THINK", 0))
PART = os.environ.get("LOAD_PART", "")  # in every saved text: each part's saves differ from the others'

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
NARRATIVE = re.compile(r'name="q(\d+)-narrative"')
PACK_URL = re.compile(r"/register/packs/(\d+)/$")

record = {"requests": [], "saves": [], "packs": []}
measuring = {"on": False}
_taken = defaultdict(itertools.count)  # each person in the plan is played once


@events.spawning_complete.add_listener
def _start_measuring(user_count, **_kwargs):
    measuring["on"] = True


@events.request.add_listener
def _keep(request_type, name, response_time, response_length, exception, **_kwargs):
    if measuring["on"]:
        record["requests"].append((name, round(response_time, 2), exception is None))


@events.quitting.add_listener
def _write(environment, **_kwargs):
    if os.environ.get("LOAD_RECORD"):
        with open(os.environ["LOAD_RECORD"], "w") as out:
            json.dump(record, out)


class SignInPage(FastHttpUser):
    wait_time = constant(THINK)

    @task
    def sign_in_page(self):
        self.client.get("/accounts/login/", name="sign-in page")


class SignedIn(FastHttpUser):
    abstract = True
    kind = ""
    wait_time = constant(THINK)

    def on_start(self):
        self.plan = PLAN[self.kind][next(_taken[self.kind]) % len(PLAN[self.kind])]
        self.turn = itertools.count()
        page = self.client.get("/accounts/login/", name="sign in")
        with self.client.post(
            "/accounts/login/", name="sign in", allow_redirects=False, catch_response=True,
            data={"username": self.plan["username"], "password": PLAN["password"],
                  "csrfmiddlewaretoken": _csrf(page.text)},
        ) as response:
            if response.status_code != 302:
                response.failure(f"{self.plan['username']} could not sign in ({response.status_code})")

    def _next(self, key):
        items = self.plan[key]
        return items[next(self.turn) % len(items)] if items else None

    @task(6)
    def register(self):
        self.client.get(f"/register/{self._next('register')}", name="register")

    @task(6)
    def register_filtered(self):
        self.client.get(f"/register/{self._next('filtered')}", name="register, filtered")

    @task(6)
    def partnership(self):
        self.client.get(f"/partnerships/{self._next('partnerships')}/", name="partnership page")

    @task(3)
    def assessment(self):
        pk = self._next("assessments")
        if pk:
            self.client.get(f"/assessments/{pk}/", name="assessment page")

    @task(1)
    def assessment_pdf(self):
        pk = self._next("assessments")
        if pk:
            self.client.get(f"/assessments/{pk}/pdf/", name="assessment PDF")


class Reader(SignedIn):
    kind = "readers"
    weight = 10


class Officer(SignedIn):
    kind = "officers"
    weight = 6

    @task(4)
    def save_answers(self):
        """Open a section of the officer's draft and save every answer in it, as new text."""
        draft, number = self.plan["draft"], self._next("sections")
        url = f"/assessments/{draft}/sections/{number}/"
        page = self.client.get(url, name="checklist section")
        version, questions = VERSION.search(page.text), NARRATIVE.findall(page.text)
        if not version or not questions:
            return
        n = next(self.turn)
        answers = {q: f"Saved under load by {self.plan['username']}, {PART} save {n}, question {q}."
                   for q in questions}
        data = {"csrfmiddlewaretoken": _csrf(page.text), "version": version.group(1), "later": "1"}
        for q, text in answers.items():
            data[f"q{q}-narrative"], data[f"q{q}-rating"] = text, "partly"
        with self.client.post(url, data=data, name="save answers", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code == 302:
                record["saves"].append({"assessment": draft, "answers": answers})
            else:
                response.failure(f"the answers were not saved ({response.status_code})")


class Scrutiny(SignedIn):
    kind = "scrutiny"
    weight = 4
    last_pack = 0.0

    @task(2)
    def queue_pack(self):
        if time.monotonic() - self.last_pack < PACK_EVERY:
            return
        self.last_pack = time.monotonic()
        filters = self.plan["pack_filters"]
        page = self.client.get(f"/register/packs/new/?{filters}", name="pack page")
        title = f"Load test pack, {self.plan['username']}, {PART} {next(self.turn)}"
        with self.client.post("/register/packs/new/", name="queue a pack", allow_redirects=False,
                              catch_response=True,
                              data={"csrfmiddlewaretoken": _csrf(page.text), "filters": filters, "title": title},
                              ) as response:
            queued = PACK_URL.search(response.headers.get("Location", "")) if response.status_code == 302 else None
            if queued:
                record["packs"].append(int(queued.group(1)))
            elif response.status_code == 200 and "waiting to be built" in response.text:
                pass  # the person's queue is full: the page says so, as it should
            else:
                response.failure(f"the pack was not queued ({response.status_code})")


def _csrf(html: str) -> str:
    found = CSRF.search(html or "")
    return found.group(1) if found else ""
