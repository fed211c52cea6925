// Starts a real `netvet serve` on a fresh SQLite file, with one user per role
// (passwords for sign-in; tokens for the test's own API calls), and hands the
// address and tokens to the tests through the environment.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

export const PASSWORD = "correct horse battery staple";
export const USERS = [
  ["spark-ops", "operator", "spark", "UNCLASSIFIED"],
  ["vodafone-ops", "operator", "vodafone", "UNCLASSIFIED"],
  ["gcsb-assessor", "assessor", "gcsb", "SECRET"],
  ["gcsb-director", "approver", "gcsb", "TOP-SECRET"],
  ["igis-auditor", "auditor", "igis", "TOP-SECRET"],
] as const;

export default async function setup() {
  const root = resolve(here, "../..");
  const netvet = process.env.NETVET_BIN ?? join(root, "build/src/cli/netvet");
  const work = mkdtempSync(join(tmpdir(), "netvet-e2e-"));
  const db = join(work, "netvet.db");
  const tokens: Record<string, string> = {};
  for (const [name, role, tenant, clearance] of USERS) {
    tokens[name] = execFileSync(
      netvet,
      ["admin", "user", "add", "--db", db, "--name", name, "--role", role, "--tenant", tenant, "--clearance", clearance, "--password-stdin"],
      { input: PASSWORD + "\n", stdio: ["pipe", "pipe", "ignore"] },
    )
      .toString()
      .trim();
  }
  const log = join(work, "serve.log");
  const server = spawn(netvet, ["serve", "--db", db, "--port", "0", "--web-root", resolve(here, "../dist")], {
    stdio: ["ignore", "ignore", openSync(log, "w")],
    env: { ...process.env, NETVET_NO_REEXEC: "1" },
  });
  let base = "";
  for (let i = 0; i < 200 && !base; i++) {
    await new Promise((r) => setTimeout(r, 50));
    base = /listening on (http:\/\/[0-9.:]+)/.exec(readFileSync(log, "utf8"))?.[1] ?? "";
    if (server.exitCode !== null) break;
  }
  if (!base) throw new Error(`netvet serve did not start:\n${readFileSync(log, "utf8")}`);
  process.env.NETVET_E2E_BASE = base;
  process.env.NETVET_E2E_TOKENS = JSON.stringify(tokens);
  process.env.NETVET_E2E_ROOT = root;
  return async () => {
    server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 200));
    rmSync(work, { recursive: true, force: true });
  };
}
