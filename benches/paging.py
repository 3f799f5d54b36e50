"""Reading every page of a System Log query with plain HTTP: the floor the benchmarks compare
oktaform against, shared by logs.py and query.py."""

import urllib.request


def count_events(first_url, token):
    """Follows `Link: rel="next"` from `first_url` to the end; returns the events served."""
    next_url, served = first_url, 0
    while next_url:
        request = urllib.request.Request(next_url, headers={"Authorization": f"SSWS {token}"})
        with urllib.request.urlopen(request) as response:
            served += response.read().count(b'"uuid"')
            links = response.headers.get_all("link") or []
        next_url = next((l.split(">")[0].lstrip("<") for l in links if 'rel="next"' in l), None)
    return served
