"""A local S3 for the tests: moto's server mode on 127.0.0.1, in a child process, with the AWS_* environment
pointing at it (inherited by the `scrapy` processes the tests start). Nothing leaves the machine."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import pyarrow.fs  # type: ignore[import-untyped]  # pyarrow ships no type information
import pytest
from ports import free_port


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def create_bucket(self, name: str) -> None:
        """A bucket, made through pyarrow (a directory at the top of an S3 filesystem is a bucket)."""
        filesystem, _ = pyarrow.fs.FileSystem.from_uri(f"s3://{name}?allow_bucket_creation=true")
        filesystem.create_dir(name)

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        """The object keys under a prefix."""
        filesystem, root = pyarrow.fs.FileSystem.from_uri(f"s3://{bucket}/{prefix}".rstrip("/"))
        selector = pyarrow.fs.FileSelector(root, recursive=True, allow_not_found=True)
        infos = filesystem.get_file_info(selector)
        return sorted(info.path.removeprefix(f"{bucket}/") for info in infos if info.type == pyarrow.fs.FileType.File)


def answering(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(endpoint + "/moto-api/", timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # it answered
    except OSError:
        return False


def start_s3_server() -> S3Server:
    """Start `python -m moto.server` on a free port and wait until it answers (at most 30 s)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    server = S3Server(endpoint=f"http://127.0.0.1:{port}", process=process)
    deadline = time.monotonic() + 30
    while not answering(server.endpoint):
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"moto's S3 server did not start on port {port}")
        time.sleep(0.1)
    return server


AWS_ENVIRONMENT = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION",
                   "AWS_REGION", "AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_EC2_METADATA_DISABLED")


@pytest.fixture(scope="module", name="s3_server")
def s3_server_fixture():
    """One moto S3 server for the module, the AWS_* environment set to it (and put back after)."""
    server = start_s3_server()
    with pytest.MonkeyPatch.context() as patch:
        for name in AWS_ENVIRONMENT:
            patch.delenv(name, raising=False)
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        patch.setenv("AWS_ENDPOINT_URL", server.endpoint)
        patch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-metadata lookups for credentials
        try:
            yield server
        finally:
            server.stop()


