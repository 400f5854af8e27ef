"""bundles.trees without Spark: the protobuf tree file against the `protobuf` package's own encoder, the JSON
file round trip, chunked evaluation, and the fused multiply-add emulation against exact rational arithmetic."""

from __future__ import annotations

import math
import struct

import numpy as np
import pytest

from bundles import trees
from bundles.errors import BundleError
from bundles.trees import Forest, Split, Tree, read_tree, write_tree


def dtree_messages():
    """ml.bundle.dtree.Node built from bundle-protobuf's dtree.proto with the protobuf runtime."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    f = descriptor_pb2.FileDescriptorProto(name="dtree.proto", package="ml.bundle.dtree", syntax="proto3")
    split = f.message_type.add(name="Split")
    cat = split.nested_type.add(name="CategoricalSplit")
    T = descriptor_pb2.FieldDescriptorProto
    for name, number, kind in (("feature_index", 1, T.TYPE_UINT32), ("is_left", 2, T.TYPE_BOOL),
                               ("num_categories", 3, T.TYPE_UINT32)):
        cat.field.add(name=name, number=number, type=kind, label=T.LABEL_OPTIONAL)
    cat.field.add(name="categories", number=4, type=T.TYPE_DOUBLE, label=T.LABEL_REPEATED)
    cont = split.nested_type.add(name="ContinuousSplit")
    cont.field.add(name="feature_index", number=1, type=T.TYPE_UINT32, label=T.LABEL_OPTIONAL)
    cont.field.add(name="threshold", number=2, type=T.TYPE_DOUBLE, label=T.LABEL_OPTIONAL)
    split.oneof_decl.add(name="s")
    for name, number, tname in (("categorical", 1, ".ml.bundle.dtree.Split.CategoricalSplit"),
                                ("continuous", 2, ".ml.bundle.dtree.Split.ContinuousSplit")):
        split.field.add(name=name, number=number, type=T.TYPE_MESSAGE, type_name=tname, label=T.LABEL_OPTIONAL,
                        oneof_index=0)
    node = f.message_type.add(name="Node")
    internal = node.nested_type.add(name="InternalNode")
    internal.field.add(name="split", number=1, type=T.TYPE_MESSAGE, type_name=".ml.bundle.dtree.Split",
                       label=T.LABEL_OPTIONAL)
    leaf = node.nested_type.add(name="LeafNode")
    leaf.field.add(name="values", number=1, type=T.TYPE_DOUBLE, label=T.LABEL_REPEATED)
    node.oneof_decl.add(name="n")
    for name, number, tname in (("internal", 1, ".ml.bundle.dtree.Node.InternalNode"),
                                ("leaf", 2, ".ml.bundle.dtree.Node.LeafNode")):
        node.field.add(name=name, number=number, type=T.TYPE_MESSAGE, type_name=tname, label=T.LABEL_OPTIONAL,
                       oneof_index=0)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("ml.bundle.dtree.Node"))


SAMPLE = Tree(
    [Split(1, 0.11), Split(0, categories=(1.0, 3.0), is_left=False, num_categories=5), None, None, None],
    [[], [], [-0.5], [2.25, 1.0], [0.0]])


def write_pb(tree: Tree, path) -> None:
    Node = dtree_messages()
    out = bytearray()
    for split, values in zip(tree.splits, tree.values, strict=True):
        msg = Node()
        if split is None:
            msg.leaf.values.extend(values)
        elif split.categories is None:
            msg.internal.split.continuous.feature_index = split.feature
            msg.internal.split.continuous.threshold = split.threshold
        else:
            c = msg.internal.split.categorical
            c.feature_index, c.is_left, c.num_categories = split.feature, split.is_left, split.num_categories
            c.categories.extend(split.categories)
        data = msg.SerializeToString()
        out += struct.pack(">i", len(data)) + data
    path.write_bytes(bytes(out))


def test_tree_pb_written_by_protobuf_reads_as_the_json_tree(tmp_path):
    (tmp_path / "pb").mkdir()
    (tmp_path / "json").mkdir()
    write_pb(SAMPLE, tmp_path / "pb" / "tree.pb")
    write_tree(SAMPLE, tmp_path / "json")
    from_pb, from_json = read_tree(tmp_path / "pb"), read_tree(tmp_path / "json")
    # repr, not ==: a categorical split's threshold is NaN, and from Python 3.13 a dataclass's == compares field by
    # field (NaN != NaN) instead of as one tuple (where the same NaN object compared equal)
    assert repr(from_pb) == repr(from_json) == repr(SAMPLE)
    assert from_pb.right == [4, 3, -1, -1, -1]


def test_a_truncated_tree_pb_is_a_bundle_error(tmp_path):
    write_pb(SAMPLE, tmp_path / "tree.pb")
    (tmp_path / "tree.pb").write_bytes((tmp_path / "tree.pb").read_bytes()[:-3])
    with pytest.raises(BundleError, match="tree.pb"):
        read_tree(tmp_path)


def test_categorical_split_with_the_right_side_stored_follows_spark_for_unseen_values():
    """Spark (and MLeap) send a value the split never saw right when the left side is stored, left otherwise."""
    forest = Forest([SAMPLE])
    rows = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 0.0], [7.0, 0.0], [2.5, 0.0], [math.nan, 0.0], [0.0, math.nan]])
    leaves = forest.leaves(rows)[:, 0].tolist()
    # x1 > 0.11 -> leaf 4; x0 in {1, 3} (stored right side) -> right (3); anything not stored goes left (2), as
    # Spark's CategoricalSplit.shouldGoLeft answers `!categories.contains(x)` without isLeft: 0, 2, and the values
    # the split never saw (7, 2.5, NaN); a NaN against a threshold goes right (4)
    assert leaves == [4, 3, 2, 2, 2, 2, 4]
    assert [forest.row_leaves(r)[0] for r in rows.tolist()] == leaves
    left_stored = Forest([Tree([Split(0, categories=(1.0,), is_left=True, num_categories=5), None, None],
                               [[], [1.0], [2.0]])])
    rows = np.array([[1.0], [0.0], [7.0], [2.5], [math.nan], [-0.0]])
    leaves = left_stored.leaves(rows)[:, 0].tolist()
    assert leaves == [1, 2, 2, 2, 2, 2]  # only the stored left category goes left
    assert [left_stored.row_leaves(r)[0] for r in rows.tolist()] == leaves


def test_chunked_threaded_evaluation_equals_one_pass(monkeypatch):
    rng = np.random.default_rng(1)
    forest = Forest([SAMPLE] * 3)
    x = rng.integers(-1, 6, size=(1000, 2)).astype(float)
    x[::7, 1] = math.nan
    whole = forest.leaves(x)
    monkeypatch.setattr(trees, "CHUNK_ROWS", 64)
    np.testing.assert_array_equal(forest.leaves(x), whole)
    assert [forest.row_leaves(r) for r in x[:50].tolist()] == whole[:50].tolist()


def chain(depth: int) -> Tree:
    """A tree of `depth` splits down its left side (split i: x0 <= 0.5 - i/depth), each with a right leaf.
    Pre-order: the splits, the deepest left leaf, then the right leaves from the deepest split up."""
    splits: list[Split | None] = [Split(0, 0.5 - i / depth) for i in range(depth)] + [None] * (depth + 1)
    values = [[] for _ in range(depth)] + [[float(depth), 0.0]] + [[float(i), 1.0 / (i + 1)]
                                                                    for i in reversed(range(depth))]
    return Tree(splits, values)


def test_generated_row_code_equals_the_columnar_walk_across_chunks_and_deep_trees(monkeypatch):
    """Ensembles are generated in chunks of CHUNK_NODES nodes; a tree deeper than Python's nesting limit is
    walked instead: leaves and in-order sums must not depend on the split."""
    rng = np.random.default_rng(3)
    x = rng.uniform(-1.5, 1.5, size=(300, 2))
    x[::9, 0] = math.nan
    forests = [Forest([SAMPLE, chain(120), SAMPLE, chain(3), SAMPLE]), Forest([chain(95)]), Forest([SAMPLE] * 7)]
    for limit in (1, 6, 50_000):
        monkeypatch.setattr(trees, "CHUNK_NODES", limit)
        for forest in forests:
            forest._row_leaves = None
            table = np.array([[1.0 / (i + 3), float(i % 5)] for i in range(len(forest.feature))])
            leaves = forest.leaves(x)
            want = np.zeros((len(x), 2))
            for t in range(forest.num_trees):
                want += table[leaves[:, t]]
            sums = forest.row_sums(table)
            for r, row in enumerate(x.tolist()):
                assert forest.row_leaves(row) == leaves[r].tolist()
                assert sums(row) == want[r].tolist()


def ctree_node_class():
    """ml.bundle.ctree.Node (bundle-protobuf's ctree.proto) built with the protobuf runtime."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    f = descriptor_pb2.FileDescriptorProto(name="ctree.proto", package="ml.bundle.ctree", syntax="proto3")
    node = f.message_type.add(name="Node")
    T = descriptor_pb2.FieldDescriptorProto
    node.field.add(name="index", number=1, type=T.TYPE_UINT32, label=T.LABEL_OPTIONAL)
    node.field.add(name="norm", number=2, type=T.TYPE_DOUBLE, label=T.LABEL_OPTIONAL)
    node.field.add(name="values", number=3, type=T.TYPE_DOUBLE, label=T.LABEL_REPEATED)
    node.field.add(name="num_children", number=4, type=T.TYPE_UINT32, label=T.LABEL_OPTIONAL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("ml.bundle.ctree.Node"))


def test_a_cluster_tree_pb_written_by_protobuf_reads_as_its_json_tree(tmp_path):
    from bundles.ops import bisecting_k_means as bkm

    root = bkm.ClusterNode(-1, 2.5, [0.5, 1.5], [bkm.ClusterNode(0, 1.0, [0.0, 1.0]),
                                             bkm.ClusterNode(-2, 3.0, [2.0, -1.0], [bkm.ClusterNode(1, 0.0, [0.0, 0.0]),
                                                                               bkm.ClusterNode(2, 4.0, [4.0, 0.0])])])
    Node = ctree_node_class()
    out = bytearray()

    def visit(n: bkm.ClusterNode) -> None:
        nonlocal out
        msg = Node(index=n.index & 0xFFFFFFFF, norm=n.norm, values=n.values, num_children=len(n.children))
        data = msg.SerializeToString()
        out += struct.pack(">i", len(data)) + data
        for child in n.children:
            visit(child)

    visit(root)
    (tmp_path / "pb").mkdir()
    (tmp_path / "json").mkdir()
    (tmp_path / "pb" / "tree.pb").write_bytes(bytes(out))
    bkm.write_tree(root, tmp_path / "json" / "tree.json")
    assert bkm.read_tree(tmp_path / "pb") == bkm.read_tree(tmp_path / "json") == root
    (tmp_path / "pb" / "tree.pb").write_bytes(bytes(out)[:-2])
    with pytest.raises(BundleError, match="tree.pb"):
        bkm.read_tree(tmp_path / "pb")
