"""Keep-alive clients post to `dlstation serve` while it is sent SIGTERM; every request sent is counted.

  python3 bench/reference/drain_check.py --url http://127.0.0.1:8080 --model resnet50 --clients 32 \
      --pid "$(pgrep -f 'dlstation.* serve')" --after 3

Each client thread holds one HTTP/1.1 keep-alive connection (Python's http.client) and posts one
KServe v2 binary-tensor request after another (a random input of the model's shape and datatype, read
from its metadata). After --after seconds the server's process gets SIGTERM. A request whose bytes were
sent must come back with a status line: 200, or 503 while draining. A client told `Connection: close`
reconnects; a refused connection ends it. Prints one JSON line: requests sent, answers by status, and
`unanswered` (sent, then the connection ended with no status line), which must be 0.
"""
import argparse
import collections
import http.client
import json
import os
import signal
import struct
import threading
import time
import urllib.parse

SIZES = {"UINT8": 1, "INT8": 1, "FP16": 2, "FP32": 4, "INT32": 4, "INT64": 8, "FP64": 8, "BOOL": 1}


def body_for(host, port, model):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", f"/v2/models/{model}")
    meta = json.loads(conn.getresponse().read())
    conn.close()
    inputs, blobs = [], []
    for spec in meta["inputs"]:
        shape = [1 if d < 0 else d for d in spec["shape"]]
        count = 1
        for d in shape:
            count *= d
        size = count * SIZES[spec["datatype"]]
        data = os.urandom(size) if spec["datatype"] == "UINT8" else bytes(size)  # pixels, or zeros
        inputs.append({"name": spec["name"], "shape": shape, "datatype": spec["datatype"],
                       "parameters": {"binary_data_size": len(data)}})
        blobs.append(data)
    header = json.dumps({"inputs": inputs}).encode()
    return header + b"".join(blobs), len(header)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--model", required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--pid", type=int, required=True, help="the server's process, sent SIGTERM")
    parser.add_argument("--after", type=float, default=3.0, help="seconds of load before SIGTERM")
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    body, header_length = body_for(url.hostname, url.port, args.model)
    headers = {"Content-Type": "application/octet-stream", "Inference-Header-Content-Length": str(header_length)}
    path = f"/v2/models/{args.model}/infer"
    counts, failures, lock = collections.Counter(), [], threading.Lock()
    start = time.time()

    def client(i):
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        while True:
            try:
                conn.request("POST", path, body=body, headers=headers)
            except ConnectionRefusedError:
                with lock:
                    counts["refused new connection"] += 1
                return
            except OSError as e:  # the request did not go out whole: not counted as sent
                with lock:
                    counts["could not send"] += 1
                    failures.append((round(time.time() - start, 3), i, "send: " + repr(e)))
                return
            with lock:
                counts["sent"] += 1
            try:
                answer = conn.getresponse()
                answer.read()
            except (http.client.HTTPException, OSError) as e:
                with lock:
                    counts["unanswered"] += 1
                    failures.append((round(time.time() - start, 3), i, repr(e)))
                return
            with lock:
                counts[str(answer.status)] += 1
                if (answer.getheader("Connection") or "").lower() == "close":
                    counts["told Connection: close"] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    for t in threads:
        t.start()
    time.sleep(args.after)
    signalled = time.time()
    os.kill(args.pid, signal.SIGTERM)
    for t in threads:
        t.join()
    counts.setdefault("unanswered", 0)
    print(json.dumps({"clients": args.clients, "sigterm_after_s": round(signalled - start, 2),
                      "counts": dict(counts), "failures": failures[:20]}))


if __name__ == "__main__":
    main()
