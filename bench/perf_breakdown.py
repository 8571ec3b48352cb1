#!/usr/bin/env python3
"""Splits a perf profile of the server (bench `--trace <endpoint> --profiler perf`) into the parts of the
request path. Reads `perf script` output on stdin:

    perf script -i heartbeat.perf.data -F comm,tid,ip,sym,dso | python3 bench/perf_breakdown.py

Every sample is what was on a CPU, native code and the kernel included. A sample counts toward each part
with a frame on its stack (inclusive), so the outer parts overlap the inner ones; the parts of the handler
are exclusive of one another (a sample goes to the innermost of them).
"""
import re
import sys
from collections import defaultdict

OUTER = [
    ("kernel (TCP over loopback, epoll, scheduling)", None),
    ("GC threads (server GC)", None),
    ("runtime native code on request threads (allocation, casts, stubs: libcoreclr)", None),
    ("Kestrel: connection loop, HTTP/1.1 parsing, response writing", r"Microsoft\.AspNetCore\.Server\.Kestrel"),
    ("middleware: exception handler and status code pages wrappers", r"ExceptionHandlerMiddlewareImpl|StatusCodePagesMiddleware"),
    ("hosting: HttpContext, request activity", r"Microsoft\.AspNetCore\.Hosting\.HostingApplication"),
    ("GET /alive: health-check middleware", r"HealthCheckMiddleware|HealthCheckService"),
    ("endpoint (request delegate, filter, handler and all below)", r"Microsoft\.AspNetCore\.Routing\.EndpointMiddleware|RequestDelegateFactory"),
]
INNER = [
    ("authentication: key filter (header, SHA-256, cache)", r"Orchestrator\.Api\.Http\.ApiKeyFilter|Orchestrator\.Accounts\.ApiKey|SHA256|EVP_|libcrypto"),
    ("request delegate: binding, filter pipeline glue", r"RequestDelegateFactory|lambda_method|EndpointFilterInvocationContext"),
    ("handler's own code", r"Orchestrator\.Api\.Apis\.|Orchestrator\.Api\.Http\.Resource"),
    ("body: read and tolerant JSON", r"Orchestrator\.Api\.Http\.RequestBody|LenientStringConverter|JsonSerializer::Deserialize|JsonConverter`1.*ReadCore"),
    ("validation", r"Orchestrator\.Api\.Http\.Validation|Orchestrator\.Api\.Requests\..*Validate"),
    ("reference resolution", r"Orchestrator\.Api\.Http\.References"),
    ("grain reference (GetGrain)", r"Orleans\.GrainFactory::|GrainInterfaceTypeResolver|GrainReferenceActivator|GrainIdKeyExtensions"),
    ("grain call, caller's side (proxy, message, response)", r"GrainReferenceRuntime|OrleansCodeGen\..*Proxy_|InsideRuntimeClient::(ReceiveResponse|SendRequest)|CallbackData|ResponseCompletionSource|MessageCenter|Orleans\.Runtime\.Messaging"),
    ("grain call, silo's side (dispatch, scheduler, invoke)", r"Orleans\.Runtime\.ActivationData|Orleans\.Runtime\.Scheduler|InsideRuntimeClient\+<Invoke>|InsideRuntimeClient::Invoke|SafeSendResponse|Orleans\.Runtime\.Catalog|OrleansCodeGen\..*Invokable"),
    ("robot grain's own code", r"Orchestrator\.Robots\.RobotGrain|Orchestrator\.Robots\.RobotLiveness"),
    ("answer: JSON result writing", r"JsonHttpResult|HttpResponseJsonExtensions|JsonSerializer::Serialize|JsonTypeInfo`1.*Serialize|Orchestrator\.Api\.Views"),
    ("problem details writing", r"ProblemHttpResult|ProblemDetails|ValidationProblem|Orchestrator\.Api\.Http\.Problems"),
    ("records: database look-ups", r"Orchestrator\.Storage|Microsoft\.Data\.Sqlite|SQLitePCL|libe_sqlite3"),
]
OUTER = [(n, re.compile(p) if p else None) for n, p in OUTER]
INNER = [(n, re.compile(p)) for n, p in INNER]


def method_of(symbol):
    # "instance void [Asm] Ns.Type+<M>d__1::MoveNext()[OptimizedTier1]" -> "Ns.Type+<M>d__1::MoveNext"
    m = re.search(r"\] ([^\[\]]+?::[^(\[]+)\(", symbol)
    return m.group(1) if m else symbol


def main():
    total = 0
    outer = defaultdict(int)
    inner = defaultdict(int)
    stack = []
    comm = ""

    def flush():
        nonlocal total
        if not stack:
            return
        total += 1
        leaf_dso = stack[0][1]
        if "kernel" in leaf_dso:
            outer[0] += 1
        if "GC" in comm:
            outer[1] += 1
        elif "libcoreclr" in leaf_dso:
            outer[2] += 1
        names = [method_of(sym) + " " + dso for sym, dso in stack]
        for i, (_, pattern) in enumerate(OUTER):
            if pattern is not None and any(pattern.search(n) for n in names):
                outer[i] += 1
        # innermost = first from the leaf
        for n in names:
            hit = next((i for i, (_, p) in enumerate(INNER) if p.search(n)), None)
            if hit is not None:
                inner[hit] += 1
                break

    for line in sys.stdin:
        if not line.strip():
            flush()
            stack = []
            continue
        if not line.startswith((" ", "\t")):
            flush()
            stack = []
            comm = line.rsplit(" ", 2)[0]
            continue
        parts = line.strip().split(" ", 1)
        if len(parts) < 2:
            continue
        rest = parts[1]
        m = re.match(r"(.*) \(([^)]*)\)$", rest)
        sym, dso = (m.group(1), m.group(2)) if m else (rest, "")
        stack.append((sym, dso))
    flush()

    print(f"{total} samples")
    print()
    print("| part | share of the server's CPU |")
    print("|---|---:|")
    for i, (name, _) in enumerate(OUTER):
        print(f"| {name} | {100 * outer[i] / total:.1f}% |")
    for i, (name, _) in enumerate(INNER):
        if inner[i]:
            print(f"| &nbsp;&nbsp;{name} | {100 * inner[i] / total:.1f}% |")


main()
