"""How a fetch's partitions are packed into transactions."""

from aiokafka import TopicPartition

from kring_platform.consumer import packed


def partitions(*sizes: int) -> dict[TopicPartition, int]:
    return {TopicPartition("t", i): size for i, size in enumerate(sizes)}


def test_a_trickle_of_every_partition_is_one_pack() -> None:
    sizes = partitions(1, 2, 0, 1, 1, 3)
    assert packed(sizes, 500) == [list(sizes)]


def test_full_partitions_are_a_pack_each_and_small_ones_fill_up_in_order() -> None:
    sizes = partitions(500, 300, 150, 100, 700, 0)
    t = list(sizes)
    assert packed(sizes, 500) == [[t[0]], [t[1], t[2]], [t[3]], [t[4]], [t[5]]]


def test_partitions_with_nothing_to_apply_are_packed_too() -> None:
    # Their records are all ignored (tombstones, other types): their offsets still move on.
    assert packed(partitions(0), 500) == [list(partitions(0))]
    sizes = partitions(0, 0, 3)
    assert packed(sizes, 500) == [list(sizes)]


def test_no_partition_no_pack() -> None:
    assert packed({}, 500) == []
