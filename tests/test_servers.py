"""Ports chosen for one run of the servers are distinct: two servers of a run never race for one
port (a run of `legalbot run` once found its console's port answering already). The Rasa workers
ready for connections are counted by the sockets listening on their port."""

import socket

from ops.servers import free_ports, listening_sockets


def test_ports_chosen_together_are_distinct_and_free():
    ports = free_ports(500)  # drawn one after another, 500 of about 28,000 coincide almost surely
    assert len(set(ports)) == len(ports) == 500
    for port in ports[:20]:
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))  # nothing holds it any longer


def test_only_listening_sockets_count_as_workers():
    """Two sockets sharing a port (SO_REUSEPORT), one listening and one only bound, as the served
    Rasa's main process and a worker hold theirs: one counts; a second listening one makes two."""

    def shared(port: int) -> socket.socket:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        s.bind(("127.0.0.1", port))
        return s

    with shared(0) as reserving:
        port = reserving.getsockname()[1]
        assert listening_sockets(port) == 0
        with shared(port) as first, shared(port) as second:
            first.listen()
            assert listening_sockets(port) == 1
            second.listen()
            assert listening_sockets(port) == 2
        assert listening_sockets(port) == 0
