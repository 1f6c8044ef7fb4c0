"""The ports of every profile and slot (no running stack needed): parallel stacks must never
share a port, and none may sit where Linux picks the ports of outgoing connections."""

from kring_stack.profiles import MAX_SLOT, PROFILES, in_slot
from kring_stack.services import KNOWN_SERVICES, MAX_REPLICAS


def _ephemeral_floor() -> int:
    """The lowest port Linux may give an outgoing connection (32768 unless tuned)."""
    with open("/proc/sys/net/ipv4/ip_local_port_range") as ranges:
        return int(ranges.read().split()[0])


def _every_port() -> list[tuple[str, int]]:
    """(who, port) for every listener of every slot of every profile."""
    ports: list[tuple[str, int]] = []
    for profile_name, base in PROFILES.items():
        for slot in range(MAX_SLOT + 1):
            profile = in_slot(base, slot)
            where = f"{profile_name} slot {slot}"
            ports += [
                (f"{where} postgres", profile.pg_port),
                (f"{where} kafka", profile.kafka_port),
                (f"{where} kafka controller", profile.kafka_controller_port),
                (f"{where} smtp", profile.smtp_port),
            ]
            ports += [
                (f"{where} {spec.name} replica {replica}", spec.port_for(profile, replica))
                for spec in KNOWN_SERVICES
                for replica in range(MAX_REPLICAS)
            ]
    return ports


def test_no_two_listeners_of_any_slots_share_a_port() -> None:
    holders: dict[int, str] = {}
    for who, port in _every_port():
        assert port not in holders, f"{who} and {holders[port]} both on {port}"
        holders[port] = who


def test_service_ports_stay_below_the_ephemeral_range() -> None:
    floor = min(_ephemeral_floor(), 32768)
    services = [(who, port) for who, port in _every_port() if "replica" in who]
    assert max(port for _, port in services) < floor, [p for p in services if p[1] >= floor]
