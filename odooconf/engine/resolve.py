"""Stage 5: references between declared resources — dependency order and cycles (offline).

References to records that only exist on the instance (``WH/Stock``, a company) are checked
when the live state is known (see ``engine.diff``).
"""

from __future__ import annotations

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


def generated_by(resources: list[DesiredResource]) -> dict[Address, DesiredResource]:
    """Records Odoo will create as a side effect of declared resources, by address."""
    out: dict[Address, DesiredResource] = {}
    for resource in resources:
        kind = KINDS[resource.kind]
        for target, keys in kind.generated(resource.key, resource.values).items():
            for key in keys:
                out[Address(target, key)] = resource
    return out


def resolve_references(resources: list[DesiredResource]) -> list[Diagnostic]:
    """Record which declared resources each one depends on; report dependency cycles."""
    declared = {resource.address: resource for resource in resources}
    generated = generated_by(resources)
    for resource in resources:
        owner = generated.get(resource.address)
        if owner is not None and owner is not resource:
            resource.depends_on.add(owner.address)  # manages a record Odoo generates for owner
        for _attr, target, ref in references(resource):
            if not isinstance(ref, str):
                continue
            address = Address(target, ref)
            provider = declared.get(address) or generated.get(address)
            if provider is not None and provider is not resource:
                resource.depends_on.add(provider.address)
    return _cycles(declared)


def levels(resources: list[DesiredResource]) -> dict[Address, int]:
    """Apply level of each resource: 0 without dependencies, else one more than its deepest."""
    declared = {resource.address: resource for resource in resources}
    memo: dict[Address, int] = {}

    def level(address: Address, trail: frozenset[Address]) -> int:
        if address not in memo:
            deps = declared[address].depends_on - trail
            memo[address] = 1 + max(
                (level(dep, trail | {address}) for dep in deps if dep in declared), default=-1
            )
        return memo[address]

    return {address: level(address, frozenset()) for address in declared}


def _cycles(declared: dict[Address, DesiredResource]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    state: dict[Address, int] = {}  # 1 visiting, 2 done

    def visit(address: Address, stack: list[Address]) -> None:
        state[address] = 1
        for dep in sorted(declared[address].depends_on, key=str):
            if dep not in declared:
                continue
            if state.get(dep) == 1:
                cycle = [*stack[stack.index(dep) :], dep] if dep in stack else [address, dep]
                resource = declared[address]
                out.append(
                    Diagnostic(
                        "OC-X010",
                        "dependency cycle: " + " → ".join(str(a) for a in cycle),
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
