#!/usr/bin/env python3
"""CI helper for odooconf's example pipelines (Python standard library only).

    python odooconf_ci.py comment PLAN.md
        Post ``odooconf plan --format markdown`` on the pull request (GitHub Actions) or merge
        request (GitLab CI): one comment per chunk, found again by the hidden marker each chunk
        starts with (``<!-- odooconf:plan:ENV -->``, ``<!-- odooconf:plan:ENV:2 -->``...) and
        updated in place; the parts of an earlier, longer plan that this one no longer has are
        deleted.
    python odooconf_ci.py fetch-plan JOB FILE
        GitLab CI, on the default branch after a merge: download FILE, the saved plan that job
        JOB kept as an artifact in the merged merge request's latest pipeline.

GitHub needs GITHUB_TOKEN (``pull-requests: write``); GitLab needs GITLAB_TOKEN, a token with
the ``api`` scope (the job token cannot write notes).
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

MARKER = re.compile(r"^<!-- odooconf:plan:(?P<env>[^\s:]+)(?::(?P<part>\d+))? -->$")


def chunks(markdown: str) -> list[str]:
    """The comments of one plan: split on the marker lines, each chunk starting with its own."""
    out: list[list[str]] = []
    for line in markdown.splitlines():
        if MARKER.match(line) or not out:
            out.append([])
        out[-1].append(line)
    return ["\n".join(lines).strip("\n") for lines in out if MARKER.match(lines[0])]


@dataclass(frozen=True)
class Comment:
    id: int
    body: str


class Thread(Protocol):
    """The comments of one pull or merge request."""

    def comments(self) -> list[Comment]: ...
    def create(self, body: str) -> None: ...
    def update(self, comment: Comment, body: str) -> None: ...
    def delete(self, comment: Comment) -> None: ...


def upsert(thread: Thread, markdown: str) -> list[str]:
    """Create or update one comment per chunk; delete this environment's parts no chunk has
    any more. What was done, a line each."""
    wanted = chunks(markdown)
    if not wanted:
        raise SystemExit("error: no odooconf plan marker in the markdown: nothing to post")
    environments = {_marker(chunk).group("env") for chunk in wanted}
    existing: dict[str, Comment] = {}
    for posted in thread.comments():
        first = posted.body.split("\n", 1)[0].strip()
        found = MARKER.match(first)
        if found and found.group("env") in environments:
            existing.setdefault(first, posted)
    done = []
    for chunk in wanted:
        line = chunk.split("\n", 1)[0]
        comment = existing.pop(line) if line in existing else None
        if comment is None:
            thread.create(chunk)
            done.append(f"created {line}")
        elif comment.body.strip("\n") != chunk:
            thread.update(comment, chunk)
            done.append(f"updated {line}")
        else:
            done.append(f"unchanged {line}")
    for line, stale in sorted(existing.items()):
        thread.delete(stale)
        done.append(f"deleted {line}")
    return done


def _marker(chunk: str) -> re.Match[str]:
    found = MARKER.match(chunk.split("\n", 1)[0])
    assert found is not None
    return found


# --- the two forges ------------------------------------------------------------------------


def _request(method: str, url: str, headers: dict[str, str], data: Any = None) -> Any:
    body = None if data is None else json.dumps(data).encode()
    request = urllib.request.Request(url, body, method=method)
    for name, value in {"Content-Type": "application/json", **headers}.items():
        request.add_header(name, value)
    with urllib.request.urlopen(request, timeout=60) as response:
        text = response.read()
    return json.loads(text) if text else None


def _pages(url: str, headers: dict[str, str]) -> Iterator[dict[str, Any]]:
    page = 1
    while True:
        batch = _request("GET", f"{url}?per_page=100&page={page}", headers)
        yield from batch
        if len(batch) < 100:
            return
        page += 1


class GitHub:
    """Issue comments of the pull request the workflow runs for."""

    def __init__(self) -> None:
        event = json.loads(Path(os.environ["GITHUB_EVENT_PATH"]).read_text(encoding="utf-8"))
        api = os.environ.get("GITHUB_API_URL", "https://api.github.com")
        repo = os.environ["GITHUB_REPOSITORY"]
        self.url = f"{api}/repos/{repo}/issues/{event['pull_request']['number']}/comments"
        self.edit = f"{api}/repos/{repo}/issues/comments"
        self.headers = {
            "Authorization": f"Bearer {os.environ['GITHUB_TOKEN']}",
            "Accept": "application/vnd.github+json",
        }

    def comments(self) -> list[Comment]:
        return [Comment(c["id"], c["body"] or "") for c in _pages(self.url, self.headers)]

    def create(self, body: str) -> None:
        _request("POST", self.url, self.headers, {"body": body})

    def update(self, comment: Comment, body: str) -> None:
        _request("PATCH", f"{self.edit}/{comment.id}", self.headers, {"body": body})

    def delete(self, comment: Comment) -> None:
        _request("DELETE", f"{self.edit}/{comment.id}", self.headers)


class GitLab:
    """Notes of the merge request the pipeline runs for."""

    def __init__(self) -> None:
        self.project = f"{os.environ['CI_API_V4_URL']}/projects/{os.environ['CI_PROJECT_ID']}"
        iid = os.environ["CI_MERGE_REQUEST_IID"]
        self.url = f"{self.project}/merge_requests/{iid}/notes"
        self.headers = {"PRIVATE-TOKEN": os.environ["GITLAB_TOKEN"]}

    def comments(self) -> list[Comment]:
        return [Comment(n["id"], n["body"] or "") for n in _pages(self.url, self.headers)]

    def create(self, body: str) -> None:
        _request("POST", self.url, self.headers, {"body": body})

    def update(self, comment: Comment, body: str) -> None:
        _request("PUT", f"{self.url}/{comment.id}", self.headers, {"body": body})

    def delete(self, comment: Comment) -> None:
        _request("DELETE", f"{self.url}/{comment.id}", self.headers)

    def fetch_plan(self, job: str, file: str) -> None:
        """The artifact ``file`` of job ``job`` in the latest pipeline of the merge request
        merged as this commit."""
        sha = os.environ["CI_COMMIT_SHA"]
        merged = _request(
            "GET", f"{self.project}/repository/commits/{sha}/merge_requests", self.headers
        )
        if not merged:
            raise SystemExit(f"error: commit {sha} merged no merge request: no reviewed plan")
        iid = merged[0]["iid"]
        pipelines = _request("GET", f"{self.project}/merge_requests/{iid}/pipelines", self.headers)
        jobs = _request("GET", f"{self.project}/pipelines/{pipelines[0]['id']}/jobs", self.headers)
        found = [j for j in jobs if j["name"] == job]
        if not found:
            raise SystemExit(f"error: no job {job!r} in merge request !{iid}'s latest pipeline")
        path = urllib.parse.quote(file)
        url = f"{self.project}/jobs/{found[0]['id']}/artifacts/{path}"
        request = urllib.request.Request(url, headers=self.headers)
        with urllib.request.urlopen(request, timeout=60) as response:
            Path(file).write_bytes(response.read())


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "comment":
        thread: Thread = GitLab() if os.environ.get("GITLAB_CI") else GitHub()
        for line in upsert(thread, Path(argv[1]).read_text(encoding="utf-8")):
            print(line)
        return 0
    if len(argv) == 3 and argv[0] == "fetch-plan":
        GitLab().fetch_plan(argv[1], argv[2])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
