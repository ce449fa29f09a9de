"""PyTorch side of `npm run bench`: the same workloads on the same data and weights.

Usage: python3 torch_bench.py MANIFEST.json THREADS  -> prints one JSON object of metrics.
The manifest (written by bench/engines/torch.ts) names raw float32/int32 files and the spec.
"""
import json
import statistics
import sys
import time

import numpy as np
import torch

manifest = json.load(open(sys.argv[1]))
torch.set_num_threads(int(sys.argv[2]))
spec = manifest["spec"]
reps = spec["reps"]
only = set(manifest["only"]) if manifest["only"] else None


def want(w):
    return only is None or w in only


def load(name, dtype=np.float32):
    return torch.from_numpy(np.fromfile(manifest["files"][name], dtype=dtype))


WARM_UP_SECONDS = 0.3  # as bench/timing.ts: warm-up calls for this long, then the timed ones


def median_seconds(fn):
    w0 = time.perf_counter()
    fn()
    while time.perf_counter() - w0 < WARM_UP_SECONDS:
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


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


def params(sizes):
    return sum(sizes[i] * sizes[i + 1] + sizes[i + 1] for i in range(len(sizes) - 1))


out = {}
if want("W1"):
    out["W1"] = spec["W1"]["steps"] / median_seconds(trainer("W1"))
if want("W2"):
    out["W2"] = spec["W2"]["steps"] * spec["W2"]["batch"] / median_seconds(trainer("W2"))
if want("W3"):
    t = median_seconds(trainer("W3"))
    s = spec["W3"]
    out["W3"] = s["steps"] * s["batch"] / t
    out["W3gflops"] = 6 * params(s["sizes"]) * s["batch"] * s["steps"] / t / 1e9
if want("I1"):
    s = spec["I1"]
    net = mlp(s["sizes"], "I1", "relu")
    x = load("I1.x").view(s["bigBatch"], s["sizes"][0])

    def infer(batch, calls):
        xb = x[:batch].contiguous()

        def run():
            with torch.no_grad():
                for _ in range(calls):
                    net(xb)

        return run

    out["I1latency"] = median_seconds(infer(1, s["latencyCalls"])) / s["latencyCalls"] * 1e6
    out["I1throughput"] = s["bigBatch"] * s["bigCalls"] / median_seconds(infer(s["bigBatch"], s["bigCalls"]))
if want("A1"):
    data = load("A1")
    g = torch.ones_like(data)
    for kind, f in (("relu", torch.relu), ("sigmoid", torch.sigmoid), ("tanh", torch.tanh)):
        x = data.clone().requires_grad_(True)

        def run():
            x.grad = None
            f(x).backward(g)

        out["A1" + kind] = median_seconds(run) * 1e3
    out["A1ratio"] = out["A1sigmoid"] / out["A1relu"]
if want("G1"):
    sizes = spec["G1"]["sizes"]
    for i, n in enumerate(sizes):
        a = load(f"G1.{n}.a").view(n, n)
        b = load(f"G1.{n}.b").view(n, n)
        repeat = max(1, round(spec["G1"]["flopsPerUnit"] / (2 * n * n * n)))

        def run():
            for _ in range(repeat):
                torch.mm(a, b)

        gflops = 2 * n * n * n * repeat / median_seconds(run) / 1e9
        out["G1_1024" if i == len(sizes) - 1 else "G1_256"] = gflops
print(json.dumps(out))
