import { parseOptions, type ParsedHashOptions } from '@node-rs/argon2';
import { ENCODED_HASH_CAP, importedHashLimits as limits } from './work-limits.js';

/** A stored password hash, recognised and checked for shape and cost before any hashing. */
export type HashFormat =
  | { kind: 'argon2'; phc: string; options: ParsedHashOptions; imported: boolean }
  | { kind: 'pbkdf2'; digest: 'sha256' | 'sha1'; iterations: number; salt: string; hash: string }
  | { kind: 'bcrypt'; prehashed: boolean; data: string }
  | { kind: 'scrypt'; n: number; salt: string; r: number; p: number; hash: string }
  | { kind: 'unsupported'; reason: string };

const RESET = 'ask the user to reset the password';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BCRYPT_DATA = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;
const DIGITS = /^\d{1,10}$/;
const ALGORITHM_NAME = /^[a-z0-9_]{1,32}$/;

/** Old and weak formats Django can still read; named so import tooling can say what it found. */
const refusedAlgorithms = new Map([
  ['md5', 'md5'],
  ['sha1', 'sha1'],
  ['crypt', 'crypt'],
  ['unsalted_md5', 'unsalted md5'],
  ['unsalted_sha1', 'unsalted sha1'],
]);

function unsupported(reason: string): HashFormat {
  return { kind: 'unsupported', reason };
}

function refused(name: string): HashFormat {
  return unsupported(`${name} hashes are not accepted: ${RESET}`);
}

function malformed(algorithm: string, shape: string): HashFormat {
  return unsupported(`malformed ${algorithm} hash (expected ${shape}): ${RESET}`);
}

function tooCostly(algorithm: string, limit: string): HashFormat {
  return unsupported(`${algorithm} hash asks for more work than Gatehouse allows (${limit}): ${RESET}`);
}

/** Recognises a stored hash the way Django's identify_hasher does, plus Gatehouse's own PHC strings. */
export function identifyHash(encoded: string): HashFormat {
  if (typeof encoded !== 'string') return unsupported(`not a password hash: ${RESET}`);
  if (encoded === '') return unsupported('no password is set: the user has to set one through a password reset');
  if (encoded.startsWith('!')) {
    return unsupported("unusable password (Django's '!' prefix): the user has to set one through a password reset");
  }
  if (encoded.length > ENCODED_HASH_CAP) return unsupported(`not a password hash (too long): ${RESET}`);
  if (encoded.startsWith('$argon2')) return argon2(encoded, false);
  // Django's own test for the formats of its earliest versions.
  if ((encoded.length === 32 && !encoded.includes('$')) || (encoded.length === 37 && encoded.startsWith('md5$$'))) {
    return refused('unsalted md5');
  }
  if (encoded.length === 46 && encoded.startsWith('sha1$$')) return refused('unsalted sha1');
  if (encoded.startsWith('$2')) {
    return unsupported(`bcrypt hash without Django's prefix: import it as "bcrypt$" followed by the hash`);
  }

  const separator = encoded.indexOf('$');
  const algorithm = separator < 0 ? '' : encoded.slice(0, separator);
  const rest = encoded.slice(separator + 1);
  switch (algorithm) {
    case 'pbkdf2_sha256':
      return pbkdf2('sha256', algorithm, rest);
    case 'pbkdf2_sha1':
      return pbkdf2('sha1', algorithm, rest);
    case 'argon2':
      return argon2(`$${rest}`, true);
    case 'bcrypt_sha256':
      return bcrypt(true, algorithm, rest);
    case 'bcrypt':
      return bcrypt(false, algorithm, rest);
    case 'scrypt':
      return scrypt(rest);
  }
  const refusedName = refusedAlgorithms.get(algorithm);
  if (refusedName !== undefined) return refused(refusedName);
  if (ALGORITHM_NAME.test(algorithm)) return unsupported(`unknown hash algorithm "${algorithm}": ${RESET}`);
  return unsupported(`unrecognised hash format: ${RESET}`);
}

/** A clear message for import tooling when a hash can never verify; undefined when it is supported. */
export function describeUnsupportedHash(encoded: string): string | undefined {
  const format = identifyHash(encoded);
  return format.kind === 'unsupported' ? format.reason : undefined;
}

function pbkdf2(digest: 'sha256' | 'sha1', algorithm: string, rest: string): HashFormat {
  const parts = rest.split('$');
  const [iterations, salt, hash] = parts;
  if (parts.length !== 3 || !DIGITS.test(iterations) || salt === '' || !BASE64.test(hash)) {
    return malformed(algorithm, `${algorithm}$<iterations>$<salt>$<base64 hash>`);
  }
  const count = Number(iterations);
  if (count < 1) return malformed(algorithm, 'at least one iteration');
  if (count > limits.pbkdf2MaxIterations) {
    return tooCostly(algorithm, `at most ${limits.pbkdf2MaxIterations} iterations`);
  }
  return { kind: 'pbkdf2', digest, iterations: count, salt, hash };
}

function argon2(phc: string, imported: boolean): HashFormat {
  const shape = imported ? 'argon2$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>' : '$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>';
  if (!/^\$argon2(?:id|i|d)\$/.test(phc)) return malformed('argon2', shape);
  let options: ParsedHashOptions;
  try {
    options = parseOptions(phc);
  } catch {
    return malformed('argon2', shape);
  }
  if (
    options.memoryCost > limits.argon2MaxMemoryKiB ||
    options.timeCost > limits.argon2MaxTimeCost ||
    options.parallelism > limits.argon2MaxParallelism
  ) {
    const limit = `m ≤ ${limits.argon2MaxMemoryKiB}, t ≤ ${limits.argon2MaxTimeCost}, p ≤ ${limits.argon2MaxParallelism}`;
    return tooCostly('argon2', limit);
  }
  return { kind: 'argon2', phc, options, imported };
}

function bcrypt(prehashed: boolean, algorithm: string, data: string): HashFormat {
  if (!BCRYPT_DATA.test(data)) return malformed(algorithm, `${algorithm}$$2b$<cost>$<53 characters>`);
  const cost = Number(data.slice(4, 6));
  if (cost < 4 || cost > 31) return malformed(algorithm, 'a cost from 04 to 31');
  if (cost > limits.bcryptMaxCost) return tooCostly(algorithm, `cost at most ${limits.bcryptMaxCost}`);
  return { kind: 'bcrypt', prehashed, data };
}

function scrypt(rest: string): HashFormat {
  const shape = 'scrypt$<n>$<salt>$<r>$<p>$<base64 hash>';
  const parts = rest.split('$');
  const [n, salt, r, p, hash] = parts;
  if (parts.length !== 5 || salt === '' || !BASE64.test(hash) || ![n, r, p].every((v) => DIGITS.test(v))) {
    return malformed('scrypt', shape);
  }
  const [cost, blockSize, parallelism] = [Number(n), Number(r), Number(p)];
  if (cost < 2 || !Number.isInteger(Math.log2(cost)) || blockSize < 1 || parallelism < 1) return malformed('scrypt', shape);
  // OpenSSL's own estimate of the memory one scrypt call needs.
  const memory = 128 * blockSize * (cost + 2) + 128 * blockSize * parallelism;
  if (memory > limits.scryptMaxMemoryBytes || parallelism > limits.scryptMaxParallelism) {
    const limit = `${limits.scryptMaxMemoryBytes / 1024 / 1024} MiB, p ≤ ${limits.scryptMaxParallelism}`;
    return tooCostly('scrypt', limit);
  }
  return { kind: 'scrypt', n: cost, salt, r: blockSize, p: parallelism, hash };
}
