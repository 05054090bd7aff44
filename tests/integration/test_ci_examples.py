"""The example CI pipelines' odooconf commands, in their order, against the server under test:
validate, plan (the markdown comment, the saved plan), then apply on merge; with the exit codes
the pipelines expect."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ci_examples import GITHUB, GITLAB, comment_helper, odooconf_commands
from tests.integration.conftest import Project

#: What each pipeline accepts from each command on a first pull request: 2 is "changes".
EXPECTED = {"validate": 0, "plan": 2, "apply": 0}


@pytest.mark.parametrize("path", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_pipeline_commands_run_in_order(
    path: Path, example: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(example.root)  # the pipelines' files (plan.json) are relative
    helper = comment_helper()
    ran = []
    for args in odooconf_commands(path):
        runnable = [arg.replace("$ODOOCONF_ENV", "test") for arg in args]
        result = example.run(*runnable)
        assert result.code == EXPECTED[args[0]], (args, result.out, result.err)
        assert "Traceback" not in result.err
        ran.append(args[0])
        if args[0] == "plan":  # the comment the pipeline posts
            [comment] = helper.chunks(result.out)
            assert comment.startswith("<!-- odooconf:plan:test -->\n")
    assert ran == ["validate", "plan", "apply"]
