"""base.storage on local folders and on a real S3 wire protocol (the local moto server)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from base import storage


def make_tree(root: Path) -> dict[str, bytes]:
    files = {"a.csv": b"1,2\n", "sub/b.csv": b"3,4\n", "sub/deeper/c.csv": b"5,6\n"}
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    (root / "_SUCCESS").write_bytes(b"")
    (root / ".hidden.crc").write_bytes(b"x")
    return files


def test_is_s3_and_join():
    assert storage.is_s3("s3://b/k") and storage.is_s3("s3a://b/k") and not storage.is_s3("/tmp/s3://x")
    assert storage.split_s3("s3://bucket/some/key.csv") == ("bucket", "some/key.csv")
    assert storage.join("s3://b/run/", "train", "part.csv") == "s3://b/run/train/part.csv"
    assert storage.join("/tmp/run", "train") == os.path.join("/tmp/run", "train")


def test_local_listing_skips_hidden_and_marker_files(tmp_path):
    files = make_tree(tmp_path)
    assert storage.list_files(tmp_path) == sorted(str(tmp_path / rel) for rel in files)
    assert storage.list_files(tmp_path / "a.csv") == [str(tmp_path / "a.csv")]
    with pytest.raises(storage.StorageError, match="nope"):
        storage.list_files(tmp_path / "nope")


def test_prefix_round_trip_through_s3(bucket, tmp_path):
    files = make_tree(tmp_path / "src")
    written = storage.upload(tmp_path / "src", f"s3://{bucket}/data/")
    assert len(written) == len(files) + 2  # upload copies everything, listing hides markers
    assert storage.list_files(f"s3://{bucket}/data") == sorted(f"s3://{bucket}/data/{rel}" for rel in files)
    local = storage.download(f"s3://{bucket}/data", tmp_path / "dst")
    assert {p.relative_to(local).as_posix(): p.read_bytes() for p in local.rglob("*") if p.is_file()} == files
    assert storage.read_text(f"s3://{bucket}/data/sub/b.csv") == "3,4\n"


def test_a_prefix_does_not_match_longer_names(bucket, tmp_path):
    (tmp_path / "x.csv").write_text("1\n")
    storage.upload(tmp_path / "x.csv", f"s3://{bucket}/run/x.csv")
    storage.upload(tmp_path / "x.csv", f"s3://{bucket}/run-old/x.csv")
    assert storage.list_files(f"s3://{bucket}/run") == [f"s3://{bucket}/run/x.csv"]


def test_single_object_download_and_local_copy(bucket, tmp_path):
    (tmp_path / "one.csv").write_text("a,b\n")
    storage.upload(tmp_path / "one.csv", f"s3://{bucket}/in/one.csv")
    assert storage.download(f"s3://{bucket}/in/one.csv", tmp_path / "d") == tmp_path / "d" / "one.csv"
    with storage.local_copy(f"s3://{bucket}/in/one.csv") as local:
        assert local.read_text() == "a,b\n"
        kept = local
    assert not kept.exists()
    with storage.local_copy(tmp_path / "one.csv") as local:
        assert local == tmp_path / "one.csv"


def test_manifest_is_uploaded_last(bucket, tmp_path, s3_server):
    run = tmp_path / "run"
    for rel in ("manifest.json", "schema.json", "train/part-00000.csv", "z.txt"):
        (run / rel).parent.mkdir(parents=True, exist_ok=True)
        (run / rel).write_text(rel)
    written = storage.upload(run, f"s3://{bucket}/run")
    assert written[-1] == f"s3://{bucket}/run/manifest.json"


def test_large_files_go_up_in_parts(bucket, tmp_path, monkeypatch):
    monkeypatch.setattr(storage, "MULTIPART_THRESHOLD", 5 * 1024**2)  # S3's smallest part size
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(11 * 1024**2))
    storage.upload(big, f"s3://{bucket}/big.bin")
    head = storage.s3_client().head_object(Bucket=bucket, Key="big.bin")
    assert head["ETag"].strip('"').endswith("-3")  # a multipart ETag names its part count
    assert storage.download(f"s3://{bucket}/big.bin", tmp_path / "back").read_bytes() == big.read_bytes()


def test_missing_objects_and_buckets_are_named(bucket):
    with pytest.raises(storage.StorageError, match=f"s3://{bucket}/nothing"):
        storage.list_files(f"s3://{bucket}/nothing")
    with pytest.raises(storage.StorageError, match=f"s3://{bucket}/nothing.csv"):
        storage.read_bytes(f"s3://{bucket}/nothing.csv")
    with pytest.raises(storage.StorageError, match="no-such-bucket-here"):
        storage.list_files("s3://no-such-bucket-here/x")


def test_exists_is_false_only_for_a_404(bucket):
    storage.write_whole(f"s3://{bucket}/out/there.csv.out", b"1\n")
    assert storage.exists(f"s3://{bucket}/out/there.csv.out") is True
    assert storage.exists(f"s3://{bucket}/out/absent.csv.out") is False


@pytest.mark.parametrize("status, code", [(403, "AccessDenied"), (503, "SlowDown"), (500, "InternalError")])
def test_exists_raises_when_s3_cannot_tell(bucket, s3_server, monkeypatch, status, code):
    from tests.helpers.s3_faults import FaultProxy

    storage.write_whole(f"s3://{bucket}/out/guarded.csv.out", b"1\n")  # present, but the answer is an error
    with FaultProxy(s3_server, {"guarded": (status, code)}) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
        with pytest.raises(storage.StorageError, match="cannot tell whether it exists") as caught:
            storage.exists(f"s3://{bucket}/out/guarded.csv.out")
        assert str(status) in str(caught.value)
        assert storage.exists(f"s3://{bucket}/out/other.csv.out") is False  # the proxy passes the rest to moto
    assert proxy.hits and all(method == "HEAD" for method, _, _ in proxy.hits)


def test_write_whole_is_one_managed_transfer_and_multipart_above_the_threshold(bucket, monkeypatch):
    import boto3

    monkeypatch.setattr(storage, "MULTIPART_THRESHOLD", 5 * 1024 * 1024)
    data = bytes(range(256)) * (11 * 1024 * 1024 // 256)
    storage.write_whole(f"s3://{bucket}/big/file.out", data)
    head = boto3.client("s3").head_object(Bucket=bucket, Key="big/file.out")
    assert head["ContentLength"] == len(data) and head["ETag"].strip('"').endswith("-3")  # 3 parts of 5 MiB
    assert storage.read_bytes(f"s3://{bucket}/big/file.out") == data


def test_write_whole_locally_leaves_no_temp_file(tmp_path):
    storage.write_whole(tmp_path / "sub" / "a.out", b"x")
    storage.write_whole(tmp_path / "sub" / "a.out", b"yz")
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["a.out"]
    assert (tmp_path / "sub" / "a.out").read_bytes() == b"yz"
