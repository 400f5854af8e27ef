"""Issue 27, the quick part: no abbreviated options anywhere, suggestions for typos, and the hop rule's
re-packing pinned with an engine that enforces the 5 MB hop the way the front end does."""

from __future__ import annotations

import argparse

import pytest

from serving.batch import records
from serving.batch.engines import InvocationError
from serving.batch.job import FileFailed, invoke_in_hops
from serving.batch.options import TransformOptions
from serving.errors import OversizedHop
from sparkleap.cli import COMMANDS, build_parser, main


def _parsers(parser: argparse.ArgumentParser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def test_no_parser_accepts_abbreviated_options():
    for command in COMMANDS:
        assert all(not p.allow_abbrev for p in _parsers(build_parser(command)))


@pytest.mark.parametrize("argv, hint", [
    (["preproces", "--input", "x"], "did you mean 'preprocess'?"),
    (["deploy", "locl"], "did you mean 'local'?"),
    (["train", "--data", "x", "--num-rounds", "3"], "did you mean --num-round?"),
    (["transform", "--input", "x", "--output", "y", "--overwrit"], "did you mean --overwrite?"),
])
def test_typos_exit_2_with_a_suggestion(argv, hint, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2 and hint in capsys.readouterr().err


class HopEngine:
    """Answers each record with `expansion` times its bytes; refuses a hop over 5 MB as the front end does."""

    name = "hop"

    def __init__(self, expansion: int):
        self.expansion = expansion
        self.sent: list[int] = []

    def invoke(self, requests, options):
        bodies = []
        for r in requests:
            self.sent.append(len(r.payload))
            hop = OversizedHop("sparkml", "xgboost", len(r.payload) * self.expansion)
            if hop.size > OversizedHop.LIMIT:
                raise InvocationError(r.first, hop.message, hop=hop)
            bodies.append(b"".join(b"1\n" for _ in range(r.count)))
        return bodies


def test_requests_are_repacked_from_the_measured_expansion_until_every_hop_fits():
    options = TransformOptions(batch_strategy="MultiRecord", max_payload_mb=6)
    sent = [b"%05d,1958,city01,red" % i for i in range(200_000)]  # 4.4 MB, answers 12x as big
    engine = HopEngine(12)
    requests, bodies = invoke_in_hops(engine, sent, records.pack(sent, "Line", "MultiRecord", 6 << 20), options)
    assert sum(r.count for r in requests) == len(sent) and b"".join(bodies).count(b"\n") == len(sent)
    assert max(len(r.payload) for r in requests) * 12 <= OversizedHop.LIMIT
    assert len(engine.sent) <= 1 + len(requests)  # one refused request measured the expansion, then all fit


def test_one_record_too_big_alone_fails_at_once_naming_max_payload_mb():
    options = TransformOptions(batch_strategy="MultiRecord", max_payload_mb=6)
    sent = [b"a,b", b"x" * 500_000, b"c,d"]
    with pytest.raises(FileFailed) as failed:
        invoke_in_hops(HopEngine(12), sent, records.pack(sent, "Line", "MultiRecord", 6 << 20), options)
    assert failed.value.record == 2  # sent with its line end: 500,001 bytes
    assert str(failed.value) == OversizedHop("sparkml", "xgboost", 500_001 * 12).one_line()
    assert "--max-payload-mb" in str(failed.value)


def test_the_front_ends_hop_message_is_read_back():
    hop = OversizedHop.parse(f"ClientError: 424: {OversizedHop('sparkml', 'xgboost', 5256488).message}")
    assert (hop.container, hop.next_container, hop.size) == ("sparkml", "xgboost", 5256488)
    assert OversizedHop.parse("Received client error (400) from sparkml") is None
