"""What ``odooconf doctor`` reports: findings about an environment, facts rather than changes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Status(str, Enum):
    OK = "ok"
    INFO = "info"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Finding:
    topic: str
    status: Status
    text: str


@dataclass(frozen=True)
class Report:
    environment: str
    findings: tuple[Finding, ...]

    @property
    def ready(self) -> bool:
        return all(finding.status is not Status.FAIL for finding in self.findings)
