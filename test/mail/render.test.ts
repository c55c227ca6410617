import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../src/mail/backoff.js';
import { escapeHtml, fillSubject, fillTemplate } from '../../src/mail/render.js';

describe('fillTemplate', () => {
  it('fills placeholders, with or without inner spaces', () => {
    expect(fillTemplate('Hi {{name}}, code {{ code }}.', { name: 'Ann', code: '42' })).toBe('Hi Ann, code 42.');
  });

  it('renders a missing variable as nothing', () => {
    expect(fillTemplate('[{{nope}}]', {})).toBe('[]');
  });

  it('keeps a {{#name}} section only when name is non-empty', () => {
    const t = 'A{{#code}} code={{code}}{{/code}}{{#link}} link={{link}}{{/link}}.';
    expect(fillTemplate(t, { code: '1' })).toBe('A code=1.');
    expect(fillTemplate(t, { code: '', link: 'L' })).toBe('A link=L.');
  });

  it('escapes values, not the template, when given an escaper', () => {
    expect(fillTemplate('<b>{{v}}</b>', { v: `<script>"&'` }, escapeHtml)).toBe('<b>&lt;script&gt;&quot;&amp;&#39;</b>');
  });

  it('does not re-expand placeholders found inside values', () => {
    expect(fillTemplate('{{a}}', { a: '{{b}}', b: 'x' })).toBe('{{b}}');
  });
});

describe('fillSubject', () => {
  it('makes one header line even when a value carries a newline', () => {
    expect(fillSubject('Hello {{name}}\n', { name: 'Ann\r\nBcc: evil@x' })).toBe('Hello Ann Bcc: evil@x');
  });
});

describe('retryDelayMs', () => {
  const policy = { baseMs: 30_000, capMs: 3_600_000 };
  it('doubles from the base and caps', () => {
    const full = { ...policy, random: () => 0.999999 };
    expect(retryDelayMs(1, full)).toBeCloseTo(30_000, -1);
    expect(retryDelayMs(2, full)).toBeCloseTo(60_000, -1);
    expect(retryDelayMs(4, full)).toBeCloseTo(240_000, -1);
    expect(retryDelayMs(20, full)).toBeCloseTo(3_600_000, -2);
  });

  it('jitters into the upper half of the delay', () => {
    expect(retryDelayMs(1, { ...policy, random: () => 0 })).toBe(15_000);
    expect(retryDelayMs(3, { ...policy, random: () => 0.5 })).toBe(90_000);
  });
});
