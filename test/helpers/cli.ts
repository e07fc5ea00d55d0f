/**
 * Running the tooling as a user does: `hardhat <args>` in a child process (stdin closed, so never a
 * terminal), and a `hardhat node` on 127.0.0.1 that the test starts and stops by its process id.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
/** Hardhat's CLI entry point, run with the Node that runs the tests (the pinned Node 24). */
const HARDHAT_CLI = path.join(path.dirname(require.resolve("hardhat")), "cli.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `hardhat ...args` to completion; `env` is added to this process's environment (undefined removes a
 * variable). HH_TEST, which `hardhat test` sets, is removed: the child runs as a user's command.
 */
export function runHardhat(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HARDHAT_CLI, ...args], {
      env: { ...process.env, HH_TEST: undefined, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A TCP port nobody listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface LocalNode {
  url: string;
  pid: number;
  /** Stops the node (SIGTERM to its process id) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `hardhat node` on 127.0.0.1 at a free port and waits until it answers JSON-RPC. */
export async function startNode(options: { chainId?: number } = {}): Promise<LocalNode> {
  const port = await freePort();
  const args = [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)];
  if (options.chainId !== undefined) args.push("--chain-id", String(options.chainId));
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited with code ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(child.pid!);
      throw new Error(`hardhat node did not answer on ${url} within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) {
        process.kill(child.pid!, "SIGTERM");
        await exited;
      }
    },
  };
}

export interface Tripwire {
  /** `http://127.0.0.1:<port>`: give it as a command's RPC URL. */
  url: string;
  /** How many TCP connections were attempted so far. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A listener on 127.0.0.1 that counts and drops every connection. A command run with its RPC URL
 * pointing here and `connections() === 0` afterwards provably never tried to reach a network (a
 * closed port only proves that a connection failed, which a command might swallow).
 */
export async function tripwire(): Promise<Tripwire> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
