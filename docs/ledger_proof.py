"""Checks an edit-log Merkle proof (RFC 9162 §2.1) from GET /api/v1/ledger/proof/..., with
the standard library only: `python3 ledger_proof.py inclusion proof.json [entryHash]` or
`python3 ledger_proof.py consistency proof.json`. Prints "ok: ..." or names what fails (exit 1)."""
import hashlib, json, sys

def h(*parts): return hashlib.sha256(b"".join(parts)).digest()
def node(l, r): return h(b"\x01", l, r)
def fail(why): sys.exit(f"fails: {why}")

kind, file = sys.argv[1], sys.argv[2]
p = json.load(open(file, encoding="utf-8"))
if kind == "inclusion":
    if h(b"\x00", bytes.fromhex(p["entryHash"])).hex() != p["leafHash"]: fail("the leaf is not SHA-256(0x00 || entry hash)")
    if len(sys.argv) > 3 and sys.argv[3] != p["entryHash"]: fail("the proof is for another entry hash")
    fn, sn, r = p["leafIndex"], p["treeSize"] - 1, bytes.fromhex(p["leafHash"])
    if fn >= p["treeSize"]: fail("the leaf index is outside the tree")
    for s in p["auditPath"]:
        if sn == 0: fail("the path is too long")
        if fn % 2 == 1 or fn == sn:
            r = node(bytes.fromhex(s), r)
            while fn % 2 == 0 and fn != 0: fn, sn = fn // 2, sn // 2
        else: r = node(r, bytes.fromhex(s))
        fn, sn = fn // 2, sn // 2
    if sn != 0 or r.hex() != p["rootHash"]: fail("the path does not lead to the root")
    print(f'ok: entry {p["seq"]} is leaf {p["leafIndex"]} of the tree of {p["treeSize"]} entries with root {p["rootHash"]}')
elif kind == "consistency":
    first, second = p["first"], p["second"]
    if first > second: fail("first > second")
    if first == second:
        if p["path"] or p["firstRoot"] != p["secondRoot"]: fail("equal sizes need equal roots and no path")
    else:
        if not p["path"]: fail("the path is empty")
        path = [p["firstRoot"]] + p["path"] if first & (first - 1) == 0 else p["path"]
        fn, sn = first - 1, second - 1
        while fn % 2 == 1: fn, sn = fn // 2, sn // 2
        fr = sr = bytes.fromhex(path[0])
        for c in path[1:]:
            if sn == 0: fail("the path is too long")
            if fn % 2 == 1 or fn == sn:
                fr, sr = node(bytes.fromhex(c), fr), node(bytes.fromhex(c), sr)
                while fn % 2 == 0 and fn != 0: fn, sn = fn // 2, sn // 2
            else: sr = node(sr, bytes.fromhex(c))
            fn, sn = fn // 2, sn // 2
        if sn != 0 or fr.hex() != p["firstRoot"] or sr.hex() != p["secondRoot"]: fail("the path does not join the two roots")
    print(f'ok: the tree of {second} entries (root {p["secondRoot"]}) extends the tree of {first} (root {p["firstRoot"]})')
else: fail("say inclusion or consistency")
