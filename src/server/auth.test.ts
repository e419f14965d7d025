import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CODE_ALPHABET, newEnrollmentCode, newTokenSecret, normalizeCode, sha256Hex } from './auth.ts';

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
  test('codes: ABCD-EFGH from an alphabet without look-alikes (no 0 O 1 I L 2 Z 5 S 8 B)', () => {
    for (const ch of '0O1IL2Z5S8B') assert.ok(!CODE_ALPHABET.includes(ch), ch);
    for (let i = 0; i < 200; i++) assert.match(newEnrollmentCode(), new RegExp(`^[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4}$`));
  });
  test('property: a code typed in lower case, with spaces or without the dash, reads as the same code', () => {
    fc.assert(fc.property(fc.constant(null).map(() => newEnrollmentCode()), fc.constantFrom(' ', '', '-', '  '), (code, sep) => {
      const typed = code.toLowerCase().replace('-', sep);
      assert.equal(normalizeCode(typed), normalizeCode(code));
      assert.equal(normalizeCode(code).length, 8);
    }), { numRuns: 200 });
  });
});
