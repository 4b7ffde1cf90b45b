"""Ports chosen for one run of the servers are distinct: two servers of a run never race for one
port (a run of `legalbot run` once found its console's port answering already)."""

import socket

from ops.servers import free_ports


def test_ports_chosen_together_are_distinct_and_free():
    ports = free_ports(500)  # drawn one after another, 500 of about 28,000 coincide almost surely
    assert len(set(ports)) == len(ports) == 500
    for port in ports[:20]:
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))  # nothing holds it any longer
