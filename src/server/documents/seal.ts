// Seals publications (SEE: src/core/exchange/seal.ts) with SHA-256 and,
// when the organiser gave a key, signs the seal hash with Ed25519.
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Fact } from '../../core/facts.ts';
import type { RallyDefinition } from '../../core/model.ts';
import type { Classification } from '../../core/results.ts';
import { makeSeal, type PublicationSeal, type SealHead } from '../../core/exchange/seal.ts';

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function sealPublication(
  head: SealHead,
  input: { facts: readonly Fact[]; definition: RallyDefinition; classification: Classification; previousHash: string | null },
  signingKey?: KeyObject,
): PublicationSeal {
  const seal = makeSeal(head, input, sha256);
  if (!signingKey) return seal;
  const publicKey = createPublicKey(signingKey).export({ type: 'spki', format: 'pem' }).toString();
  const value = sign(null, Buffer.from(seal.hash, 'utf8'), signingKey).toString('base64');
  return { ...seal, signature: { algorithm: 'ed25519', publicKey, value } };
}

/** True when the seal's signature is a valid Ed25519 signature of its hash by `publicKeyPem` (or by the key it names). */
export function signatureValid(seal: PublicationSeal, publicKeyPem?: string): boolean {
  if (!seal.signature) return false;
  try {
    const key = createPublicKey(publicKeyPem ?? seal.signature.publicKey);
    return verify(null, Buffer.from(seal.hash, 'utf8'), key, Buffer.from(seal.signature.value, 'base64'));
  } catch {
    return false;
  }
}

/** A public key as one line to print and compare: the base64 of its DER (SPKI), as between the PEM's header lines. */
export function publicKeyLine(publicKeyPem: string): string {
  try {
    return createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }).toString('base64');
  } catch {
    return publicKeyPem.replace(/-----[^-]+-----|\s/g, '');
  }
}
