"""A marketer changes an earning rule in the console and a real terminal earns by it: the draft
is validated with load-programs' own errors, diffed against what is published, simulated over
the orders a real terminal made, refused to its author, approved and published by a second
person (audited), and reaches the terminal at its next sync. A draft older than what is
published is refused as stale."""

from __future__ import annotations

import html
import re
from pathlib import Path

import httpx

from tests.integration.central.helpers import Env, LiveServer
from tests.integration.terminal.terminal_live import PROGRAMS, new_terminal
from wallet_sync.central.admin_client import AdminClient

from .world import csrf_of, sign_in, users


def _source(page: str) -> str:
    found = re.search(r'<textarea name="source"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, page[:500]
    return html.unescape(found.group(1))


def _new_draft(browser: httpx.Client) -> str:
    resp = browser.post("/office/programs/drafts",
                        data={"csrf": csrf_of(browser.get("/office/programs").text)})
    assert resp.status_code == 303, resp.text
    return resp.headers["location"]


def _post(browser: httpx.Client, url: str, **data: str) -> httpx.Response:
    return browser.post(url, data={"csrf": csrf_of(browser.get("/office").text), **data},
                        follow_redirects=True)


def test_a_rule_changed_in_the_page_reaches_the_terminal_after_a_second_person(
        live: LiveServer, env: Env, tmp_path: Path) -> None:
    admin = AdminClient(live.url, env.admin_key)
    admin.load_programs(PROGRAMS.read_text(encoding="utf-8"))
    member = admin.create_member("club", "DE")["code"]
    till = new_terminal(tmp_path / "till", live, admin)
    till.sync()
    assert till.earn(member, "150.00")["points_earned"] == 300  # 2 points per 1.00
    till.sync()
    api = httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {env.admin_key}"})
    people = users(api)
    marketer, maria = httpx.Client(base_url=live.url), httpx.Client(base_url=live.url)
    assert sign_in(marketer, people["marketer"]).status_code == 303
    assert sign_in(maria, people["marketer2"]).status_code == 303
    stale = _new_draft(maria)  # made now, approved never: it will be stale

    draft = _new_draft(marketer)
    draft_id = draft.rsplit("/", 1)[1]
    source = _source(marketer.get(draft).text)
    assert source.count("points_per_unit: 2") == 1

    # Live validation gives exactly load-programs' error, path included.
    broken = source.replace("points_per_unit: 2", "points_per_unit: -3")
    checked = marketer.post("/office/programs/validate", data={"source": broken},
                            headers={"X-CSRF-Token": csrf_of(marketer.get(draft).text)}).json()
    loaded = api.post("/v1/admin/programs", json={"source": broken, "format": "yaml"}).json()
    assert checked["errors"] == [loaded["message"]] and "earning[0]" in loaded["message"]
    assert marketer.post("/office/programs/validate", data={"source": broken}).status_code == 403

    # Saved with 3 points per 1.00: the diff shows the one change, the simulator replays the
    # till's order under it.
    changed = source.replace("points_per_unit: 2", "points_per_unit: 3")
    assert _post(marketer, draft + "/save", source=changed).status_code == 200
    page = marketer.get(draft, params={"days": 7}).text
    assert 'data-program="club" data-change="changed"' in page
    assert 'data-program="gift-eur" data-change="unchanged"' in page
    diff = re.search(r'<pre class="diff" id="diff">(.*?)</pre>', page, re.S).group(1)
    changes = [line for line in html.unescape(re.sub(r"<[^>]+>", "", diff)).splitlines()
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changes == ["-    points_per_unit: 2", "+    points_per_unit: 3"], changes
    sim = marketer.get(f"/office/programs/drafts/{draft_id}/simulation.csv",
                       params={"days": 7}).text.splitlines()
    assert sim[0].startswith("day,program,currency,earns,points,draft_points")
    assert [line.split(",")[1:6] for line in sim[1:]] == [["club", "EUR", "1", "300", "450"]]

    # Submitted; its author cannot approve it; a second person publishes it.
    assert _post(marketer, draft + "/submit").status_code == 200
    own = _post(marketer, draft + "/approve")
    assert own.status_code == 403 and 'data-reason="second_person_required"' in own.text
    assert admin.member(member)["points"] == 300
    approved = _post(maria, draft + "/approve")
    assert approved.status_code == 200 and 'data-status="published"' in approved.text
    versions = {p["id"]: p["version"] for p in admin.load_programs(
        changed)["programs"]}  # loading the same file again publishes nothing new
    assert versions["club"] == 2

    # The terminal gets version 2 at its next sync and earns by it.
    till.sync()
    assert till.earn(member, "150.00")["points_earned"] == 450

    # Audited: who made, saved, submitted and approved it, with the state before and after.
    auditor = httpx.Client(base_url=live.url)
    assert sign_in(auditor, people["auditor"]).status_code == 303
    log = auditor.get("/office/audit.csv").text
    rows = [line for line in log.splitlines() if f"draft:{draft_id}" in line]
    actions = [row.split(",")[4] for row in rows]
    assert actions == ["draft_approved", "draft_submitted", "draft_saved", "draft_created"]
    assert rows[0].split(",")[2] == "maria" and "author marketer" in rows[0]

    # The older draft no longer applies on top of what is published.
    assert _post(maria, stale + "/submit").status_code == 200
    refused = _post(marketer, stale + "/approve")
    assert refused.status_code == 409 and 'data-reason="draft_stale"' in refused.text
    till.close()
