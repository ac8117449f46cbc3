"""What the public may see (信息公开): published records, list entries shown by their publicity rule, masked
natural persons. One source for the public site and public API (``portal``) and for the credit reports' public
content (``reports``), in the layer below both, so that neither reads the other (tests/test_layers.py)."""
