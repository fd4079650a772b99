#!/usr/bin/env node
// The house's size rule, checked in `npm test`: no source file over 400 lines and no function over 120 lines,
// outside tests and generated code, so every room stays small enough to change safely. Prints each breach
// with its place and exits 1 if there is one.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ts = createRequire(join(root, "package.json"))("typescript");

export const MAX_FILE_LINES = 400;
export const MAX_FUNCTION_LINES = 120;

const SOURCE = /\.(ts|tsx|mjs|js)$/;
const SKIPPED_DIRS = new Set(["node_modules", "dist", "test", "load", ".wrangler", ".turbo", "migrations"]);
const isTestOrGenerated = (name) => /\.(test|spec|gen)\.[a-z]+$/.test(name) || name.endsWith(".d.ts");

/** Every source file under the workspace's packages, apps and tooling, tests and generated code left out. */
function sourceFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...sourceFiles(path));
    } else if (SOURCE.test(entry.name) && !isTestOrGenerated(entry.name)) {
      files.push(path);
    }
  }
  return files;
}

const isFunction = (node) =>
  ts.isFunctionDeclaration(node) ||
  ts.isFunctionExpression(node) ||
  ts.isArrowFunction(node) ||
  ts.isMethodDeclaration(node) ||
  ts.isConstructorDeclaration(node) ||
  ts.isGetAccessorDeclaration(node) ||
  ts.isSetAccessorDeclaration(node);

function functionName(node, source) {
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(source);
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  if (parent && ts.isCallExpression(parent))
    return `callback of ${parent.expression.getText(source).slice(-40)}`;
  return "anonymous function";
}

/** The breaches of one file: its length, and each function longer than the limit. */
export function breachesOf(path, text) {
  const breaches = [];
  const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  if (lines > MAX_FILE_LINES) breaches.push(`${path}: ${lines} lines (max ${MAX_FILE_LINES})`);
  const kind = path.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const visit = (node) => {
    if (isFunction(node) && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.end).line;
      const length = end - start + 1;
      if (length > MAX_FUNCTION_LINES) {
        breaches.push(
          `${path}:${start + 1}: function ${functionName(node, source)} is ${length} lines (max ${MAX_FUNCTION_LINES})`,
        );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return breaches;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = ["packages", "apps", "tooling"].flatMap((dir) => sourceFiles(join(root, dir)));
  const breaches = files.flatMap((file) => breachesOf(relative(root, file), readFileSync(file, "utf8")));
  if (breaches.length > 0) {
    console.error(`Size rule: ${breaches.length} breach(es)\n${breaches.join("\n")}`);
    process.exit(1);
  }
  console.log(
    `Size rule: ${files.length} source files, none over ${MAX_FILE_LINES} lines, no function over ${MAX_FUNCTION_LINES}`,
  );
}
