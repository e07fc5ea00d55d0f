import { network } from "hardhat";
import { ETH, findFreeSlot, nextWithdrawal, packSignatures, readDomain, signTypedData, withdrawalTypedData } from "./lib/index.js";
const { ethers, networkHelpers } = await network.create();
const ws = await ethers.getSigners();
for (const [m, n] of [[2, 3], [3, 5], [5, 9]] as const) {
  const signers = ws.slice(1, 1 + n);
  const vault = await ethers.deployContract("ReserveVault", [{ signers: signers.map((s) => s.address), threshold: m, withdrawalDelay: 86400, configDelay: 2 * 86400, executionWindow: 7 * 86400 }]);
  await ws[0]!.sendTransaction({ to: await vault.getAddress(), value: ethers.parseEther("10") });
  const domain = await readDomain(vault);
  const to = ethers.Wallet.createRandom().address;
  for (const round of ["first", "warm"]) {
    const w = await nextWithdrawal(vault, { asset: ETH, to, amount: ethers.parseEther("1") });
    const data = withdrawalTypedData(domain, w);
    const sigs = packSignatures(await Promise.all(signers.slice(0, m).map((s) => signTypedData(s, data))));
    const slot = await findFreeSlot(vault);
    const r1 = await (await vault.connect(ws[19]!).queueWithdrawal(w, slot, sigs)).wait();
    await networkHelpers.time.increase(86400);
    const r2 = await (await vault.connect(ws[19]!).executeWithdrawal(w, slot)).wait();
    console.log(`${m}-of-${n} ${round}: queue ${r1!.gasUsed} execute ${r2!.gasUsed} total ${r1!.gasUsed + r2!.gasUsed}`);
  }
}
