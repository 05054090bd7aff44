"""Send recorded JSON-RPC requests as they are, with no client work but decoding the answers.

``python -m benchmarks.replay FILE URL``: ``FILE`` holds ``[[path, body], ...]``. This is the
floor (the plan's own calls replayed) and the naive baseline (one read per resource): a bare
Python process with the standard library's ``http.client`` on one keep-alive connection.
"""

from __future__ import annotations

import http.client
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit


def replay(requests: list[tuple[str, str]], url: str) -> int:
    """POST each request; returns how many answered a JSON-RPC error (0 expected)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(str(parts.hostname), parts.port, timeout=600)
    errors = 0
    for path, body in requests:
        # Bytes, so that http.client sends headers and body in one segment (no Nagle stall).
        data = body.encode("utf-8")
        connection.request("POST", path, data, {"Content-Type": "application/json"})
        answer = json.loads(connection.getresponse().read())
        if "error" in answer:
            errors += 1
            print(path, body[:300], str(answer["error"])[:300], file=sys.stderr)
    connection.close()
    return errors


def main() -> None:
    requests = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    errors = replay([(str(path), str(body)) for path, body in requests], sys.argv[2])
    if errors:
        sys.exit(f"{errors} of {len(requests)} replayed requests answered an error")


if __name__ == "__main__":
    main()
