"""Drives the official GenAuth Python SDK (genauth 5.1.0) from a table of calls written by
tests/tests/wire_compat.rs, against the loopback server whose URL it is given.

Usage: python python_sdk_calls.py <base url> <access key id> <access key secret> <calls.json>

calls.json is a list of {"method", "inputs", "known"}: the SDK method to call, its inputs
keyed by wire name (query parameters, or the top-level fields of the JSON body), and every
wire name our description knows for the operation.

Wire names are turned into the method's keyword arguments by reading the method's source:
its body hands `{'wireName': argument, ...}` to `params=` or `json=` of
`self.http_client.request(...)`, and names path parameters as `{name}` in `url=`.

Prints one JSON object on stdout:
  "sdk":     every public method of ManagementClient that sends a request: {verb, url}
  "calls":   in call order, per call: method, how many HTTP requests it made, the error it
             raised (if any), the inputs it had no argument for ("unmapped"), the wire names
             it sends that our description lacks ("extra"), the required arguments it was
             given None for ("filled"), and the path parameters its URL leaves as
             `{name}` ("unformatted")
  "skipped": the methods of the table that the SDK does not have (or that send no HTTP
             request), each with why
  "before_calls": how many requests were made before the first call (the token)
and, on stderr, which methods it called and which it skipped.
"""

import ast
import inspect
import json
import sys

import requests

from genauth import ManagementClient

url, ak, sk, table = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]

# Count the requests each call makes. Both the SDK's HTTP client and its token provider
# call `requests.request` through the module, so wrapping it here sees every request
# without changing what is sent.
sent = [0]
_request = requests.request


def counting_request(*args, **kwargs):
    sent[0] += 1
    return _request(*args, **kwargs)


requests.request = counting_request


def method_sources():
    """The methods of ManagementClient as AST nodes, by name, parsed from its module's
    source (methods one by one do not parse: some docstrings are not indented)."""
    tree = ast.parse(inspect.getsource(inspect.getmodule(ManagementClient)))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "ManagementClient":
            return {f.name: f for f in node.body if isinstance(f, ast.FunctionDef)}
    return {}


def request_keywords(fn_node):
    """The keyword arguments (AST nodes) of the `self.http_client.request(...)` call in a
    method; None when it makes no such call."""
    for node in ast.walk(fn_node):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "request"
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "http_client"
        ):
            return {k.arg: k.value for k in node.keywords}
    return None


def literal(node):
    return node.value if isinstance(node, ast.Constant) else None


def argument_of(node):
    """The argument name a dict value passes on as is; None for anything computed."""
    return node.id if isinstance(node, ast.Name) else None


def describe(fn, fn_node):
    """What the method sends: verb, URL template, and wire name -> argument name."""
    kw = request_keywords(fn_node)
    if kw is None:
        return None
    wires = {}
    for where in ("params", "json"):
        d = kw.get(where)
        if isinstance(d, ast.Dict):
            for k, v in zip(d.keys, d.values):
                name = literal(k)
                if isinstance(name, str):
                    wires[name] = argument_of(v)
    template = literal(kw.get("url")) or ""
    parameters = inspect.signature(fn).parameters
    # A `{name}` in a literal URL is never filled in; the argument of that name (if any)
    # takes the input, which then goes nowhere.
    unformatted = []
    for piece in template.split("{")[1:]:
        name = piece.split("}")[0]
        unformatted.append(name)
        if name in parameters and name not in wires:
            wires[name] = name
    return {
        "verb": (literal(kw.get("method")) or "").upper(),
        "url": template,
        "wires": wires,
        "unformatted": unformatted,
        "parameters": parameters,
    }


sdk = {}
nodes = method_sources()
for name, fn in inspect.getmembers(ManagementClient, inspect.isfunction):
    if name.startswith("_") or name not in nodes:
        continue
    d = describe(fn, nodes[name])
    if d is not None:
        sdk[name] = d

client = ManagementClient(access_key_id=ak, access_key_secret=sk, host=url)
# The token first, on its own, so that each call below makes exactly its own request.
client.http_client.token_provider.get_access_token()
before_calls = sent[0]

calls, skipped = [], []
with open(table, encoding="utf-8") as f:
    entries = json.load(f)
for entry in entries:
    method, inputs, known = entry["method"], entry["inputs"], set(entry["known"])
    d = sdk.get(method)
    if d is None:
        why = "not in the SDK" if not hasattr(ManagementClient, method) else "sends no HTTP request"
        skipped.append({"method": method, "why": why})
        continue
    kwargs, unmapped = {}, []
    for wire, value in inputs.items():
        arg = d["wires"].get(wire)
        if arg is None or arg not in d["parameters"]:
            unmapped.append(wire)
        else:
            kwargs[arg] = value
    filled = []
    for pname, p in d["parameters"].items():
        if pname != "self" and p.default is inspect.Parameter.empty and pname not in kwargs:
            kwargs[pname] = None
            filled.append(pname)
    before, error = sent[0], None
    try:
        getattr(client, method)(**kwargs)
    except Exception as e:  # reported, and the Rust side fails on it
        error = "%s: %s" % (type(e).__name__, e)
    calls.append(
        {
            "method": method,
            "requests": sent[0] - before,
            "error": error,
            "unmapped": unmapped,
            "extra": sorted(w for w in d["wires"] if w not in known and w not in d["unformatted"]),
            "filled": filled,
            "unformatted": d["unformatted"],
        }
    )

sys.stderr.write(
    "called %d methods: %s\nskipped %d (not in the SDK or no HTTP request): %s\n"
    % (len(calls), " ".join(c["method"] for c in calls), len(skipped), " ".join(s["method"] for s in skipped))
)
print(
    json.dumps(
        {
            "sdk": {n: {"verb": d["verb"], "url": d["url"]} for n, d in sorted(sdk.items())},
            "calls": calls,
            "skipped": skipped,
            "before_calls": before_calls,
        },
        ensure_ascii=False,
    )
)
