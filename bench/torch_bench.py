"""PyTorch side of `npm run bench`: the same workloads on the same data and weights.

Usage: python3 torch_bench.py MANIFEST.json THREADS, then one request per line on stdin, each
answered by one JSON line on stdout ({"seconds": s} or {"error": "..."}):
  warm WORKLOAD   warm up as bench/timing.ts does; seconds of the first call
  time WORKLOAD   one timed call
with WORKLOAD one of: W1, W2, W3, I1 BATCH CALLS, A1 KIND, G1 N. The manifest (written by
bench/engines/torch.ts) names raw float32/int32 files and the spec. The Node side interleaves
these calls with the other engines' (bench/interleave.ts), so all meet the same machine load.
"""
import json
import os
import sys
import time

import numpy as np
import torch

manifest = json.load(open(sys.argv[1]))
torch.set_num_threads(int(sys.argv[2]))
spec = manifest["spec"]


def load(name, dtype=np.float32):
    return torch.from_numpy(np.fromfile(manifest["files"][name], dtype=dtype))


WARM_UP_SECONDS = 0.3  # as bench/timing.ts: warm-up calls for this long, then the timed ones


def warm(fn):
    w0 = time.perf_counter()
    fn()
    first = time.perf_counter() - w0
    while time.perf_counter() - w0 < WARM_UP_SECONDS:
        fn()
    return first


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def settle():
    """Wait (untimed) until this process's threads stop spinning.

    After a call on 2 threads, the idle OpenMP/OpenBLAS threads busy-wait for ~0.25 s (measured:
    ~110 ms of CPU time in the 250 ms after a product), which would take the second core from the
    engine whose call comes next. Polls the process's CPU time in 50 ms windows (the clock ticks
    every 10 ms) until one passes nearly idle, for at most 1 s.
    """
    deadline = time.perf_counter() + 1.0
    while time.perf_counter() < deadline:
        t = os.times()
        c0 = t.user + t.system
        time.sleep(0.05)
        t = os.times()
        if t.user + t.system - c0 <= 0.01:
            return


def mlp(sizes, prefix, activation):
    layers = []
    for l in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[l], sizes[l + 1])
        with torch.no_grad():
            # sloika stores W as [in, out]; PyTorch as [out, in].
            lin.weight.copy_(load(f"{prefix}.w{l}").view(sizes[l], sizes[l + 1]).t())
            lin.bias.copy_(load(f"{prefix}.b{l}"))
        layers.append(lin)
        if l + 2 < len(sizes):
            layers.append(torch.nn.Tanh() if activation == "tanh" else torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def trainer(name):
    s = spec[name]
    sizes = s["sizes"]
    net = mlp(sizes, name, s["activation"])
    opt = torch.optim.SGD(net.parameters(), lr=s["lr"]) if s["optimizer"] == "sgd" else torch.optim.Adam(net.parameters(), lr=s["lr"])
    x = load(f"{name}.x").view(s["samples"], sizes[0])
    labels = load(f"{name}.labels", np.int32).long()
    batches = []
    for r in range(0, s["samples"] - s["batch"] + 1, s["batch"]):
        xb = x[r:r + s["batch"]].contiguous()
        yb = labels[r:r + s["batch"]]
        batches.append((xb, yb.float().view(-1, 1) if s["loss"] == "bceWithLogits" else yb))
    loss_fn = torch.nn.BCEWithLogitsLoss() if s["loss"] == "bceWithLogits" else torch.nn.CrossEntropyLoss()
    state = {"k": 0}

    def run():
        for _ in range(s["steps"]):
            xb, yb = batches[state["k"] % len(batches)]
            state["k"] += 1
            opt.zero_grad()
            loss = loss_fn(net(xb), yb)
            loss.backward()
            opt.step()

    return run


def inference(batch, calls):
    s = spec["I1"]
    net = mlp(s["sizes"], "I1", "relu")
    xb = load("I1.x").view(s["bigBatch"], s["sizes"][0])[:batch].contiguous()

    def run():
        with torch.no_grad():
            for _ in range(calls):
                net(xb)

    return run


def activation(kind):
    f = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}[kind]
    x = load("A1").clone().requires_grad_(True)
    g = torch.ones_like(x)

    def run():
        x.grad = None
        f(x).backward(g)

    return run


def matmul(n):
    a = load(f"G1.{n}.a").view(n, n)
    b = load(f"G1.{n}.b").view(n, n)
    repeat = max(1, round(spec["G1"]["flopsPerUnit"] / (2 * n * n * n)))  # as bench/measurements.ts

    def run():
        for _ in range(repeat):
            torch.mm(a, b)

    return run


def make(workload):
    name, *args = workload.split()
    if name in ("W1", "W2", "W3"):
        return trainer(name)
    if name == "I1":
        return inference(int(args[0]), int(args[1]))
    if name == "A1":
        return activation(args[0])
    if name == "G1":
        return matmul(int(args[0]))
    raise ValueError(f"unknown workload {workload!r}")


units = {}
for line in sys.stdin:
    try:
        mode, workload = line.strip().split(" ", 1)
        if workload not in units:
            units[workload] = make(workload)
        fn = units[workload]
        reply = {"seconds": warm(fn) if mode == "warm" else timed(fn)}
        settle()
    except Exception as e:  # reported to the Node side, which raises it
        reply = {"error": f"{type(e).__name__}: {e}"}
    print(json.dumps(reply), flush=True)
