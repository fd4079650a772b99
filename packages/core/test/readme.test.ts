import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, it } from "vitest";

// The README promises that its examples run as written: each ```ts block is written to a module and
// imported, so a failing assertion in an example fails this test.
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
const dir = fileURLToPath(new URL("./.readme-examples/", import.meta.url));

describe("README examples", () => {
  mkdirSync(dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("has examples to run", () => {
    if (blocks.length < 7) throw new Error(`expected at least 7 examples, found ${blocks.length}`);
  });

  blocks.forEach((code, index) => {
    const title =
      code
        .split("\n")
        .find((line) => line.startsWith("import {"))
        ?.slice(0, 80) ?? "";
    it(`example ${index + 1} runs: ${title}`, async () => {
      const file = `${dir}example-${index + 1}.ts`;
      writeFileSync(file, `${code}\nexport {};\n`);
      await import(/* @vite-ignore */ file);
    });
  });
});
