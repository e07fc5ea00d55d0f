/**
 * `npm run bench`: the same withdrawal through ReserveVault, Safe 1.4.1, Safe → OZ
 * TimelockController, and a bare EOA transfer, side by side on one in-process network run.
 * For each system × asset × configuration it withdraws twice to a fresh address ("first", then
 * "warm"), records gas per step from receipts, checks what the recipient received, prints a
 * markdown table and writes it, with the raw figures, to reports/bench.{md,json}.
 */
import { mkdir, writeFile } from "node:fs/promises";

import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { Contract, getAddress, id as keccakText, ZeroAddress, type ContractTransactionReceipt } from "ethers";
import { network } from "hardhat";

import type { MockERC20, ReserveVault } from "../../types/ethers-contracts/index.js";
import {
  compareAddresses,
  ETH,
  findFreeSlot,
  nextWithdrawal,
  packSignatures,
  readDomain,
  signTypedData,
  withdrawalTypedData,
} from "../lib/index.js";
import { createSafe, deploySafeFactory, execSafeTransaction, type SafeFactory } from "./safe.js";

const DAY = 86_400n;
const CONFIGS = [
  { m: 2, n: 3 },
  { m: 3, n: 5 },
  { m: 5, n: 9 },
] as const;
const ROUNDS = ["first", "warm"] as const;
const TARGET_VS_SAFE_TIMELOCK = 0.72;
const TARGET_VS_SAFE = 1.5;
const TARGET_PER_SIGNATURE = 5_000;

type AssetKind = "ETH" | "ERC-20";
type Round = (typeof ROUNDS)[number];
type System = "EOA transfer" | "ReserveVault (signatures)" | "ReserveVault (on-chain approvals)" | "Safe 1.4.1" | "Safe + TimelockController";

interface Step {
  step: string;
  gas: bigint;
}

interface Run {
  system: System;
  asset: AssetKind;
  config: string;
  signatures: number;
  round: Round;
  steps: Step[];
  total: bigint;
  received: boolean;
}

interface Asset {
  kind: AssetKind;
  address: string;
  amount: bigint;
  token?: MockERC20;
}

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const accounts = await ethers.getSigners();
const [deployer, relayer] = [accounts[0]!, accounts[1]!];
const owners = accounts.slice(2, 11).sort((a, b) => compareAddresses(a.address, b.address));

let recipientCounter = 0;
/** A deterministic, never-used address, so every run measures the same calldata. */
function freshRecipient(): string {
  recipientCounter += 1;
  return getAddress(`0x${keccakText(`reserve-vault bench recipient ${recipientCounter}`).slice(26)}`);
}

const token = await ethers.deployContract("MockERC20", ["Bench Token", "BENCH", 18]);
const assets: Asset[] = [
  { kind: "ETH", address: ETH, amount: ethers.parseEther("1") },
  { kind: "ERC-20", address: await token.getAddress(), amount: ethers.parseEther("100"), token },
];
const safeFactory = await deploySafeFactory(ethers, deployer);
let saltNonce = 0n;

const runs: Run[] = [];
for (const asset of assets) {
  runs.push(...(await benchEoa(asset)));
  for (const { m, n } of CONFIGS) {
    const signers = owners.slice(0, n);
    runs.push(...(await benchVault(asset, signers, m, "signatures")));
    runs.push(...(await benchVault(asset, signers, m, "on-chain")));
    runs.push(...(await benchSafe(asset, signers, m, false)));
    runs.push(...(await benchSafe(asset, signers, m, true)));
  }
}
await connection.close();

const failures = runs.filter((r) => !r.received);
if (failures.length > 0) {
  throw new Error(`recipient did not receive exactly the amount sent: ${failures.map(label).join("; ")}`);
}

const markdown = renderMarkdown(runs);
console.log(markdown);
await mkdir("reports", { recursive: true });
await writeFile("reports/bench.md", `${markdown}\n`);
await writeFile(
  "reports/bench.json",
  `${JSON.stringify({ runs, targets: checkTargets(runs) }, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`,
);
console.log("\nwrote reports/bench.md and reports/bench.json");

// ---------------------------------------------------------------------------------------------

async function fund(target: string, asset: Asset): Promise<void> {
  if (asset.token === undefined) {
    await (await deployer.sendTransaction({ to: target, value: 10n * asset.amount })).wait();
  } else {
    await (await asset.token.mint(target, 10n * asset.amount)).wait();
  }
}

async function balanceOf(asset: Asset, account: string): Promise<bigint> {
  return asset.token === undefined ? ethers.provider.getBalance(account) : asset.token.balanceOf(account);
}

/** Runs both rounds to one fresh recipient; `round` performs one withdrawal and returns its steps. */
async function twoRounds(
  base: Omit<Run, "round" | "steps" | "total" | "received">,
  asset: Asset,
  round: (to: string) => Promise<Step[]>,
): Promise<Run[]> {
  const to = freshRecipient();
  const out: Run[] = [];
  for (const r of ROUNDS) {
    const before = await balanceOf(asset, to);
    const steps = await round(to);
    const received = (await balanceOf(asset, to)) - before === asset.amount;
    out.push({ ...base, round: r, steps, total: steps.reduce((sum, s) => sum + s.gas, 0n), received });
  }
  return out;
}

function gasOf(receipt: ContractTransactionReceipt | null): bigint {
  if (receipt === null) throw new Error("transaction was not mined");
  return receipt.gasUsed;
}

async function benchEoa(asset: Asset): Promise<Run[]> {
  const sender = accounts[12]!;
  await fund(sender.address, asset);
  return twoRounds({ system: "EOA transfer", asset: asset.kind, config: "-", signatures: 0 }, asset, async (to) => {
    const receipt =
      asset.token === undefined
        ? await (await sender.sendTransaction({ to, value: asset.amount })).wait()
        : await (await asset.token.connect(sender).transfer(to, asset.amount)).wait();
    if (receipt === null) throw new Error("transfer not mined");
    return [{ step: "transfer", gas: receipt.gasUsed }];
  });
}

async function benchVault(
  asset: Asset,
  signers: HardhatEthersSigner[],
  m: number,
  path: "signatures" | "on-chain",
): Promise<Run[]> {
  const vault = (await ethers.deployContract("ReserveVault", [
    {
      signers: signers.map((s) => s.address),
      threshold: m,
      withdrawalDelay: DAY,
      configDelay: 2n * DAY,
      executionWindow: 7n * DAY,
    },
  ])) as unknown as ReserveVault;
  await fund(await vault.getAddress(), asset);
  const domain = await readDomain(vault);
  const approvers = signers.slice(0, m);
  const system: System = path === "signatures" ? "ReserveVault (signatures)" : "ReserveVault (on-chain approvals)";
  return twoRounds({ system, asset: asset.kind, config: `${m}-of-${signers.length}`, signatures: m }, asset, async (to) => {
    const w = await nextWithdrawal(vault, { asset: asset.address, to, amount: asset.amount });
    const slot = await findFreeSlot(vault);
    const steps: Step[] = [];
    if (path === "signatures") {
      const data = withdrawalTypedData(domain, w);
      const signatures = packSignatures(await Promise.all(approvers.map((s) => signTypedData(s, data))));
      steps.push({ step: "queue", gas: gasOf(await (await vault.connect(relayer).queueWithdrawal(w, slot, signatures)).wait()) });
    } else {
      steps.push({ step: "propose", gas: gasOf(await (await vault.connect(approvers[0]!).proposeWithdrawal(w)).wait()) });
      for (const [i, approver] of approvers.slice(1).entries()) {
        const receipt = await (await vault.connect(approver).approveWithdrawal(w, slot)).wait();
        steps.push({ step: i === approvers.length - 2 ? "approve+queue" : "approve", gas: gasOf(receipt) });
      }
    }
    await networkHelpers.time.increase(DAY);
    steps.push({ step: "execute", gas: gasOf(await (await vault.connect(relayer).executeWithdrawal(w, slot)).wait()) });
    return steps;
  });
}

async function benchSafe(asset: Asset, signers: HardhatEthersSigner[], m: number, withTimelock: boolean): Promise<Run[]> {
  saltNonce += 1n;
  const safe = await createSafe(safeFactory, signers, m, saltNonce, deployer);
  const approvers = signers.slice(0, m);
  const system: System = withTimelock ? "Safe + TimelockController" : "Safe 1.4.1";
  const base = { system, asset: asset.kind, config: `${m}-of-${signers.length}`, signatures: m };
  const transfer = (to: string) =>
    asset.token === undefined
      ? { target: to, value: asset.amount, data: "0x" }
      : { target: asset.address, value: 0n, data: asset.token.interface.encodeFunctionData("transfer", [to, asset.amount]) };

  if (!withTimelock) {
    await fund(await safe.getAddress(), asset);
    return twoRounds(base, asset, async (to) => {
      const t = transfer(to);
      const receipt = await execSafeTransaction(safe, approvers, relayer, { to: t.target, value: t.value, data: t.data });
      return [{ step: "execTransaction", gas: receipt.gasUsed }];
    });
  }

  // OZ TimelockController, compiled unchanged: 1-day delay, the Safe its sole proposer, anyone executes.
  const timelock = (await ethers.deployContract("TimelockController", [
    DAY,
    [await safe.getAddress()],
    [ZeroAddress],
    ZeroAddress,
  ])) as unknown as Contract;
  await fund(await timelock.getAddress(), asset);
  let salt = 0n;
  return twoRounds(base, asset, async (to) => {
    const t = transfer(to);
    salt += 1n;
    const saltBytes = ethers.toBeHex(salt, 32);
    const schedule = timelock.interface.encodeFunctionData("schedule", [t.target, t.value, t.data, ethers.ZeroHash, saltBytes, DAY]);
    const scheduled = await execSafeTransaction(safe, approvers, relayer, { to: await timelock.getAddress(), value: 0n, data: schedule });
    await networkHelpers.time.increase(DAY);
    const execute = (timelock.connect(relayer) as Contract).getFunction("execute");
    const executed = await (await execute.send(t.target, t.value, t.data, ethers.ZeroHash, saltBytes)).wait();
    return [
      { step: "Safe: schedule", gas: scheduled.gasUsed },
      { step: "execute", gas: gasOf(executed as ContractTransactionReceipt) },
    ];
  });
}

// ---------------------------------------------------------------------------------------------

function label(r: Run): string {
  return `${r.system} ${r.asset} ${r.config} ${r.round}`;
}

function find(system: System, asset: AssetKind, config: string, round: Round): Run | undefined {
  return runs.find((r) => r.system === system && r.asset === asset && r.config === config && r.round === round);
}

function ratio(a: bigint, b: bigint | undefined): string {
  return b === undefined || b === 0n ? "-" : (Number(a) / Number(b)).toFixed(2);
}

function fmt(gas: bigint | number): string {
  return Math.round(Number(gas)).toLocaleString("en-US");
}

/** (total with the most signatures − total with the fewest) / (extra signatures), per system, asset and round. */
function perSignature(system: System, asset: AssetKind, round: Round): number | undefined {
  const first = find(system, asset, `${CONFIGS[0].m}-of-${CONFIGS[0].n}`, round);
  const last = find(system, asset, `${CONFIGS[2].m}-of-${CONFIGS[2].n}`, round);
  if (first === undefined || last === undefined) return undefined;
  return Number(last.total - first.total) / (CONFIGS[2].m - CONFIGS[0].m);
}

interface TargetCheck {
  rule: string;
  case: string;
  value: string;
  limit: string;
  met: boolean;
}

function checkTargets(all: Run[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const r of all.filter((x) => x.system === "ReserveVault (signatures)" && x.round === "warm")) {
    const safeTimelock = find("Safe + TimelockController", r.asset, r.config, "warm");
    const safe = find("Safe 1.4.1", r.asset, r.config, "warm");
    if (safeTimelock !== undefined) {
      const limit = TARGET_VS_SAFE_TIMELOCK * Number(safeTimelock.total);
      checks.push({ rule: `≤ ${TARGET_VS_SAFE_TIMELOCK} × Safe + TimelockController`, case: `${r.asset} ${r.config}`, value: fmt(r.total), limit: fmt(limit), met: Number(r.total) <= limit });
    }
    if (safe !== undefined) {
      const limit = TARGET_VS_SAFE * Number(safe.total);
      checks.push({ rule: `≤ ${TARGET_VS_SAFE} × Safe`, case: `${r.asset} ${r.config}`, value: fmt(r.total), limit: fmt(limit), met: Number(r.total) <= limit });
    }
  }
  for (const asset of ["ETH", "ERC-20"] as const) {
    const marginal = perSignature("ReserveVault (signatures)", asset, "warm");
    if (marginal !== undefined) {
      checks.push({ rule: `≤ ${fmt(TARGET_PER_SIGNATURE)} gas per extra signature`, case: `${asset} warm`, value: fmt(marginal), limit: fmt(TARGET_PER_SIGNATURE), met: marginal <= TARGET_PER_SIGNATURE });
    }
  }
  return checks;
}

function renderMarkdown(all: Run[]): string {
  const lines = [
    "| system | asset | config | round | steps | total | ÷ Safe+TL | ÷ Safe |",
    "|---|---|---|---|---|--:|--:|--:|",
  ];
  for (const r of all) {
    const safeTimelock = find("Safe + TimelockController", r.asset, r.config, r.round);
    const safe = find("Safe 1.4.1", r.asset, r.config, r.round);
    const steps = r.steps.map((s) => `${s.step} ${fmt(s.gas)}`).join(" · ");
    lines.push(
      `| ${r.system} | ${r.asset} | ${r.config} | ${r.round} | ${steps} | ${fmt(r.total)} | ${ratio(r.total, safeTimelock?.total)} | ${ratio(r.total, safe?.total)} |`,
    );
  }
  lines.push("", "Marginal gas per extra signature (2-of-3 → 5-of-9, total ÷ 3):", "", "| system | asset | first | warm |", "|---|---|--:|--:|");
  for (const system of ["ReserveVault (signatures)", "ReserveVault (on-chain approvals)", "Safe 1.4.1", "Safe + TimelockController"] as const) {
    for (const asset of ["ETH", "ERC-20"] as const) {
      const cell = (round: Round) => {
        const v = perSignature(system, asset, round);
        return v === undefined ? "-" : fmt(v);
      };
      lines.push(`| ${system} | ${asset} | ${cell("first")} | ${cell("warm")} |`);
    }
  }
  lines.push("", "Targets (warm, signature path):", "", "| target | case | measured | limit | met |", "|---|---|--:|--:|---|");
  for (const c of checkTargets(all)) {
    lines.push(`| ${c.rule} | ${c.case} | ${c.value} | ${c.limit} | ${c.met ? "yes" : "**no**"} |`);
  }
  return lines.join("\n");
}
