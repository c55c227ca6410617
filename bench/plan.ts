/** How long and how hard each scenario runs. */
export interface Plan {
  name: 'full' | 'quick';
  /** Measured seconds per scenario. */
  seconds: number;
  /** Unmeasured warm-up seconds before each. */
  warm: number;
  /** Users seeded for every scenario. */
  users: number;
  /** Users in the database for the scale scenario's second half. */
  scaleUsers: number;
  /** Connections for the HTTP scenarios (the targets are stated at 50). */
  connections: number;
  /** Connections for argon2-bound scenarios: enough to keep the hashing pool busy. */
  hashConnections: number;
  /** Steady request rate of the /v1/me probe in the mixed scenario. */
  probeRate: number;
}

export const plans: Record<Plan['name'], Plan> = {
  full: { name: 'full', seconds: 10, warm: 3, users: 1000, scaleUsers: 1_000_000, connections: 50, hashConnections: 8, probeRate: 500 },
  quick: { name: 'quick', seconds: 2, warm: 1, users: 1000, scaleUsers: 100_000, connections: 50, hashConnections: 8, probeRate: 500 },
};
