import { bytesToBase64, contentSecurityPolicy, LESSONS_GUIDE_STYLE } from "@halte/core";

export let guidePolicy: Promise<string> | undefined;

/**
 * The printable guide is one self-contained file with its stylesheet inline: its policy allows that one
 * stylesheet by hash, and nothing else — no script, no other style, no request.
 */
export function lessonsGuidePolicy(): Promise<string> {
  guidePolicy ??= crypto.subtle
    .digest("SHA-256", new TextEncoder().encode(LESSONS_GUIDE_STYLE))
    .then((digest) =>
      contentSecurityPolicy({
        "default-src": "'none'",
        "style-src": `'sha256-${bytesToBase64(new Uint8Array(digest))}'`,
        "base-uri": "'none'",
        "form-action": "'none'",
        "frame-ancestors": "'none'",
      }),
    );
  return guidePolicy;
}
