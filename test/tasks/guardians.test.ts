/**
 * The guardian and emergency commands as users run them: `hardhat vault <command>` in child
 * processes against a `hardhat node` this file starts on 127.0.0.1 (and stops by its process id),
 * with keys by NAME from the environment. Every command's effect is read back from the chain with
 * the TypeChain bindings, not taken from its exit code.
 *
 * One `vault deploy` of deploy/configs/local.json (signers = accounts #1-#3, 2-of-3; guardians =
 * #4-#6, 2-of-3; council 4 of 6; withdrawal 1 h, recovery 2 h, council 3 h, maxFreeze 1 h, freeze
 * cooldown 2 h, veto quiet period 6 h; hot wallet #9 allowlisted), funded with ETH from #0, then
 * an `evm_snapshot`: each `describe` starts from that snapshot, a fresh vault without another
 * deployment. A CLI call costs seconds, so what is not the command under test (queueing the
 * withdrawal a veto or cancellation targets, most signatures) is done in-process with the library
 * the CLI runs; `vault sign` runs as a command where the guardians sign their veto.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { HDNodeWallet, JsonRpcProvider, parseEther, type Signer } from "ethers";

import {
  GuardianModule__factory,
  ReserveVault__factory,
  type GuardianModule,
  type ReserveVault,
} from "../../types/ethers-contracts/index.js";
import {
  compareAddresses,
  ETH,
  ETH_INFO,
  loadVaultConfig,
  OperationState,
  packSignatures,
  parseProposal,
  proposalDigest,
  proposalToJson,
  signTypedData,
  typedDataOf,
  withdrawalProposal,
  addSignature,
  type Proposal,
} from "../../scripts/lib/index.js";
import { runHardhat, startNode, type CliResult, type LocalNode } from "../helpers/cli.js";

const LOCAL_CONFIG = "deploy/configs/local.json";

/** Hardhat's default accounts, derived from its well-known test mnemonic (never a real key). */
const MNEMONIC = "test test test test test test test test test test test junk";
const account = (i: number) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`);

/** Key NAMEs (what `--key` takes) and the accounts whose private keys they hold. */
const KEYS = {
  SIGNER1_KEY: account(1),
  SIGNER2_KEY: account(2),
  SIGNER3_KEY: account(3),
  GUARDIAN1_KEY: account(4),
  GUARDIAN2_KEY: account(5),
  GUARDIAN3_KEY: account(6),
  /** The allowlisted hot wallet: neither a signer nor a guardian. */
  OUTSIDER_KEY: account(9),
} as const;
type KeyName = keyof typeof KEYS;
const KEY_ENV: Record<string, string> = Object.fromEntries(
  Object.entries(KEYS).map(([name, w]) => [name, w.privateKey]),
);

const HOT_WALLET = account(9).address;
const [NEW_1, NEW_2, NEW_3] = [account(7).address, account(8).address, account(10).address];
const sorted = (xs: readonly string[]) => [...xs].sort(compareAddresses);
/** A chain timestamp as the CLI prints it (ISO 8601, whole seconds). */
const isoTime = (at: bigint) => new Date(Number(at) * 1000).toISOString().replace(".000Z", "Z");

describe("vault guardian and emergency commands against a hardhat node", function () {
  this.timeout(300_000);
  const deploymentId = `test-guardians-${process.pid}`;
  let node: LocalNode;
  let provider: JsonRpcProvider;
  let scratch: string;
  let vault: ReserveVault;
  let module: GuardianModule;
  let relayer: Signer;
  /** The chain right after deploying and funding; every describe starts from it. */
  let snapshot: string;

  /** `hardhat vault …` against the node, keys by name from the environment. */
  const vaultCli = (...args: string[]) =>
    runHardhat(["vault", ...args, "--network", "localhost"], { LOCALHOST_RPC_URL: node.url, ...KEY_ENV });
  /** `hardhat vault sign` with no network at all (offline), `--yes` as there is no terminal. */
  const signCli = (file: string, key: KeyName) =>
    runHardhat(["vault", "sign", file, "--key", key, "--yes"], { LOCALHOST_RPC_URL: undefined, ...KEY_ENV });
  const file = (name: string) => path.join(scratch, name);
  const V = () => vault.target as string;

  function succeeded(r: CliResult): CliResult {
    expect(r.code, `exit code (stderr: ${r.stderr}; stdout: ${r.stdout})`).to.equal(0);
    return r;
  }
  function failedWith(r: CliResult, ...messages: string[]): void {
    expect(r.code, `exit code (stdout: ${r.stdout})`).to.equal(1);
    for (const m of messages) expect(r.stderr).to.contain(m);
    expect(r.stderr).not.to.match(/^\s+at /m); // a message, not a stack trace
  }
  /** What any sent transaction would change: the block number and the nonce of every account used. */
  async function activity() {
    const accounts = [account(0), ...Object.values(KEYS)].map((w) => w.address);
    const [block, ...nonces] = await Promise.all([
      provider.getBlockNumber(),
      ...accounts.map((a) => provider.getTransactionCount(a)),
    ]);
    return { block, nonces };
  }
  /** Runs a command that must be refused: exit 1, every message on stderr, and no transaction sent. */
  async function refusedWithoutSending(run: () => Promise<CliResult>, ...messages: string[]): Promise<void> {
    const before = await activity();
    failedWith(await run(), ...messages);
    expect(await activity()).to.deep.equal(before);
  }
  async function advance(seconds: bigint): Promise<void> {
    await provider.send("evm_increaseTime", [Number(seconds)]);
    await provider.send("evm_mine", []);
  }
  const now = async () => BigInt((await provider.getBlock("latest"))!.timestamp);
  /** The timestamp of the block a `--json` submit or execute reported its transaction in. */
  async function sentAt(r: CliResult): Promise<bigint> {
    const { transaction } = JSON.parse(r.stdout) as { transaction: { blockNumber: number } };
    return BigInt((await provider.getBlock(transaction.blockNumber))!.timestamp);
  }
  const readFileProposal = async (name: string): Promise<Proposal> =>
    parseProposal(JSON.parse(await readFile(name, "utf8")), name);
  const exists = (name: string) =>
    stat(name).then(
      () => true,
      () => false,
    );

  /**
   * Adds the signatures of `keys` to proposal file `name` (written to `out`, default in place) with
   * the library calls `vault sign` makes. The CLI's `vault sign` runs where signing is the step
   * under test; elsewhere this saves a child process (seconds) per signature.
   */
  async function signFile(name: string, keys: readonly KeyName[], out = name): Promise<void> {
    let p = await readFileProposal(name);
    for (const key of keys) p = addSignature(p, await signTypedData(KEYS[key], typedDataOf(p)));
    await writeFile(out, proposalToJson(p));
  }

  /**
   * A withdrawal of 1 ETH to the hot wallet, built, signed by signers #1 and #2 and queued with the
   * library the CLI runs (the setup of a test, not the command under test: `vault propose`, `sign`
   * and `submit` of withdrawals have their own tests); its proposal file is written to `name`.
   */
  async function queueWithdrawal(name: string): Promise<Proposal> {
    let p = await withdrawalProposal(
      vault,
      { asset: ETH, to: HOT_WALLET, amount: parseEther("1") },
      { asset: ETH_INFO },
    );
    for (const w of [KEYS.SIGNER1_KEY, KEYS.SIGNER2_KEY]) p = addSignature(p, await signTypedData(w, typedDataOf(p)));
    const o = p.operation;
    if (o.kind !== "withdrawal") throw new Error("not a withdrawal");
    await (await vault.connect(relayer).queueWithdrawal(o.withdrawal, p.slot!, packSignatures(p.signatures))).wait();
    await writeFile(name, proposalToJson(p));
    expect(await vault.operationState(proposalDigest(p), p.slot!)).to.equal(BigInt(OperationState.Queued));
    return p;
  }

  before(async function () {
    // The keys the tests hold are the roles the configuration names.
    const config = await loadVaultConfig(LOCAL_CONFIG);
    expect(sorted(config.signers)).to.deep.equal(
      sorted([KEYS.SIGNER1_KEY, KEYS.SIGNER2_KEY, KEYS.SIGNER3_KEY].map((w) => w.address)),
    );
    expect(sorted(config.guardians)).to.deep.equal(
      sorted([KEYS.GUARDIAN1_KEY, KEYS.GUARDIAN2_KEY, KEYS.GUARDIAN3_KEY].map((w) => w.address)),
    );
    expect(config.allowlist).to.deep.equal([HOT_WALLET]);

    node = await startNode();
    // No response cache: a read right after another must see the chain as it is now.
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    scratch = await mkdtemp(path.join(tmpdir(), "vault-guardians-"));
    const deployed = succeeded(
      await runHardhat(["vault", "deploy", LOCAL_CONFIG, "--network", "localhost", "--deployment-id", deploymentId], {
        LOCALHOST_RPC_URL: node.url,
      }),
    );
    const address = /^ReserveVault\s+(0x[0-9a-fA-F]{40})$/m.exec(deployed.stdout)?.[1];
    if (address === undefined) throw new Error(`no vault address in the output:\n${deployed.stdout}`);
    vault = ReserveVault__factory.connect(address, provider);
    module = GuardianModule__factory.connect(await vault.GUARDIANS(), provider);
    relayer = await provider.getSigner(0);
    expect(await relayer.getAddress()).to.equal(account(0).address);
    await (await relayer.sendTransaction({ to: address, value: parseEther("10") })).wait();
    expect(await provider.getBalance(address)).to.equal(parseEther("10"));
    snapshot = (await provider.send("evm_snapshot", [])) as string;
  });
  after(async function () {
    provider?.destroy();
    await node?.stop();
    await rm(path.join("deploy", "deployments", deploymentId), { recursive: true, force: true });
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });
  /** Back to the freshly deployed vault (a snapshot is used up by reverting to it: take it again). */
  function startsFromFreshVault(): void {
    before(async function () {
      expect(await provider.send("evm_revert", [snapshot])).to.equal(true);
      snapshot = (await provider.send("evm_snapshot", [])) as string;
    });
  }

  describe("vault veto", function () {
    startsFromFreshVault();

    it("guardians #4 and #5 veto a queued withdrawal (`veto --target`, `sign` offline, `submit`): it is Cancelled", async function () {
      const w = file("veto-target.json");
      const target = await queueWithdrawal(w);
      const id = proposalDigest(target);

      const v = file("veto.json");
      succeeded(await vaultCli("veto", "--vault", V(), "--target", w, "--out", v));
      const veto = await readFileProposal(v);
      expect(veto.operation).to.deep.equal({ kind: "veto", operation: id, guardianEpoch: 1 });
      expect(veto.quorum).to.deep.equal({ keys: [...(await module.guardians())], threshold: 1 }); // level 0: one guardian suffices
      succeeded(await signCli(v, "GUARDIAN1_KEY"));
      succeeded(await signCli(v, "GUARDIAN2_KEY"));
      succeeded(await vaultCli("submit", v, "--yes"));

      expect(await vault.operationState(id, target.slot!)).to.equal(BigInt(OperationState.Cancelled));
      const requirement = await module.vetoRequirement();
      expect([requirement.level, requirement.required]).to.deep.equal([1n, 2n]);
    });

    it("the next veto needs two guardians: the file asks for 2, submit refuses one signature and sends nothing", async function () {
      const target = await queueWithdrawal(file("veto-target-2.json"));
      const id = proposalDigest(target);
      const v = file("veto-2.json");
      succeeded(await vaultCli("veto", "--vault", V(), "--target", file("veto-target-2.json"), "--out", v));
      expect((await readFileProposal(v)).quorum.threshold).to.equal(2);
      await signFile(v, ["GUARDIAN3_KEY"]);

      await refusedWithoutSending(
        () => vaultCli("submit", v, "--yes"),
        "1 of 2 signatures needed: collect 1 more with `vault sign`",
      );
      expect(await vault.operationState(id, target.slot!)).to.equal(BigInt(OperationState.Queued));
    });
  });

  describe("vault cancel", function () {
    startsFromFreshVault();

    it("signers #1 and #3 cancel a queued withdrawal with signatures (`cancel --target`, `submit` of the signed file)", async function () {
      const target = await queueWithdrawal(file("cancel-target.json"));
      const c = file("cancel.json");
      succeeded(await vaultCli("cancel", "--vault", V(), "--target", file("cancel-target.json"), "--out", c));
      const cancellation = await readFileProposal(c);
      expect(cancellation.operation).to.deep.equal({
        kind: "cancellation",
        operation: proposalDigest(target),
        epoch: 1,
      });
      expect(cancellation.quorum).to.deep.equal({ keys: [...(await vault.signers())], threshold: 2 });
      await signFile(c, ["SIGNER1_KEY", "SIGNER3_KEY"]);
      succeeded(await vaultCli("submit", c, "--yes"));
      expect(await vault.operationState(proposalDigest(target), target.slot!)).to.equal(
        BigInt(OperationState.Cancelled),
      );
    });

    it("signers #2 and #3 cancel a queued withdrawal with on-chain approvals (`vault approve <cancel file>`)", async function () {
      const target = await queueWithdrawal(file("cancel-target-2.json"));
      const id = proposalDigest(target);
      const c = file("cancel-2.json");
      succeeded(await vaultCli("cancel", "--vault", V(), "--target", file("cancel-target-2.json"), "--out", c));

      succeeded(await vaultCli("approve", c, "--key", "SIGNER2_KEY", "--yes"));
      expect(await vault.operationState(id, target.slot!)).to.equal(BigInt(OperationState.Queued)); // one of two
      succeeded(await vaultCli("approve", c, "--key", "SIGNER3_KEY", "--yes"));
      expect(await vault.operationState(id, target.slot!)).to.equal(BigInt(OperationState.Cancelled));
    });
  });

  describe("vault freeze and vault unfreeze", function () {
    startsFromFreshVault();

    it("guardians #4 and #6 freeze withdrawals until maxFreeze from the freeze", async function () {
      expect(await vault.frozenUntil()).to.be.lessThanOrEqual(await now());
      const f = file("freeze.json");
      succeeded(await vaultCli("freeze", "--vault", V(), "--out", f));
      expect((await readFileProposal(f)).quorum.threshold).to.equal(2);
      await signFile(f, ["GUARDIAN1_KEY", "GUARDIAN3_KEY"]);
      const frozeAt = await sentAt(succeeded(await vaultCli("submit", f, "--yes", "--json")));

      const { maxFreeze, freezeCooldown } = await vault.guardianTimings();
      expect(maxFreeze).to.equal(3600n);
      expect(await vault.frozenUntil()).to.equal(frozeAt + maxFreeze);
      expect((await module.guardianStatus()).nextFreezeAt).to.equal(frozeAt + maxFreeze + freezeCooldown);
    });

    it("a second freeze during the cooldown is refused before anything is signed: exit 1, nothing sent", async function () {
      const { nextFreezeAt } = await module.guardianStatus();
      await refusedWithoutSending(
        () => vaultCli("freeze", "--vault", V(), "--out", file("freeze-2.json")),
        `the guardians froze recently: the next freeze is possible from ${isoTime(nextFreezeAt)}`,
      );
      expect(await exists(file("freeze-2.json"))).to.equal(false);
    });

    it("signers #1 and #2 lift the freeze (`unfreeze`, then `submit` of the signed file): the cooldown restarts", async function () {
      const u = file("unfreeze.json");
      succeeded(await vaultCli("unfreeze", "--vault", V(), "--out", u));
      await signFile(u, ["SIGNER1_KEY", "SIGNER2_KEY"]);
      const liftedAt = await sentAt(succeeded(await vaultCli("submit", u, "--yes", "--json")));
      expect(await vault.frozenUntil()).to.equal(liftedAt);
      const { freezeCooldown } = await vault.guardianTimings();
      expect((await module.guardianStatus()).nextFreezeAt).to.equal(liftedAt + freezeCooldown); // the cooldown restarts
    });

    it("unfreeze when the vault is not frozen is refused: exit 1, nothing sent", async function () {
      await refusedWithoutSending(
        () => vaultCli("unfreeze", "--vault", V(), "--out", file("unfreeze-2.json")),
        "the vault is not frozen: there is nothing to lift",
      );
      expect(await exists(file("unfreeze-2.json"))).to.equal(false);
    });
  });

  describe("vault recover", function () {
    startsFromFreshVault();
    const r = () => file("recovery.json");

    it("guardians #5 and #6 queue a recovery to signers #7 and #8 (2 of 2)", async function () {
      succeeded(
        await vaultCli("recover", "--vault", V(), "--signers", `${NEW_1},${NEW_2}`, "--threshold", "2", "--out", r()),
      );
      const recovery = await readFileProposal(r());
      expect(recovery.operation).to.deep.equal({
        kind: "recovery",
        recovery: { signers: sorted([NEW_1, NEW_2]), threshold: 2n, nonce: 0, guardianEpoch: 1 },
      });
      await signFile(r(), ["GUARDIAN2_KEY", "GUARDIAN3_KEY"]);
      const queuedAt = await sentAt(succeeded(await vaultCli("submit", r(), "--yes", "--json")));

      const pending = await module.pending();
      expect(pending.recovery).to.equal(proposalDigest(recovery));
      expect(pending.recoveryQueued).to.equal(true);
      expect(pending.recoveryEta).to.equal(queuedAt + (await vault.guardianTimings()).recoveryDelay);
    });

    it("executing it before recoveryDelay is refused with the time it becomes executable: exit 1, nothing sent", async function () {
      const { recoveryEta } = await module.pending();
      await refusedWithoutSending(
        () => vaultCli("execute", r(), "--yes"),
        `executeRecovery would fail, so nothing was sent: the timelock has not passed: executable from ${isoTime(recoveryEta)}`,
      );
      expect(sorted(await vault.signers())).to.deep.equal(
        sorted([KEYS.SIGNER1_KEY, KEYS.SIGNER2_KEY, KEYS.SIGNER3_KEY].map((w) => w.address)),
      );
    });

    it("after recoveryDelay anyone executes it: the signers are #7 and #8, threshold 2, a new epoch", async function () {
      await advance((await module.pending()).recoveryEta - (await now()));
      succeeded(await vaultCli("execute", r(), "--yes"));
      expect([...(await vault.signers())]).to.deep.equal(sorted([NEW_1, NEW_2]));
      const config = await vault.configuration();
      expect([config.threshold, config.signerCount, config.epoch]).to.deep.equal([2n, 2n, 2n]);
      expect((await module.pending()).recoveryQueued).to.equal(false);
    });
  });

  describe("vault council", function () {
    startsFromFreshVault();
    const k = () => file("council.json");
    const signed = (key: KeyName) => file(`council-${key}.json`);

    it("a council change replacing the guardians keeps the council threshold and asks 4 of the 6 keys", async function () {
      succeeded(
        await vaultCli(
          "council",
          "--vault",
          V(),
          "--guardians",
          `${NEW_1},${NEW_2},${NEW_3}`,
          "--guardian-threshold",
          "2",
          "--out",
          k(),
        ),
      );
      const change = await readFileProposal(k());
      expect(change.operation).to.deep.equal({
        kind: "councilChange",
        change: {
          signers: [],
          threshold: 0n,
          guardians: sorted([NEW_1, NEW_2, NEW_3]),
          guardianThreshold: 2n,
          councilThreshold: 4n, // kept: the option was omitted
          nonce: 0,
        },
      });
      expect(change.quorum).to.deep.equal({
        keys: sorted([...(await vault.signers()), ...(await module.guardians())]),
        threshold: 4,
      });
      for (const key of ["SIGNER1_KEY", "SIGNER3_KEY", "GUARDIAN1_KEY", "GUARDIAN2_KEY"] as const)
        await signFile(k(), [key], signed(key));
    });

    it("submitting 3 signatures is refused, saying how many more are needed: exit 1, nothing sent", async function () {
      await refusedWithoutSending(
        () => vaultCli("submit", signed("SIGNER1_KEY"), signed("SIGNER3_KEY"), signed("GUARDIAN1_KEY"), "--yes"),
        "3 of 4 signatures needed: collect 1 more with `vault sign`",
      );
      expect((await module.pending()).councilQueued).to.equal(false);
    });

    it("with the 4 copies merged it is queued, and after councilDelay executed: the new guardians are in place", async function () {
      const queuedAt = await sentAt(
        succeeded(
          await vaultCli(
            "submit",
            signed("SIGNER1_KEY"),
            signed("SIGNER3_KEY"),
            signed("GUARDIAN1_KEY"),
            signed("GUARDIAN2_KEY"),
            "--yes",
            "--json",
          ),
        ),
      );
      const pending = await module.pending();
      expect(pending.councilChange).to.equal(proposalDigest(await readFileProposal(k())));
      expect(pending.councilEta).to.equal(queuedAt + (await vault.guardianTimings()).councilDelay);

      await advance(pending.councilEta - (await now()));
      succeeded(await vaultCli("execute", k(), "--yes"));
      expect([...(await module.guardians())]).to.deep.equal(sorted([NEW_1, NEW_2, NEW_3]));
      const counts = await module.guardianCounts();
      expect([
        counts.guardianCount,
        counts.guardianThreshold,
        counts.councilThreshold,
        counts.guardianEpoch,
      ]).to.deep.equal([3n, 2n, 4n, 2n]);
    });
  });

  describe("vault heartbeat", function () {
    startsFromFreshVault();

    it("signer #1 records a heartbeat: lastSeen is the block's time", async function () {
      const signer = KEYS.SIGNER1_KEY.address;
      expect(await module.lastSeen(signer)).to.equal(0n);
      const r = succeeded(await vaultCli("heartbeat", "--vault", V(), "--key", "SIGNER1_KEY", "--yes", "--json"));
      const at = await sentAt(r);
      expect(await module.lastSeen(signer)).to.equal(at);
    });

    it("a key that is neither signer nor guardian is refused: exit 1, nothing sent", async function () {
      await refusedWithoutSending(
        () => vaultCli("heartbeat", "--vault", V(), "--key", "OUTSIDER_KEY", "--yes"),
        `${HOT_WALLET} (--key OUTSIDER_KEY) is neither a signer nor a guardian of this vault`,
      );
      expect(await module.lastSeen(HOT_WALLET)).to.equal(0n);
    });
  });

  describe("bad input is refused before anything is sent or written", function () {
    startsFromFreshVault();
    /** `vault <args> --out <file>` must be refused with `message`, send nothing and write no file. */
    async function refused(args: string[], message: string): Promise<void> {
      const out = file("never-written.json");
      await refusedWithoutSending(() => vaultCli(...args, "--out", out), message);
      expect(await exists(out), "the --out file was written").to.equal(false);
    }

    it("veto of a withdrawal that was proposed but never queued", async function () {
      const p = await withdrawalProposal(
        vault,
        { asset: ETH, to: HOT_WALLET, amount: parseEther("1") },
        { asset: ETH_INFO },
      );
      const w = file("not-queued.json");
      await writeFile(w, proposalToJson(p));
      await refused(
        ["veto", "--vault", V(), "--target", w],
        `operation ${proposalDigest(p)} in slot ${p.slot} is Unknown: guardians veto only queued operations`,
      );
    });

    it("cancel with a malformed --id", async function () {
      await refused(
        ["cancel", "--vault", V(), "--id", "0x1234", "--slot", "0"],
        '--id "0x1234" is not an operation id (0x followed by 64 hex digits)',
      );
    });

    it("recover with a threshold above the number of new signers", async function () {
      await refused(
        ["recover", "--vault", V(), "--signers", `${NEW_1},${NEW_2}`, "--threshold", "3"],
        "--threshold 3 must be between 1 and the number of new signers (2)",
      );
    });

    it("council with --threshold but no --signers", async function () {
      await refused(
        [
          "council",
          "--vault",
          V(),
          "--threshold",
          "2",
          "--guardians",
          `${NEW_1},${NEW_2},${NEW_3}`,
          "--guardian-threshold",
          "2",
        ],
        "--threshold given without --signers: a kept signer set keeps its threshold",
      );
    });

    it("council after which the kept council threshold is invalid, without --council-threshold", async function () {
      // 3 signers (threshold 2) and 2 guardians (threshold 2) allow only a council threshold of 3; the current one is 4.
      await refused(
        ["council", "--vault", V(), "--guardians", `${NEW_1},${NEW_2}`, "--guardian-threshold", "2"],
        "the current council threshold 4 is not valid after this change (3 signers, threshold 2; 2 guardians, threshold 2): " +
          "it must be 3 (pass --council-threshold 3)",
      );
    });
  });
});
