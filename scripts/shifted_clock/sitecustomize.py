"""Loaded (via PYTHONPATH) only in the shifted-clock test runs of scripts/test-shifted-clock.sh.

libfaketime shifts the wall clock but, with monotonic time left real, mis-converts the absolute
monotonic deadline of clock_nanosleep() that time.sleep() uses (EINVAL). Timed waits on locks,
events and selectors are unaffected, so time.sleep() waits on an Event instead. Nothing about
what time it is changes here.
"""

import os
import threading
import time

if "faketime" in os.environ.get("LD_PRELOAD", ""):

    def _sleep(seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        threading.Event().wait(seconds)

    time.sleep = _sleep
