import { err, ok, type Result } from "./result.js";

/** Why a webhook endpoint URL is refused; each code is one rule of {@link checkWebhookUrl}. */
export type WebhookUrlErrorCode =
  | "malformed"
  | "not_https"
  | "credentials"
  | "port"
  | "ip_address"
  | "single_label"
  | "private_name";

export interface WebhookUrlError {
  readonly code: WebhookUrlErrorCode;
  readonly message: string;
}

/**
 * Special-use and private-use names (RFC 6761, RFC 6762, RFC 8375, ICANN's `.internal`) and the suffixes
 * home and office networks use by habit: they name machines inside a network, never a partner's receiver.
 */
const PRIVATE_SUFFIXES = [
  "localhost",
  "local",
  "localdomain",
  "internal",
  "intranet",
  "lan",
  "home",
  "home.arpa",
  "corp",
  "private",
  "in-addr.arpa",
  "ip6.arpa",
];

/**
 * Public names known to resolve to loopback or to any address written into them (`10.0.0.1.nip.io`).
 * A list cannot be complete: names that embed a private address are refused by shape as well, deliveries
 * never follow redirects, and Cloudflare's network does not route Workers' requests to private addresses.
 */
const LOOPBACK_ALIAS_DOMAINS = [
  "localtest.me",
  "lvh.me",
  "vcap.me",
  "lacolhost.com",
  "localhost.direct",
  "local.gd",
  "nip.io",
  "sslip.io",
  "xip.io",
  "traefik.me",
  "backname.io",
];

/** IPv4 blocks that are not the public internet: this network, private, shared, loopback, link-local. */
const NON_PUBLIC_IPV4: ReadonlyArray<readonly [number, number]> = [
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10.0.0.0/8
  [0x64400000, 10], // 100.64.0.0/10 carrier-grade NAT
  [0x7f000000, 8], // 127.0.0.0/8 loopback
  [0xa9fe0000, 16], // 169.254.0.0/16 link-local, cloud metadata
  [0xac100000, 12], // 172.16.0.0/12
  [0xc0a80000, 16], // 192.168.0.0/16
];

function ipv4Number(parts: readonly string[]): number | null {
  if (parts.length !== 4 || !parts.every((p) => /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(p))) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function isNonPublicIpv4(address: number): boolean {
  return NON_PUBLIC_IPV4.some(
    ([base, bits]) => Math.floor(address / 2 ** (32 - bits)) === base / 2 ** (32 - bits),
  );
}

/** Whether some run of four labels (or a label like `10-0-0-1`) spells a non-public IPv4 address. */
function embedsNonPublicIpv4(labels: readonly string[]): boolean {
  for (const label of labels) {
    const dashed = ipv4Number(label.split("-"));
    if (dashed !== null && isNonPublicIpv4(dashed)) return true;
  }
  for (let i = 0; i + 4 <= labels.length; i++) {
    const dotted = ipv4Number(labels.slice(i, i + 4));
    if (dotted !== null && isNonPublicIpv4(dotted)) return true;
  }
  return false;
}

function endsWith(host: string, suffix: string): boolean {
  return host === suffix || host.endsWith(`.${suffix}`);
}

/**
 * Checks where the centre may send partner webhooks: an `https` URL on the standard port, without
 * credentials, naming a host on the public internet. Refused: IP addresses (a receiver has a name and a
 * certificate for it), single-label names (`printer`), special-use and private-use names (`*.local`,
 * `*.lan`, `*.internal` such as `metadata.google.internal`, `*.home.arpa`…), public names known to point
 * back inside (`localtest.me`, `*.nip.io`, `*.sslip.io`…) and names that embed a private, loopback or
 * link-local address (`10-0-0-1.example.net`). No DNS lookup happens here (core does no I/O); the Worker
 * adds what its runtime allows. Returns the normalised URL.
 *
 * @example
 * checkWebhookUrl("https://partner.example/halte"); // { ok: true, value: "https://partner.example/halte" }
 * checkWebhookUrl("https://user:pw@partner.example/"); // { ok: false, error: { code: "credentials", … } }
 * checkWebhookUrl("https://10.0.0.7.nip.io/"); // { ok: false, error: { code: "private_name", … } }
 */
export function checkWebhookUrl(input: string): Result<string, WebhookUrlError> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return err({ code: "malformed", message: "This is not a valid URL" });
  }
  if (url.protocol !== "https:") return err({ code: "not_https", message: "Use an https:// URL" });
  if (url.username !== "" || url.password !== "") {
    return err({ code: "credentials", message: "Leave user names and passwords out of the URL" });
  }
  if (url.port !== "") return err({ code: "port", message: "Use the standard https port (443)" });
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[") || ipv4Number(host.split(".")) !== null) {
    return err({ code: "ip_address", message: "Use the receiver's host name, not an IP address" });
  }
  const labels = host.split(".");
  if (labels.length < 2) {
    return err({ code: "single_label", message: "Use a fully qualified public host name" });
  }
  if (
    PRIVATE_SUFFIXES.some((suffix) => endsWith(host, suffix)) ||
    LOOPBACK_ALIAS_DOMAINS.some((domain) => endsWith(host, domain)) ||
    embedsNonPublicIpv4(labels)
  ) {
    return err({
      code: "private_name",
      message: "This host name points inside a network (private, loopback or link-local)",
    });
  }
  return ok(url.href);
}
