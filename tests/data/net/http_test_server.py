"""A small HTTP server for the HTTP client tests (tests/core/net).

Routes: /text (a fixed body), /echo (the request as JSON), /redirect/N (N
relative hops, then /echo), /elsewhere (an absolute redirect to another
origin: "localhost" instead of "127.0.0.1"), /see-other (303 after a POST),
/bytes (1000 bytes, honours Range), /cut (promises 1000 bytes, sends 400 and
closes), /status/CODE (that status with a JSON error), /hub-error (a 401 with
the Hub's X-Error-Message), /slow (bytes trickling in for cancel tests).
Prints "PORT <n>" first, then serves until killed.
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAYLOAD = bytes((i * 7 + 3) % 256 for i in range(1000))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="application/octet-stream", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def route(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path
        port = self.server.server_address[1]
        if path == "/text":
            return self.send(200, b"hello from the test server", "text/plain")
        if path == "/echo":
            answer = {"method": self.command, "path": path, "body": body.decode("utf-8", "replace"),
                      "headers": {k.lower(): v for k, v in self.headers.items()}}
            return self.send(200, json.dumps(answer).encode(), "application/json")
        if path.startswith("/redirect/"):
            left = int(path.rsplit("/", 1)[1])
            target = "/echo" if left == 0 else "../redirect/%d" % (left - 1)
            return self.send(302, b"", extra=[("Location", target), ("X-Hop", str(left))])
        if path == "/elsewhere":
            return self.send(302, b"", extra=[("Location", "http://localhost:%d/echo" % port)])
        if path == "/see-other":
            return self.send(303, b"", extra=[("Location", "/echo")])
        if path == "/bytes":
            start = 0
            rng = self.headers.get("Range")
            if rng and rng.startswith("bytes=") and rng.endswith("-"):
                start = int(rng[6:-1])
                return self.send(206, PAYLOAD[start:], extra=[
                    ("Content-Range", "bytes %d-%d/%d" % (start, len(PAYLOAD) - 1, len(PAYLOAD)))])
            return self.send(200, PAYLOAD)
        if path == "/cut":
            self.send_response(200)
            self.send_header("Content-Length", str(len(PAYLOAD)))
            self.end_headers()
            self.wfile.write(PAYLOAD[:400])
            self.wfile.flush()
            self.close_connection = True
            return
        if path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            return self.send(code, json.dumps({"error": "made-up failure %d" % code}).encode(),
                             "application/json")
        if path == "/hub-error":
            return self.send(401, b"{}", "application/json", extra=[
                ("X-Error-Code", "GatedRepo"), ("X-Error-Message", "Access to this model is restricted.")])
        if path == "/slow":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(1000):
                self.wfile.write(b"x" * 100)
                self.wfile.flush()
                time.sleep(0.01)
            return
        return self.send(404, b"no such route", "text/plain")

    do_GET = route
    do_POST = route
    do_HEAD = route


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
