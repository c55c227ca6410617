"""Follows Gatehouse's revocation feed (standard library only): a set of revoked session ids
that a resource server checks each access token's `sid` claim against, with no call per request.

    GATEHOUSE_URL=https://auth.example.com GATEHOUSE_SERVICE_KEY=gsk_... python3 revocation_follower.py
"""
import json, os, threading, time, urllib.request

BASE = os.environ.get("GATEHOUSE_URL", "http://127.0.0.1:8000")
KEY = os.environ["GATEHOUSE_SERVICE_KEY"]
revoked = {}  # sid -> not_after (epoch ms); check `sid in revoked` when you accept a token
lock = threading.Lock()
last_event_id = None


def is_revoked(sid):
    with lock:
        return sid in revoked


def follow():
    """Reads the stream forever; reconnects with Last-Event-ID (repeats are harmless)."""
    global last_event_id
    delay = 1
    while True:
        headers = {"Authorization": f"Bearer {KEY}", "Accept": "text/event-stream"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        try:
            req = urllib.request.Request(f"{BASE}/v1/revocations/stream", headers=headers)
            with urllib.request.urlopen(req, timeout=60) as stream:  # > the 15 s heartbeat
                delay, event = 1, {}
                for raw in stream:
                    line = raw.decode("utf-8").rstrip("\r\n")
                    if line == "":  # blank line: the event is complete
                        if event.get("event") == "revocation":
                            entry = json.loads(event["data"])
                            with lock:
                                revoked[entry["sid"]] = entry["not_after"]
                            last_event_id = event.get("id", last_event_id)
                        elif event.get("event") == "caught-up":
                            print(f"caught up: {len(revoked)} revoked sessions", flush=True)
                        event = {}
                    elif line.startswith(":"):  # a heartbeat: drop entries whose tokens have all expired
                        now_ms = time.time() * 1000
                        with lock:
                            for sid in [s for s, t in revoked.items() if t <= now_ms]:
                                del revoked[sid]
                    else:
                        field, _, value = line.partition(":")
                        event[field] = value[1:] if value.startswith(" ") else value
        except Exception as err:  # lost: keep the set; your fail-closed policy decides how long
            print(f"feed lost ({err}); reconnecting in {delay} s", flush=True)
            time.sleep(delay)
            delay = min(delay * 2, 30)


if __name__ == "__main__":
    follow()
