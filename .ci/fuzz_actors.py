#!/usr/bin/env python3
"""Makes the actors of the fuzz campaign through the public API and prints them as shell
`export` lines: a moderator (created by the CLI beforehand), an approved demo expert with a
pending help request, a victim with a case, a second victim case for the erasure operation and a
second expert for the moderators' decisions.

usage: fuzz_actors.py BASE_URL MODERATOR_EMAIL MODERATOR_PASSWORD DEMO_PASSWORD
"""

import json
import sys
import urllib.error
import urllib.request


def call(base, method, path, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as e:
        sys.exit(f"{method} {path}: {e.code} {e.read().decode(errors='replace')}")


def login(base, email, password):
    return call(base, "POST", "/api/v1/sessions", {"email": email, "password": password})["token"]


def intake(base, n):
    return call(base, "POST", "/api/v1/intakes", {
        "incident_type": "ransomware",
        "urgency": "acute",
        "description": "Alle bestanden op de server zijn versleuteld en er staat een losgeldbrief.",
        "location": {"place": "Utrecht"},
        "needs_on_site": False,
        "language": "nl",
        "contact": {"name": f"Fuzz Slachtoffer {n}", "email": f"victim{n}@example.org"},
        "company": {"name": "Fuzz BV", "employees": 12, "sector": "retail"},
        "consent_to_share": True,
        "disclaimer_accepted": True,
    })


def main():
    base, mod_email, mod_password, demo_password = sys.argv[1:5]
    moderator = login(base, mod_email, mod_password)
    case = intake(base, 1)
    if not case["matches"]:
        sys.exit("the victim's intake found no match: seed demo experts first")
    expert_id = case["matches"][0]["expert_id"]
    asked = call(base, "POST", f"/api/v1/intakes/{case['id']}/requests",
                 {"expert_ids": [expert_id]}, case["access_token"])
    expert_email = call(base, "GET", f"/api/v1/moderation/experts/{expert_id}",
                        token=moderator)["email"]
    expert = login(base, expert_email, demo_password)
    others = call(base, "GET", "/api/v1/moderation/experts?status=approved&per_page=5",
                  token=moderator)
    other_id = next(e["id"] for e in others if e["id"] != expert_id)
    erasable = intake(base, 2)
    actors = {
        "FUZZ_MODERATOR_TOKEN": moderator,
        "FUZZ_EXPERT_TOKEN": expert,
        "FUZZ_VICTIM_TOKEN": case["access_token"],
        "FUZZ_INTAKE_ID": case["id"],
        "FUZZ_REQUEST_ID": asked["requests"][0]["id"],
        "FUZZ_OTHER_EXPERT_ID": other_id,
        "FUZZ_ERASABLE_TOKEN": erasable["access_token"],
        "FUZZ_ERASABLE_ID": erasable["id"],
    }
    for name, value in actors.items():
        print(f"export {name}='{value}'")


if __name__ == "__main__":
    main()
