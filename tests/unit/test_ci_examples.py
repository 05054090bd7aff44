"""The example CI pipelines (examples/ci/): valid for GitHub and GitLab by their schemas, every
odooconf command and option they use exists, and their comment helper posts and updates one
comment per chunk of the markdown plan. tests/integration/test_ci_examples.py runs them."""

from __future__ import annotations

import copy
import json
from importlib.resources import files
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest

from tests.ci_examples import (
    GITHUB,
    GITLAB,
    comment_helper,
    load,
    odooconf_commands,
    parse,
)

#: The schemas SchemaStore publishes for both, as check-jsonschema ships them.
SCHEMAS = {GITHUB: "github-workflows.json", GITLAB: "gitlab-ci.json"}


def _errors(path: Path, document: Any) -> list[str]:
    vendor = files("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads((vendor / SCHEMAS[path]).read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [error.message for error in validator.iter_errors(document)]


@pytest.mark.parametrize("path", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_pipeline_is_valid_by_its_schema(path: Path) -> None:
    document = load(path)
    assert _errors(path, document) == []
    broken = copy.deepcopy(document)
    job = broken["jobs"]["plan"] if path == GITHUB else broken["plan"]
    job["runs_on" if path == GITHUB else "scirpt"] = "x"  # a misspelt key fails
    assert _errors(path, broken) != []


@pytest.mark.parametrize("path", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_every_command_and_option_exists(path: Path) -> None:
    commands = odooconf_commands(path)
    assert commands[0][0] == "validate"  # first, on every pull request
    assert {args[0] for args in commands} == {"validate", "plan", "apply"}
    for args in commands:
        name, context = parse(args)
        assert name == args[0]
        if name == "plan":  # plan takes several environments
            assert context.params["names"] == ("$ODOOCONF_ENV",)
        elif name != "validate":
            assert context.params["name"] == "$ODOOCONF_ENV"
    # The saved plan: made on the pull request, applied on merge, with the same file.
    [plan] = [a for a in commands if a[0] == "plan"]
    assert plan[:3] == ["plan", "-e", "$ODOOCONF_ENV"]
    [apply] = [a for a in commands if a[0] == "apply"]
    assert plan[plan.index("--out") + 1] == apply[-1] == "plan.json"
    assert {"--format", "markdown", "--detailed-exitcode"} <= set(plan)


class Thread:
    """A pull request's comments, in memory."""

    def __init__(self, helper: ModuleType, bodies: list[str]) -> None:
        self.helper = helper
        self.bodies = dict(enumerate(bodies, start=1))
        self.next = len(bodies) + 1

    def comments(self) -> list[object]:
        return [self.helper.Comment(id, body) for id, body in self.bodies.items()]

    def create(self, body: str) -> None:
        self.bodies[self.next] = body
        self.next += 1

    def update(self, comment: object, body: str) -> None:
        self.bodies[comment.id] = body  # type: ignore[attr-defined]

    def delete(self, comment: object) -> None:
        del self.bodies[comment.id]  # type: ignore[attr-defined]


def test_comments_are_created_updated_in_place_and_stale_parts_deleted() -> None:
    helper = comment_helper()
    three = (
        "<!-- odooconf:plan:prod -->\nsummary\n\n<!-- odooconf:plan:prod:2 -->\nrows\n\n"
        "<!-- odooconf:plan:prod:3 -->\nmore rows\n"
    )
    thread = Thread(helper, ["LGTM", "<!-- odooconf:plan:staging -->\nstaging's plan"])

    assert helper.upsert(thread, three) == [
        "created <!-- odooconf:plan:prod -->",
        "created <!-- odooconf:plan:prod:2 -->",
        "created <!-- odooconf:plan:prod:3 -->",
    ]
    assert helper.upsert(thread, "<!-- odooconf:plan:prod -->\nall in one\n") == [
        "updated <!-- odooconf:plan:prod -->",
        "deleted <!-- odooconf:plan:prod:2 -->",
        "deleted <!-- odooconf:plan:prod:3 -->",
    ]
    assert thread.bodies == {
        1: "LGTM",
        2: "<!-- odooconf:plan:staging -->\nstaging's plan",
        3: "<!-- odooconf:plan:prod -->\nall in one",
    }
    assert helper.upsert(thread, "<!-- odooconf:plan:prod -->\nall in one") == [
        "unchanged <!-- odooconf:plan:prod -->"
    ]


def test_chunks_split_on_marker_lines_only() -> None:
    helper = comment_helper()
    text = (
        "<!-- odooconf:plan:dev -->\n| a |\n|---|\n| <!-- odooconf:plan:dev:2 --> |\n\n"
        "<!-- odooconf:plan:dev:2 -->\n| a |\n"
    )

    assert helper.chunks(text) == [
        "<!-- odooconf:plan:dev -->\n| a |\n|---|\n| <!-- odooconf:plan:dev:2 --> |",
        "<!-- odooconf:plan:dev:2 -->\n| a |",
    ]
