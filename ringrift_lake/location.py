"""Where the lake is: the one place that knows.

The lake root comes from one setting, ``RINGRIFT_LAKE``: a local folder
(default ``./lake``) or ``s3://bucket/prefix``. S3 credentials and the
endpoint come from the standard AWS variables (``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_REGION``, ``AWS_ENDPOINT_URL``), so any
S3-compatible server works. Everything else asks a ``Lake`` for table URIs,
storage options and filesystems; nothing else branches on local vs S3.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlparse

import pyarrow.fs as pafs

DEFAULT_ROOT = "./lake"
_AWS_KEYS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_ENDPOINT_URL")


def _storage_options_from_env(env) -> dict[str, str]:
    options = {key: env[key] for key in _AWS_KEYS if env.get(key)}
    options.setdefault("AWS_REGION", env.get("AWS_DEFAULT_REGION") or "us-east-1")
    if options.get("AWS_ENDPOINT_URL", "").startswith("http://"):
        options["AWS_ALLOW_HTTP"] = "true"
    return options


@dataclass(frozen=True)
class Lake:
    """A lake root plus the options needed to reach it."""

    root: str
    storage_options: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env=None) -> "Lake":
        env = os.environ if env is None else env
        return cls.at(env.get("RINGRIFT_LAKE") or DEFAULT_ROOT, env)

    @classmethod
    def at(cls, root: str, env=None) -> "Lake":
        """A lake at ``root``; S3 roots take their options from ``env`` (default os.environ)."""
        env = os.environ if env is None else env
        if root.startswith("s3://"):
            return cls(root.rstrip("/"), _storage_options_from_env(env))
        if "://" in root:
            raise ValueError(f"unsupported lake root {root!r}: use a local folder or s3://bucket/prefix")
        return cls(os.path.abspath(root), {})

    @property
    def is_s3(self) -> bool:
        return self.root.startswith("s3://")

    def uri(self, *parts: str) -> str:
        """URI of a path under the lake root (tables, shards, checkpoints)."""
        return "/".join([self.root, *(p.strip("/") for p in parts if p)])

    def table_uri(self, name: str) -> str:
        return self.uri("tables", name)

    @cached_property
    def _native_fs(self) -> tuple[pafs.FileSystem, str]:
        if not self.is_s3:
            return pafs.LocalFileSystem(), self.root
        opts = self.storage_options
        parsed = urlparse(opts.get("AWS_ENDPOINT_URL", ""))
        s3 = pafs.S3FileSystem(
            access_key=opts.get("AWS_ACCESS_KEY_ID"),
            secret_key=opts.get("AWS_SECRET_ACCESS_KEY"),
            session_token=opts.get("AWS_SESSION_TOKEN"),
            region=opts.get("AWS_REGION", "us-east-1"),
            endpoint_override=parsed.netloc or None,
            scheme=parsed.scheme or "https",
        )
        return s3, self.root[len("s3://"):]

    def filesystem(self) -> pafs.FileSystem:
        """A native pyarrow filesystem rooted at the lake root (paths are relative to it).

        Native filesystems avoid the interpreter-exit abort that deltalake's
        wrapped Python filesystem can cause (STACK_NOTES section 3).
        """
        fs, base = self._native_fs
        if not self.is_s3:
            os.makedirs(base, exist_ok=True)
        return pafs.SubTreeFileSystem(base, fs)

    def table_filesystem(self, name: str) -> pafs.FileSystem:
        fs, base = self._native_fs
        return pafs.SubTreeFileSystem(f"{base}/tables/{name}", fs)

    def describe(self) -> str:
        endpoint = self.storage_options.get("AWS_ENDPOINT_URL")
        return f"{self.root} (endpoint {endpoint})" if endpoint else self.root
