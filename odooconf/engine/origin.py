"""Where the environment file writes a value: blueprints take master data (logins, product
codes) from the environment's variables, and an error about such a value belongs on the
environment's line as much as on the template's (a loop's one line serves every value)."""

from __future__ import annotations

import yaml

from odooconf.config import Environment
from odooconf.model.diagnostics import SourceRef


def in_variables(env: Environment, value: str) -> tuple[SourceRef, str] | None:
    """The first place among ``variables`` written as ``value`` (a key or a scalar), with its
    breadcrumb (variables, role_holders, ghost.user); None when it is not there."""
    try:
        root = yaml.compose(env.path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return None  # it was read to load the environment: gone or changed since
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, node in root.value:
        if key.value == "variables":
            found = _find(node, value, ["variables"])
            if found is not None:
                line, crumbs = found
                return SourceRef(str(env.path), line), " › ".join(crumbs)
    return None


def _find(node: yaml.Node, value: str, crumbs: list[str]) -> tuple[int, list[str]] | None:
    if isinstance(node, yaml.ScalarNode):
        return (node.start_mark.line + 1, crumbs) if node.value == value else None
    if isinstance(node, yaml.MappingNode):
        for key, child in node.value:
            name = str(key.value)
            if isinstance(key, yaml.ScalarNode) and key.value == value:
                return key.start_mark.line + 1, [*crumbs, name]
            found = _find(child, value, [*crumbs, name])
            if found is not None:
                return found
    if isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            found = _find(child, value, [*crumbs[:-1], f"{crumbs[-1]}[{index}]"])
            if found is not None:
                return found
    return None
