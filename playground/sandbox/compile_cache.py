"""The compile cache workers read: filled once per warm-up by a trusted child of the zygote.

A fresh worker compiles its problem's ops for each test shape before it waits for a submission;
reading them from this cache (read-only inside the sandbox) instead of compiling makes that quick.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playground.sandbox.fd_io import read_one_frame
from playground.sandbox.protocol import Frame, FrameReader, Request
from playground.sandbox.records import WarmProfile

FILL_TIMEOUT_S = 120.0


class CompileCache:
    """The cache folder (None when there is none, or it cannot be made) and the fill of each profile."""

    def __init__(self, directory: str | None) -> None:
        self.dir = directory

    def fill(self, profile: WarmProfile, ask_zygote: Callable[[dict[str, Any], list[int]], Any]) -> None:
        """Have a trusted child of the zygote compile the profile's warm-up into the cache, once."""
        if not self.dir:
            return
        marker = Path(self.dir) / f"filled-{_profile_digest(profile)}"
        if marker.exists():
            return
        try:
            os.makedirs(self.dir, mode=0o755, exist_ok=True)
        except OSError:
            self.dir = None
            return
        status_r, status_w = os.pipe()
        request = {
            "kind": Request.FILL_CACHE,
            "warmup_file": profile.warmup_file,
            "warm_inputs": [json.loads(t) for t in profile.warm_inputs],
            "cache_dir": self.dir,
        }
        try:
            ask_zygote(request, [status_w])
        except Exception:
            os.close(status_r)
            raise
        finally:
            os.close(status_w)
        # The fill runs beside the first workers' warm-up; waiting here keeps their reads useful.
        frame = read_one_frame(status_r, FrameReader(), FILL_TIMEOUT_S)
        os.close(status_r)
        if frame is not None and frame.get("type") == Frame.FILLED:
            marker.write_text("ok\n")


def _profile_digest(profile: WarmProfile) -> str:
    warmup = Path(profile.warmup_file).read_bytes()
    text = json.dumps([profile.warm_inputs, sys.version]).encode() + warmup
    return hashlib.sha256(text).hexdigest()[:16]
