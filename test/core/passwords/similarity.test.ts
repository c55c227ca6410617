import { describe, expect, it } from 'vitest';
import type { UserAttributes } from '../../../src/core/passwords/index.js';
import { quickRatio } from '../../../src/core/passwords/sequence-matcher.js';
import {
  exceedsMaximumLengthRatio,
  userAttributeSimilarityValidator,
} from '../../../src/core/passwords/similarity.js';

const expected = (name: string) => `The password is too similar to the ${name}.`;

describe('quickRatio', () => {
  // Values from Python's difflib.SequenceMatcher(a=…, b=…).quick_ratio().
  const cases: [string, string, number][] = [
    ['testclient', 'testclient', 1.0],
    ['example.com', 'testclient@example.com', 0.6666666666666666],
    ['example.com', 'example', 0.7777777777777778],
    ['testclient', 'test', 0.5714285714285714],
    ['abc', '', 0.0],
    ['', '', 1.0],
    ['hello world', 'world hello', 1.0],
    ['lètmein', 'letmein', 0.8571428571428571],
    ['😀😀ab', '😀b', 0.6666666666666666],
    ['aaaa', 'a'.repeat(40), 0.18181818181818182],
  ];

  it.each(cases)('quick_ratio(%j, %j) = %d', (a, b, ratio) => {
    expect(quickRatio(a, b)).toBe(ratio);
  });

  it("reproduces the figures in Django's exceeds_maximum_length_ratio docstring", () => {
    expect(quickRatio('A', 'A'.repeat(10))).toBe(0.18181818181818182);
    expect(quickRatio('A', 'A'.repeat(100))).toBe(0.019801980198019802);
    expect(quickRatio('A', 'A'.repeat(1000))).toBe(0.001998001998001998);
  });
});

describe('exceedsMaximumLengthRatio (Django guard against long inputs)', () => {
  it('skips a value only when the password is ≥10× longer and the value is short', () => {
    expect(exceedsMaximumLengthRatio(100, 0.7, 10)).toBe(true);
    expect(exceedsMaximumLengthRatio(99, 0.7, 10)).toBe(false);
    expect(exceedsMaximumLengthRatio(100, 0.7, 11)).toBe(false);
    expect(exceedsMaximumLengthRatio(10, 0.1, 1)).toBe(false);
    expect(exceedsMaximumLengthRatio(30, 0.1, 1)).toBe(true);
    expect(exceedsMaximumLengthRatio(0, 0.7, 0)).toBe(false);
  });

  it('never skips a value that quick_ratio could have matched', () => {
    for (let passwordLength = 1; passwordLength <= 60; passwordLength++) {
      for (let valueLength = 1; valueLength <= 60; valueLength++) {
        if (!exceedsMaximumLengthRatio(passwordLength, 0.7, valueLength)) continue;
        const best = (2 * Math.min(passwordLength, valueLength)) / (passwordLength + valueLength);
        expect(best).toBeLessThan(0.7);
      }
    }
  });
});

describe('UserAttributeSimilarityValidator (Django test_validate)', () => {
  const user: UserAttributes = {
    username: 'testclient',
    email: 'testclient@example.com',
    first_name: 'Test',
    last_name: 'Client',
  };

  it('names the attribute by its Django verbose name', () => {
    const validator = userAttributeSimilarityValidator();
    expect(validator.validate('testclient', {})).toBeUndefined();
    expect(validator.validate('testclient', user)).toBe(expected('username'));
    expect(validator.validate('example.com', user)).toBe(expected('email address'));
    expect(validator.validate('TEST', { first_name: 'Test' })).toBe(expected('first name'));
    expect(validator.validate('Client', { last_name: 'Client' })).toBe(expected('last name'));
    expect(validator.code).toBe('password_too_similar');
    expect(validator.helpText).toBe('Your password can’t be too similar to your other personal information.');
  });

  it('honours user_attributes and max_similarity', () => {
    expect(
      userAttributeSimilarityValidator({ attributes: ['first_name'], maxSimilarity: 0.3 }).validate('testclient', user),
    ).toBe(expected('first name'));
    // max_similarity=1 still refuses a password identical to the attribute.
    expect(
      userAttributeSimilarityValidator({ attributes: ['first_name'], maxSimilarity: 1 }).validate('Test', user),
    ).toBe(expected('first name'));
    expect(userAttributeSimilarityValidator({ attributes: ['first_name'] }).validate('testclient', user)).toBeUndefined();
  });

  it('rejects a max_similarity below 0.1', () => {
    expect(() => userAttributeSimilarityValidator({ maxSimilarity: 0.09 })).toThrow(
      new RangeError('max_similarity must be at least 0.1'),
    );
  });

  it('compares each part of an attribute split on non-word characters, and the whole', () => {
    const validator = userAttributeSimilarityValidator();
    expect(validator.validate('marley22', { username: 'bob-marley' })).toBe(expected('username'));
    expect(validator.validate('maría', { email: 'maría.garcía@correo.es' })).toBe(expected('email address'));
    expect(validator.validate('garcía_maría', { username: 'maría.garcía' })).toBe(expected('username'));
  });

  it('ignores missing and empty attributes', () => {
    const validator = userAttributeSimilarityValidator();
    expect(validator.validate('', { username: '', email: undefined })).toBeUndefined();
  });

  it('skips sequence matching for a long password against a short value', () => {
    const validator = userAttributeSimilarityValidator();
    expect(validator.validate('j'.repeat(50), { username: 'j' })).toBeUndefined();
    expect(validator.validate('j'.repeat(5), { username: 'j' })).toBeUndefined();
    expect(validator.validate('j', { username: 'j' })).toBe(expected('username'));
  });

  it('stays linear on long inputs', () => {
    const validator = userAttributeSimilarityValidator();
    const long = 'ab'.repeat(512);
    expect(validator.validate(long, { username: 'ba'.repeat(100_000), email: `${'a.'.repeat(50_000)}@x.io` })).toBe(
      undefined,
    );
    expect(validator.validate(long, { username: long.toUpperCase() })).toBe(expected('username'));
  });
});
