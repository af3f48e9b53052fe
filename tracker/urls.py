"""URL normalisation, so one article reached by several URLs is stored once."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that say how a reader arrived, not what they read.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "_hs")
_TRACKING_NAMES = {
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mkt_tok", "ref",
    "ref_src", "ref_url", "cmpid", "cmp", "source", "src", "ncid", "taid",
    "sr_share", "smid", "partner", "guccounter", "guce_referrer", "guce_referrer_sig",
    "output", "amp", "outputtype", "rss", "feed", "s_cid", "icid", "intcmp",
    "_ga", "_gl", "ito", "at_medium", "at_campaign", "xtor", "ocid", "cid", "sref",
}


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in _TRACKING_NAMES or low.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The URL to store: no fragment, no tracking parameters, sorted query,
    lower-case host without default port. Scheme and path are kept so the URL
    still works when fetched again."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "https"
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    )
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def url_key(url: str) -> str:
    """Identity of a document: the canonical URL without scheme, "www." and
    trailing slash, so http/https and slash variants compare equal."""
    parts = urlsplit(canonical_url(url))
    host = parts.netloc
    if host.startswith("www."):
        host = host[4:]
    path = parts.path.rstrip("/") or "/"
    for suffix in ("/index.html", "/index.htm", "/amp"):
        if path.endswith(suffix) and len(path) > len(suffix):
            path = path[: -len(suffix)]
    key = host + path
    if parts.query:
        key += "?" + parts.query
    return key
