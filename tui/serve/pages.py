"""What a tab is told when the classroom cannot or will not keep its session: full, idle, stopped."""

from __future__ import annotations

FULL_MESSAGE = "The classroom is full: this server runs at most {count} at once. Try again later."
IDLE_MESSAGE = "Session ended after {duration} idle. Press Restart to start again."
STOPPED_MESSAGE = "The teacher stopped the server."


def duration_text(seconds: float) -> str:
    """`30 minutes`, `90 seconds`: how the idle timeout reads in a message."""
    if seconds >= 120 and seconds % 60 == 0:
        return f"{int(seconds // 60)} minutes"
    return f"{seconds:g} second{'s' if seconds != 1 else ''}"


def sessions_text(count: int) -> str:
    return f"{count} session{'s' if count != 1 else ''}"


def full_page(count: int) -> str:
    """The page a tab gets when the classroom is at its cap: plain HTML, no script, a link to try again."""
    message = FULL_MESSAGE.format(count=sessions_text(count))
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>backprop-tui: classroom full</title>"
            "<style>body{background:#0c181f;color:#eee;font:18px monospace;display:flex;height:90vh;"
            "align-items:center;justify-content:center}a{color:#ac5af4}</style></head>"
            f"<body><p>{message} <a href=''>Try again</a></p></body></html>")
