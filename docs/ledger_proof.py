"""Checks an edit-log Merkle proof (RFC 9162 §2.1) from GET /api/v1/ledger/proof/... and the
signed tree head(s) it carries, with the standard library only (Ed25519 below, RFC 8032 §6):
  python3 ledger_proof.py inclusion proof.json --key <published key> [entryHash]
  python3 ledger_proof.py consistency proof.json --key <published key>
The key is the one published on the edit log page (base64 of the raw 32 bytes): the proof's
own key id is never trusted. Prints "ok: ..." or "fails: ..." naming what fails (exit 1; 2: usage)."""
import base64, binascii, hashlib, json, re, sys

# Ed25519 verification, RFC 8032 §6 (extended coordinates). Slow but exact; only public data.
P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)

def _recover_x(y, sign):
    if y >= P: return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P)
    if x2 == 0: return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0: x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0: return None
    if (x & 1) != sign: x = P - x
    return x

def _add(a, b):
    A, B = (a[1] - a[0]) * (b[1] - b[0]) % P, (a[1] + a[0]) * (b[1] + b[0]) % P
    C, Dd = 2 * a[3] * b[3] * D % P, 2 * a[2] * b[2] % P
    E, F, G, H = B - A, Dd - C, Dd + C, B + A
    return (E * F % P, G * H % P, F * G % P, E * H % P)

def _mul(s, pt):
    q = (0, 1, 1, 0)
    while s > 0:
        if s & 1: q = _add(q, pt)
        pt, s = _add(pt, pt), s >> 1
    return q

def _equal(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0

_GY = 4 * pow(5, P - 2, P) % P
_GX = _recover_x(_GY, 0)
BASE = (_GX, _GY, 1, _GX * _GY % P)

def _decompress(s):
    if len(s) != 32: return None
    y = int.from_bytes(s, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % P)

def ed25519_verify(public, message, signature):
    if len(public) != 32 or len(signature) != 64: return False
    a, r = _decompress(public), _decompress(signature[:32])
    if a is None or r is None: return False
    s = int.from_bytes(signature[32:], "little")
    if s >= L: return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % L
    return _equal(_mul(s, BASE), _add(r, _mul(k, a)))

def h(*parts): return hashlib.sha256(b"".join(parts)).digest()
def node(l, r): return h(b"\x01", l, r)
def fail(why): sys.exit(f"fails: {why}")
def usage():
    print("usage: python3 ledger_proof.py inclusion|consistency proof.json --key <the published public key, base64 of 32 bytes> [entryHash]", file=sys.stderr)
    sys.exit(2)

args = sys.argv[1:]
pinned = None
if "--key" in args:
    i = args.index("--key")
    pinned = args[i + 1] if i + 1 < len(args) else None
    del args[i:i + 2]
try: pinned_raw = base64.b64decode(pinned or "", validate=True)
except binascii.Error: pinned_raw = b""
if len(args) < 2 or args[0] not in ("inclusion", "consistency") or len(pinned_raw) != 32: usage()
kind, file = args[0], args[1]
expected_entry = args[2] if len(args) > 2 else None
pinned_id = hashlib.sha256(pinned_raw).hexdigest()[:16]
try:
    with open(file, encoding="utf-8") as f: p = json.load(f)
except (OSError, ValueError) as error: fail(f"{file} is not a readable JSON file ({error})")
if not isinstance(p, dict): fail(f"{file} is not a JSON object")

def is_hex(v): return isinstance(v, str) and re.fullmatch(r"[0-9a-f]{64}", v) is not None
def is_size(v): return isinstance(v, int) and not isinstance(v, bool) and v >= 0
def is_count(v): return is_size(v) and v >= 1
def need(ok, what):
    if not ok: fail(f"the proof's {what}")

def check_head(name, head, size, root):
    need(isinstance(head, dict), f"{name} is missing")
    need(is_count(head.get("treeSize")) and is_hex(head.get("rootHash")) and is_hex(head.get("headHash")) and all(isinstance(head.get(k), str) for k in ("signedAt", "keyId", "signature")),
         f"{name} lacks treeSize, rootHash, headHash, signedAt, keyId or signature, or has the wrong types")
    if head["keyId"] != pinned_id: fail(f'{name} names key {head["keyId"]}, not the pinned key {pinned_id}')
    message = f'sentinel-ledger-tree-head\n{head["treeSize"]}\n{head["rootHash"]}\n{head["headHash"]}\n{head["signedAt"]}'.encode("utf-8")
    try: signature = base64.b64decode(head["signature"], validate=True)
    except binascii.Error: signature = b""
    if not ed25519_verify(pinned_raw, message, signature): fail(f"{name}'s signature does not verify with the pinned key")
    if head["treeSize"] != size: fail(f'{name} is of {head["treeSize"]} entries, the proof of {size}')
    if head["rootHash"] != root: fail(f'{name}\'s signed root {head["rootHash"]} is not the proof\'s root {root}')

if kind == "inclusion":
    need(is_count(p.get("seq")) and is_size(p.get("leafIndex")) and is_count(p.get("treeSize")) and all(is_hex(p.get(k)) for k in ("entryHash", "leafHash", "rootHash"))
         and isinstance(p.get("auditPath"), list) and all(is_hex(s) for s in p["auditPath"]), "fields seq, leafIndex, treeSize, entryHash, leafHash, auditPath or rootHash are missing or of the wrong type")
    if h(b"\x00", bytes.fromhex(p["entryHash"])).hex() != p["leafHash"]: fail("the leaf is not SHA-256(0x00 || entry hash)")
    if expected_entry and expected_entry != p["entryHash"]: fail("the proof is for another entry hash")
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
    check_head("tree head", p.get("treeHead"), p["treeSize"], p["rootHash"])
    print(f'ok: entry {p["seq"]} is leaf {p["leafIndex"]} of the tree of {p["treeSize"]} entries with root {p["rootHash"]}, signed by key {pinned_id} at {p["treeHead"]["signedAt"]}')
else:
    need(is_count(p.get("first")) and is_count(p.get("second")) and is_hex(p.get("firstRoot")) and is_hex(p.get("secondRoot"))
         and isinstance(p.get("path"), list) and all(is_hex(s) for s in p["path"]), "fields first, second, path, firstRoot or secondRoot are missing or of the wrong type")
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
    check_head("first tree head", p.get("firstTreeHead"), first, p["firstRoot"])
    check_head("second tree head", p.get("secondTreeHead"), second, p["secondRoot"])
    print(f'ok: the tree of {second} entries (root {p["secondRoot"]}) extends the tree of {first} (root {p["firstRoot"]}), both heads signed by key {pinned_id}')
