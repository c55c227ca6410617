import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  defaultPolicy,
  passwordHelpTexts,
  validatePassword,
  type PolicyOptions,
  type UserAttributes,
} from '../../../src/core/passwords/index.js';
import {
  commonPasswordValidator,
  maximumLengthValidator,
  minimumLengthValidator,
  numericPasswordValidator,
} from '../../../src/core/passwords/validators.js';

const tooShort = 'This password is too short. It must contain at least 8 characters.';
const tooCommon = 'This password is too common.';
const numeric = 'This password is entirely numeric.';
const tooLong = 'This password is too long. It may contain at most 1024 characters.';
const testclient: UserAttributes = {
  username: 'testclient',
  email: 'testclient@example.com',
  first_name: 'Test',
  last_name: 'Client',
};

describe('defaultPolicy', () => {
  it("is Django's defaults plus a 1024-character ceiling", () => {
    expect(defaultPolicy).toEqual({
      minLength: 8,
      maxLength: 1024,
      checkCommon: true,
      checkNumeric: true,
      checkSimilarity: true,
    });
  });
});

describe('MinimumLengthValidator (Django test_validate)', () => {
  it('uses Django\'s wording, singular and plural', () => {
    expect(minimumLengthValidator(8).validate('12345678', {})).toBeUndefined();
    expect(minimumLengthValidator(3).validate('123', {})).toBeUndefined();
    expect(minimumLengthValidator(8).validate('1234567', {})).toBe(tooShort);
    expect(minimumLengthValidator(3).validate('12', {})).toBe(
      'This password is too short. It must contain at least 3 characters.',
    );
    expect(minimumLengthValidator(1).validate('', {})).toBe(
      'This password is too short. It must contain at least 1 character.',
    );
    expect(minimumLengthValidator(8).code).toBe('password_too_short');
    expect(minimumLengthValidator(8).helpText).toBe('Your password must contain at least 8 characters.');
  });

  it('counts code points, as Python does, not UTF-16 units', () => {
    expect(minimumLengthValidator(8).validate('😀'.repeat(7), {})).toBe(tooShort);
    expect(minimumLengthValidator(8).validate('😀'.repeat(8), {})).toBeUndefined();
  });
});

describe('maximum length', () => {
  it('refuses more than maxLength characters with its own message', () => {
    expect(maximumLengthValidator(1024).validate('x'.repeat(1024), {})).toBeUndefined();
    expect(maximumLengthValidator(1024).validate('x'.repeat(1025), {})).toBe(tooLong);
    expect(maximumLengthValidator(1).validate('xy', {})).toBe(
      'This password is too long. It may contain at most 1 character.',
    );
  });

  it('counts code points: 1024 emoji pass, 1025 do not', () => {
    expect(maximumLengthValidator(1024).validate('😀'.repeat(1024), {})).toBeUndefined();
    expect(maximumLengthValidator(1024).validate('😀'.repeat(1025), {})).toBe(tooLong);
  });

  it('answers alone: nothing else runs on an oversized password', () => {
    expect(validatePassword('1'.repeat(1025), testclient, defaultPolicy)).toEqual([tooLong]);
    expect(validatePassword('x'.repeat(5_000_000), testclient, defaultPolicy)).toEqual([tooLong]);
    expect(validatePassword('ab', {}, { ...defaultPolicy, maxLength: 1 })).toEqual([
      'This password is too long. It may contain at most 1 character.',
    ]);
  });
});

describe('CommonPasswordValidator (Django test_validate)', () => {
  it('refuses passwords on the list, compared lower-cased and stripped', () => {
    expect(commonPasswordValidator.validate('a-safe-password', {})).toBeUndefined();
    expect(commonPasswordValidator.validate('godzilla', {})).toBe(tooCommon);
    expect(commonPasswordValidator.validate('  GodZilla\t', {})).toBe(tooCommon);
    expect(commonPasswordValidator.validate('god zilla', {})).toBeUndefined();
    expect(commonPasswordValidator.code).toBe('password_too_common');
    expect(commonPasswordValidator.helpText).toBe('Your password can’t be a commonly used password.');
  });
});

describe('NumericPasswordValidator (Django test_validate)', () => {
  it("refuses what Python's str.isdigit() accepts", () => {
    expect(numericPasswordValidator.validate('a-safe-password', {})).toBeUndefined();
    expect(numericPasswordValidator.validate('42424242', {})).toBe(numeric);
    expect(numericPasswordValidator.validate('٣٣٣٣٣٣٣٣', {})).toBe(numeric);
    expect(numericPasswordValidator.validate('²³¹①②③', {})).toBe(numeric);
    expect(numericPasswordValidator.validate('½½½½½½½½', {})).toBeUndefined();
    expect(numericPasswordValidator.validate('4242 4242', {})).toBeUndefined();
    expect(numericPasswordValidator.validate('', {})).toBeUndefined();
    expect(numericPasswordValidator.code).toBe('password_entirely_numeric');
  });
});

describe('validatePassword', () => {
  it('returns [] for an acceptable password', () => {
    expect(validatePassword('correct horse battery', testclient, defaultPolicy)).toEqual([]);
  });

  it("lists every message in the order of Django's default validators", () => {
    expect(validatePassword('1234567', {}, defaultPolicy)).toEqual([tooShort, tooCommon, numeric]);
    expect(validatePassword('client', testclient, defaultPolicy)).toEqual([
      'The password is too similar to the username.',
      tooShort,
    ]);
    expect(validatePassword('password', {}, { ...defaultPolicy, minLength: 12 })).toEqual([
      'This password is too short. It must contain at least 12 characters.',
      tooCommon,
    ]);
  });

  it('runs only the checks the policy turns on', () => {
    const lenient: PolicyOptions = { ...defaultPolicy, checkCommon: false, checkNumeric: false, checkSimilarity: false };
    expect(validatePassword('12345678', testclient, lenient)).toEqual([]);
    expect(validatePassword('testclient', testclient, lenient)).toEqual([]);
    expect(validatePassword('1234', testclient, lenient)).toEqual([tooShort]);
    expect(validatePassword('12345678', {}, { ...defaultPolicy, checkCommon: false })).toEqual([numeric]);
    expect(validatePassword('12345678', {}, { ...defaultPolicy, checkNumeric: false })).toEqual([tooCommon]);
    expect(validatePassword('', {}, { ...lenient, minLength: 0 })).toEqual([]);
  });

  it('gives the messages Django 3.2.25 gave for the same inputs', () => {
    const url = new URL('./django-3.2-validation-cases.json', import.meta.url);
    const cases = JSON.parse(readFileSync(url, 'utf8')) as { password: string; user: UserAttributes; messages: string[] }[];
    expect(cases.length).toBeGreaterThan(30);
    for (const { password, user, messages } of cases) {
      expect({ password, messages: validatePassword(password, user, defaultPolicy) }).toEqual({ password, messages });
    }
  });
});

describe('passwordHelpTexts', () => {
  it("gives Django's help texts for the policy", () => {
    expect(passwordHelpTexts(defaultPolicy)).toEqual([
      'Your password can’t be too similar to your other personal information.',
      'Your password must contain at least 8 characters.',
      'Your password can’t be a commonly used password.',
      'Your password can’t be entirely numeric.',
      'Your password can contain at most 1024 characters.',
    ]);
  });
});
