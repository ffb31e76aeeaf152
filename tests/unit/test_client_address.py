import ipaddress

from leopard.web.address import client_address

PROXIES = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("::1/128"))


def test_without_trusted_proxies_the_peer_is_the_client():
    assert client_address("203.0.113.5", "198.51.100.1", ()) == "203.0.113.5"


def test_an_untrusted_peer_cannot_name_another_address():
    assert client_address("203.0.113.5", "198.51.100.1", PROXIES) == "203.0.113.5"


def test_a_trusted_proxy_names_the_client_with_its_last_entry():
    forwarded = "1.2.3.4, 198.51.100.7"  # the first entry was the client's own say
    assert client_address("10.0.0.2", forwarded, PROXIES) == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_back():
    forwarded = "1.2.3.4, 198.51.100.7, 10.9.9.9"
    assert client_address("::1", forwarded, PROXIES) == "198.51.100.7"


def test_a_trusted_proxy_without_forwarded_for_is_the_client():
    assert client_address("10.0.0.2", None, PROXIES) == "10.0.0.2"
    assert client_address("10.0.0.2", " , ", PROXIES) == "10.0.0.2"


def test_an_entry_that_is_not_an_address_stops_the_walk():
    assert client_address("10.0.0.2", "1.2.3.4, evil", PROXIES) == "10.0.0.2"


def test_no_peer_at_all():
    assert client_address(None, "1.2.3.4", PROXIES) == "unknown"
