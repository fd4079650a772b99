#!/usr/bin/env node
// One Worker of a benchmark, run by wrangler's own local dev runtime (`unstable_startWorker`: the same
// bundler, Miniflare, workerd and local D1 as `wrangler dev`) WITHOUT wrangler's inspector proxy. Under the
// `wrangler dev` command the proxy keeps a DevTools session on the Worker (`Runtime.enable`), so every
// `console.log` also becomes a `Runtime.consoleAPICalled` event that wrangler 4.86's InspectorProxyWorker
// parses and reports to wrangler's Node process as a debug message, whatever `--log-level` says: ~0.4 ms of
// workerd CPU and ~0.5 ms of wrangler CPU per line on this machine. The command has no flag to turn that
// session off; the API's `dev.inspector: false` does. The Worker's log lines still leave workerd as they
// do under `wrangler dev` for a module Worker (workerd's structured logs on stdout, read by wrangler), so
// the Worker pays for writing them; only the debugger's copy is gone. Both sides of a benchmark run this way.
//
// node bench/dev-worker.mjs --port 8791 [--config bench/wrangler.bare.jsonc] [--persist-to DIR]
//   [--var NAME:VALUE]… [--log-level error] [--inspector-port N]   (an inspector port brings the proxy back)
// Runs until SIGTERM or SIGINT.
import { parseArgs } from "node:util";
import { unstable_startWorker } from "wrangler";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    config: { type: "string", default: "wrangler.jsonc" },
    "persist-to": { type: "string" },
    var: { type: "string", multiple: true, default: [] },
    "log-level": { type: "string", default: "error" },
    "inspector-port": { type: "string" },
  },
});

const bindings = Object.fromEntries(
  values.var.map((pair) => {
    const at = pair.indexOf(":");
    return [pair.slice(0, at), { type: "plain_text", value: pair.slice(at + 1) }];
  }),
);

const worker = await unstable_startWorker({
  config: values.config,
  bindings,
  sendMetrics: false,
  dev: {
    server: { hostname: "127.0.0.1", port: Number(values.port) },
    inspector:
      values["inspector-port"] === undefined
        ? false
        : { hostname: "127.0.0.1", port: Number(values["inspector-port"]) },
    persist: values["persist-to"] ?? false,
    logLevel: values["log-level"],
    watch: false,
    liveReload: false,
  },
});
await worker.ready;

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await worker.dispose();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
