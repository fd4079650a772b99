import { describe, expect, it } from "vitest";
import { checkWebhookUrl, type WebhookUrlErrorCode } from "./webhook-url.js";

describe("checkWebhookUrl", () => {
  const accepted = [
    "https://partner.example/halte",
    "https://hooks.samusocial.org/halte?centre=paris",
    "https://PARTNER.example.org./in",
    "https://partner.example:443/halte",
    "https://api.10-years.example.org/hook",
  ];
  it.each(accepted)("accepts %s", (url) => {
    expect(checkWebhookUrl(url).ok).toBe(true);
  });

  const refused: Array<[string, WebhookUrlErrorCode]> = [
    ["not a url", "malformed"],
    ["http://partner.example/halte", "not_https"],
    ["ftp://partner.example/", "not_https"],
    ["https://user:pass@partner.example/", "credentials"],
    ["https://user@partner.example/", "credentials"],
    ["https://partner.example:22/", "port"],
    ["https://partner.example:8443/", "port"],
    ["https://127.0.0.1/", "ip_address"],
    ["https://2130706433/", "ip_address"],
    ["https://0x7f.1/", "ip_address"],
    ["https://169.254.169.254/latest/meta-data", "ip_address"],
    ["https://8.8.8.8/", "ip_address"],
    ["https://[::1]/", "ip_address"],
    ["https://[fd00::1]/", "ip_address"],
    ["https://localhost/", "single_label"],
    ["https://printer/", "single_label"],
    ["https://localhost./", "single_label"],
    ["https://app.localhost/", "private_name"],
    ["https://printer.lan/", "private_name"],
    ["https://nas.local/", "private_name"],
    ["https://metadata.google.internal/computeMetadata/v1/", "private_name"],
    ["https://router.home.arpa/", "private_name"],
    ["https://intranet.corp/", "private_name"],
    ["https://localtest.me/", "private_name"],
    ["https://anything.localtest.me/", "private_name"],
    ["https://lvh.me/", "private_name"],
    ["https://10.0.0.7.nip.io/", "private_name"],
    ["https://app.192.168.1.1.sslip.io/", "private_name"],
    ["https://127.0.0.1.example.org/", "private_name"],
    ["https://10-0-0-7.example.org/", "private_name"],
    ["https://169-254-169-254.example.org/", "private_name"],
    ["https://172.16.3.4.example.org/", "private_name"],
    ["https://100.64.0.1.example.org/", "private_name"],
  ];
  it.each(refused)("refuses %s (%s)", (url, code) => {
    const result = checkWebhookUrl(url);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message.length).toBeGreaterThan(10);
    }
  });

  it("does not mistake public addresses written into a name for private ones", () => {
    expect(checkWebhookUrl("https://172.32.0.1.example.org/").ok).toBe(true);
    expect(checkWebhookUrl("https://11.0.0.1.example.org/").ok).toBe(true);
  });

  it("returns the normalised URL", () => {
    expect(checkWebhookUrl("https://Partner.Example:443/halte")).toEqual({
      ok: true,
      value: "https://partner.example/halte",
    });
  });
});
