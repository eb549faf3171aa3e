import { describe, expect, it } from "vitest";
import { ipv6Groups, isPublicAddress, nonPublicAddressKind } from "./address";
import { verifyWebhookSignature, webhookSignature } from "./signature";

describe("which addresses a webhook may reach", () => {
  it("refuses loopback, private, shared, link-local and unspecified IPv4", () => {
    for (const [address, kind] of [
      ["127.0.0.1", "loopback"],
      ["127.255.0.9", "loopback"],
      ["10.0.0.1", "private"],
      ["172.16.0.1", "private"],
      ["172.31.255.255", "private"],
      ["192.168.1.20", "private"],
      ["169.254.169.254", "link-local"],
      ["100.64.0.1", "shared (CGNAT)"],
      ["100.127.255.254", "shared (CGNAT)"],
      ["0.0.0.0", "unspecified"],
      ["224.0.0.1", "multicast"],
      ["255.255.255.255", "reserved"],
    ]) {
      expect(nonPublicAddressKind(address!), address).toBe(kind);
    }
  });

  it("lets public IPv4 through, including the neighbours of the refused ranges", () => {
    for (const address of ["8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.0", "100.63.255.255", "100.128.0.0", "11.0.0.1", "192.169.0.1", "126.255.255.255", "128.0.0.1"]) {
      expect(nonPublicAddressKind(address), address).toBeNull();
    }
  });

  it("refuses loopback, unspecified, unique-local and link-local IPv6, and IPv4 carried in IPv6", () => {
    for (const [address, kind] of [
      ["::1", "loopback"],
      ["[::1]", "loopback"],
      ["::", "unspecified"],
      ["fc00::1", "unique-local"],
      ["fd12:3456:789a::1", "unique-local"],
      ["fe80::1%eth0", "link-local"],
      ["febf::1", "link-local"],
      ["ff02::1", "multicast"],
      ["::ffff:127.0.0.1", "loopback"],
      ["::ffff:7f00:1", "loopback"],
      ["::ffff:10.1.2.3", "private"],
      ["64:ff9b::192.168.0.1", "private"],
    ]) {
      expect(nonPublicAddressKind(address!), address).toBe(kind);
    }
  });

  it("lets public IPv6 through", () => {
    for (const address of ["2001:4860:4860::8888", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2a00::1"]) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it("is not fooled by something that is not an address", () => {
    expect(nonPublicAddressKind("localhost")).toBe("not an IP address");
    expect(nonPublicAddressKind("127.1")).toBe("not an IP address");
    expect(isPublicAddress("")).toBe(false);
  });

  it("expands IPv6 groups", () => {
    expect(ipv6Groups("2001:db8::1")).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups("::ffff:1.2.3.4")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    expect(ipv6Groups("1::")).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe("webhook signatures", () => {
  it("are HMAC-SHA256 over timestamp.body, checked in constant time", () => {
    const sig = webhookSignature("s3cret-s3cret-s3cret", 1700000000, '{"a":1}');
    // The same as `printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 's3cret-s3cret-s3cret'`.
    expect(sig).toBe("sha256=79a6c445ff099c53dc2ea6b6df3e4609699187aa67857a2783882ea8fd1e5c11");
    expect(verifyWebhookSignature("s3cret-s3cret-s3cret", "1700000000", '{"a":1}', sig)).toBe(true);
    expect(verifyWebhookSignature("s3cret-s3cret-s3cret", "1700000001", '{"a":1}', sig)).toBe(false);
    expect(verifyWebhookSignature("s3cret-s3cret-s3cret", "1700000000", '{"a":2}', sig)).toBe(false);
    expect(verifyWebhookSignature("other-secret-other", "1700000000", '{"a":1}', sig)).toBe(false);
    expect(verifyWebhookSignature("s3cret-s3cret-s3cret", "1700000000", '{"a":1}', null)).toBe(false);
  });
});
