"""The client's address, one rule for the login lockout and the rate limit."""

import ipaddress

from django.conf import settings


def _adresse(wert):
    try:
        adresse = ipaddress.ip_address(wert.strip())
    except ValueError:
        return None
    if adresse.version == 6:
        if adresse.ipv4_mapped:
            return str(adresse.ipv4_mapped)
        # One IPv6 client usually holds a whole /64; counting single addresses would let it
        # switch addresses to escape the lockout.
        return str(ipaddress.ip_network(f"{adresse}/64", strict=False).network_address)
    return str(adresse)


def client_ip_adresse(request):
    """The client's address for the login lockout (AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, or the header a trusted reverse proxy sets (`REAL_IP_HEADER`, read per request):
    a header the client sends itself is ignored unless the deployment names it.
    """
    header = getattr(settings, "REAL_IP_HEADER", "")
    if header:
        schluessel = header.upper().replace("-", "_")
        if not schluessel.startswith("HTTP_"):
            schluessel = f"HTTP_{schluessel}"
        # The proxy appends the address it saw; entries further left come from the client and
        # could be forged.
        adresse = _adresse(request.META.get(schluessel, "").split(",")[-1])
        if adresse:
            return adresse
    return _adresse(request.META.get("REMOTE_ADDR", ""))
