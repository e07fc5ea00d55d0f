/**
 * The signer CLI end to end, as signers run it: `hardhat vault …` child processes against a
 * `hardhat node` this file starts on 127.0.0.1 (stopped by its process id), with keys passed by the
 * NAME of the environment variable holding them. `vault sign` and `vault merge` get an RPC URL that
 * only counts connections, to prove they never reach a network.
 *
 * One vault serves the whole file (deploying costs a command); every test reads the state it needs
 * from the chain, and sets up what is not under test (extra signatures, queued withdrawals) through
 * scripts/lib in this process, which costs no command.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { getAddress, JsonRpcProvider, parseEther, Wallet } from "ethers";

import { ReserveVault__factory, type ReserveVault } from "../../types/ethers-contracts/index.js";
import {
  addSignature,
  ETH,
  ETH_INFO,
  OperationState,
  packSignatures,
  parseProposal,
  proposalDigest,
  proposalToJson,
  readOperation,
  signTypedData,
  toSignTypedDataV4,
  typedDataOf,
  withdrawalProposal,
  type Proposal,
} from "../../scripts/lib/index.js";
import { runHardhat, startNode, tripwire, type CliResult, type LocalNode, type Tripwire } from "../helpers/cli.js";

/** Hardhat's default accounts #0-#5 (keys published by Hardhat, for local chains only). */
const KEYS = {
  deployer: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  signer1: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  signer2: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  signer3: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  guardian1: "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  guardian2: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
} as const;
const address = (key: string) => new Wallet(key).address;
const DEPLOYER = address(KEYS.deployer);
const SIGNER1 = address(KEYS.signer1);
const SIGNER2 = address(KEYS.signer2);
/** Every account a command could send from: the relayer (#0), the signers and the guardians. */
const SENDERS = Object.values(KEYS).map(address);
/** Account #9: the hot wallet deploy/configs/local.json allowlists (a withdrawal to it waits 1 h). */
const HOT_WALLET = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
/** Somebody who would like the funds (any address outside the vault's roles). */
const ATTACKER = getAddress("0x14dc79964da2c08b23698b3d3cc7ca32193d9955");
/** The environment every command runs with: keys by name, never on the command line. */
const KEY_ENV = {
  SIGNER1_KEY: KEYS.signer1,
  SIGNER2_KEY: KEYS.signer2,
  SIGNER3_KEY: KEYS.signer3,
  GUARDIAN1_KEY: KEYS.guardian1,
  GUARDIAN2_KEY: KEYS.guardian2,
};
const WITHDRAWAL_DELAY = 3_600;
const EXECUTION_WINDOW = 86_400;
const LOCAL_CONFIG = "deploy/configs/local.json";

/** The part of a proposal file's JSON that tests edit. */
interface ProposalJson {
  digest: string;
  operation: Record<string, unknown>;
  signatures: { signer: string; signature: string }[];
}

/** The address on the deploy summary line `<name>  0x…`. */
function deployedAddress(stdout: string, name: string): string {
  const match = new RegExp(`^${name}\\s+(0x[0-9a-fA-F]{40})$`, "m").exec(stdout);
  if (!match) throw new Error(`no ${name} address in the output:\n${stdout}`);
  return match[1]!;
}

/**
 * A provider for the test's own reads. Its cache is off: ethers answers a repeated request within
 * 250 ms from the first answer, so a "before" snapshot taken right after setting up state could be stale.
 */
function connect(node: LocalNode): JsonRpcProvider {
  return new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
}

/** The block number and the nonce of every account that could send: any sent transaction changes them. */
async function activity(provider: JsonRpcProvider) {
  const [block, ...nonces] = await Promise.all([
    provider.getBlockNumber(),
    ...SENDERS.map((a) => provider.getTransactionCount(a)),
  ]);
  return { block, nonces };
}

async function passTime(provider: JsonRpcProvider, seconds: number): Promise<void> {
  await provider.send("evm_increaseTime", [seconds]);
  await provider.send("evm_mine", []);
}

/** A timestamp as the CLI prints it (ISO, whole seconds). */
const iso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");

/** The command failed as a handled refusal: exit 1, `message` on stderr, no stack trace. */
function expectRefused(result: CliResult, message: string): void {
  expect(result.code, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).to.equal(1);
  expect(result.stderr).to.contain(message);
  expect(result.stderr).not.to.match(/^\s+at /m);
}

function expectSuccess(result: CliResult): void {
  expect(result.code, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).to.equal(0);
}

describe("vault signer CLI (scripts/tasks) against a hardhat node", function () {
  this.timeout(180_000);
  // The record of the deployment, under its own id, is removed afterwards (local records are never committed).
  const deploymentId = `test-signing-${process.pid}`;
  let node: LocalNode;
  let provider: JsonRpcProvider;
  let offline: Tripwire;
  let scratch: string;
  let vaultAddress: string;
  let moduleAddress: string;
  let vault: ReserveVault;

  /** `hardhat vault <args> --network localhost` against the test's node. */
  const vaultCommand = (args: readonly string[]) =>
    runHardhat(["vault", ...args, "--network", "localhost"], { LOCALHOST_RPC_URL: node.url, ...KEY_ENV });
  /** `hardhat vault <args> --network localhost` with an RPC URL that only counts connections (see `offline.connections()`). */
  const offlineCommand = (args: readonly string[]) =>
    runHardhat(["vault", ...args, "--network", "localhost"], { LOCALHOST_RPC_URL: offline.url, ...KEY_ENV });
  const file = (name: string) => path.join(scratch, name);
  /** A proposal file's raw JSON, to edit as somebody tampering with it would. */
  const readJson = async (name: string) => JSON.parse(await readFile(file(name), "utf8")) as ProposalJson;
  const writeJson = (name: string, json: unknown) => writeFile(file(name), JSON.stringify(json, null, 2));
  const readProposalFile = async (name: string) => parseProposal(await readJson(name), name);
  const writeProposalFile = (name: string, p: Proposal) => writeFile(file(name), proposalToJson(p));

  /** A withdrawal of `amount` ETH (to the hot wallet by default) as `vault propose` builds it, signed by `keys` in this process. */
  async function signedWithdrawal(amount: string, keys: readonly string[], to = HOT_WALLET): Promise<Proposal> {
    let p = await withdrawalProposal(vault, { asset: ETH, to, amount: parseEther(amount) }, { asset: ETH_INFO });
    for (const key of keys) p = addSignature(p, await signTypedData(new Wallet(key), typedDataOf(p)));
    return p;
  }

  /** Queues a signed withdrawal (sent by account #0, in this process) and returns its eta. */
  async function queue(p: Proposal): Promise<bigint> {
    if (p.operation.kind !== "withdrawal") throw new Error("not a withdrawal");
    const relayer = ReserveVault__factory.connect(vaultAddress, await provider.getSigner(DEPLOYER));
    await (await relayer.queueWithdrawal(p.operation.withdrawal, p.slot!, packSignatures(p.signatures))).wait();
    const status = await readOperation(vault, proposalDigest(p), p.slot!);
    expect(status.state).to.equal(OperationState.Queued);
    return status.eta;
  }

  before(async function () {
    [node, offline, scratch] = await Promise.all([
      startNode(),
      tripwire(),
      mkdtemp(path.join(tmpdir(), "vault-signing-")),
    ]);
    provider = connect(node);
    const deployed = await runHardhat(
      ["vault", "deploy", LOCAL_CONFIG, "--network", "localhost", "--deployment-id", deploymentId],
      { LOCALHOST_RPC_URL: node.url },
    );
    expectSuccess(deployed);
    vaultAddress = deployedAddress(deployed.stdout, "ReserveVault");
    moduleAddress = deployedAddress(deployed.stdout, "GuardianModule");
    vault = ReserveVault__factory.connect(vaultAddress, provider);
    // The vault takes plain ETH.
    const deployer = await provider.getSigner(DEPLOYER);
    await (await deployer.sendTransaction({ to: vaultAddress, value: parseEther("100") })).wait();
  });

  after(async function () {
    provider?.destroy();
    await node?.stop();
    await offline?.close();
    await rm(path.join("deploy", "deployments", deploymentId), { recursive: true, force: true });
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  describe("a withdrawal round", function () {
    it("two signers sign offline on separate copies (no network at all), the copies merge, submit queues, execute waits for the timelock and pays exactly the amount", async function () {
      const proposed = await vaultCommand([
        "propose",
        "--vault",
        vaultAddress,
        "--to",
        HOT_WALLET,
        "--amount",
        "1.5",
        "--out",
        file("w.json"),
      ]);
      expectSuccess(proposed);
      await writeFile(file("w1.json"), await readFile(file("w.json")));
      await writeFile(file("w2.json"), await readFile(file("w.json")));

      // Each signer on their own machine, with their own copy; the RPC URL only counts connections.
      const sign1 = await offlineCommand(["sign", file("w1.json"), "--key", "SIGNER1_KEY", "--yes"]);
      const sign2 = await offlineCommand(["sign", file("w2.json"), "--key", "SIGNER2_KEY", "--yes"]);
      expectSuccess(sign1);
      expectSuccess(sign2);
      expect(offline.connections()).to.equal(0);
      // What the signer was shown: amount in units and base units, destination, delay, chain, vault, digest.
      const digest = proposalDigest(await readProposalFile("w.json"));
      expect(sign1.stdout).to.contain(`You are about to sign, as ${SIGNER1}`);
      expect(sign1.stdout).to.match(/^amount\s+1\.5 ETH \(1500000000000000000 base units\)$/m);
      expect(sign1.stdout).to.match(new RegExp(`^to\\s+${HOT_WALLET}$`, "m"));
      expect(sign1.stdout).to.match(/^delay\s+3600 s \(1 h\)/m);
      expect(sign1.stdout).to.match(/^chain\s+31337 \(Hardhat local chain\)$/m);
      expect(sign1.stdout).to.match(new RegExp(`^vault\\s+${vaultAddress}$`, "m"));
      expect(sign1.stdout).to.match(new RegExp(`^EIP-712 digest\\s+${digest}$`, "m"));
      expect(sign1.stdout).to.contain("Signed. 1 of 2 signatures now in");

      expectSuccess(await offlineCommand(["merge", file("w1.json"), file("w2.json"), "--out", file("m.json")]));
      expect(offline.connections()).to.equal(0);
      const merged = await readProposalFile("m.json");
      expect(merged.signatures.map((s) => s.signer)).to.have.members([SIGNER1, SIGNER2]);

      const submitted = await vaultCommand(["submit", file("m.json"), "--yes"]);
      expectSuccess(submitted);
      expect(submitted.stdout).to.match(/^queueWithdrawal: sent in transaction 0x[0-9a-f]{64}/m);
      // The digest every signer was shown is the operation's id on chain.
      const queued = await readOperation(vault, digest, merged.slot!);
      expect(queued.state).to.equal(OperationState.Queued);

      // status shows the countdown to the eta, and who signed.
      const status = await vaultCommand(["status", "--vault", vaultAddress]);
      expectSuccess(status);
      expect(status.stdout).to.match(
        new RegExp(`^\\s+executable from\\s+${iso(queued.eta)} \\(in (\\d+ min|1 h)\\)$`, "m"),
      );
      expect(status.stdout).to.match(/^\s+queued with signatures of\s+.*0x/m);

      const balance = await provider.getBalance(HOT_WALLET);
      const before = await activity(provider);
      const early = await vaultCommand(["execute", file("m.json"), "--yes"]);
      expectRefused(early, `the withdrawal is still timelocked: executable from ${iso(queued.eta)} (in 1 h)`);
      expect(await activity(provider)).to.deep.equal(before);

      await passTime(provider, WITHDRAWAL_DELAY);
      const executed = await vaultCommand(["execute", file("m.json"), "--yes"]);
      expectSuccess(executed);
      expect(executed.stdout).to.match(/^executeWithdrawal: sent in transaction 0x[0-9a-f]{64}/m);
      expect((await provider.getBalance(HOT_WALLET)) - balance).to.equal(parseEther("1.5"));
      expect((await readOperation(vault, digest, merged.slot!)).state).to.equal(OperationState.Executed);
    });

    it("with on-chain approvals: propose --approve is one approval, `vault approve` by a second signer queues it, execute after the delay pays exactly the amount", async function () {
      const proposed = await vaultCommand([
        "propose",
        "--vault",
        vaultAddress,
        "--to",
        HOT_WALLET,
        "--amount",
        "1.5",
        "--out",
        file("a.json"),
        "--key",
        "SIGNER1_KEY",
        "--approve",
        "--yes",
      ]);
      expectSuccess(proposed);
      expect(proposed.stdout).to.match(/^proposeWithdrawal: sent in transaction/m);
      const p = await readProposalFile("a.json");
      expect((await readOperation(vault, proposalDigest(p), p.slot!)).state).to.equal(OperationState.Pending);

      const approved = await vaultCommand(["approve", file("a.json"), "--key", "SIGNER2_KEY", "--yes"]);
      expectSuccess(approved);
      expect(approved.stdout).to.match(/^approveWithdrawal: sent in transaction/m);
      expect((await readOperation(vault, proposalDigest(p), p.slot!)).state).to.equal(OperationState.Queued);

      await passTime(provider, WITHDRAWAL_DELAY);
      const balance = await provider.getBalance(HOT_WALLET);
      expectSuccess(await vaultCommand(["execute", file("a.json"), "--yes"]));
      expect((await provider.getBalance(HOT_WALLET)) - balance).to.equal(parseEther("1.5"));
    });
  });

  describe("--json", function () {
    it("propose, sign, submit and execute each print exactly one JSON document on stdout, bigints as decimal strings", async function () {
      const proposed = await vaultCommand([
        "propose",
        "--vault",
        vaultAddress,
        "--to",
        HOT_WALLET,
        "--amount",
        "1.5",
        "--out",
        file("j.json"),
        "--json",
      ]);
      expectSuccess(proposed);
      const proposal = JSON.parse(proposed.stdout);
      expect(proposal.file).to.equal(file("j.json"));
      expect(proposal.needed).to.equal(2);
      expect(proposal.proposal.operation.amount).to.equal("1500000000000000000");
      expect(proposal.proposal.chainId).to.equal("31337");
      expect(proposal.digest).to.equal(proposalDigest(await readProposalFile("j.json")));

      const signed = await offlineCommand(["sign", file("j.json"), "--key", "SIGNER1_KEY", "--yes", "--json"]);
      expectSuccess(signed);
      expect(JSON.parse(signed.stdout)).to.deep.equal({
        file: file("j.json"),
        digest: proposal.digest,
        signer: SIGNER1,
        signatures: 1,
        needed: 2,
      });
      expect(offline.connections()).to.equal(0);

      // The second signature (not under test here) is added in this process.
      const p = await readProposalFile("j.json");
      await writeProposalFile("j.json", addSignature(p, await signTypedData(new Wallet(KEYS.signer2), typedDataOf(p))));
      const submitted = await vaultCommand(["submit", file("j.json"), "--yes", "--json"]);
      expectSuccess(submitted);
      const queued = JSON.parse(submitted.stdout);
      expect(queued.kind).to.equal("withdrawal");
      expect(queued.digest).to.equal(proposal.digest);
      expect(queued.transaction.hash).to.match(/^0x[0-9a-f]{64}$/);
      expect(queued.transaction.gasUsed)
        .to.be.a("string")
        .and.match(/^[1-9]\d*$/);

      await passTime(provider, WITHDRAWAL_DELAY);
      const executed = await vaultCommand(["execute", file("j.json"), "--yes", "--json"]);
      expectSuccess(executed);
      const paid = JSON.parse(executed.stdout);
      expect(paid.kind).to.equal("withdrawal");
      expect(paid.transaction.gasUsed)
        .to.be.a("string")
        .and.match(/^[1-9]\d*$/);
      const receipt = await provider.getTransactionReceipt(paid.transaction.hash);
      expect(receipt?.gasUsed.toString()).to.equal(paid.transaction.gasUsed);
    });

    it("sign --json never prompts: without --yes it exits 1 saying to pass --yes (the error as the one JSON document) and signs nothing", async function () {
      await writeProposalFile("np.json", await signedWithdrawal("1", []));
      const unsigned = await readFile(file("np.json"), "utf8");
      const result = await offlineCommand(["sign", file("np.json"), "--key", "SIGNER1_KEY", "--json"]);
      expectRefused(result, "--json never prompts: pass --yes to confirm in advance");
      expect(JSON.parse(result.stdout)).to.deep.equal({
        error: "Sign this withdrawal? — --json never prompts: pass --yes to confirm in advance",
      });
      expect(await readFile(file("np.json"), "utf8")).to.equal(unsigned);
      expect(offline.connections()).to.equal(0);
    });
  });

  describe("bad input: exit code 1, a message naming the problem, nothing sent", function () {
    let otherChain: LocalNode;
    let otherProvider: JsonRpcProvider;

    before(async function () {
      otherChain = await startNode({ chainId: 1337 });
      otherProvider = connect(otherChain);
    });
    after(async function () {
      otherProvider?.destroy();
      await otherChain?.stop();
    });

    /**
     * `vault propose` of a withdrawal that, were its input accepted, would also be proposed on-chain
     * (--approve): so "nothing sent" is a real check, not a given.
     */
    const proposeAndApprove = (vaultArg: string, to: string, amount: string, out: string) =>
      vaultCommand([
        "propose",
        "--vault",
        vaultArg,
        "--to",
        to,
        "--amount",
        amount,
        "--out",
        file(out),
        "--key",
        "SIGNER1_KEY",
        "--approve",
        "--yes",
      ]);

    /** Lower-cases one letter that the checksum spells in upper case: the mistake a copy by hand makes. */
    function mistype(checksummed: string): string {
      const i = [...checksummed].findIndex((c, k) => k > 1 && c >= "A" && c <= "F");
      return checksummed.slice(0, i) + checksummed[i]!.toLowerCase() + checksummed.slice(i + 1);
    }

    it("a mistyped address (wrong checksum) for --to or --vault is refused", async function () {
      const before = await activity(provider);
      const badTo = mistype(HOT_WALLET);
      const to = await proposeAndApprove(vaultAddress, badTo, "1", "bad-to.json");
      expectRefused(to, `--to ${badTo} has a wrong checksum (mistyped?)`);
      const badVault = mistype(vaultAddress);
      const v = await proposeAndApprove(badVault, HOT_WALLET, "1", "bad-vault.json");
      expectRefused(v, `--vault ${badVault} has a wrong checksum (mistyped?)`);
      expect(existsSync(file("bad-to.json")) || existsSync(file("bad-vault.json"))).to.equal(false);
      expect(await activity(provider)).to.deep.equal(before);
    });

    it("an address that holds no vault is refused: an account, and a contract that is not a vault", async function () {
      const before = await activity(provider);
      const account = await proposeAndApprove(HOT_WALLET, HOT_WALLET, "1", "eoa.json");
      expectRefused(account, `there is no contract at ${HOT_WALLET} on localhost (chain id 31337)`);
      // The guardian module, next to the vault in the deploy output: it even has an EIP-712 domain.
      const module = await proposeAndApprove(moduleAddress, HOT_WALLET, "1", "module.json");
      expectRefused(module, `the contract at ${moduleAddress} is not a ReserveVault`);
      expect(existsSync(file("eoa.json")) || existsSync(file("module.json"))).to.equal(false);
      expect(await activity(provider)).to.deep.equal(before);
    });

    it("an amount with more decimals than the asset has is refused (1 wei is 18 decimals of ETH)", async function () {
      const before = await activity(provider);
      const result = await proposeAndApprove(vaultAddress, HOT_WALLET, "1.0000000000000000001", "dust.json");
      expectRefused(result, 'amount "1.0000000000000000001" has 19 decimals but ETH has 18');
      expect(existsSync(file("dust.json"))).to.equal(false);
      expect(await activity(provider)).to.deep.equal(before);
    });

    it("a proposal file for another chain is refused: chain id mismatch", async function () {
      await writeProposalFile("chain.json", await signedWithdrawal("1", [KEYS.signer1, KEYS.signer2]));
      const [here, there] = await Promise.all([activity(provider), activity(otherProvider)]);
      const result = await runHardhat(["vault", "submit", file("chain.json"), "--network", "localhost", "--yes"], {
        LOCALHOST_RPC_URL: otherChain.url,
      });
      expectRefused(
        result,
        "is for chain id 31337 but --network localhost is chain id 1337: pass the --network the proposal was made on",
      );
      expect(await activity(provider)).to.deep.equal(here);
      expect(await activity(otherProvider)).to.deep.equal(there);
    });

    it("a key that is not in the signer set cannot sign (a guardian's key)", async function () {
      await writeProposalFile("stranger.json", await signedWithdrawal("1", []));
      const unsigned = await readFile(file("stranger.json"), "utf8");
      const result = await offlineCommand(["sign", file("stranger.json"), "--key", "GUARDIAN1_KEY", "--yes"]);
      expectRefused(
        result,
        `${address(KEYS.guardian1)} (--key GUARDIAN1_KEY) is not one of the keys that may sign this withdrawal`,
      );
      expect(await readFile(file("stranger.json"), "utf8")).to.equal(unsigned);
      expect(offline.connections()).to.equal(0);
    });

    it("a key that already signed cannot sign again, and a file listing one signature twice is refused", async function () {
      const p = await signedWithdrawal("1", [KEYS.signer1]);
      await writeProposalFile("twice.json", p);
      const signedOnce = await readFile(file("twice.json"), "utf8");
      const again = await offlineCommand(["sign", file("twice.json"), "--key", "SIGNER1_KEY", "--yes"]);
      expectRefused(again, `${SIGNER1} has already signed ${file("twice.json")}: each key signs once`);
      expect(await readFile(file("twice.json"), "utf8")).to.equal(signedOnce);
      expect(offline.connections()).to.equal(0);

      // Padding the set with a copy of the one signature, to reach the threshold of 2.
      const json = await readJson("twice.json");
      json.signatures = [json.signatures[0]!, json.signatures[0]!];
      await writeJson("padded.json", json);
      const before = await activity(provider);
      const padded = await vaultCommand(["submit", file("padded.json"), "--yes"]);
      expectRefused(padded, `${SIGNER1} has already signed this withdrawal: each key signs once`);
      expect(await activity(provider)).to.deep.equal(before);
    });

    it("copies signed by the same key merge into one signature, and submit says how many more are needed", async function () {
      const p = await signedWithdrawal("1", [KEYS.signer1]);
      await writeProposalFile("same1.json", p);
      await writeProposalFile("same2.json", p);
      expectSuccess(
        await offlineCommand(["merge", file("same1.json"), file("same2.json"), "--out", file("same.json")]),
      );
      expect(offline.connections()).to.equal(0);
      expect((await readProposalFile("same.json")).signatures.map((s) => s.signer)).to.deep.equal([SIGNER1]);

      const before = await activity(provider);
      const result = await vaultCommand(["submit", file("same.json"), "--yes"]);
      expectRefused(result, "1 of 2 signatures needed: collect 1 more with `vault sign`");
      expect(await activity(provider)).to.deep.equal(before);
    });

    it("a file edited after signing is refused: sign and submit find its fields no longer hash to its digest", async function () {
      // The amount raised after one signer signed: the next signer's `vault sign` refuses it.
      await writeProposalFile("amount.json", await signedWithdrawal("1", [KEYS.signer1]));
      const json = await readJson("amount.json");
      json.operation.amount = parseEther("100").toString();
      await writeJson("amount.json", json);
      const edited = await readFile(file("amount.json"), "utf8");
      const sign = await offlineCommand(["sign", file("amount.json"), "--key", "SIGNER2_KEY", "--yes"]);
      expectRefused(sign, `${file("amount.json")} was changed: its fields hash to`);
      expectRefused(sign, `not to the digest it records (${json.digest})`);
      expect(await readFile(file("amount.json"), "utf8")).to.equal(edited);
      expect(offline.connections()).to.equal(0);

      // The destination swapped in a fully signed file: `vault submit` refuses it.
      await writeProposalFile("to.json", await signedWithdrawal("1", [KEYS.signer1, KEYS.signer2]));
      const signed = await readJson("to.json");
      signed.operation.to = ATTACKER;
      await writeJson("to.json", signed);
      const before = await activity(provider);
      const submit = await vaultCommand(["submit", file("to.json"), "--yes"]);
      expectRefused(submit, `${file("to.json")} was changed: its fields hash to`);
      expect(await activity(provider)).to.deep.equal(before);
    });

    it("a signature replaced by a valid one over other data is refused: it recovers to another address", async function () {
      const p = await signedWithdrawal("1", [KEYS.signer1, KEYS.signer2]);
      // SIGNER1's genuine signature, but of a withdrawal to somebody else.
      const other = await signedWithdrawal("1", [KEYS.signer1], ATTACKER);
      await writeProposalFile("swapped.json", p);
      const json = await readJson("swapped.json");
      const genuine = json.signatures.find((s) => s.signer === SIGNER1)!;
      genuine.signature = other.signatures[0]!.signature;
      await writeJson("swapped.json", json);

      const before = await activity(provider);
      const result = await vaultCommand(["submit", file("swapped.json"), "--yes"]);
      expectRefused(result, `the signature attributed to ${SIGNER1} recovers to 0x`);
      expectRefused(result, "the file was changed after it was signed");
      expect(await activity(provider)).to.deep.equal(before);
    });

    it("a ready withdrawal cannot be executed while the guardians' freeze lasts: frozen until", async function () {
      const p = await signedWithdrawal("1", [KEYS.signer1, KEYS.signer2]);
      await queue(p);
      await writeProposalFile("ready.json", p);
      await passTime(provider, WITHDRAWAL_DELAY);
      expect((await readOperation(vault, proposalDigest(p), p.slot!)).state).to.equal(OperationState.Ready);

      // Guardians #4 and #5 freeze the vault with the CLI.
      expectSuccess(await vaultCommand(["freeze", "--vault", vaultAddress, "--out", file("f.json")]));
      expectSuccess(await offlineCommand(["sign", file("f.json"), "--key", "GUARDIAN1_KEY", "--yes"]));
      expectSuccess(await offlineCommand(["sign", file("f.json"), "--key", "GUARDIAN2_KEY", "--yes"]));
      expect(offline.connections()).to.equal(0);
      expectSuccess(await vaultCommand(["submit", file("f.json"), "--yes"]));
      const frozenUntil = await vault.frozenUntil();
      expect(frozenUntil).to.be.greaterThan(BigInt((await provider.getBlock("latest"))!.timestamp));

      const before = await activity(provider);
      const result = await vaultCommand(["execute", file("ready.json"), "--yes"]);
      expectRefused(result, `withdrawals are frozen by the guardians until ${iso(frozenUntil)} (in 1 h)`);
      expect(await activity(provider)).to.deep.equal(before);
    });

    it("an operation whose execution window has closed cannot be executed: expired", async function () {
      const p = await signedWithdrawal("1", [KEYS.signer1, KEYS.signer2]);
      const eta = await queue(p);
      await writeProposalFile("late.json", p);
      await passTime(provider, WITHDRAWAL_DELAY + EXECUTION_WINDOW + 60);
      expect((await readOperation(vault, proposalDigest(p), p.slot!)).state).to.equal(OperationState.Expired);

      const before = await activity(provider);
      const result = await vaultCommand(["execute", file("late.json"), "--yes"]);
      expectRefused(
        result,
        `the withdrawal expired: its execution window closed ${iso(eta + BigInt(EXECUTION_WINDOW))}`,
      );
      expectRefused(result, "propose it again");
      expect(await activity(provider)).to.deep.equal(before);
    });

    it("a private key passed to --key is refused, and not echoed", async function () {
      const before = await activity(provider);
      const result = await vaultCommand([
        "propose",
        "--vault",
        vaultAddress,
        "--to",
        HOT_WALLET,
        "--amount",
        "1",
        "--out",
        file("pk.json"),
        "--key",
        KEYS.signer1,
        "--approve",
        "--yes",
      ]);
      expectRefused(result, "--key takes the NAME of a variable holding the key, not the key");
      expect(result.stdout + result.stderr).not.to.contain(KEYS.signer1.slice(2));
      expect(existsSync(file("pk.json"))).to.equal(false);
      expect(await activity(provider)).to.deep.equal(before);
    });
  });

  describe("an independent EIP-712 signer", function () {
    it("the typed data of a CLI proposal, signed by the node's eth_signTypedData_v4 (as a wallet would), queues the withdrawal", async function () {
      expectSuccess(
        await vaultCommand([
          "propose",
          "--vault",
          vaultAddress,
          "--to",
          HOT_WALLET,
          "--amount",
          "1.5",
          "--out",
          file("v4.json"),
        ]),
      );
      const p = await readProposalFile("v4.json");
      const payload = toSignTypedDataV4(typedDataOf(p));
      // The node signs with its own implementation, for its unlocked accounts #1 and #2.
      const signatures = await Promise.all(
        [SIGNER1, SIGNER2].map(async (signer) => ({
          signer,
          signature: (await provider.send("eth_signTypedData_v4", [signer.toLowerCase(), payload])) as string,
        })),
      );
      const json = await readJson("v4.json");
      json.signatures = signatures;
      await writeJson("v4.json", json);

      const submitted = await vaultCommand(["submit", file("v4.json"), "--yes"]);
      expectSuccess(submitted);
      expect((await readOperation(vault, proposalDigest(p), p.slot!)).state).to.equal(OperationState.Queued);
    });
  });
});
