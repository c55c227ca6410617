import { describe, expect, it } from 'vitest';
import { isPrivateAddress, webhookUrlProblem } from '../../src/core/webhooks/address-policy.js';

describe('webhook address policy', () => {
  // Regression: a `::ffff:0:0/96` rule in node's BlockList matched every IPv4 address, so no
  // webhook could reach any IPv4 host unless private addresses were allowed.
  it('lets public IPv4 and IPv6 addresses through', () => {
    for (const address of ['8.8.8.8', '93.184.216.34', '1.1.1.1', '::ffff:8.8.8.8', '2606:4700:4700::1111']) expect(isPrivateAddress(address), address).toBe(false);
    expect(webhookUrlProblem('https://93.184.216.34/hooks', false)).toBeUndefined();
  });

  it('refuses loopback, private, link-local and mapped spellings of them', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.9', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '64:ff9b::a00:1', 'not-an-ip']) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const url of ['https://127.0.0.1/x', 'https://[::ffff:127.0.0.1]/x', 'https://[::ffff:7f00:1]/x', 'http://169.254.169.254/latest/meta-data', 'https://localhost/x']) {
      expect(webhookUrlProblem(url, false), url).toBeDefined();
      expect(webhookUrlProblem(url, true), url).toBeUndefined();
    }
  });
});
