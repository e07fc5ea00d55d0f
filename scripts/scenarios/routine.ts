/**
 * Scenario 1 — routine withdrawal: a treasury signer proposes moving 250 ETH to the exchange's hot
 * wallet, two of three signers sign the typed data offline, a relayer queues it, the withdrawal
 * waits out the timelock, and anyone executes it.
 */
import type { NetworkConnection } from "hardhat/types/network";

import { DelayReason, ETH, formatSpan, proposalDigest, readDelay } from "../lib/index.js";
import { DEMO_VAULT, type ScenarioOutcome, World } from "./world.js";

export interface RoutineOutcome extends ScenarioOutcome {
  /** What the hot wallet received, and what was approved. */
  received: bigint;
  amount: bigint;
  /** Seconds from queueing to execution. */
  waited: bigint;
}

export async function routineWithdrawal(
  connection: NetworkConnection,
  print?: (line: string) => void,
): Promise<RoutineOutcome> {
  const { ethers } = connection;
  const world = await World.create(connection, "Scenario 1 — routine withdrawal", DEMO_VAULT, print);
  const [alice, bob] = world.signers as [typeof world.relayer, typeof world.relayer];
  const hot = world.hotWallet.address;
  const amount = ethers.parseEther("250");

  let w = await world.withdrawal(hot, "250");
  const id = proposalDigest(w);
  const onChainId = w.operation.kind === "withdrawal" ? await world.vault.withdrawalId(w.operation.withdrawal) : "";
  await world.record(
    "alice",
    "propose 250 ETH → hot wallet (nonce 0)",
    `digest ${id.slice(0, 18)}… (matches chain: ${id === onChainId})`,
  );
  const verdict = await readDelay(world.vault, { asset: ETH, to: hot, amount });
  await world.record(
    "alice",
    "check the delay it will get",
    `${formatSpan(verdict.delay)}: ${DelayReason[verdict.reason]} (limit 500 ETH/day, hot wallet allowlisted)`,
  );
  for (const signer of [alice, bob]) {
    w = await world.sign(w, [signer]);
    await world.record(world.name(signer.address), "sign typed data offline", "signature added");
  }
  const queueFailure = await world.submit(w);
  const queued = await world.state(w);
  const queuedAt = await world.now();
  await world.record(
    "relayer",
    "queue with 2 signatures",
    queueFailure ?? `${queued.state}, eta in ${formatSpan(queued.eta - queuedAt)}`,
  );

  await world.advanceTo(queued.eta - 1n);
  const early = await world.execute(w);
  await world.record(
    "relayer",
    "try to execute 1 s before eta",
    early === undefined ? "executed (unexpected)" : `refused: ${early}`,
  );

  await world.advanceTo(queued.eta);
  const before = await world.balance(hot);
  const failure = await world.execute(w);
  const received = (await world.balance(hot)) - before;
  const executedAt = await world.now();
  await world.record("relayer", "execute", failure ?? `hot wallet received ${ethers.formatEther(received)} ETH`);

  const outcome = world.finish({
    loss: { lostSigners: 0, compromisedSigners: 0, lostGuardians: 0, compromisedGuardians: 0 },
    observed: received === amount ? "unaffected" : "frozen",
    stolen: 0n,
    summary: `funds moved as approved: ${received === amount ? "yes" : "NO"}; waited ${formatSpan(executedAt - queuedAt)} (delay ${formatSpan(world.config.withdrawalDelay)})`,
  });
  return { ...outcome, received, amount, waited: executedAt - queuedAt };
}
