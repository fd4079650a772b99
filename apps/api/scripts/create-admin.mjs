#!/usr/bin/env node
// The documented way to create the first admin (docs/first-admin.md). There is no default password:
// the password is typed at a prompt (or given in HALTE_ADMIN_PASSWORD for automation), hashed here with
// PBKDF2-SHA-256 exactly as the Worker does, and only the hash reaches D1.
//
//   node apps/api/scripts/create-admin.mjs --email you@example.org --name "Your Name" [--local | --remote]
import { pbkdf2Sync, randomBytes, randomUUID } from "node:crypto";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { adminInsertSql } from "./admin-sql.mjs";
import { wrangler } from "./wrangler.mjs";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    name: { type: "string" },
    local: { type: "boolean", default: false },
    remote: { type: "boolean", default: false },
  },
});
if (!values.email || !values.name || values.local === values.remote) {
  console.error('usage: create-admin.mjs --email you@example.org --name "Your Name" (--local | --remote)');
  process.exit(2);
}
if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) {
  console.error("That email does not look valid.");
  process.exit(2);
}

async function readPassword() {
  if (process.env.HALTE_ADMIN_PASSWORD) return process.env.HALTE_ADMIN_PASSWORD;
  const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const password = await prompt.question("Password (12 characters or more): ");
  prompt.close();
  return password;
}

const password = await readPassword();
if (password.length < 12) {
  console.error("Use at least 12 characters.");
  process.exit(2);
}
const salt = randomBytes(16);
const iterations = 100_000; // workerd's cap, as apps/api/src/auth/password.ts
const hash = pbkdf2Sync(password, salt, iterations, 32, "sha256");
const sql = adminInsertSql({
  id: randomUUID(),
  email: values.email,
  name: values.name,
  passwordHash: hash.toString("base64"),
  passwordSalt: salt.toString("base64"),
  passwordIterations: iterations,
  at: new Date().toISOString(),
});
wrangler(["d1", "execute", "DB", values.remote ? "--remote" : "--local", "--command", sql], { quiet: false });
console.log(`Admin ${values.email.toLowerCase()} created. Sign in at /api/auth/login.`);
