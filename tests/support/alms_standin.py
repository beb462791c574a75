#!/usr/bin/env python3
"""A local stand-in for the ALMS (AirVantage) REST API, for tests only.

One server holds several tenants, one per data center, told apart by the first path segment:
http://127.0.0.1:PORT/na/api/... and http://127.0.0.1:PORT/eu/api/... Each tenant has its own
client credentials, company uid, tokens and systems; a token of one tenant is refused by the
other, like the real data centers.

Implemented (the subset the station uses):
  POST /<t>/api/oauth/token          grant_type=client_credentials; the client id/secret as HTTP
                                     Basic, or as client_id/client_secret in the form body
                                     (which ones a tenant takes: /_standin/client_auth);
                                     refused: 401 {"error": "invalid_client"}
  GET  /<t>/api/v1/systems           ?gateway=imei:<IMEI>|serialNumber:<SN>&fields=..&company=..
  POST /<t>/api/v1/systems           create; a second system with an IMEI already present is
                                     refused (400 system.gateway.imei.not.unique) and counted
  PUT  /<t>/api/v1/systems/<uid>     update (the station's assumed call for a SIM swap):
                                     merges the body's "subscription" into the system's;
                                     404 system.not.found for an unknown uid; counted

Control endpoints (no tenant prefix), for tests:
  GET  /_standin/state               {"tenants": {t: {systems, systems_per_serial ({serial: n}),
                                      creates, rejected_creates, updates,
                                      tokens_issued, requests: [{method, path, query, on, auth,
                                      client_auth}], ...}}}  (client_auth: where a token
                                      request carried the client id/secret: basic | body |
                                      both | none; never the values)
  POST /_standin/faults              {"tenant": t, "faults": [fault, ...]}   queue faults
  POST /_standin/systems             {"tenant": t, "system": {...}}           seed a system
                                     (a system in a given data center with a given ICCID:
                                     {"gateway": {"imei", "serialNumber"},
                                      "subscription": {"identifier": ICCID}})
  POST /_standin/expire_tokens       {"tenant": t}                            revoke tokens now
  POST /_standin/client_auth         {"tenant": t, "accept": "basic"|"body"|"either"}
                                     how the token endpoint takes the client credentials
                                     (default basic; a reset restores it)
  POST /_standin/reset               forget systems, tokens, faults, counters

A fault applies to the next request(s) of its tenant that match "on" (token | lookup | create
| update | any), "count" times (default 1, -1 = until reset), first queued first:
  {"kind": "status", "status": 503, "retry_after": "2", "body": {...}|"text"}
  {"kind": "slow", "delay_ms": 1500}          answer normally, late
  {"kind": "drop"}                            close the connection without answering
  {"kind": "malformed"}                       200 with a truncated JSON body
  {"kind": "expire_token"}                    revoke the tenant's tokens before handling
A "status" fault of 200 on an update answers without applying it (the read-back then shows
the old ICCID). With "after": true the request takes effect first (e.g. the system is
created) and only the answer is replaced: the client cannot know whether it worked.

Tenants come from --config FILE (JSON {"tenants": {t: {client_id, client_secret, company}},
"token_ttl": s}) or default to na/eu with client ids "<t>-client", secrets "<t>-secret" and
companies "<t>-company". --tls-cert/--tls-key serve https instead of http. The port is written to --port-file (atomically) and printed.
"""

import argparse
import base64
import json
import os
import secrets
import signal
import ssl
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LOCK = threading.Lock()


class Tenant:
    def __init__(self, name, client_id, client_secret, company):
        self.name = name
        self.client_id = client_id
        self.client_secret = client_secret
        self.company = company
        self.reset()

    def reset(self):
        self.systems = []
        self.tokens = {}  # token -> expiry (monotonic)
        self.faults = []
        self.creates = 0
        self.rejected_creates = 0
        self.updates = 0
        self.tokens_issued = 0
        self.requests = []
        self.client_auth = "basic"  # basic | body | either

    def per_serial(self):
        """How many systems each serial number has: a unit registered twice shows 2."""
        counts = {}
        for system in self.systems:
            serial = (system.get("gateway") or {}).get("serialNumber") or ""
            counts[serial] = counts.get(serial, 0) + 1
        return counts

    def state(self):
        return {
            "systems": self.systems,
            "systems_per_serial": self.per_serial(),
            "creates": self.creates,
            "rejected_creates": self.rejected_creates,
            "updates": self.updates,
            "tokens_issued": self.tokens_issued,
            "request_count": len(self.requests),
            "requests": self.requests[-500:],
            "pending_faults": len(self.faults),
        }


class Standin:
    def __init__(self, tenants, token_ttl):
        self.tenants = tenants
        self.token_ttl = token_ttl

    def take_fault(self, tenant, on):
        for fault in tenant.faults:
            if fault.get("on", "any") in (on, "any"):
                count = fault.get("count", 1)
                if count > 0:
                    fault["count"] = count - 1
                    if fault["count"] == 0:
                        tenant.faults.remove(fault)
                return dict(fault)
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "alms-standin/1"

    def log_message(self, fmt, *args):  # quiet: tests read the state instead
        pass

    # ---- plumbing -------------------------------------------------------------------------
    def body_bytes(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def send(self, status, payload=None, headers=None, raw=None):
        data = raw if raw is not None else (b"" if payload is None else json.dumps(payload).encode())
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(2)
        except OSError:
            pass

    # ---- dispatch -------------------------------------------------------------------------
    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def dispatch(self, method):
        body = self.body_bytes()
        url = urlsplit(self.path)
        parts = url.path.strip("/").split("/", 1)
        standin = self.server.standin
        if parts[0] == "_standin":
            return self.control(method, parts[1] if len(parts) > 1 else "", body)
        tenant = standin.tenants.get(parts[0])
        rest = "/" + (parts[1] if len(parts) > 1 else "")
        if tenant is None:
            return self.send(404, {"error": "unknown.tenant"})
        if rest == "/api/oauth/token" and method == "POST":
            on = "token"
        elif rest == "/api/v1/systems" and method == "GET":
            on = "lookup"
        elif rest == "/api/v1/systems" and method == "POST":
            on = "create"
        elif rest.startswith("/api/v1/systems/") and method == "PUT":
            on = "update"
        else:
            on = "other"
        auth = self.headers.get("Authorization", "")
        with LOCK:
            tenant.requests.append({"method": method, "path": self.path, "query": url.query,
                                    "on": on,
                                    "auth": auth.split(" ", 1)[0].lower() if auth else "none",
                                    "client_auth": client_auth_kind(on, auth, body)})
            fault = standin.take_fault(tenant, on)
            if fault and fault.get("kind") == "expire_token":
                tenant.tokens.clear()
                fault = None
        if fault and not fault.get("after") and self.apply_fault(fault):
            return
        status, payload = self.handle_api(tenant, on, method, url, body, auth)
        if fault and fault.get("after") and self.apply_fault(fault):
            return
        self.send(status, payload)

    def apply_fault(self, fault):
        """Answers with the fault; False when the request should be answered normally."""
        kind = fault.get("kind")
        if kind == "slow":
            time.sleep(fault.get("delay_ms", 1000) / 1000.0)
            return False
        if kind == "drop":
            self.drop()
            return True
        if kind == "malformed":
            self.send(200, raw=b'{"items": [{"uid": "trunc')
            return True
        if kind == "status":
            headers = {}
            if "retry_after" in fault:
                headers["Retry-After"] = str(fault["retry_after"])
            body = fault.get("body")
            if isinstance(body, str):
                self.send(fault.get("status", 500), raw=body.encode(), headers=headers)
            else:
                self.send(fault.get("status", 500), body, headers=headers)
            return True
        return False

    # ---- the API --------------------------------------------------------------------------
    def handle_api(self, tenant, on, method, url, body, auth):
        if on == "token":
            return self.token(tenant, body, auth)
        if on == "other":
            return 404, {"error": "not.found"}
        with LOCK:
            if not auth.startswith("Bearer "):
                return 401, {"error": "unauthorized"}
            expiry = tenant.tokens.get(auth[len("Bearer "):])
            if expiry is None or expiry < time.monotonic():
                return 401, {"error": "invalid_token"}
        query = parse_qs(url.query)
        company = query.get("company", [None])[0]
        if company is not None and company != tenant.company:
            return 403, {"error": "company.forbidden", "errorParameters": [company]}
        if on == "lookup":
            return self.lookup(tenant, query)
        if on == "update":
            return self.update(tenant, url.path.rsplit("/", 1)[-1], body)
        return self.create(tenant, body)

    def token(self, tenant, body, auth):
        form = parse_qs(body.decode(errors="replace"))
        credentials = []
        if tenant.client_auth in ("basic", "either") and auth.startswith("Basic "):
            try:
                user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
                credentials.append((user, password))
            except Exception:  # noqa: BLE001 - any garbage is an invalid client
                pass
        if tenant.client_auth in ("body", "either") and "client_id" in form:
            credentials.append((form["client_id"][0], form.get("client_secret", [""])[0]))
        if (tenant.client_id, tenant.client_secret) not in credentials:
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != ["client_credentials"]:
            return 400, {"error": "unsupported_grant_type"}
        token = secrets.token_hex(16)
        with LOCK:
            tenant.tokens[token] = time.monotonic() + self.server.standin.token_ttl
            tenant.tokens_issued += 1
        return 200, {"access_token": token, "token_type": "bearer",
                     "expires_in": self.server.standin.token_ttl}

    def lookup(self, tenant, query):
        gateway = query.get("gateway", [""])[0]
        key, _, value = gateway.partition(":")
        field = {"imei": "imei", "serialNumber": "serialNumber"}.get(key)
        with LOCK:
            items = [s for s in tenant.systems
                     if field is None or s.get("gateway", {}).get(field) == value]
            items = json.loads(json.dumps(items))
        return 200, {"items": items, "count": len(items), "size": 100, "offset": 0}

    def create(self, tenant, body):
        try:
            system = json.loads(body)
        except ValueError:
            return 400, {"error": "request.body.invalid"}
        imei = (system.get("gateway") or {}).get("imei")
        if not imei:
            return 400, {"error": "system.gateway.imei.missing"}
        with LOCK:
            if any(s.get("gateway", {}).get("imei") == imei for s in tenant.systems):
                tenant.rejected_creates += 1
                return 400, {"error": "system.gateway.imei.not.unique",
                             "errorParameters": ["imei", imei]}
            system["uid"] = uuid.uuid4().hex
            tenant.systems.append(system)
            tenant.creates += 1
        return 200, system

    def update(self, tenant, uid, body):
        try:
            change = json.loads(body)
        except ValueError:
            return 400, {"error": "request.body.invalid"}
        if not isinstance(change, dict):
            return 400, {"error": "request.body.invalid"}
        with LOCK:
            for system in tenant.systems:
                if system.get("uid") != uid:
                    continue
                if isinstance(change.get("subscription"), dict):
                    subscription = dict(system.get("subscription") or {})
                    subscription.update(change["subscription"])
                    system["subscription"] = subscription
                tenant.updates += 1
                return 200, json.loads(json.dumps(system))
        return 404, {"error": "system.not.found", "errorParameters": [uid]}

    # ---- control --------------------------------------------------------------------------
    def control(self, method, what, body):
        standin = self.server.standin
        if method == "GET" and what == "state":
            with LOCK:
                state = {"tenants": {n: t.state() for n, t in standin.tenants.items()}}
                return self.send(200, state)
        try:
            request = json.loads(body) if body else {}
        except ValueError:
            return self.send(400, {"error": "control.body.invalid"})
        if what == "reset" and method == "POST":
            with LOCK:
                for tenant in standin.tenants.values():
                    tenant.reset()
            return self.send(200, {})
        tenant = standin.tenants.get(request.get("tenant", ""))
        if tenant is None:
            return self.send(404, {"error": "unknown.tenant"})
        with LOCK:
            if what == "faults":
                tenant.faults.extend(request.get("faults", []))
            elif what == "systems":
                system = dict(request["system"])
                system.setdefault("uid", uuid.uuid4().hex)
                tenant.systems.append(system)
            elif what == "expire_tokens":
                tenant.tokens.clear()
            elif what == "client_auth" and request.get("accept") in ("basic", "body", "either"):
                tenant.client_auth = request["accept"]
            else:
                return self.send(404, {"error": "control.unknown"})
        return self.send(200, {})


def client_auth_kind(on, auth, body):
    """Where a token request carried the client credentials (never their values)."""
    if on != "token":
        return "none"
    basic = auth.startswith("Basic ")
    in_body = "client_id" in parse_qs(body.decode(errors="replace"))
    return {(True, True): "both", (True, False): "basic", (False, True): "body"}.get(
        (basic, in_body), "none")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client refusing our test certificate or hanging up is part of the tests.
        if isinstance(sys.exc_info()[1], (ssl.SSLError, ConnectionError)):
            return
        super().handle_error(request, client_address)


def load_tenants(path):
    if path is None:
        config = {"tenants": {t: {"client_id": f"{t}-client", "client_secret": f"{t}-secret",
                                  "company": f"{t}-company"} for t in ("na", "eu")}}
    else:
        with open(path, encoding="utf-8") as f:
            config = json.load(f)
    tenants = {name: Tenant(name, t["client_id"], t["client_secret"], t.get("company", ""))
               for name, t in config["tenants"].items()}
    return tenants, int(config.get("token_ttl", 3600))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port-file", help="write the bound port here")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--config", help="tenants JSON")
    parser.add_argument("--token-ttl", type=int, help="expires_in of issued tokens (s)")
    parser.add_argument("--tls-cert", help="serve https with this certificate (PEM)")
    parser.add_argument("--tls-key", help="private key of --tls-cert (PEM)")
    parser.add_argument("--exit-after", type=float, default=600.0,
                        help="exit after this many seconds (no stand-in outlives its test)")
    args = parser.parse_args()
    tenants, ttl = load_tenants(args.config)
    if args.token_ttl is not None:
        ttl = args.token_ttl
    server = Server(("127.0.0.1", args.port), Handler)
    server.standin = Standin(tenants, ttl)
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        # Handshake in the handler thread, so one silent client cannot stall accept().
        server.socket = context.wrap_socket(server.socket, server_side=True,
                                            do_handshake_on_connect=False)
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(f"{port}\n")
        os.replace(tmp, args.port_file)
    print(port, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    timer = threading.Timer(args.exit_after, lambda: os._exit(0))
    timer.daemon = True
    timer.start()
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
