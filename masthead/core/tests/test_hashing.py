"""Client addresses: forwarding headers count only from trusted proxies."""

from django.test import RequestFactory

from masthead.core.hashing import client_ip, ip_hash, network_key


def request(peer, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.MASTHEAD_TRUSTED_PROXIES = []
    assert client_ip(request("198.51.100.1", "203.0.113.9")) == "198.51.100.1"


def test_from_an_untrusted_peer_the_header_is_ignored(settings):
    settings.MASTHEAD_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(request("198.51.100.1", "203.0.113.9")) == "198.51.100.1"


def test_behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client(settings):
    settings.MASTHEAD_TRUSTED_PROXIES = ["10.0.0.0/8", "192.168.1.5"]
    # The client wrote "1.2.3.4" itself; its real address was appended by the first proxy.
    chain = "1.2.3.4, 203.0.113.9, 10.4.4.4"
    assert client_ip(request("192.168.1.5", chain)) == "203.0.113.9"


def test_garbled_or_missing_chains_fall_back_to_the_proxy(settings):
    settings.MASTHEAD_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("10.0.0.2", "not-an-ip")) == "10.0.0.2"
    assert client_ip(request("10.0.0.2")) == "10.0.0.2"
    assert client_ip(request("10.0.0.2", "[2001:db8::7]:443")) == "2001:db8::7"


def test_ipv6_clients_are_keyed_by_their_64_network(settings):
    settings.MASTHEAD_TRUSTED_PROXIES = []
    one = ip_hash(request("2001:db8:1:2::10"))
    other = ip_hash(request("2001:db8:1:2:ffff::99"))
    elsewhere = ip_hash(request("2001:db8:1:3::10"))
    assert one == other != elsewhere
    assert network_key("::ffff:192.0.2.1") == "192.0.2.1"
