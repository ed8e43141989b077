"""reelkit: Python SDK (Rust core) for the Hoox and Hooked avatar-video APIs.

Placeholder on the ``sim-server`` branch: the lead's ``__init__`` (the public
names) replaces this file at merge.
"""
