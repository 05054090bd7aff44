"""Stage 5: references between declared resources, and the order they impose.

A dependency only orders records that do not exist yet: Odoo's own IN and OUT operation types
return to each other, which is no cycle to worry about once both exist. So the order and its
cycles are computed when the live state is known (``engine.diff`` passes ``exists``), and
references to records only the instance has (``WH/Stock``, a company) are checked there too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from odooconf.kinds import KINDS
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.resource import Address, DesiredResource, Ref


def references(resource: DesiredResource) -> list[tuple[str, str, Ref]]:
    """Every reference of a resource as ``(attribute, target name, reference)``."""
    kind = KINDS[resource.kind]
    out: list[tuple[str, str, Ref]] = []
    for attr in kind.attrs:
        value = resource.values.get(attr.name)
        if attr.target is None or value is None:
            continue
        for ref in value if attr.many else [value]:
            out.append((attr.name, attr.target, ref))
    return out


def generated_by(
    resources: Sequence[DesiredResource], fields: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[Address, DesiredResource]:
    """Records Odoo will create as a side effect of declared resources, by address: on the
    instance whose ``fields_get`` by model is ``fields``, or on any version."""
    out: dict[Address, DesiredResource] = {}
    for resource in resources:
        kind = KINDS[resource.kind]
        model_fields = None if fields is None else fields.get(kind.model)
        for target, keys in kind.generated(resource.key, resource.values, model_fields).items():
            for key in keys:
                out[Address(target, key)] = resource
    return out


def resolve_references(resources: Sequence[DesiredResource]) -> list[DesiredResource]:
    """The resources, each with the declared resources it depends on added (new resources
    where some are added; those given are left as they are)."""
    declared = {resource.address: resource for resource in resources}
    generated = generated_by(resources)
    out: list[DesiredResource] = []
    for resource in resources:
        found: set[Address] = set()
        owner = generated.get(resource.address)
        if owner is not None and owner is not resource:
            found.add(owner.address)  # manages a record Odoo generates for owner
        for _attr, target, ref in references(resource):
            if not isinstance(ref, str):
                continue
            address = Address(target, ref)
            provider = declared.get(address) or generated.get(address)
            if provider is not None and provider is not resource:
                found.add(provider.address)
        out.append(depending(resource, found))
    return out


def depending(resource: DesiredResource, addresses: set[Address]) -> DesiredResource:
    """``resource``, depending on ``addresses`` too (itself when it already does)."""
    if addresses <= resource.depends_on:
        return resource
    return replace(resource, depends_on=resource.depends_on | addresses)


Exists = Callable[[Address], bool]


def _never(_address: Address) -> bool:
    return False


def _ordering(resources: list[DesiredResource], exists: Exists) -> dict[Address, set[Address]]:
    """Dependencies that order the apply: those on declared records that do not exist yet."""
    declared = {resource.address for resource in resources}
    return {
        resource.address: {d for d in resource.depends_on if d in declared and not exists(d)}
        for resource in resources
    }


def levels(resources: list[DesiredResource], exists: Exists = _never) -> dict[Address, int]:
    """Apply level of each resource: 0 without dependencies, else one more than its deepest."""
    edges = _ordering(resources, exists)
    memo: dict[Address, int] = {}

    def level(address: Address, trail: frozenset[Address]) -> int:
        if address not in memo:
            deps = edges[address] - trail
            memo[address] = 1 + max((level(dep, trail | {address}) for dep in deps), default=-1)
        return memo[address]

    return {address: level(address, frozenset()) for address in edges}


def cycles(resources: list[DesiredResource], exists: Exists = _never) -> list[Diagnostic]:
    """Cycles among records to create, which no apply order can satisfy."""
    declared = {resource.address: resource for resource in resources}
    edges = _ordering(resources, exists)
    out: list[Diagnostic] = []
    state: dict[Address, int] = {}  # 1 visiting, 2 done

    def visit(address: Address, stack: list[Address]) -> None:
        state[address] = 1
        for dep in sorted(edges[address], key=str):
            if state.get(dep) == 1:
                cycle = [*stack[stack.index(dep) :], dep] if dep in stack else [address, dep]
                resource = declared[address]
                out.append(
                    Diagnostic(
                        "OC-X010",
                        "dependency cycle among records to create: "
                        + " → ".join(str(a) for a in cycle),
                        resource.source,
                        resource.path,
                    )
                )
            elif dep not in state:
                visit(dep, [*stack, dep])
        state[address] = 2

    for address in sorted(declared, key=str):
        if address not in state:
            visit(address, [address])
    return out
