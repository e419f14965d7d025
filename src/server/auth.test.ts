import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CODE_ALPHABET, codeProblem, enrollmentCodeHash, newEnrollmentCode, newTokenSecret, normalizeCode, sha256Hex } from './auth.ts';

describe('tokens and enrollment codes', () => {
  test('a token is rhq_ and 32 random bytes as base64url: 47 characters, never starting with "-", different each time', () => {
    const a = newTokenSecret();
    assert.match(a, /^rhq_[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(a.slice(4), 'base64url').length, 32);
    assert.notEqual(a, newTokenSecret());
  });
  test('stored as SHA-256 hex: sha256("abc") = ba7816bf…15ad (FIPS 180-2 test vector)', () => {
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  test('codes: ABCD-EFGH-JKLM (11 random characters and a check character) from an alphabet without look-alikes (no 0 O 1 I L 2 Z 5 S 8 B)', () => {
    for (const ch of '0O1IL2Z5S8B') assert.ok(!CODE_ALPHABET.includes(ch), ch);
    for (let i = 0; i < 200; i++) {
      const code = newEnrollmentCode();
      assert.match(code, new RegExp(`^[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4}$`));
      assert.equal(codeProblem(normalizeCode(code)), null);
    }
  });
  test('property: one character mistyped, or two neighbours swapped, is caught by the check character before any lookup', () => {
    fc.assert(fc.property(fc.constant(null).map(() => normalizeCode(newEnrollmentCode())), fc.nat(11), fc.nat(CODE_ALPHABET.length - 1), fc.boolean(), (code, at, to, swap) => {
      const chars = [...code];
      if (swap && at < 11) {
        if (chars[at] === chars[at + 1]) return;
        [chars[at], chars[at + 1]] = [chars[at + 1] as string, chars[at] as string];
      } else {
        if (chars[at] === CODE_ALPHABET[to]) return;
        chars[at] = CODE_ALPHABET[to] as string;
      }
      assert.match(codeProblem(chars.join('')) ?? '', /check/);
    }), { numRuns: 2000 });
  });
  test('a code is stored as a slow salted hash (scrypt), not its SHA-256: a leaked database does not give unused codes away cheaply', async () => {
    const code = normalizeCode(newEnrollmentCode());
    const h = await enrollmentCodeHash(code);
    assert.notEqual(h, sha256Hex(code));
    assert.ok(!h.includes(code));
    assert.equal(await enrollmentCodeHash(code), h, 'the same code always gives the same hash (it is looked up by it)');
    assert.notEqual(await enrollmentCodeHash(normalizeCode(newEnrollmentCode())), h);
  });
  test('property: a code typed in lower case, with spaces or without the dash, reads as the same code', () => {
    fc.assert(fc.property(fc.constant(null).map(() => newEnrollmentCode()), fc.constantFrom(' ', '', '-', '  '), (code, sep) => {
      const typed = code.toLowerCase().replace('-', sep);
      assert.equal(normalizeCode(typed), normalizeCode(code));
      assert.equal(normalizeCode(code).length, 12);
    }), { numRuns: 200 });
  });
});
