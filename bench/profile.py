#!/usr/bin/env python3
"""Summarises a speedscope file made by `dotnet-trace convert --format Speedscope` from a
dotnet-sampled-thread-time trace: time on threads that were running managed code (the converter ends
such samples in a CPU_TIME frame; waits and native code end in UNMANAGED_CODE_TIME and are left out),
split into the parts of the request path.

usage: profile.py file.speedscope.json [--top N]
"""
import json
import re
import sys
from collections import defaultdict

# Innermost frames that mean the thread was waiting, not working.
IDLE = re.compile(r"WaitForSignal|WaitOne|Wait\(|WaitCore|Sleep|WaitHandle|LowLevelLifoSemaphore|epoll_wait|"
                  r"SocketAsyncEngine\.EventLoop|PortableThreadPool\+GateThread|Monitor\.Wait|WaitForSingleObject|"
                  r"ThreadNative::Sleep|WaitNative|TimerQueue\.TimerThread|RunWorker.*Wait|SpinWait|"
                  r"GCHeap::WaitUntilGCComplete|BlockingCollection|SemaphoreSlim\.Wait|\bUNMANAGED_CODE_TIME\b")

# Parts of a request. A sample counts toward every outer part with a frame on its stack (inclusive time),
# so those overlap: the endpoint is a share of Kestrel. The indented parts of the handler are exclusive
# of one another: a sample goes to the innermost of them on its stack (the key filter's share is its own
# work, not the handler it calls). Doubly indented parts are inclusive shares of the part above them.
STAGES = [
    ("Kestrel and sockets (all request processing runs under it)", r"Microsoft\.AspNetCore\.Server\.Kestrel|System\.Net\.Sockets"),
    ("middleware: exception handler, status code pages, Swagger, Swagger UI", r"ExceptionHandlerMiddleware|StatusCodePagesMiddleware|SwaggerMiddleware|SwaggerUIMiddleware|StaticFileMiddleware"),
    ("hosting: HttpContext, activity, logging scope", r"Microsoft\.AspNetCore\.Hosting\.HostingApplication"),
    ("routing", r"Microsoft\.AspNetCore\.Routing\.(Matching|EndpointRoutingMiddleware)"),
    ("GET /alive: health-check middleware", r"HealthCheckMiddleware"),
    ("endpoint: request delegate, binding, filter pipeline, handler", r"RequestDelegateFactory|Microsoft\.AspNetCore\.Routing\.EndpointMiddleware"),
    ("  authentication: key filter (hash, cache)", r"Orchestrator\.Api\.Http\.ApiKeyFilter|Orchestrator\.Accounts\.ApiKey"),
    ("  handler's own code (RobotApi, RobotGroupApi, …)", r"Orchestrator\.Api\.Apis\."),
    ("    of which SHA-256 and hex", r"SHA256|HashOf|ToHexString"),
    ("  body: read and tolerant JSON", r"Orchestrator\.Api\.Http\.RequestBody|LenientStringConverter"),
    ("  validation", r"Orchestrator\.Api\.Http\.Validation"),
    ("  reference resolution", r"Orchestrator\.Api\.Http\.References"),
    ("  grain call, caller's side (proxy, message, response)", r"GrainReferenceRuntime|OrleansCodeGen.*Proxy_|InsideRuntimeClient\.(ReceiveResponse|SendRequest)|CallbackData|ResponseCompletionSource"),
    ("  grain call, silo's side (dispatch, scheduler, invoke, respond)", r"Orleans\.Runtime\.ActivationData|Orleans\.Runtime\.Scheduler|InsideRuntimeClient\+<Invoke>|SafeSendResponse|Orleans\.Runtime\.Messaging"),
    ("    of which the robot grain's own code", r"Orchestrator\.Robots\.RobotGrain"),
    ("  answer: JSON result writing", r"JsonHttpResult|HttpResponseJsonExtensions|JsonTypeInfo`1\+<SerializeAsync>"),
    ("  problem details writing", r"ProblemHttpResult|ProblemDetails|ValidationProblem"),
]
STAGES = [(name, re.compile(pattern)) for name, pattern in STAGES]


def main():
    path = sys.argv[1]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 25
    data = json.load(open(path))
    frames = [f["name"] for f in data["shared"]["frames"]]
    stage_of_frame = []
    for name in frames:
        method = name.split("(", 1)[0]  # parameter lists name other types: match the method alone
        stages = [i for i, (_, pattern) in enumerate(STAGES) if pattern.search(method)]
        stage_of_frame.append(stages or None)

    busy = 0.0
    idle = 0.0
    stage_time = defaultdict(float)
    self_time = defaultdict(float)
    inclusive = defaultdict(float)
    for profile in data["profiles"]:
        stack = []
        last = None
        for event in profile["events"]:
            at = event["at"]
            if stack and last is not None and at > last:
                span = at - last
                leaf = frames[stack[-1]]
                if leaf != "CPU_TIME":
                    idle += span
                else:
                    busy += span
                    self_time[stack[-1]] += span
                    seen = set()
                    for frame in stack:
                        if frame not in seen:
                            inclusive[frame] += span
                            seen.add(frame)
                    hit = set()
                    innermost = None
                    for frame in stack:
                        if stage_of_frame[frame] is not None:
                            for stage in stage_of_frame[frame]:
                                if STAGES[stage][0].startswith("  "):
                                    innermost = stage if not STAGES[stage][0].startswith("    ") else innermost
                                    if STAGES[stage][0].startswith("    "):
                                        hit.add(stage)
                                else:
                                    hit.add(stage)
                    if innermost is not None:
                        hit.add(innermost)
                    for stage in hit:
                        stage_time[stage] += span
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            else:
                while stack:
                    if stack.pop() == event["frame"]:
                        break

    print(f"busy {busy:.0f} ms, idle {idle:.0f} ms (sampled thread time)")
    print()
    print("| part (inclusive) | share of busy time |")
    print("|---|---:|")
    for i, (name, _) in enumerate(STAGES):
        if stage_time.get(i):
            print(f"| {name} | {100 * stage_time[i] / busy:.1f}% |")
    print()
    print("top frames by self time:")
    for frame, t in sorted(self_time.items(), key=lambda x: -x[1])[:top]:
        print(f"  {100 * t / busy:5.1f}%  {frames[frame][:160]}")
    print()
    print("top Orchestrator/ASP.NET/Orleans frames by inclusive time:")
    shown = 0
    for frame, t in sorted(inclusive.items(), key=lambda x: -x[1]):
        if re.search(r"Orchestrator|AspNetCore\.(Http|Routing|Diagnostics)|Orleans\.Runtime\.(GrainReference|InsideRuntimeClient)|System\.Text\.Json|Cryptography", frames[frame]):
            print(f"  {100 * t / busy:5.1f}%  {frames[frame][:160]}")
            shown += 1
            if shown >= top:
                break


main()
