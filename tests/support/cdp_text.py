"""Renders a page in headless Chromium and waits until its text contains a marker.

Usage: python3 cdp_text.py CHROMIUM URL MARKER SECONDS [CHROMIUM-FLAG...]
Talks the DevTools protocol over --remote-debugging-pipe (fds 3 and 4; no extra
packages). `--dump-dom` cannot wait for apps that render over a websocket
(Streamlit): it dumps the page's skeleton before the first message arrives.
Prints the page text last seen; exit 0 when the marker appeared, 1 otherwise.
"""
import json
import os
import subprocess
import sys
import shutil
import tempfile
import time

chromium, url, marker, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
extra_flags = sys.argv[5:]
to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()


def wire_fds():
    # Duplicate first: the pipe's own fds may be 3 or 4 (and are close-on-exec).
    reader, writer = os.dup(to_chrome_r), os.dup(from_chrome_w)
    os.dup2(reader, 3)
    os.dup2(writer, 4)


profile = tempfile.mkdtemp(prefix="codingit-cdp-")
proc = subprocess.Popen(
    [chromium, "--headless", "--no-sandbox", "--disable-gpu",
     "--disable-background-networking", "--disable-component-update", "--disable-sync",
     "--no-first-run", "--user-data-dir=" + profile, "--remote-debugging-pipe",
     *extra_flags, "about:blank"],
    preexec_fn=wire_fds, pass_fds=(3, 4),
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    # Crash reports and caches go under the profile too, never the user's ~/.config.
    env=dict(os.environ, HOME=profile, XDG_CONFIG_HOME=profile, XDG_CACHE_HOME=profile),
)
os.close(to_chrome_r)
os.close(from_chrome_w)
buffer = b""
next_id = 0


def call(method, params=None, session=None):
    global buffer, next_id
    next_id += 1
    message = {"id": next_id, "method": method, "params": params or {}}
    if session:
        message["sessionId"] = session
    os.write(to_chrome_w, json.dumps(message).encode() + b"\0")
    while True:
        while b"\0" not in buffer:
            chunk = os.read(from_chrome_r, 1 << 16)
            if not chunk:
                raise SystemExit("chromium closed the pipe")
            buffer += chunk
        raw, buffer = buffer.split(b"\0", 1)
        reply = json.loads(raw)
        if reply.get("id") == next_id:
            if "error" in reply:
                raise SystemExit(f"{method}: {reply['error']}")
            return reply["result"]


text = ""
try:
    target = call("Target.createTarget", {"url": url})["targetId"]
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    deadline = time.time() + seconds
    while time.time() < deadline:
        result = call("Runtime.evaluate", {
            "expression": "document.body ? document.body.innerText : ''",
            "returnByValue": True}, session)
        text = result.get("result", {}).get("value") or ""
        if marker in text:
            break
        time.sleep(0.5)
finally:
    proc.kill()
    proc.wait()
    shutil.rmtree(profile, ignore_errors=True)
print(text)
sys.exit(0 if marker in text else 1)
