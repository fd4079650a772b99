import { describe, expect, it } from "vitest";
import { LanguageCode } from "./common.js";
import { KNOWN_LANGUAGES, languageAutonym, languageDirection, searchLanguages } from "./languages.js";

describe("known languages", () => {
  it("holds each code once, every code a valid ISO 639 code", () => {
    const codes = KNOWN_LANGUAGES.map((language) => language.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(LanguageCode.safeParse(code).success).toBe(true);
  });

  it("names a language in its own script and says its direction", () => {
    expect(languageAutonym("ps")).toBe("پښتو");
    expect(languageAutonym("ti")).toBe("ትግርኛ");
    expect(languageAutonym("so")).toBe("Soomaali");
    expect(languageDirection("prs")).toBe("rtl");
    expect(languageDirection("am")).toBe("ltr");
  });

  it("shows an unknown code as itself, left to right", () => {
    expect(languageAutonym("zza")).toBe("zza");
    expect(languageDirection("zza")).toBe("ltr");
  });

  it("finds a language by code, own name, English or French name, ignoring case and accents", () => {
    expect(searchLanguages("pachto").map((l) => l.code)).toEqual(["ps"]);
    expect(searchLanguages("SOMALI").map((l) => l.code)).toEqual(["so"]);
    expect(searchLanguages("ትግ").map((l) => l.code)).toEqual(["ti"]);
    expect(searchLanguages("peul").map((l) => l.code)).toEqual(["ff"]);
    expect(searchLanguages("ar")[0]?.code).toBe("ar");
    expect(searchLanguages("  ")).toHaveLength(KNOWN_LANGUAGES.length);
    expect(searchLanguages("klingon")).toEqual([]);
  });
});
