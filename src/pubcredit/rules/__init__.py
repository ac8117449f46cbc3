"""Pure domain rules. Nothing here imports Django (a test checks)."""
