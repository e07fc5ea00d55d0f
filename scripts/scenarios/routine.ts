/**
 * Scenario 1 — routine withdrawal: a treasury signer proposes moving 250 ETH to the exchange's hot
 * wallet, two of three signers sign the typed data offline, a relayer queues it, the withdrawal
 * waits out the timelock, and anyone executes it.
 */
import type { NetworkConnection } from "hardhat/types/network";

import {
  compareAddresses,
  deployReserveVault,
  ETH,
  initialConfig,
  findFreeSlot,
  nextWithdrawal,
  OperationState,
  packSignatures,
  readConfiguration,
  readDomain,
  readOperation,
  signTypedData,
  withdrawalTypedData,
  decodeVaultError,
  digest,
  readDelay,
  DelayReason,
} from "../lib/index.js";
import { Timeline } from "./timeline.js";

export interface RoutineOutcome {
  timeline: Timeline;
  /** What the hot wallet received. */
  received: bigint;
  amount: bigint;
  /** Seconds from queueing to execution. */
  waited: bigint;
  withdrawalDelay: bigint;
}


export async function routineWithdrawal(
  connection: NetworkConnection,
  print?: (line: string) => void,
): Promise<RoutineOutcome> {
  const { ethers, networkHelpers } = connection;
  const { time } = networkHelpers;
  const [deployer, alice, bob, carol, relayer, hotWallet, grace, gus, gwen] = await ethers.getSigners();
  const signers = [alice!, bob!, carol!].sort((a, b) => compareAddresses(a.address, b.address));

  const { vault } = await deployReserveVault(
    ethers,
    initialConfig({
      signers: signers.map((s) => s.address),
      threshold: 2,
      guardians: [grace!, gus!, gwen!].map((g) => g.address),
      guardianThreshold: 2,
      // Routine outflow: up to 500 ETH a day to the exchange's own hot wallet waits the normal
      // delay; more, or anywhere else, waits the long delay (SPEC §4.1).
      outflowLimits: [{ asset: ETH, limit: ethers.parseEther("500") }],
      allowlist: [hotWallet!.address],
      allowlistEnabled: true,
    }),
  );
  await deployer!.sendTransaction({ to: await vault.getAddress(), value: ethers.parseEther("1000") });
  const config = await readConfiguration(vault);
  const timeline = new Timeline("Scenario 1 — routine withdrawal", BigInt(await time.latest()), print);
  const name = (address: string) =>
    ({ [alice!.address]: "alice", [bob!.address]: "bob", [carol!.address]: "carol" })[address] ?? address;

  timeline.record(
    BigInt(await time.latest()),
    "deployer",
    "deploy vault, deposit 1000 ETH",
    `2-of-3 (${config.signers.map(name).join(", ")}), delay ${config.withdrawalDelay / 3600n} h`,
  );

  const amount = ethers.parseEther("250");
  const w = await nextWithdrawal(vault, { asset: ETH, to: hotWallet!.address, amount });
  const typedData = withdrawalTypedData(await readDomain(vault), w);
  const id = digest(typedData);
  timeline.record(
    BigInt(await time.latest()),
    "alice",
    "propose 250 ETH → hot wallet (nonce 0)",
    `digest ${id.slice(0, 18)}… (matches chain: ${id === (await vault.withdrawalId(w))})`,
  );
  const verdict = await readDelay(vault, w);
  timeline.record(
    BigInt(await time.latest()),
    "alice",
    "check the delay it will get",
    `${verdict.delay / 3600n} h: ${DelayReason[verdict.reason]} (limit 500 ETH/day, hot wallet allowlisted)`,
  );

  const signatures = [];
  for (const signer of [alice!, bob!]) {
    signatures.push(await signTypedData(signer, typedData));
    timeline.record(BigInt(await time.latest()), name(signer.address), "sign typed data offline", "signature added");
  }

  const slot = await findFreeSlot(vault);
  await (await vault.connect(relayer!).queueWithdrawal(w, slot, packSignatures(signatures))).wait();
  const queued = await readOperation(vault, id, slot);
  const queuedAt = BigInt(await time.latest());
  timeline.record(queuedAt, "relayer", "queue with 2 signatures", `${OperationState[queued.state]}, eta in ${(queued.eta - queuedAt) / 3600n} h`);

  await time.increaseTo(queued.eta - 1n);
  const early = await vault.executeWithdrawal.staticCall(w, slot).then(
    () => "executable (unexpected)",
    (error: unknown) => `refused: ${decodeVaultError(error)?.name ?? String(error)}`,
  );
  timeline.record(BigInt(await time.latest()), "relayer", "simulate execute 1 s before eta", early);

  await time.increaseTo(queued.eta);
  const before = await ethers.provider.getBalance(hotWallet!.address);
  await (await vault.connect(relayer!).executeWithdrawal(w, slot)).wait();
  const received = (await ethers.provider.getBalance(hotWallet!.address)) - before;
  const executedAt = BigInt(await time.latest());
  timeline.record(executedAt, "relayer", "execute", `hot wallet received ${ethers.formatEther(received)} ETH`);

  timeline.outcome(
    `funds moved as approved: ${received === amount ? "yes" : "NO"}; waited ${(executedAt - queuedAt) / 3600n} h (delay ${config.withdrawalDelay / 3600n} h)`,
  );
  return { timeline, received, amount, waited: executedAt - queuedAt, withdrawalDelay: config.withdrawalDelay };
}
