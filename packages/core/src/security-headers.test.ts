import { describe, expect, it } from "vitest";
import { API_CSP, contentSecurityPolicy, SITE_CSP, staticHeadersFile } from "./security-headers.js";

describe("security headers", () => {
  it("never allow inline or evaluated script, and never let a page be framed", () => {
    for (const policy of [SITE_CSP, API_CSP]) {
      const value = contentSecurityPolicy(policy);
      expect(value).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(policy["frame-ancestors"]).toBe("'none'");
      expect(policy["base-uri"]).toBe("'none'");
    }
    expect(SITE_CSP["script-src"]).toBe("'self'");
    expect(API_CSP["default-src"]).toBe("'none'");
  });

  it("write a _headers file with one rule for every path", () => {
    const lines = staticHeadersFile().trimEnd().split("\n");
    expect(lines[0]).toBe("/*");
    expect(lines.slice(1).every((line) => /^ {2}[A-Z][A-Za-z-]+: \S/.test(line))).toBe(true);
    expect(lines).toContain(`  Content-Security-Policy: ${contentSecurityPolicy(SITE_CSP)}`);
    expect(lines).toContain("  Strict-Transport-Security: max-age=63072000; includeSubDomains");
  });
});
