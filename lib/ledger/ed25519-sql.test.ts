/**
 * The database's own Ed25519 verifier (ledger_ed25519_verify, PL/pgSQL) decides as Node's
 * crypto.verify (OpenSSL) does: the RFC 8032 §7.1 vectors, random keys and messages, every
 * one of them with a flipped bit in the message, R, S or the key, S + L, wrong lengths and a
 * key that is no point. The one deliberate difference: public keys that are no canonical
 * encoding, which OpenSSL accepts and RFC 8032 §5.1.3 rejects.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomInt, sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";

const db = withTestDatabase();

/** The group order L (RFC 8032 §5.1). */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

type Case = { publicKey: Buffer; message: Buffer; signature: Buffer };

const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** What Node says; a key OpenSSL will not even load counts as a refusal. */
function nodeVerify(c: Case): boolean {
  if (c.publicKey.length !== 32) return false;
  try {
    return verify(null, c.message, createPublicKey({ key: Buffer.concat([SPKI_PREFIX, c.publicKey]), format: "der", type: "spki" }), c.signature);
  } catch {
    return false;
  }
}

/** One round trip for many verifications. */
async function sqlVerify(cases: Case[]): Promise<boolean[]> {
  const { rows } = await db.handle().pool.query<{ ok: boolean }>(
    "SELECT ledger_ed25519_verify(k, m, s) AS ok FROM unnest($1::bytea[], $2::bytea[], $3::bytea[]) WITH ORDINALITY AS t(k, m, s, n) ORDER BY n",
    [cases.map((c) => c.publicKey), cases.map((c) => c.message), cases.map((c) => c.signature)],
  );
  return rows.map((r) => r.ok);
}

function flipBit(b: Buffer, bit: number): Buffer {
  const copy = Buffer.from(b);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

const toLittleEndian = (n: bigint): Buffer => Buffer.from(n.toString(16).padStart(64, "0"), "hex").reverse();
const fromLittleEndian = (b: Buffer): bigint => BigInt(`0x${Buffer.from(b).reverse().toString("hex")}`);

// RFC 8032 §7.1: secret key, public key, message, signature.
const RFC_8032_VECTORS: { name: string; secret: string; publicKey: string; message: string; signature: string }[] = [
  {
    name: "TEST 1",
    secret: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    message: "",
    signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  },
  {
    name: "TEST 2",
    secret: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    message: "72",
    signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
  },
  {
    name: "TEST 3",
    secret: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
    publicKey: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
    message: "af82",
    signature: "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
  },
  {
    name: "TEST 1024",
    secret: "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
    publicKey: "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
    message:
      "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1" +
      "e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d" +
      "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a" +
      "7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e" +
      "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc10" +
      "3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1" +
      "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d" +
      "502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270" +
      "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089b" +
      "eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba" +
      "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969b" +
      "e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7" +
      "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d" +
      "cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df" +
      "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7" +
      "984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4" +
      "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac09" +
      "43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f" +
      "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f161" +
      "0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d" +
      "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8ca" +
      "c60c905c15fc910840b94c00a0b9d0",
    signature: "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03",
  },
];

/** A fresh key pair's raw public key and a signature of a random message (0 to 300 bytes, sometimes several SHA-512 blocks). */
function randomCase(): Case {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const message = randomBytes(randomInt(0, 301));
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(SPKI_PREFIX.length);
  return { publicKey: Buffer.from(raw), message, signature: sign(null, message, privateKey) };
}

describe("ledger_ed25519_verify (PL/pgSQL Ed25519, RFC 8032 §5.1.7)", () => {
  it("accepts the RFC 8032 §7.1 test vectors and refuses them for another message", async () => {
    const cases: Case[] = RFC_8032_VECTORS.map((v) => ({ publicKey: Buffer.from(v.publicKey, "hex"), message: Buffer.from(v.message, "hex"), signature: Buffer.from(v.signature, "hex") }));
    // The vectors as transcribed: Node derives the same signatures from the secret keys.
    for (const [i, v] of RFC_8032_VECTORS.entries()) {
      const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, Buffer.from(v.secret, "hex")]), format: "der", type: "pkcs8" });
      expect(sign(null, cases[i]!.message, key).toString("hex"), v.name).toBe(v.signature);
    }
    expect(cases[3]!.message.length).toBe(1023);
    expect(await sqlVerify(cases)).toEqual([true, true, true, true]);
    const otherMessage = cases.map((c) => ({ ...c, message: Buffer.concat([c.message, Buffer.from([0])]) }));
    expect(await sqlVerify(otherMessage)).toEqual([false, false, false, false]);
  });

  it("decides as Node does for random keys and messages, and for each with one bit flipped in the message, R, S or the key", async () => {
    const valid = Array.from({ length: 32 }, randomCase);
    const tampered = valid.flatMap((c) => [
      c.message.length > 0 ? { ...c, message: flipBit(c.message, randomInt(0, c.message.length * 8)) } : { ...c, message: Buffer.from([randomInt(0, 256)]) },
      { ...c, signature: flipBit(c.signature, randomInt(0, 256)) }, // R
      { ...c, signature: flipBit(c.signature, 256 + randomInt(0, 256)) }, // S
      { ...c, publicKey: flipBit(c.publicKey, randomInt(0, 256)) },
    ]);
    const cases = [...valid, ...tampered];
    const expected = cases.map(nodeVerify);
    expect(expected.slice(0, valid.length).every(Boolean)).toBe(true);
    expect(await sqlVerify(cases)).toEqual(expected);
  });

  it("refuses S + L, which Node refuses too (the malleability check of §5.1.7)", async () => {
    const cases = Array.from({ length: 6 }, randomCase).map((c) => {
      const s = fromLittleEndian(c.signature.subarray(32)) + L;
      return { ...c, signature: Buffer.concat([c.signature.subarray(0, 32), toLittleEndian(s)]) };
    });
    expect(cases.map(nodeVerify)).toEqual(cases.map(() => false));
    expect(await sqlVerify(cases)).toEqual(cases.map(() => false));
  });

  it("refuses keys and signatures of the wrong length without raising", async () => {
    const c = randomCase();
    const cases: Case[] = [
      { ...c, publicKey: c.publicKey.subarray(0, 31) },
      { ...c, publicKey: Buffer.concat([c.publicKey, Buffer.from([0])]) },
      { ...c, publicKey: Buffer.alloc(0) },
      { ...c, signature: c.signature.subarray(0, 63) },
      { ...c, signature: Buffer.concat([c.signature, Buffer.from([0])]) },
      { ...c, signature: Buffer.alloc(0) },
    ];
    expect(cases.map(nodeVerify)).toEqual(cases.map(() => false));
    expect(await sqlVerify(cases)).toEqual(cases.map(() => false));
    expect(await sqlVerify([c])).toEqual([true]);
  });

  it("refuses a public key that is not a point, and agrees with Node on the small-order neutral element", async () => {
    const c = randomCase();
    // y = 2: (y² - 1) / (d y² + 1) has no square root mod p.
    const notAPoint = { ...c, publicKey: toLittleEndian(2n) };
    // A = (0, 1), the neutral element: [S]B - [k]A = [S]B, so R = B, S = 1 verifies any message
    // (cofactorless equation, as OpenSSL). The registered key is never such a key.
    const baseEncoding = Buffer.from("5866666666666666666666666666666666666666666666666666666666666666", "hex");
    const neutral = { publicKey: toLittleEndian(1n), message: c.message, signature: Buffer.concat([baseEncoding, toLittleEndian(1n)]) };
    expect([notAPoint, neutral].map(nodeVerify)).toEqual([false, true]);
    expect(await sqlVerify([notAPoint, neutral])).toEqual([false, true]);
  });

  it("refuses non-canonical public key encodings, which RFC 8032 §5.1.3 rejects and OpenSSL accepts", async () => {
    const p = 2n ** 255n - 19n;
    // R = B, S = 1 as above: OpenSSL reads both keys as the neutral element.
    const message = Buffer.from("checkpoint");
    const signature = Buffer.concat([Buffer.from("5866666666666666666666666666666666666666666666666666666666666666", "hex"), toLittleEndian(1n)]);
    const cases: Case[] = [
      { publicKey: flipBit(toLittleEndian(1n), 255), message, signature }, // x = 0 with the sign bit set
      { publicKey: toLittleEndian(p + 1n), message, signature }, // y >= p (p + 1 ≡ 1)
    ];
    expect(cases.map(nodeVerify)).toEqual([true, true]);
    expect(await sqlVerify(cases)).toEqual([false, false]);
  });
});
