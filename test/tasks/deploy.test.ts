/**
 * `npx hardhat vault deploy` as a deployer runs it: a child process against a `hardhat node` this
 * file starts on 127.0.0.1 (and stops by its process id), reading the result back independently.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { JsonRpcProvider } from "ethers";

import { GuardianModule__factory, ReserveVault__factory } from "../../types/ethers-contracts/index.js";
import { compareConfigs, loadVaultConfig, readDeployedConfig } from "../../scripts/lib/index.js";
import { runHardhat, startNode, type LocalNode } from "../helpers/cli.js";

const LOCAL_CONFIG = "deploy/configs/local.json";
/** Hardhat's account #0, the deployer on a `hardhat node`. */
const DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

/** The address printed on the summary line `ReserveVault  0x…`. */
function vaultAddressIn(stdout: string): string {
  const match = /^ReserveVault\s+(0x[0-9a-fA-F]{40})$/m.exec(stdout);
  if (!match) throw new Error(`no vault address in the output:\n${stdout}`);
  return match[1]!;
}

/** Chain activity that any sent transaction would change. */
async function activity(provider: JsonRpcProvider) {
  const [block, nonce] = await Promise.all([provider.getBlockNumber(), provider.getTransactionCount(DEPLOYER)]);
  return { block, nonce };
}

describe("vault deploy (scripts/tasks/deploy.ts) against a hardhat node", function () {
  this.timeout(120_000);
  // Each run records under its own deployment id, removed afterwards (records of local chains are never committed).
  const deploymentId = `test-deploy-${process.pid}`;
  let node: LocalNode;
  let provider: JsonRpcProvider;
  let scratch: string;
  const deployArgs = (file: string) => [
    "vault",
    "deploy",
    file,
    "--network",
    "localhost",
    "--deployment-id",
    deploymentId,
  ];
  const env = () => ({ LOCALHOST_RPC_URL: node.url });

  before(async function () {
    node = await startNode();
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    scratch = await mkdtemp(path.join(tmpdir(), "vault-deploy-"));
  });
  after(async function () {
    provider?.destroy();
    await node?.stop();
    await rm(path.join("deploy", "deployments", deploymentId), { recursive: true, force: true });
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("deploys the local configuration, reads all 19 fields back and exits 0", async function () {
    const result = await runHardhat(deployArgs(LOCAL_CONFIG), env());
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.contain("network                    localhost (chain id 31337, local)");
    expect(result.stdout).to.contain("all 19 fields read back and match deploy/configs/local.json");
    expect(result.stdout).not.to.contain("MISMATCH");

    // Independently of the command: the node holds a vault with exactly the file's configuration.
    const expected = await loadVaultConfig(LOCAL_CONFIG);
    const vault = ReserveVault__factory.connect(vaultAddressIn(result.stdout), provider);
    const guardians = GuardianModule__factory.connect(await vault.GUARDIANS(), provider);
    const actual = await readDeployedConfig(
      vault,
      guardians,
      expected.outflowLimits.map((l) => l.asset),
    );
    expect(compareConfigs(expected, actual).filter((c) => !c.matches)).to.deep.equal([]);
    expect(actual).to.deep.equal(expected);
  });

  it("running it again sends nothing: Ignition resumes from its record and reports the same vault", async function () {
    const first = vaultAddressIn((await runHardhat(deployArgs(LOCAL_CONFIG), env())).stdout);
    const before = await activity(provider);
    const again = await runHardhat(deployArgs(LOCAL_CONFIG), env());
    expect(again.code, again.stderr).to.equal(0);
    expect(vaultAddressIn(again.stdout)).to.equal(first);
    expect(await activity(provider)).to.deep.equal(before);
  });

  it("--json prints one JSON document: addresses, chain and every field read back (bigints as decimal strings)", async function () {
    const result = await runHardhat([...deployArgs(LOCAL_CONFIG), "--json"], env());
    expect(result.code, result.stderr).to.equal(0);
    const doc = JSON.parse(result.stdout) as {
      chainId: string;
      vault: string;
      readBack: { field: string; matches: boolean }[];
    };
    expect(doc.chainId).to.equal("31337");
    expect(await provider.getCode(doc.vault)).not.to.equal("0x");
    expect(doc.readBack).to.have.length(19);
    expect(doc.readBack.every((f) => f.matches)).to.equal(true);
  });

  it("a file that breaks a rule sends nothing: exit 1, and the message names the field, the value and the rule", async function () {
    const json = JSON.parse(await readFile(LOCAL_CONFIG, "utf8")) as Record<string, unknown>;
    const bad = path.join(scratch, "threshold-too-high.json");
    await writeFile(bad, JSON.stringify({ ...json, threshold: 4 }));
    const before = await activity(provider);

    const result = await runHardhat(deployArgs(bad), env());
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain(`invalid vault configuration ${bad} (1 problem)`);
    expect(result.stderr).to.contain("threshold: 4 — must be between 1 and the number of signers (3)");
    expect(result.stderr).not.to.match(/^\s+at /m); // no stack trace
    expect(result.stdout).not.to.contain("Deploying");
    expect(await activity(provider)).to.deep.equal(before);
  });

  it("a file that does not exist sends nothing: exit 1, and the message names the file", async function () {
    const before = await activity(provider);
    const result = await runHardhat(deployArgs("deploy/configs/nope.json"), env());
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain("deploy/configs/nope.json — cannot be read");
    expect(await activity(provider)).to.deep.equal(before);
  });
});

describe("vault deploy on a chain that is not local (a node with chain id 1337)", function () {
  this.timeout(120_000);
  const deploymentId = `test-deploy-remote-${process.pid}`;
  let node: LocalNode;
  let provider: JsonRpcProvider;
  const deployArgs = (...extra: string[]) => [
    "vault",
    "deploy",
    LOCAL_CONFIG,
    "--network",
    "localhost",
    "--deployment-id",
    deploymentId,
    ...extra,
  ];

  before(async function () {
    node = await startNode({ chainId: 1337 });
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  });
  after(async function () {
    provider?.destroy();
    await node?.stop();
    await rm(path.join("deploy", "deployments", deploymentId), { recursive: true, force: true });
  });

  it("asks for confirmation; with no terminal to ask on and no --yes it stops before sending anything", async function () {
    const before = await activity(provider);
    const result = await runHardhat(deployArgs(), { LOCALHOST_RPC_URL: node.url });
    expect(result.code).to.equal(1);
    // It showed what it would deploy before asking.
    expect(result.stdout).to.contain("network                    localhost (chain id 1337)");
    expect(result.stdout).to.contain("delays.withdrawalDelay     3600 s (1 h)");
    expect(result.stderr).to.contain("Deploy this vault to localhost (chain id 1337)");
    expect(result.stderr).to.contain("pass --yes to confirm in advance");
    expect(await activity(provider)).to.deep.equal(before);
  });

  it("--yes confirms in advance (automation): it deploys and reads back", async function () {
    const result = await runHardhat(deployArgs("--yes"), { LOCALHOST_RPC_URL: node.url });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.contain("all 19 fields read back and match");
    expect(await provider.getCode(vaultAddressIn(result.stdout))).not.to.equal("0x");
  });
});

describe("vault deploy to a named remote network", function () {
  this.timeout(60_000);

  it("a missing configuration variable stops it with an error naming the variable (after the file is validated)", async function () {
    const result = await runHardhat(["vault", "deploy", LOCAL_CONFIG, "--network", "sepolia"], {
      SEPOLIA_RPC_URL: undefined,
    });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain('HHE7: Configuration Variable "SEPOLIA_RPC_URL" not found');
  });
});
