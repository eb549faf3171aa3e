-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- Ed25519 signature verification (RFC 8032 §5.1.7) in PL/pgSQL, so that the database itself
-- checks a checkpoint's signature against the registered key: a login that may append to the
-- edit log cannot also forge a checkpoint. PostgreSQL 15 has no Ed25519 and no extension is
-- assumed (the embedded server has none), only sha512() and arbitrary-precision numeric.
--
-- Field elements are numeric integers mod p = 2^255 - 19. mod() keeps the dividend's sign, so
-- intermediate values may be negative (always within (-p, p) after a reduction); they are
-- brought into [0, p) only where it matters (encoding, comparisons). Points are numeric[4]
-- in extended coordinates (X, Y, Z, T) with x = X/Z, y = Y/Z, x*y = T/Z (RFC 8032 §5.1.4).
-- The helpers are pure math: no table, no privilege, executable by everyone.

-- Constants (RFC 8032 §5.1). SQL functions: inlined and folded where they are used.
CREATE FUNCTION "ledger_ed25519_p"() RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 57896044618658097711785492504343953926634992332820282019728792003956564819949::numeric $$;
-- d = -121665/121666 mod p
CREATE FUNCTION "ledger_ed25519_d"() RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 37095705934669439343138083508754565189542113879843219016388785533085940283555::numeric $$;
-- L, the order of the base point: 2^252 + 27742317777372353535851937790883648493
CREATE FUNCTION "ledger_ed25519_order"() RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 7237005577332262213973186563042994240857116359379907606001950938285454250989::numeric $$;
-- sqrt(-1) = 2^((p-1)/4) mod p, for the square root (§5.1.3)
CREATE FUNCTION "ledger_ed25519_sqrt_m1"() RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 19681161376707505956807079304988542015446066515923890162744021073123829784752::numeric $$;
-- The base point B (y = 4/5, x even) in extended coordinates.
CREATE FUNCTION "ledger_ed25519_base"() RETURNS numeric[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ARRAY[
  15112221349535400772501151409588531511454012693041857206046113283949847762202,
  46316835694926478169428394003475163141307993866256225615783033603165251855960,
  1,
  mod(15112221349535400772501151409588531511454012693041857206046113283949847762202
      * 46316835694926478169428394003475163141307993866256225615783033603165251855960, "ledger_ed25519_p"())
]::numeric[] $$;

-- a*b mod p (result in (-p, p)). A one-expression SQL function, so the planner inlines it
-- into the PL/pgSQL expressions that call it: no function call per multiplication.
CREATE FUNCTION "ledger_ed25519_mulmod"(a numeric, b numeric) RETURNS numeric LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT mod(a * b, "ledger_ed25519_p"()) $$;

-- a in [0, p): the canonical representative, for encodings and equality tests.
CREATE FUNCTION "ledger_ed25519_canon"(a numeric) RETURNS numeric LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT mod(mod(a, "ledger_ed25519_p"()) + "ledger_ed25519_p"(), "ledger_ed25519_p"()) $$;

-- b^e mod p by square-and-multiply (e >= 0). Used for the inverse (a^(p-2), Fermat) and
-- the square root's exponent (p-5)/8.
CREATE FUNCTION "ledger_ed25519_powmod"(b numeric, e numeric) RETURNS numeric LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  r numeric := 1;
BEGIN
  WHILE e > 0 LOOP
    IF mod(e, 2) = 1 THEN
      r := "ledger_ed25519_mulmod"(r, b);
    END IF;
    b := "ledger_ed25519_mulmod"(b, b);
    e := div(e, 2);
  END LOOP;
  RETURN r;
END $$;

-- Bytes read as a little-endian unsigned integer (RFC 8032 §5.1.2 and §5.1.7's hash).
CREATE FUNCTION "ledger_ed25519_le_to_numeric"(b bytea) RETURNS numeric LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  n numeric := 0;
BEGIN
  FOR i IN REVERSE length(b) - 1 .. 0 LOOP
    n := n * 256 + get_byte(b, i);
  END LOOP;
  RETURN n;
END $$;

-- 0 <= n < 2^256 as 32 little-endian bytes.
CREATE FUNCTION "ledger_ed25519_numeric_to_le"(n numeric) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  b bytea := '\x0000000000000000000000000000000000000000000000000000000000000000';
BEGIN
  FOR i IN 0 .. 31 LOOP
    b := set_byte(b, i, mod(n, 256)::int);
    n := div(n, 256);
  END LOOP;
  RETURN b;
END $$;

-- P + Q, RFC 8032 §5.1.4 (add-2008-hwcd-3). Complete for every pair of points, doubling
-- and the neutral element included, because d is not a square mod p.
CREATE FUNCTION "ledger_ed25519_point_add"(p numeric[], q numeric[]) RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  a numeric := "ledger_ed25519_mulmod"(p[2] - p[1], q[2] - q[1]);
  b numeric := "ledger_ed25519_mulmod"(p[2] + p[1], q[2] + q[1]);
  c numeric := "ledger_ed25519_mulmod"("ledger_ed25519_mulmod"(p[4], q[4]), 2 * "ledger_ed25519_d"());
  d numeric := "ledger_ed25519_mulmod"(2 * p[3], q[3]);
  e numeric := b - a;
  f numeric := d - c;
  g numeric := d + c;
  h numeric := b + a;
BEGIN
  RETURN ARRAY["ledger_ed25519_mulmod"(e, f), "ledger_ed25519_mulmod"(g, h), "ledger_ed25519_mulmod"(f, g), "ledger_ed25519_mulmod"(e, h)];
END $$;

-- 2P, RFC 8032 §5.1.4 (dbl-2008-hwcd): four squarings instead of the addition's multiplications.
CREATE FUNCTION "ledger_ed25519_point_double"(p numeric[]) RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  a numeric := "ledger_ed25519_mulmod"(p[1], p[1]);
  b numeric := "ledger_ed25519_mulmod"(p[2], p[2]);
  c numeric := 2 * "ledger_ed25519_mulmod"(p[3], p[3]);
  h numeric := a + b;
  e numeric := h - "ledger_ed25519_mulmod"(p[1] + p[2], p[1] + p[2]);
  g numeric := a - b;
  f numeric := c + g;
BEGIN
  RETURN ARRAY["ledger_ed25519_mulmod"(e, f), "ledger_ed25519_mulmod"(g, h), "ledger_ed25519_mulmod"(f, g), "ledger_ed25519_mulmod"(e, h)];
END $$;

-- [a]P + [b]Q for 0 <= a, b < 2^256 given as 32 little-endian bytes (get_bit(s, i) is bit i
-- of the integer). Shamir's trick: one chain of doublings for both scalars, adding P, Q or
-- P+Q where their bits are set, from the top bit down.
CREATE FUNCTION "ledger_ed25519_double_scalar_mult"(a bytea, p numeric[], b bytea, q numeric[]) RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  pq numeric[] := "ledger_ed25519_point_add"(p, q);
  r numeric[] := ARRAY[0, 1, 1, 0]::numeric[];  -- the neutral element (0, 1)
  started boolean := false;
  ba int;
  bb int;
BEGIN
  FOR i IN REVERSE 255 .. 0 LOOP
    ba := get_bit(a, i);
    bb := get_bit(b, i);
    IF started THEN
      r := "ledger_ed25519_point_double"(r);
    END IF;
    IF ba = 1 AND bb = 1 THEN
      r := "ledger_ed25519_point_add"(r, pq);
    ELSIF ba = 1 THEN
      r := "ledger_ed25519_point_add"(r, p);
    ELSIF bb = 1 THEN
      r := "ledger_ed25519_point_add"(r, q);
    END IF;
    -- Doubling the neutral element changes nothing: skip the leading zero bits.
    started := started OR ba = 1 OR bb = 1;
  END LOOP;
  RETURN r;
END $$;

-- Decodes a 32-byte point encoding (RFC 8032 §5.1.3), or NULL when it is not one: y >= p,
-- no square root for x, or x = 0 with the sign bit set.
CREATE FUNCTION "ledger_ed25519_decode"(s bytea) RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  sign int;
  y numeric;
  u numeric;
  v numeric;
  x numeric;
  vx2 numeric;
BEGIN
  IF length(s) <> 32 THEN
    RETURN NULL;
  END IF;
  sign := get_bit(s, 255);
  y := "ledger_ed25519_le_to_numeric"(set_bit(s, 255, 0));
  IF y >= "ledger_ed25519_p"() THEN
    RETURN NULL;
  END IF;
  -- x^2 = u/v with u = y^2 - 1, v = d*y^2 + 1; candidate x = u v^3 (u v^7)^((p-5)/8).
  u := "ledger_ed25519_mulmod"(y, y) - 1;
  v := "ledger_ed25519_mulmod"("ledger_ed25519_d"(), "ledger_ed25519_mulmod"(y, y)) + 1;
  x := "ledger_ed25519_mulmod"(
         "ledger_ed25519_mulmod"(u, "ledger_ed25519_powmod"(v, 3)),
         "ledger_ed25519_powmod"("ledger_ed25519_mulmod"(u, "ledger_ed25519_powmod"(v, 7)),
                                 div("ledger_ed25519_p"() - 5, 8)));
  vx2 := "ledger_ed25519_canon"("ledger_ed25519_mulmod"(v, "ledger_ed25519_mulmod"(x, x)));
  IF vx2 = "ledger_ed25519_canon"(-u) THEN
    x := "ledger_ed25519_mulmod"(x, "ledger_ed25519_sqrt_m1"());
  ELSIF vx2 <> "ledger_ed25519_canon"(u) THEN
    RETURN NULL;  -- u/v is not a square
  END IF;
  x := "ledger_ed25519_canon"(x);
  IF x = 0 AND sign = 1 THEN
    RETURN NULL;
  END IF;
  IF mod(x, 2) <> sign THEN
    x := "ledger_ed25519_p"() - x;
  END IF;
  RETURN ARRAY[x, y, 1, "ledger_ed25519_mulmod"(x, y)];
END $$;

-- The 32-byte encoding of a point (RFC 8032 §5.1.2): y little-endian, x's parity in the top bit.
CREATE FUNCTION "ledger_ed25519_encode"(p numeric[]) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  zinv numeric := "ledger_ed25519_powmod"(p[3], "ledger_ed25519_p"() - 2);
  x numeric := "ledger_ed25519_canon"("ledger_ed25519_mulmod"(p[1], zinv));
  y numeric := "ledger_ed25519_canon"("ledger_ed25519_mulmod"(p[2], zinv));
BEGIN
  RETURN set_bit("ledger_ed25519_numeric_to_le"(y), 255, mod(x, 2)::int);
END $$;

-- Whether p_signature is a valid Ed25519 signature of p_message by p_public_key (RFC 8032
-- §5.1.7), as OpenSSL (Node's crypto.verify) decides it: S < L, then the cofactorless check
-- encode([S]B - [k]A) = R as bytes. R is not decoded: a computed encoding is always
-- canonical, so an R that is no canonical point encoding can never match. Never raises.
-- Stricter than OpenSSL only for public keys that are no canonical encoding (y >= p, or
-- x = 0 with the sign bit set), which OpenSSL reduces and accepts; RFC 8032 rejects them.
CREATE FUNCTION "ledger_ed25519_verify"(p_public_key bytea, p_message bytea, p_signature bytea) RETURNS boolean LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  a numeric[];
  r_bytes bytea;
  s_bytes bytea;
  k numeric;
BEGIN
  IF length(p_public_key) <> 32 OR length(p_signature) <> 64 THEN
    RETURN false;
  END IF;
  r_bytes := substr(p_signature, 1, 32);
  s_bytes := substr(p_signature, 33, 32);
  -- S >= L would make (R, S + L) a second valid signature (malleability, §5.1.7 step 1).
  IF "ledger_ed25519_le_to_numeric"(s_bytes) >= "ledger_ed25519_order"() THEN
    RETURN false;
  END IF;
  a := "ledger_ed25519_decode"(p_public_key);
  IF a IS NULL THEN
    RETURN false;
  END IF;
  -- k = SHA-512(R ‖ A ‖ M) as a little-endian integer, mod L (§5.1.7 step 2).
  k := mod("ledger_ed25519_le_to_numeric"(sha512(r_bytes || p_public_key || p_message)), "ledger_ed25519_order"());
  -- [S]B + [k](-A), with -(X, Y, Z, T) = (-X, Y, Z, -T).
  RETURN "ledger_ed25519_encode"("ledger_ed25519_double_scalar_mult"(
    s_bytes, "ledger_ed25519_base"(),
    "ledger_ed25519_numeric_to_le"(k), ARRAY[-a[1], a[2], a[3], -a[4]])) = r_bytes;
END $$;
