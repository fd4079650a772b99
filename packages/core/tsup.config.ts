import { defineConfig } from "tsup";

// wrangler-free library build: one ESM entry with its .d.ts; zod stays a dependency, not bundled.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  treeshake: true,
});
