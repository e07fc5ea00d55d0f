/**
 * Signing typed data and packing signatures the way the vault counts them: 65-byte (r, s, v)
 * signatures concatenated in strictly ascending signer order.
 */
import { concat, getAddress, Signature, verifyTypedData, type Signer } from "ethers";

import type { TypedData } from "./typed-data.js";

export interface SignerSignature {
  signer: string;
  signature: string;
}

/** Signs `data` with `signer` and returns the signature with its checksummed signer address. */
export async function signTypedData(signer: Signer, data: TypedData): Promise<SignerSignature> {
  const signature = await signer.signTypedData(data.domain, data.types, data.message);
  return { signer: getAddress(await signer.getAddress()), signature: Signature.from(signature).serialized };
}

/** The address that produced `signature` over `data`. */
export function recoverSigner(data: TypedData, signature: string): string {
  return getAddress(verifyTypedData(data.domain, data.types, data.message, signature));
}

/** Concatenates signatures in strictly ascending signer order; rejects two from one signer. */
export function packSignatures(signatures: readonly SignerSignature[]): string {
  const sorted = [...signatures].sort((a, b) => compareAddresses(a.signer, b.signer));
  for (let i = 1; i < sorted.length; i++) {
    if (compareAddresses(sorted[i - 1]!.signer, sorted[i]!.signer) === 0) {
      throw new Error(`two signatures from ${sorted[i]!.signer}: each signer may sign once`);
    }
  }
  return concat(sorted.map((s) => Signature.from(s.signature).serialized));
}

/** Orders addresses as the contract does (as 160-bit numbers). */
export function compareAddresses(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
