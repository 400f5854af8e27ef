"""Runtime values: sparse vectors stay sparse, string arrays stay lists, input types read as Spark reads them."""

from __future__ import annotations

import numpy as np
import pytest

from bundles.attributes import scalar_shape, tensor_shape
from bundles.frame import Frame, as_float_matrix, object_column
from bundles.ops.base import Shape
from bundles.ops.string_indexer import StringIndexer
from bundles.ops.vector_assembler import VectorAssembler
from jvm import murmur3
from jvm.number_text import java_double, java_float
from jvm.vectors import SparseMatrix, SparseVector, dense_matrix, dense_row, hstack


def sparse_rows() -> list[SparseVector]:
    return [SparseVector(6, [1, 4], [2.0, -1.0]), SparseVector(6, [], []), SparseVector(6, [0, 5], [3.0, 0.5])]


def test_a_sparse_column_keeps_its_rows_through_masks_and_densifies_only_on_request():
    m = SparseMatrix.from_rows(sparse_rows(), 6)
    assert m.shape == (3, 6) and len(m) == 3 and m.ndim == 2
    assert m[2] == sparse_rows()[2]
    kept = m[np.array([True, False, True])]
    assert isinstance(kept, SparseMatrix) and kept.tolist() == [sparse_rows()[0], sparse_rows()[2]]
    np.testing.assert_array_equal(dense_matrix(m), [r.dense() for r in sparse_rows()])
    np.testing.assert_array_equal(SparseMatrix.from_dense(m.toarray()).toarray(), m.toarray())


def test_frame_keep_drops_rows_of_sparse_and_array_columns_alike():
    frame = Frame({"v": SparseMatrix.from_rows(sparse_rows(), 6), "t": object_column([["a"], ["b", "c"], []])})
    frame.keep(np.array([False, True, True]))
    assert frame.columns["v"].tolist() == sparse_rows()[1:]
    assert frame.columns["t"].tolist() == [["b", "c"], []]
    assert frame.rows.tolist() == [1, 2]


def test_object_column_never_turns_equal_length_lists_into_a_matrix():
    col = object_column([["a", "b"], ["c", "d"]])
    assert col.shape == (2,) and col[1] == ["c", "d"]


def test_sparse_dot_sums_each_row_in_index_order():
    m = SparseMatrix.from_rows(sparse_rows(), 6)
    w = np.arange(6, dtype=np.float64) + 0.25
    np.testing.assert_array_equal(m.dot(w), m.toarray() @ w)
    w2 = np.stack([w, -w], axis=1)
    np.testing.assert_array_equal(m.dot(w2), m.toarray() @ w2)


def test_vector_assembler_keeps_a_sparse_input_sparse_on_both_paths():
    op = VectorAssembler("va", Shape([("input0", "x"), ("input1", "v")], [("output", "out")]),
                         [scalar_shape(), tensor_shape(6)])
    frame = Frame({"x": np.array([1.5, 0.0, 2.0]), "v": SparseMatrix.from_rows(sparse_rows(), 6)})
    op.transform(frame)
    out = frame.columns["out"]
    assert isinstance(out, SparseMatrix) and out.size == 7
    np.testing.assert_array_equal(out.toarray(), np.hstack([[[1.5], [0.0], [2.0]], dense_matrix(frame.columns["v"])]))
    row = {"x": 1.5, "v": sparse_rows()[0]}
    op.transform_row(row)
    assert row["out"] == SparseVector(7, [0, 2, 5], [1.5, 2.0, -1.0])
    assert hstack([np.zeros((3, 2)), frame.columns["v"]]).size == 8


def test_dense_helpers_accept_lists_and_sparse_vectors():
    assert dense_row(SparseVector(3, [2], [4.0])) == [0.0, 0.0, 4.0]
    assert dense_row((1, 2)) == [1.0, 2.0]
    frame = Frame({"v": object_column([[1.0, 2.0], SparseVector(2, [1], [5.0])])})
    np.testing.assert_array_equal(as_float_matrix(frame.columns["v"], "v", frame), [[1.0, 2.0], [0.0, 5.0]])


def test_string_indexer_reads_int_float_and_double_columns_as_spark_casts_them():
    op = StringIndexer("si", Shape.single("x", "i"), [["3", "0.1", "1.0E-4", "2.5"]], "keep")
    columns = {"x": np.array([3, 7], dtype=np.int64)}
    op.transform(frame := Frame(columns))
    assert frame.columns["i"].tolist() == [0.0, 4.0]
    frame = Frame({"x": np.array([0.1, 1e-4, 2.5], dtype=np.float32)})
    op.transform(frame)
    assert frame.columns["i"].tolist() == [1.0, 2.0, 3.0]
    row = {"x": np.float32(0.1)}
    op.transform_row(row)
    assert row["i"] == 1.0
    assert java_float(0.1) == "0.1" and java_float(1e10) == "1.0E10" and java_float(-0.0) == "-0.0"
    assert java_float(1e-45) == "1.4E-45" and java_double(5e-324) == "4.9E-324"  # JDK 17, checked in jshell


@pytest.mark.parametrize(("data", "standard"), [
    (b"", 142593372), (b"a", -1293573533), (b"abcd", None), (b"abcde", None), ("héllo".encode(), -159043077),
])
def test_murmur3_version_2_is_standard_murmurhash3_and_version_1_differs_on_tails(data, standard):
    if standard is not None:
        assert murmur3.hash_bytes(data) == standard
    if len(data) % 4:
        assert murmur3.hash_bytes(data, version=1) != murmur3.hash_bytes(data, version=2)
    else:
        assert murmur3.hash_bytes(data, version=1) == murmur3.hash_bytes(data, version=2)


def test_a_multi_column_string_indexer_node_as_mleap_for_spark_3_5_writes_it_loads_and_indexes_each_column(tmp_path):
    """MLeap >= 0.23.3 (Spark 3.4/3.5) writes one node: labels_length N, labels_array_<i>, ports input<i>/output<i>."""
    import json

    from bundles.graph import load_node

    (tmp_path / "model.json").write_text(json.dumps({"op": "string_indexer", "attributes": {
        "labels_length": {"int": 2}, "handle_invalid": {"string": "keep"},
        "labels_array_0": {"string": ["b", "a"], "type": "list"},
        "labels_array_1": {"string": ["3", "7", "1"], "type": "list"}}}))
    (tmp_path / "node.json").write_text(json.dumps({"name": "si", "shape": {
        "inputs": [{"port": "input0", "name": "letter"}, {"port": "input1", "name": "digit"}],
        "outputs": [{"port": "output0", "name": "letter_i"}, {"port": "output1", "name": "digit_i"}]}}))
    op = load_node(tmp_path)
    frame = Frame({"letter": object_column(["a", "z", "b"]), "digit": np.array([1, 3, 9], dtype=np.int64)})
    op.transform(frame)
    assert frame.columns["letter_i"].tolist() == [1.0, 2.0, 0.0]
    assert frame.columns["digit_i"].tolist() == [2.0, 0.0, 3.0]
    row = {"letter": "b", "digit": 7}
    op.transform_row(row)
    assert (row["letter_i"], row["digit_i"]) == (0.0, 1.0)
