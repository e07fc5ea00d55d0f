/**
 * `npx hardhat vault status` and `vault watch` as signers and guardians run them: child processes
 * against a `hardhat node` this file starts on 127.0.0.1 (and stops by its process id). The vault
 * is deployed, funded and given a queued withdrawal with the other `vault` commands; what the
 * commands print is checked against the chain, read independently.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { JsonRpcProvider, parseEther, Wallet } from "ethers";

import {
  GuardianModule__factory,
  ReserveVault__factory,
  type ReserveVault,
} from "../../types/ethers-contracts/index.js";
import { ETH, findFreeSlot, nextWithdrawal } from "../../scripts/lib/index.js";
import { runHardhat, startNode, type CliResult, type LocalNode } from "../helpers/cli.js";

const LOCAL_CONFIG = "deploy/configs/local.json";
/** Hardhat's default accounts: #1-#3 are the local vault's signers, #9 its allowlisted hot wallet. */
const KEYS = {
  SIGNER1_KEY: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  SIGNER2_KEY: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  SIGNER3_KEY: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
} as const;
const SIGNER1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const SIGNER2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const HOT_WALLET = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
/** Account #8: not on the allowlist. */
const STRANGER = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f";
const HOUR = 3_600n;
const DAY = 86_400n;

/** The address printed on the summary line `ReserveVault  0x…`. */
function vaultAddressIn(stdout: string): string {
  const match = /^ReserveVault\s+(0x[0-9a-fA-F]{40})$/m.exec(stdout);
  if (!match) throw new Error(`no vault address in the output:\n${stdout}`);
  return match[1]!;
}

/** `address` with the case of its first letter flipped: a typo the checksum catches. */
function mistyped(address: string): string {
  const i = address.slice(2).search(/[a-fA-F]/) + 2;
  const c = address[i]!;
  return address.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + address.slice(i + 1);
}

function ok(result: CliResult): CliResult {
  expect(result.code, `exit code; stderr:\n${result.stderr}\nstdout:\n${result.stdout}`).to.equal(0);
  return result;
}

/** `hardhat vault watch …` left running, its stdout collected as it arrives. */
function spawnWatch(args: readonly string[], env: Record<string, string>) {
  const require = createRequire(import.meta.url);
  const cli = path.join(path.dirname(require.resolve("hardhat")), "cli.js");
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [cli, "vault", "watch", ...args], {
    env: { ...process.env, HH_TEST: undefined, ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    /** Waits until stdout matches `pattern` (or fails after `ms`). */
    async waitFor(pattern: RegExp, ms: number): Promise<RegExpExecArray> {
      const deadline = Date.now() + ms;
      for (;;) {
        const match = pattern.exec(stdout);
        if (match) return match;
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(
            `watch never printed ${pattern} (exit code ${child.exitCode}):\nstdout:\n${stdout}\nstderr:\n${stderr}`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

describe("vault status and vault watch (scripts/tasks/status.ts, watch.ts) against a hardhat node", function () {
  this.timeout(120_000);
  const deploymentId = `test-status-${process.pid}`;
  let node: LocalNode;
  let provider: JsonRpcProvider;
  let scratch: string;
  let vault: ReserveVault;
  let vaultAddress: string;
  /** When the withdrawal the vault's commands queued was queued (its block's timestamp). */
  let queuedAt: bigint;
  let statusJson: CliResult;
  let statusHuman: CliResult;
  let watchOnce: CliResult;
  const env = () => ({ LOCALHOST_RPC_URL: node.url, ...KEYS });
  const hardhat = (...args: string[]) => runHardhat(args, env());
  const onNode = (...args: string[]) => hardhat(...args, "--network", "localhost");

  before(async function () {
    node = await startNode();
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    scratch = await mkdtemp(path.join(tmpdir(), "vault-status-"));
    const file = (name: string) => path.join(scratch, name);

    const deployed = ok(await onNode("vault", "deploy", LOCAL_CONFIG, "--deployment-id", deploymentId));
    vaultAddress = vaultAddressIn(deployed.stdout);
    vault = ReserveVault__factory.connect(vaultAddress, provider);
    const funder = await provider.getSigner(0);
    await (await funder.sendTransaction({ to: vaultAddress, value: parseEther("10") })).wait();

    // A withdrawal of 1.5 ETH to the hot wallet, signed offline by two signers, submitted by a relayer.
    ok(
      await onNode(
        "vault",
        "propose",
        "--vault",
        vaultAddress,
        "--to",
        HOT_WALLET,
        "--amount",
        "1.5",
        "--out",
        file("w.json"),
      ),
    );
    // One command at a time: each compiles first (a no-op here), and concurrent builds race on Hardhat's cache file.
    ok(await hardhat("vault", "sign", file("w.json"), "--key", "SIGNER1_KEY", "--out", file("w1.json"), "--yes"));
    ok(await hardhat("vault", "sign", file("w.json"), "--key", "SIGNER2_KEY", "--out", file("w2.json"), "--yes"));
    ok(await onNode("vault", "submit", file("w1.json"), file("w2.json"), "--yes"));
    const [queued] = await vault.queryFilter(vault.filters.WithdrawalQueued());
    queuedAt = BigInt((await queued!.getBlock()).timestamp);

    // The read-only commands: they change nothing, so one chain state serves all their tests.
    const status = ["vault", "status", "--vault", vaultAddress, "--to", STRANGER, "--amount", "1"];
    statusJson = await onNode(...status, "--json");
    statusHuman = await onNode(...status);
    watchOnce = await onNode("vault", "watch", "--vault", vaultAddress, "--once", "--from-block", "0", "--json");
  });

  after(async function () {
    provider?.destroy();
    await node?.stop();
    await rm(path.join("deploy", "deployments", deploymentId), { recursive: true, force: true });
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  describe("vault status --json", function () {
    /** The parsed document (its shape is what these tests check). */
    let report: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    before(function () {
      ok(statusJson);
      report = JSON.parse(statusJson.stdout);
    });

    it("prints exactly one JSON document with the configuration, every delay as decimal-string seconds", function () {
      expect(report.vault).to.equal(vaultAddress);
      expect(report.chainId).to.equal("31337");
      expect(report.configuration).to.include({ epoch: 1, threshold: 2, configNonce: 0 });
      expect(report.configuration.signers).to.deep.equal([
        SIGNER2,
        SIGNER1,
        "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
      ]);
      expect(report.configuration.timings).to.deep.equal({
        withdrawalDelay: "3600",
        configDelay: "7200",
        executionWindow: "86400",
        longDelay: "10800",
        coolOff: "3600",
        recoveryDelay: "7200",
        councilDelay: "10800",
        maxFreeze: "3600",
        freezeCooldown: "7200",
        vetoQuietPeriod: "21600",
      });
      expect(report.guardians).to.deep.include({ epoch: 1, threshold: 2, councilThreshold: 4 });
      expect(report.veto).to.deep.equal({ level: "0", required: "1", lastVetoAt: "0" });
      expect(report.freeze).to.deep.include({ frozen: false, frozenUntil: "0", freezeCount: 0 });
      expect(report.recovery).to.equal(null);
      expect(report.councilChange).to.equal(null);
    });

    it("shows the queued withdrawal: eta = queue time + 1 h, deadline = eta + 1 day, as the vault's queue slot holds them", async function () {
      expect(report.operations).to.have.length(1);
      const [op] = report.operations;
      const slot = await vault.queueSlot(0);
      expect(op).to.deep.include({ kind: "withdrawal", slot: "0", stateName: "Queued" });
      expect(op.withdrawal).to.deep.equal({
        asset: ETH,
        to: HOT_WALLET,
        amount: parseEther("1.5").toString(),
        nonce: 0,
      });
      expect(op.eta).to.equal((queuedAt + HOUR).toString());
      expect(op.eta).to.equal(slot.eta.toString());
      expect(op.deadline).to.equal((queuedAt + HOUR + DAY).toString());
      expect(op.deadline).to.equal(slot.deadline.toString());
      expect(op.id.slice(0, 48)).to.equal(slot.idPrefix.slice(0, 48));
    });

    it("names who approved it: the two signatures that queued it, none on-chain", function () {
      const [op] = report.operations;
      expect(op.approvals.signatures).to.deep.equal([SIGNER2, SIGNER1]); // packed ascending
      expect(op.approvals.onChain).to.deep.equal([]);
      expect(op.approvals).not.to.have.property("proposer");
    });

    it("reports the ETH balance and outflow as the vault does: 10 ETH held, 1.5 of the 500 ETH daily limit used", async function () {
      const [eth] = report.assets;
      const outflow = await vault.outflow(ETH);
      expect(eth).to.deep.include({ asset: ETH, symbol: "ETH", decimals: 18, balance: parseEther("10").toString() });
      expect(eth.outflow).to.deep.equal({
        limit: parseEther("500").toString(),
        used: outflow.used.toString(),
        resetsAt: outflow.resetsAt.toString(),
      });
      expect([parseEther("1.5").toString(), "0"]).to.include(eth.outflow.used); // 0 only across a UTC day boundary
      expect(report.policy).to.deep.include({
        allowlistEnabled: true,
        allowlist: [HOT_WALLET],
        outflowPeriod: "86400",
      });
    });

    it("quotes a candidate withdrawal to a destination off the allowlist the long delay (3 h), reason UnknownDestination", function () {
      expect(report.candidate).to.deep.include({
        asset: ETH,
        to: STRANGER,
        amount: parseEther("1").toString(),
        delay: "10800",
        reason: "UnknownDestination",
        explanation: "destination not on the allowlist: long delay",
      });
    });

    it("lists every signer and guardian as a stale key when none has ever sent a heartbeat", async function () {
      const guardians = await GuardianModule__factory.connect(await vault.GUARDIANS(), provider).guardians();
      expect(report.staleAfter).to.equal((30n * DAY).toString());
      expect(report.staleKeys).to.deep.equal([...report.configuration.signers, ...guardians]);
      expect(report.keys).to.have.length(6);
      for (const k of report.keys) expect(k).to.deep.include({ lastSeen: "0", stale: true });
    });
  });

  describe("vault status (human output)", function () {
    it("counts down to the withdrawal's eta (about 1 h) and its expiry (about 1 day later)", function () {
      const { stdout } = ok(statusHuman);
      expect(stdout).to.contain(`withdrawal 1.5 ETH to ${HOT_WALLET} (slot 0, id 0x`);
      expect(stdout).to.match(/executable from\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in (1 h|5\d min)\)/);
      expect(stdout).to.match(/expires\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 1 d( 1 h| 5\d min)\)/);
      expect(stdout).to.contain(`queued with signatures of  ${SIGNER2}, ${SIGNER1}`);
      expect(stdout).to.match(/delay\s+10800 s \(3 h\) if queued now/);
      expect(stdout).to.contain("Keys not seen for 30 d: 6 of 6");
      expect(statusHuman.stderr).to.equal("");
    });
  });

  describe("vault watch", function () {
    it("--once --from-block 0 --json prints one JSON object per line, among them the WithdrawalQueued alert with its eta", function () {
      const { stdout } = ok(watchOnce);
      const lines = stdout.trim().split("\n");
      const alerts = lines.map((l) => JSON.parse(l) as Record<string, unknown> & { args: Record<string, unknown> });
      const queued = alerts.filter((a) => a.kind === "WithdrawalQueued");
      expect(queued).to.have.length(1);
      expect(queued[0]).to.deep.include({ contract: "vault", level: "act", reactBy: (queuedAt + HOUR).toString() });
      expect(queued[0]!.args).to.deep.include({
        asset: ETH,
        to: HOT_WALLET,
        amount: parseEther("1.5").toString(),
        slot: "0",
      });
      expect(queued[0]!.alert).to.match(
        new RegExp(
          `^withdrawal 1\\.5 ETH to ${HOT_WALLET} queued \\(slot 0, id 0x[0-9a-f]{8}…\\): executable from \\S+ \\(in (1 h|5\\d min)\\); guardians can veto it`,
        ),
      );
      expect(watchOnce.stderr).to.contain("watching vault");
    });

    it("following new blocks, prints the alert of a withdrawal queued while it runs, and stops cleanly (exit 0) on SIGINT", async function () {
      const watch = spawnWatch(["--vault", vaultAddress, "--network", "localhost", "--interval", "200"], env());
      try {
        await watch.waitFor(/^watching vault .* from block \d+/m, 30_000);
        // Two signers queue 2 ETH on-chain: one proposes, the other's approval reaches the threshold.
        const w = await nextWithdrawal(vault, { asset: ETH, to: HOT_WALLET, amount: parseEther("2") });
        const slot = await findFreeSlot(vault);
        await (await vault.connect(new Wallet(KEYS.SIGNER1_KEY, provider)).proposeWithdrawal(w)).wait();
        await (await vault.connect(new Wallet(KEYS.SIGNER2_KEY, provider)).approveWithdrawal(w, slot)).wait();

        const [line] = await watch.waitFor(/^\[block \d+ \S+\] ACT withdrawal 2\.0 ETH to .*$/m, 20_000);
        expect(line).to.contain(`to ${HOT_WALLET} queued (slot ${slot}, id 0x`);
        expect(line).to.match(
          /executable from \S+ \(in (1 h|5\d min)\); guardians can veto it and the signer quorum cancel it until then$/,
        );
        expect(watch.output().stdout).to.contain(`withdrawal 2.0 ETH to ${HOT_WALLET} proposed on-chain by ${SIGNER1}`);

        process.kill(watch.child.pid!, "SIGINT");
        expect(await watch.exited).to.equal(0);
        expect(watch.output().stdout).to.match(/SIGINT: stopping\nstopped after block \d+\n$/);
      } finally {
        if (watch.child.exitCode === null) process.kill(watch.child.pid!, "SIGKILL");
      }
    });
  });

  describe("bad input", function () {
    it("a --vault with a wrong checksum (a typo) exits 1 and says so", async function () {
      const result = await onNode("vault", "status", "--vault", mistyped(vaultAddress));
      expect(result.code).to.equal(1);
      expect(result.stderr).to.contain(`--vault ${mistyped(vaultAddress)} has a wrong checksum (mistyped?)`);
      expect(result.stderr).not.to.match(/^\s+at /m); // no stack trace
      expect(result.stdout).to.equal("");
    });

    it("an address without a vault exits 1: no contract there, or a contract that is not a ReserveVault", async function () {
      const moduleAddress = await vault.GUARDIANS();
      const account = await onNode("vault", "status", "--vault", HOT_WALLET, "--json");
      const other = await onNode("vault", "watch", "--vault", moduleAddress, "--once");
      expect(account.code).to.equal(1);
      expect(account.stderr).to.contain(
        `there is no contract at ${HOT_WALLET} on localhost (chain id 31337): wrong address or wrong --network?`,
      );
      expect(JSON.parse(account.stdout)).to.deep.equal({
        error: `there is no contract at ${HOT_WALLET} on localhost (chain id 31337): wrong address or wrong --network?`,
      });
      expect(other.code).to.equal(1);
      expect(other.stderr).to.contain(`the contract at ${moduleAddress} is not a ReserveVault`);
    });
  });
});
