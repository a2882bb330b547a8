"""Process settings for a short command that allocates a lot of large arrays.

A million-line run allocates and frees some hundred NumPy arrays of 8 MB. Two Linux defaults make
each of them cost more than the arithmetic on it:

- transparent huge pages: NumPy asks for them (madvise) on every large array, and with THP in
  "madvise" or "always" mode the kernel may stop to compact memory when such an array is first
  touched. On the benchmark machine (THP "madvise") this made the system time of one run vary from
  0.5 to 1.1 s and the wall time by a third (bench/README.md, "Where the time goes").
- glibc returns every freed block above its mmap threshold to the system and the next array faults
  its pages in again; raising the threshold and the trim threshold lets freed arrays be reused.

:func:`tune_for_batch_work` changes both for this process only, on Linux with glibc, and does
nothing elsewhere or when ``CBAM_NO_TUNING`` is set. It changes no result, only how memory is
obtained; the peak resident set stays the same (it is the largest set of live arrays).
"""

from __future__ import annotations

import os
import sys

PR_SET_THP_DISABLE = 41  # <linux/prctl.h>
M_TRIM_THRESHOLD = -1  # <malloc.h>
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = (256 << 20, 32 << 20)  # blocks above this still come from mmap; the first
# value keeps 8-80 MB column arrays on the heap, the second is the most older glibc accepts
TRIM_THRESHOLD_BYTES = 1 << 30  # free memory kept for reuse before it is returned to the system

_done = False


def tune_for_batch_work() -> bool:
    """Apply the settings once; True if they were applied."""
    global _done
    if _done or not sys.platform.startswith("linux") or os.environ.get("CBAM_NO_TUNING"):
        return False
    _done = True
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)
        if hasattr(libc, "mallopt"):  # glibc; musl has no mallopt
            for limit in MMAP_THRESHOLD_BYTES:
                if libc.mallopt(M_MMAP_THRESHOLD, limit) == 1:  # 1: accepted
                    break
            libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
    except (OSError, AttributeError):
        return False
    return True
